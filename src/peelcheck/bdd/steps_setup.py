"""Given and When steps: the pack, the options and the records of a scenario.

Each function is a step of the library; its docstring is what ``docs/rule-authors.md`` lists.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import yaml
from pytest_bdd import given, parsers, when

from peelcheck.bdd.cells import parse_date, record_from_vertical_table, records_from_table, records_from_yaml
from peelcheck.bdd.phrases import NUMBER, RECORD_TYPE, RULE_ID
from peelcheck.bdd.state import ScenarioState
from peelcheck.evaluate.runner import Engine
from peelcheck.load.pack_registry import find_installed

ENGINE_WORDS = {"durable": Engine.DURABLE, "durable-rules": Engine.DURABLE, "durable rules": Engine.DURABLE,
                "python": Engine.PYTHON, "the python engine": Engine.PYTHON,
                "the python reference evaluator": Engine.PYTHON}  # the python engine's earlier name, still read


@given("the PEEL pack")
@given("the pack")
def _default_pack(peelcheck_scenario: ScenarioState) -> None:
    """Given the PEEL pack -- the pack named by the ``peelcheck_pack`` ini option (default ``peel-core``)."""
    peelcheck_scenario.pack_dir = None
    peelcheck_scenario.pack()


@given(parsers.re(r'the pack "(?P<path>[^"]+)"'))
def _pack(peelcheck_scenario: ScenarioState, path: str) -> None:
    """Given the pack "rules/west-mercia" -- a pack folder relative to the pytest rootdir, or an installed
    pack's name (Given the pack "peel-core")."""
    folder = peelcheck_scenario.settings.resolve(path)
    peelcheck_scenario.pack_dir = folder if folder.is_dir() else find_installed(path) or folder
    peelcheck_scenario.pack()


@given(parsers.re(r'the profile "(?P<path>[^"]+)"'))
def _profile(peelcheck_scenario: ScenarioState, path: str) -> None:
    """Given the profile "profiles/west-mercia.yaml" -- a force profile applied to the pack."""
    peelcheck_scenario.profile = peelcheck_scenario.settings.resolve(path)
    peelcheck_scenario.pack()


@given("no profile")
def _no_profile(peelcheck_scenario: ScenarioState) -> None:
    """Given no profile -- the pack as it is, even where the ini file names a default profile."""
    peelcheck_scenario.profile, peelcheck_scenario.use_default_profile = None, False


@given(parsers.re(r"the assessment date is (?P<date>.+)"))
def _as_of(peelcheck_scenario: ScenarioState, date: str) -> None:
    """Given the assessment date is 2022-04-01 -- also written "1 April 2022"."""
    value = parse_date(date.strip())
    if not isinstance(value, dt.date):
        peelcheck_scenario.fail(f"cannot read {date!r} as a date: write 2022-04-01 or 1 April 2022")
    peelcheck_scenario.as_of = value


@given(parsers.re(r"the engine is (?P<engine>.+)"))
def _engine(peelcheck_scenario: ScenarioState, engine: str) -> None:
    """Given the engine is python -- or durable (durable-rules, the default)."""
    found = ENGINE_WORDS.get(engine.strip().lower())
    if found is None:
        peelcheck_scenario.fail(f"unknown engine {engine!r}: say durable or python")
    peelcheck_scenario.engine = found


@given(parsers.re(rf'"(?P<alias>[^"]+)" is rule (?P<rule>{RULE_ID})'))
def _alias(peelcheck_scenario: ScenarioState, alias: str, rule: str) -> None:
    """Given "the caution rule" is rule INV-001 -- later steps may say "the caution rule"."""
    name = alias.strip()
    if not (name.startswith("the ") and name.endswith(" rule")):
        peelcheck_scenario.fail(f'a rule\'s name starts with "the " and ends with " rule" (like "the caution '
                                f'rule"), so steps can tell it apart; got "{name}"')
    peelcheck_scenario.rule_aliases[name] = rule


def _records(state: ScenarioState, record_type: str, datatable: list[list[str]] | None,
             docstring: str | None, vertical: bool) -> list[dict[str, Any]]:
    spec = state.record_type(record_type)
    try:
        if docstring is not None:
            return records_from_yaml(spec, docstring)
        if datatable is not None:
            return [record_from_vertical_table(spec, datatable)] if vertical else records_from_table(spec, datatable)
    except yaml.YAMLError as error:  # its text gives the line and column within the docstring
        state.fail(f"cannot read the YAML of this step: {error}")
    except ValueError as error:
        state.fail(f"cannot read the {record_type} records of this step: {error}")
    state.fail("this step needs its records below it: a table (first row: field names) or a YAML block "
               'between """ lines')


@given(parsers.re(rf"these {RECORD_TYPE} records:"))
def _these_records(peelcheck_scenario: ScenarioState, record_type: str,
                   datatable: list[list[str]] | None = None, docstring: str | None = None) -> None:
    """Given these case_file records: -- a table (header row: field names; blank cell: not recorded) or YAML."""
    peelcheck_scenario.add_records(record_type, _records(peelcheck_scenario, record_type, datatable, docstring,
                                                         vertical=False))


@given(parsers.re(rf'an? {RECORD_TYPE} record(?: "(?P<key>[^"]+)")? with:'))
def _one_record(peelcheck_scenario: ScenarioState, record_type: str, key: str | None = None,
                datatable: list[list[str]] | None = None, docstring: str | None = None) -> None:
    """Given a case_file record with: -- YAML fields, or a two-column table of field | value."""
    records = _records(peelcheck_scenario, record_type, datatable, docstring, vertical=True)
    if len(records) != 1:
        peelcheck_scenario.fail(f"this step adds one record, but its YAML holds {len(records)}; "
                                f"use 'Given these {record_type} records:' for several")
    record = records[0]
    if key:
        record = {peelcheck_scenario.record_type(record_type).key: key, **record}
    peelcheck_scenario.add_records(record_type, [record])


@given(parsers.re(rf"(?P<count>{NUMBER}) {RECORD_TYPE} records? with:"))
def _many_records(peelcheck_scenario: ScenarioState, count: str, record_type: str,
                  datatable: list[list[str]] | None = None, docstring: str | None = None) -> None:
    """Given 9 case_file records with: -- that many copies of one record (keys case_file-1, case_file-2...)."""
    records = _records(peelcheck_scenario, record_type, datatable, docstring, vertical=True)
    if len(records) != 1:
        peelcheck_scenario.fail("this step copies one record; its YAML must hold exactly one")
    key = peelcheck_scenario.record_type(record_type).key
    copies = [{k: v for k, v in records[0].items() if k != key} for _ in range(int(count))]
    peelcheck_scenario.add_records(record_type, copies)


@given(parsers.re(rf"no {RECORD_TYPE} records"))
def _no_records(peelcheck_scenario: ScenarioState, record_type: str) -> None:
    """Given no stop_search records -- the type is supplied, with no records (count rules then count 0)."""
    peelcheck_scenario.record_type(record_type)
    peelcheck_scenario.records.setdefault(record_type, [])


@when("the assessment runs")
@when("the records are assessed")
def _run(peelcheck_scenario: ScenarioState) -> None:
    """When the assessment runs -- the real engine assesses every rule of the pack over the records."""
    peelcheck_scenario.run()
