"""Small packs written to a folder, for tests that drive `validate` and `assess` end to end."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from .strategies import RECORD_TYPE

PACK = {"id": "gen", "title": "Generated pack", "version": "0.1.0",
        "documents": [{"id": "GEN", "title": "Generated", "publisher": "tests", "date": "2021-01-01"}],
        "areas": [{"id": "generated", "title": "Generated", "prefix": "GEN"}]}


def rule_spec(index: int, expect: Any = None, when: Any = None, **extra: Any) -> dict[str, Any]:
    spec = {"id": f"GEN-{index + 1:03d}", "title": "generated", "area": "generated", "kind": "finding",
            "severity": "low", "source": {"document": "GEN", "section": "s", "quote": "q"},
            "record_type": RECORD_TYPE.name, "remediation": "r", **extra}
    if when is not None:
        spec["when"] = when
    if expect is not None:
        spec["expect"] = expect
    return spec


def write_pack(root: Path, rules: list[dict[str, Any] | str], record_type: dict[str, Any] | None = None) -> Path:
    """A pack folder with one record type and the given rules (a dict, or YAML text as written)."""
    (root / "record-types").mkdir(parents=True, exist_ok=True)
    (root / "generated").mkdir(exist_ok=True)
    (root / "pack.yaml").write_text(yaml.safe_dump(PACK, sort_keys=False))
    kind = record_type or json.loads(RECORD_TYPE.model_dump_json(exclude_none=True))
    (root / "record-types" / f"{kind['name']}.yaml").write_text(yaml.safe_dump(kind, sort_keys=False))
    for i, rule in enumerate(rules):
        text = rule if isinstance(rule, str) else yaml.safe_dump(rule, sort_keys=False, allow_unicode=True)
        (root / "generated" / f"GEN-{i + 1:03d}.yaml").write_text(text)
    return root
