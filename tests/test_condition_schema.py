"""The rule JSON Schema describes conditions, so an editor flags a misspelt operator as the parser does."""

from __future__ import annotations

import json
import re

import jsonschema
import pytest
import yaml

from peelcheck.report.schemas import schema_path

from .conftest import PACK_DIR

RULE_FILES = sorted(p for p in PACK_DIR.parent.rglob("*.yaml") if re.match(r"^[A-Z]{2,5}-\d+", p.name))  # every pack
SCHEMA = json.loads(schema_path("rule").read_text())


class EditorLoader(yaml.SafeLoader):
    """As an editor's YAML language server reads a file: dates stay text."""

    yaml_implicit_resolvers = {k: [r for r in v if r[0] != "tag:yaml.org,2002:timestamp"]
                               for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def _rule(name: str) -> dict:
    return yaml.load(next(p for p in RULE_FILES if p.stem == name).read_text(), Loader=EditorLoader)  # noqa: S506


def test_every_rule_of_the_pack_validates_conditions_included() -> None:
    assert len(RULE_FILES) > 100
    validator = jsonschema.Draft202012Validator(SCHEMA)
    for path in RULE_FILES:
        errors = list(validator.iter_errors(yaml.load(path.read_text(), Loader=EditorLoader)))  # noqa: S506
        assert not errors, f"{path}: {errors[0].message}"


@pytest.mark.parametrize("bad", [
    {"given_at": {"at_mots": {"field": "victim_views_recorded_at"}}},  # misspelt operator
    {"all": []},  # all of nothing
    {"given_at": {"within": {"hours": 24, "days": 1, "after": "x"}}},  # two amounts
    {"given_at": {"recorded": "yes"}},  # recorded takes true/false
    {"given_at": {"at_most": {"feild": "x"}}},  # a field reference misspelt
    {"a": True, "b": True},  # two tests in one mapping: use all
])
def test_a_broken_condition_fails_the_schema(bad: dict) -> None:
    rule = _rule("INV-001")
    rule["expect"] = bad
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(rule, SCHEMA)
