"""What one scenario has built up: the pack, the records, the options, and the engine's answer.

Every step of the library reads or changes one ``ScenarioState`` (the ``peelcheck_scenario``
fixture). The assessment is computed by the real engine (``peelcheck.pipeline.assess_records``),
once, the first time a Then step asks for it (or at ``When the assessment runs``).
"""

from __future__ import annotations

import datetime as dt
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

import pytest

from peelcheck.assess.model import Assessment, RuleResult
from peelcheck.bdd.messages import describe_diagnostics
from peelcheck.bdd.settings import Settings
from peelcheck.compile.pack_check import CompiledPack, load_compiled_pack
from peelcheck.errors import Diagnostic, EngineError, PackError, PeelcheckError
from peelcheck.evaluate.failure_result import FailureResult
from peelcheck.evaluate.runner import Engine
from peelcheck.pipeline import AssessOptions, assess_records
from peelcheck.schema.outcomes import Outcome
from peelcheck.schema.pack import RecordTypeSpec

STEP_KEY = pytest.StashKey[str]()
RECORDS_LABEL = "scenario"


def fail(node: pytest.Item | None, message: str) -> NoReturn:
    """Fail the current step with a readable message and no Python traceback."""
    step = node.stash.get(STEP_KEY, None) if node is not None else None
    header = f"{step}\n" if step else ""
    pytest.fail(f"{header}{message}", pytrace=False)


class PackWarning(UserWarning):
    """What loading the pack found worth saying and ran past (a window kept as the pack wrote it)."""


class PackCache:
    """Compiled packs by (folder, profile), shared by all scenarios of a session."""

    def __init__(self) -> None:
        self._packs: dict[tuple[Path, Path | None], CompiledPack | PackError] = {}

    def get(self, pack_dir: Path, profile: Path | None) -> CompiledPack:
        key = (pack_dir.resolve(), profile.resolve() if profile else None)
        if key not in self._packs:
            try:
                compiled = load_compiled_pack(pack_dir, profile)
            except PackError as error:
                self._packs[key] = error
            else:
                self._packs[key] = compiled
                for warning in compiled.warnings:  # in pytest's summary, once a session, at the pack's line
                    said = f"{warning.message} [{warning.code}]" + (f" (hint: {warning.hint})" if warning.hint else "")
                    warnings.warn_explicit(PackWarning(said), PackWarning, warning.location.path,
                                           warning.location.line or 1)
        found = self._packs[key]
        if isinstance(found, PackError):
            raise found
        return found


