"""Gherkin tags as pytest markers, so ``pytest -m investigating`` works under ``--strict-markers``.

A tag is the marker's name: an area id or a finding kind with dashes written as underscores
(``@protecting_vulnerable_people``, ``@area_for_improvement``). The plugin registers the PEEL
areas, every finding kind, the areas of the configured pack, and a few tags of its own. It also
marks each scenario with the area and kind of every rule its steps name, so a scenario is
selected by ``-m <area>`` even where its author forgot the tag.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
import yaml

from peelcheck.compile.pack_check import CompiledPack
from peelcheck.schema.pack import FindingKind

PEEL_AREAS = {
    "investigating": "Investigating crime",
    "protecting-vulnerable-people": "Protecting vulnerable people",
    "responding": "Responding to the public",
    "preventing": "Preventing crime and anti-social behaviour",
    "serious-organised-crime": "Tackling serious and organised crime",
    "armed-policing": "Armed policing and specialist capabilities",
    "legitimacy": "Treatment of the public and legitimacy",
    "managing-offenders": "Managing offenders and suspects",
    "workforce": "Building, supporting and protecting the workforce; strategic planning",
}
OWN_TAGS = {
    "cli": "scenarios that run the peelcheck command line",
    "boundary": "scenarios at a threshold or time-window boundary",
    "from_report": "examples taken from the inspection reports, told as scenarios",
    "aggregate": "rate and count rules: rules about many records at once",
    "profile": "scenarios that apply a force profile",
}
RULE_ID = re.compile(r"\b[A-Z][A-Z0-9]{1,4}-\d{2,4}[A-Z]?\b")


def tag_name(identifier: str) -> str:
    """The marker for an area id or a finding kind: dashes become underscores."""
    return identifier.replace("-", "_")


def _pack_areas(pack_dir: Path) -> dict[str, str]:
    """Area ids and titles from a pack.yaml, read leniently (a broken pack is reported elsewhere)."""
    try:
        document = yaml.safe_load((pack_dir / "pack.yaml").read_text(encoding="utf-8"))
        return {str(a["id"]): str(a.get("title", a["id"])) for a in document.get("areas", [])}
    except (OSError, yaml.YAMLError, AttributeError, KeyError, TypeError):
        return {}


def register(config: pytest.Config, pack_dir: Path) -> None:
    areas = PEEL_AREAS | _pack_areas(pack_dir)
    lines = [f"{tag_name(a)}: scenarios about rules of the area '{title}'" for a, title in areas.items()]
    lines += [f"{tag_name(k.value)}: scenarios about rules of kind {k.value}" for k in FindingKind]
    lines += [f"{name}: {text}" for name, text in OWN_TAGS.items()]
    for line in lines:
        config.addinivalue_line("markers", line)


def _template(item: pytest.Item) -> Any:
    from pytest_bdd.scenario import scenario_wrapper_template_registry  # pytest-bdd 8/9 internals

    function = getattr(item, "obj", None)
    return scenario_wrapper_template_registry.get(function) if function is not None else None


def is_scenario(item: pytest.Item) -> bool:
    return _template(item) is not None


def scenario_texts(item: pytest.Item) -> Iterable[str]:
    """The step texts (and outline example values) of a pytest-bdd scenario item."""
    template = _template(item)
    if template is None:
        return []
    texts = [step.name for step in template.steps]
    callspec = getattr(item, "callspec", None)
    example = callspec.params.get("_pytest_bdd_example", {}) if callspec else {}
    return texts + [str(v) for v in example.values()]


def mark_by_rules(item: pytest.Item, pack: CompiledPack) -> None:
    """Add the area and kind markers of every rule id named in the scenario's steps."""
    by_prefix = {a.prefix: a.id for a in pack.pack.areas}
    names: set[str] = set()
    for text in scenario_texts(item):
        for rule_id in RULE_ID.findall(text):
            rule = pack.rule(rule_id)
            area = rule.rule.spec.area if rule is not None else by_prefix.get(rule_id.split("-")[0])
            if area:
                names.add(tag_name(area))
            if rule is not None:
                names.add(tag_name(rule.rule.spec.kind.value))
    present = {m.name for m in item.iter_markers()}
    for name in sorted(names - present):
        item.add_marker(getattr(pytest.mark, name))
