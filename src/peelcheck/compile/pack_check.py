"""Checking a loaded pack as a whole and compiling its rules: the work behind ``peelcheck validate``."""

from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from peelcheck.compile.check import CompiledRule, breakdown_problem, compile_rule
from peelcheck.compile.framework_check import check_citations
from peelcheck.errors import Diagnostic, Location, PackError
from peelcheck.load.compose import load_pack
from peelcheck.load.pack_loader import LoadedPack
from peelcheck.load.profile_loader import apply_profile
from peelcheck.load.pydantic_errors import diagnostics_from
from peelcheck.positions import locate
from peelcheck.schema.framework import FrameworkRegistry
from peelcheck.schema.mapping import ColumnMapping, mapping_issues
from peelcheck.schema.pack import Area, FindingKind, Force, Pack, RecordTypeSpec, SourceFinding
from peelcheck.schema.records import record_validator
from peelcheck.schema.rubric import ChosenRubric
from peelcheck.schema.rule import Mode, Rule, Source


@dataclass
class CompiledPack:
    """A pack that passed every check: the input of evaluation."""

    root: Path
    pack: Pack
    record_types: dict[str, RecordTypeSpec]
    rules: list[CompiledRule]
    findings: dict[str, SourceFinding] = field(default_factory=dict)
    mappings: dict[str, ColumnMapping] = field(default_factory=dict)
    disabled: dict[str, str] = field(default_factory=dict)  # rule id -> reason, from a profile or an overlay
    chain: list[Pack] = field(default_factory=list)  # the packs composed, base first, with their versions
    frameworks: dict[str, FrameworkRegistry] = field(default_factory=dict)  # edition -> registry
    timezone: str | None = None  # where naive times were recorded: the profile's, else the pack's
    profile_rubric: ChosenRubric | None = None
    warnings: list[Diagnostic] = field(default_factory=list)  # what loading found worth saying, and ran past

    @property
    def rubric(self) -> ChosenRubric | None:
        """The rubric for indicative area statuses: the profile's, else the last pack's in the chain that has one
        (an overlay inherits its base's unless it declares its own)."""
        if self.profile_rubric is not None:
            return self.profile_rubric
        pack = next((p for p in reversed(self.packs) if p.rubric is not None), None)
        if pack is None or pack.rubric is None:
            return None
        return ChosenRubric(rubric=pack.rubric, source="pack", source_id=pack.id)

    @property
    def packs(self) -> list[Pack]:
        """The packs composed, base first (the report names each with its version)."""
        return self.chain or [self.pack]

    @property
    def force(self) -> Force | None:
        """The force the assessment is for: the overlay's (None for a core pack alone)."""
        return self.pack.force

    @property
    def areas(self) -> dict[str, Area]:
        return {a.id: a for a in self.pack.areas}

    def rule(self, rule_id: str) -> CompiledRule | None:
        return next((r for r in self.rules if r.id == rule_id), None)


def _at(loaded: LoadedPack, path: str, *keys: str | int) -> Location:
    return locate(loaded.raw.get(path), keys, Location(path, 1, 1))


def _check_rule_refs(rule: Rule, loaded: LoadedPack, pack: Pack | None) -> list[Diagnostic]:
    spec, out = rule.spec, []
    if pack is not None:
        areas = {a.id: a for a in pack.areas}
        area = areas.get(spec.area)
        if area is None:
            out.append(Diagnostic("unknown-area", f"area {spec.area!r} is not declared in pack.yaml",
                                  _at(loaded, rule.path, "area"), hint=f"declared: {', '.join(areas)}"))
        elif not spec.id.startswith(area.prefix + "-"):
            out.append(Diagnostic("id-prefix", f"rule id {spec.id!r} should start with {area.prefix}- "
                                  f"(the prefix of area {area.id!r})", _at(loaded, rule.path, "id")))
        if spec.source is not None and spec.source.document not in {d.id for d in pack.documents}:
            out.append(Diagnostic("unknown-document", f"source document {spec.source.document!r} is not "
                                  "declared in pack.yaml", _at(loaded, rule.path, "source", "document")))
    for i, finding in enumerate(spec.findings):
        if finding not in loaded.findings:
            out.append(Diagnostic("unknown-finding", f"finding {finding!r} is not in the findings registry",
                                  _at(loaded, rule.path, "findings", i)))
    return out