@dataclass
class ScenarioState:
    """The world of one scenario."""

    settings: Settings
    packs: PackCache
    node: pytest.Item | None = None
    pack_dir: Path | None = None
    profile: Path | None = None
    use_default_profile: bool = True
    as_of: dt.date | None = None
    engine: Engine | None = None
    records: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    rule_aliases: dict[str, str] = field(default_factory=dict)
    last_key: str | None = None
    assessment: Assessment | None = None
    error: PeelcheckError | None = None

    # -- setting up -------------------------------------------------------------------------------

    def fail(self, message: str) -> NoReturn:
        fail(self.node, message)

    def options(self) -> AssessOptions:
        # a scenario names its records by key: its own test data, shown in full (never pseudonymised)
        return AssessOptions(as_of=self.as_of or self.settings.as_of, engine=self.engine or self.settings.engine,
                             show_personal=True)

    def pack(self) -> CompiledPack:
        pack_dir = self.pack_dir or self.settings.pack_dir
        profile = self.profile or (self.settings.profile if self.use_default_profile else None)
        try:
            return self.packs.get(pack_dir, profile)
        except PackError as error:
            where = f"{pack_dir}" + (f" with profile {profile}" if profile else "")
            self.fail(f"the rule pack {where} does not load; fix these problems first:\n"
                      f"{describe_diagnostics(error.diagnostics)}")

    def record_type(self, name: str) -> RecordTypeSpec:
        pack = self.pack()
        spec = pack.record_types.get(name)
        if spec is None:
            self.fail(f"the pack has no record type {name!r}; it has: {', '.join(sorted(pack.record_types))}")
        return spec

    def add_records(self, name: str, records: list[dict[str, Any]]) -> list[str]:
        """Add records of a type, naming those without a key ``<type>-<n>``; returns their keys."""
        spec = self.record_type(name)
        rows = self.records.setdefault(name, [])
        keys = []
        for record in records:
            if record.get(spec.key) in (None, ""):
                record = {spec.key: f"{name}-{len(rows) + 1}", **record}
            key = str(record[spec.key])
            if any(str(r.get(spec.key)) == key for r in rows):
                self.fail(f"two {name} records have the key {key!r}; give each record its own {spec.key}")
            rows.append(record)
            keys.append(key)
        if keys:
            self.last_key = keys[-1]
        self.assessment, self.error = None, None
        return keys

    # -- running ----------------------------------------------------------------------------------

    def run(self) -> None:
        """Assess the scenario's records with the real engine; rejected records are kept as the error."""
        pack = self.pack()
        try:
            self.assessment = assess_records(pack, self.records, self.options(), label=RECORDS_LABEL)
            self.error = None
        except EngineError as error:
            self.fail(f"the rules engine failed:\n{describe_diagnostics(error.diagnostics)}")
        except PeelcheckError as error:
            self.assessment, self.error = None, error

    def result_set(self) -> Assessment:
        if self.assessment is None and self.error is None:
            self.run()
        if self.assessment is None:
            diagnostics: list[Diagnostic] = self.error.diagnostics if self.error else []
            self.fail(f"the engine refused the scenario's records, so no rule was assessed:\n"
                      f"{describe_diagnostics(diagnostics)}")
        return self.assessment

    # -- reading results --------------------------------------------------------------------------

    def rule_id(self, rule: str | None, alias: str | None = None) -> str:
        if rule:
            return rule
        name = (alias or "").strip()
        if name not in self.rule_aliases:
            known = ", ".join(f'"{a}"' for a in self.rule_aliases) or "none"
            self.fail(f'"{name}" has not been given a rule id in this scenario (add: Given "{name}" is rule '
                      f"XXX-000); names given so far: {known}")
        return self.rule_aliases[name]

    def key(self, key: str | None) -> str:
        if key:
            return key
        if self.last_key is None:
            self.fail("'that record' refers to the last record added, but the scenario has added none")
        return self.last_key

    def result(self, rule_id: str) -> RuleResult:
        assessment = self.result_set()
        found = next((r for r in assessment.rules if r.id == rule_id), None)
        if found is None:
            ids = [r.id for r in assessment.rules]
            near = [i for i in ids if i.split("-")[0] == rule_id.split("-")[0]] or ids
            self.fail(f"the pack has no rule {rule_id}; rules with that prefix: {', '.join(near) or 'none'}")
        return found

    def record(self, record_type: str, key: str) -> dict[str, Any]:
        spec = self.record_type(record_type)
        rows = self.records.get(record_type, [])
        found = next((r for r in rows if str(r.get(spec.key)) == key), None)
        if found is None:
            keys = ", ".join(str(r.get(spec.key)) for r in rows) or "none"
            self.fail(f"the scenario has no {record_type} record {key!r}; its {record_type} records: {keys}")
        return found

    def outcome(self, rule_id: str, key: str) -> tuple[Outcome, FailureResult | None]:
        """What the rule says of one record, with its failure detail when it failed."""
        result = self.result(rule_id)
        failure = next((f for f in result.failures if f.key == key), None)
        if failure is not None:
            return failure.outcome, failure
        record = self.record(result.record_type, key)
        # The assessment lists failures only; compliant and not applicable are told apart by running
        # the same engine on this record alone (outcomes of one record do not depend on the others).
        alone = assess_records(self.pack(), {result.record_type: [record]}, self.options(), label=RECORDS_LABEL)
        single = next(r for r in alone.rules if r.id == rule_id)
        if single.failures:
            self.fail(f"the engine gave record {key} different outcomes for {rule_id} alone and among the "
                      f"scenario's records: {single.failures[0].outcome.value} alone")
        return (Outcome.COMPLIANT if single.applicable else Outcome.NOT_APPLICABLE), None
