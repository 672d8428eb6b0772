"""The committed JSON Schemas match the models, and real reports validate against them."""

from __future__ import annotations

import datetime as dt
import io
import json

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from peelcheck.cli.main import cli
from peelcheck.pipeline import AssessOptions, Engine, assess
from peelcheck.report.common import FAILURES_SHOWN
from peelcheck.report.json_report import render_json, write_json
from peelcheck.report.markdown import render_markdown, write_markdown
from peelcheck.report.schemas import SCHEMAS, schema_path, schema_text
from peelcheck.schema.outcomes import RuleStatus

from .conftest import EXAMPLES, PACK_DIR


@pytest.mark.parametrize("what", SCHEMAS)
def test_committed_schema_is_current(what):
    assert schema_path(what).read_text() == schema_text(what), \
        f"regenerate with: peelcheck schema {what} > {schema_path(what)}"


def test_json_report_validates_against_the_committed_schema():
    files = sorted(str(p) for p in (EXAMPLES / "self-assessment").iterdir())
    result = CliRunner().invoke(cli, ["assess", "--pack", str(PACK_DIR), *files, "--as-of", "2022-04-01",
                                      "--format", "json"])
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    jsonschema.validate(report, json.loads(schema_path("assessment").read_text()))
    broken = dict(report, summary={**report["summary"], "rules": "many"})
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, json.loads(schema_path("assessment").read_text()))


@pytest.mark.parametrize("rule_file", sorted(PACK_DIR.glob("*/*-0*.yaml"))[:20], ids=lambda p: p.stem)
def test_rule_files_validate_against_the_rule_schema(rule_file):
    # As an editor's YAML language server reads them: dates stay text.
    class EditorLoader(yaml.SafeLoader):
        yaml_implicit_resolvers = {k: [r for r in v if r[0] != "tag:yaml.org,2002:timestamp"]
                                   for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}
    document = yaml.load(rule_file.read_text(), Loader=EditorLoader)  # noqa: S506 - a SafeLoader
    jsonschema.validate(document, json.loads(schema_path("rule").read_text()))


@pytest.mark.parametrize("only_rule", [None, "INV-001"], ids=["whole-pack", "one-rule"])
def test_json_written_rule_by_rule_is_the_model_dump_exactly(peel_pack, only_rule):
    """The CLI writes JSON one rule at a time and Markdown line by line; the text must be the same."""
    files = sorted((EXAMPLES / "west-mercia-2021").glob("*.csv"))
    options = AssessOptions(as_of=dt.date(2022, 4, 1), engine=Engine.PYTHON,
                            only_rules=frozenset([only_rule]) if only_rule else None)
    assessment = assess(peel_pack, files, options)
    assert sum(len(r.failures) for r in assessment.rules) > (0 if only_rule else 100)
    for case in (assessment, assessment.model_copy(update={"rules": []})):
        written = io.StringIO()
        write_json(case, written)
        assert written.getvalue() == render_json(case)
    longest = max(len(r.failures) for r in assessment.rules if r.status is RuleStatus.NOT_MET)
    for limit in (None, 2, longest):  # None: Markdown's default, the first FAILURES_SHOWN
        written = io.StringIO()
        write_markdown(assessment, written, limit)
        assert written.getvalue() == render_markdown(assessment, limit)
        cut = longest > (FAILURES_SHOWN if limit is None else limit)
        assert ("more failing record" in written.getvalue()) == cut


def test_the_schema_says_how_a_repeated_key_is_told():
    """The as-written form (``'007' at line 3 (first at line 2 as '7')``) was missing from the description."""
    schema = json.loads(schema_path("assessment").read_text())
    described = schema["$defs"]["InputFile"]["properties"]["repeated_keys"]["description"]
    assert "'007' at line 3 (first at line 2 as '7')" in described and "Rejected rows" in described