def _check_examples(rule: CompiledRule, loaded: LoadedPack) -> list[Diagnostic]:
    validator, out = record_validator(rule.record_type), []
    key = rule.record_type.key
    for i, example in enumerate(rule.rule.spec.examples):
        records = [example.record] if example.record is not None else list(example.records or [])
        for j, record in enumerate(records):
            record = {key: f"{example.name}-{j + 1}", **record}
            try:
                validator.validate_python(record)
            except ValidationError as exc:
                where = ("examples", i, "record") if example.record is not None else ("examples", i, "records", j)
                out.extend(diagnostics_from(exc, loaded.raw.get(rule.rule.path), Location(rule.rule.path, 1, 1),
                                            prefix=where))
    return out


def _check_registry(loaded: LoadedPack, pack: Pack | None) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    documents = {d.id for d in pack.documents} if pack else set()
    rule_ids = {r.id for r in loaded.rules} | loaded.broken_rules
    for finding in loaded.findings.values():
        where = loaded.finding_paths.get(finding.id, Location(str(loaded.root / "findings")))
        if pack is not None and finding.document not in documents:
            out.append(Diagnostic("unknown-document", f"finding {finding.id} cites undeclared document "
                                  f"{finding.document!r}", where))
        out.extend(Diagnostic("unknown-rule", f"finding {finding.id} lists unknown rule {rule_id}", where)
                   for rule_id in {*finding.rules, *finding.quoted_by} - rule_ids)
        out.extend(Diagnostic("invalid-value", f"finding {finding.id}: {rule_id} is in quoted_by but not in rules",
                              where) for rule_id in set(finding.quoted_by) - set(finding.rules))
    for mapping in loaded.mappings.values():
        out.extend(_check_mapping(mapping, loaded))
    return out


def _check_mapping(mapping: ColumnMapping, loaded: LoadedPack) -> list[Diagnostic]:
    """What in a pack's or profile's mapping does not fit its record type, each at its own file, line and column
    (a profile's mappings are in the profile, under ``mappings:``)."""
    path, prefix = loaded.mapping_paths.get(mapping.name, (str(loaded.root / "mappings"), ()))

    def at(keys: tuple[str | int, ...], at_value: bool = False) -> Location:
        return locate(loaded.raw.get(path), (*prefix, *keys), Location(path, 1, 1), at_value)
    spec = loaded.record_types.get(mapping.record_type)
    if spec is None:
        return [Diagnostic("unknown-record-type", f"mapping {mapping.name} names unknown record type "
                           f"{mapping.record_type!r}", at(("record_type",), True),
                           hint=f"it has: {', '.join(sorted(loaded.record_types))}")]
    return [Diagnostic(problem.code, f"mapping {mapping.name}: {problem.message}", at(problem.keys, problem.at_value))
            for problem in mapping_issues(mapping, spec.fields)]


def _manual_without_conditions(rule: Rule, loaded: LoadedPack) -> list[Diagnostic]:
    """A manual rule is answered by an auditor: conditions on it would never be evaluated."""
    spec = rule.spec
    given = [key for key, value in (("when", spec.when), ("expect", spec.expect), ("count", spec.count))
             if value is not None]
    return [Diagnostic("manual-rule-condition", f"rule {rule.id} is manual (an auditor answers it): its '{key}' "
                       "would never be evaluated", _at(loaded, rule.path, key),
                       hint="remove it, or make the rule automated") for key in given]


