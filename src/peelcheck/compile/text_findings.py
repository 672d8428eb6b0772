"""Sentences in a source document that read as an ask of the force and that no registry entry quotes.

The findings registry should hold every finding of a document, encoded or not. This is the check that
it does: each sentence of the text in which a force (or "we") is told it should, needs to or must do
something, or is recommended to, is a candidate finding; a candidate that no registry quote overlaps is
counted as unregistered. It is a reading aid, not a judgment: some candidates are the report describing
what forces in general should do, and a person decides whether each is a finding of this document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from peelcheck.compile.source_quotes import normal_text

_ASK = re.compile(r"\b(?:force|forces|police|constabulary|it)\s+(?:should|needs to|must)\b|\bwe recommend|"
                  r"\brecommended that\b", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_OVERLAP = 50  # characters of a quote or sentence that must match for the two to be the same finding


@dataclass(frozen=True)
class TextAsk:
    """A candidate finding: where it is in the document and what it says."""

    document: str
    line: int
    text: str


def asks_in(path: Path, document_id: str) -> list[TextAsk]:
    """Every sentence of the file that reads as an ask, with its line number."""
    found = []
    for number, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), 1):
        if line.rstrip().endswith(":"):  # the lead-in of a list of recommendations, not one itself
            continue
        for sentence in _SENTENCE_END.split(line):
            if _ASK.search(sentence):
                found.append(TextAsk(document_id, number, normal_text(sentence)))
    return found


def unregistered(asks: list[TextAsk], quotes: list[str]) -> list[TextAsk]:
    """The asks that no registry quote of the same document overlaps."""
    normal_quotes = [normal_text(q).rstrip(".") for q in quotes]

    def registered(ask: TextAsk) -> bool:
        sentence = ask.text.rstrip(".")
        return any(q[:_OVERLAP] in sentence or sentence[:_OVERLAP] in q for q in normal_quotes)
    return [ask for ask in asks if not registered(ask)]
