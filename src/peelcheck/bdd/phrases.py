"""The phrases steps are built from, as regular expressions (pytest-bdd matches a step in full).

A rule is named by its id (``rule PVP-001``) or by a name the scenario gave it
(``Given "the caution rule" is rule INV-001`` ... ``Then the caution rule is not met``).
A record is named by its key (``record SYN-1`` or ``record "SYN 1"``) or as ``that record``, the
last record the scenario added.
"""

from __future__ import annotations

import re

RULE_ID = r"[A-Z][A-Z0-9]{1,4}-\d{2,4}[A-Z]?"
RULE = rf'(?:rule (?P<rule>{RULE_ID})|(?P<alias>the [^"]+? rule))'
# "the compliance rate of RES-010": the word "rule" may be left out here
RULE_OR_ID = rf'(?:(?:rule )?(?P<rule>{RULE_ID})|(?P<alias>the [^"]+? rule))'
RECORD = r'(?:record (?P<key>[^\s",]+)|record "(?P<qkey>[^"]+)"|(?P<that>that record))'
RECORD_TYPE = r"(?P<record_type>[a-z][a-z0-9_]*)"
NUMBER = r"\d+"


def key_of(key: str | None, qkey: str | None) -> str | None:
    return key or qkey


def split_list(text: str) -> list[str]:
    """``A, B and C`` -> [A, B, C]."""
    return [part.strip().strip('"') for part in re.split(r",|\band\b", text) if part.strip()]