def check_pack(loaded: LoadedPack) -> tuple[CompiledPack | None, list[Diagnostic]]:
    """Every problem in the pack, and the compiled pack if none is an error (warnings are kept on it)."""
    link_findings(loaded)
    diagnostics = list(loaded.diagnostics)
    counts = Counter(rule.id for rule in loaded.rules)
    compiled: list[CompiledRule] = []
    for rule in loaded.rules:
        if counts[rule.id] > 1:
            others = [r.path for r in loaded.rules if r.id == rule.id and r is not rule]
            diagnostics.append(Diagnostic("duplicate-rule-id", f"rule id {rule.id} is also used in "
                                          f"{', '.join(others)}", _at(loaded, rule.path, "id")))
        diagnostics.extend(_check_rule_refs(rule, loaded, loaded.pack))
        diagnostics.extend(check_citations(rule, loaded))
        record_type = loaded.record_types.get(rule.spec.record_type)
        if record_type is None:
            diagnostics.append(Diagnostic(
                "unknown-record-type", f"record type {rule.spec.record_type!r} is not defined in record-types/",
                _at(loaded, rule.path, "record_type"), hint=f"defined: {', '.join(sorted(loaded.record_types))}"))
            continue
        diagnostics.extend(Diagnostic("bad-breakdown", problem, _at(loaded, rule.path, "breakdown", i))
                           for i, name in enumerate(rule.spec.breakdown)
                           if (problem := breakdown_problem(name, record_type)) is not None)
        if rule.spec.mode is Mode.MANUAL:
            diagnostics.extend(_manual_without_conditions(rule, loaded))
            compiled.append(CompiledRule(rule, record_type, None, None))
            continue
        result, problems = compile_rule(rule, record_type)
        # a problem in a profile's window for the rule (window_overrides) is said at the profile: name the rule
        diagnostics.extend(d if d.location.path == rule.path else dataclasses.replace(d, message=f"{rule.id}: "
                           f"{d.message}") for d in problems)
        if result is not None:
            diagnostics.extend(_check_examples(result, loaded))
            compiled.append(result)
    diagnostics.extend(_check_registry(loaded, loaded.pack))
    warnings = [d for d in diagnostics if d.severity == "warning"]
    if len(warnings) < len(diagnostics) or loaded.pack is None:
        return None, diagnostics
    compiled.sort(key=lambda r: r.id)
    return CompiledPack(loaded.root, loaded.pack, loaded.record_types, compiled, loaded.findings,
                        loaded.mappings, dict(loaded.disabled), list(loaded.chain), loaded.frameworks,
                        loaded.timezone or getattr(loaded.pack, "timezone", None), loaded.profile_rubric,
                        warnings), warnings


def link_findings(loaded: LoadedPack) -> None:
    """Give each rule the findings that list it (besides any it lists itself) and, if it quotes nothing
    itself, the quote of one of them: one that says the rule quotes it, else one of the rule's kind, else
    the first in the registry. A national expectation (a core rule) takes that finding's kind: what the
    rule is for a force comes from the force's own reports."""
    listed: dict[str, list[SourceFinding]] = {}
    for finding in loaded.findings.values():
        for rule_id in finding.rules:
            listed.setdefault(rule_id, []).append(finding)
    for i, rule in enumerate(loaded.rules):
        mine = listed.get(rule.id, [])
        if not mine:
            continue
        spec = rule.spec
        findings = [*spec.findings, *(f.id for f in mine if f.id not in spec.findings)]
        best = min(mine, key=lambda f: (rule.id not in f.quoted_by, f.kind is not spec.kind))
        source = spec.source or Source(document=best.document, section=best.section, quote=best.quote)
        # a national expectation is, for this force, what the finding whose words it shows is
        kind = best.kind if spec.kind is FindingKind.EXPECTATION and spec.source is None else spec.kind
        loaded.rules[i] = dataclasses.replace(rule, spec=spec.model_copy(update={"findings": findings,
                                                                                 "source": source, "kind": kind}))


def load_with_profile(root: Path, profile: Path | None = None) -> LoadedPack:
    """Load a pack folder and, if given, apply a force profile to it."""
    loaded = load_pack(root)
    if profile is not None:
        apply_profile(loaded, profile)
    return loaded


def load_compiled_pack(root: Path, profile: Path | None = None) -> CompiledPack:
    """Load, check and compile a pack (and profile), raising PackError with every problem found."""
    compiled, diagnostics = check_pack(load_with_profile(root, profile))
    if compiled is None:
        raise PackError(diagnostics)
    return compiled
