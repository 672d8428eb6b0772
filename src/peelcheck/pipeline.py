"""The whole job in one call: records in, Assessment out. Used by the CLI and the pytest plugin.

``assess`` reads record files; ``assess_records`` takes records already in memory (a Gherkin data
table, a test). Both validate every record with the pack's record types and evaluate it once.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from peelcheck import __version__
from peelcheck.assess.breakdown import check_adds_up
from peelcheck.assess.build import area_results, rule_result, summary
from peelcheck.assess.data_quality import input_file, unassessable
from peelcheck.assess.findings import finding_results
from peelcheck.assess.identity import Pseudonyms, force_name, pack_refs, personal_data, pseudonymise_waivers
from peelcheck.assess.model import Assessment, InputFile, RejectedRowResult
from peelcheck.assess.model_extras import WarningResult
from peelcheck.assess.populations import population_errors, population_warnings
from peelcheck.assess.sampling import Verdict, refine
from peelcheck.assess.waivers import Waivers
from peelcheck.compile.check import CompiledRule, breakdown_problem
from peelcheck.compile.pack_check import CompiledPack
from peelcheck.errors import Diagnostic, Location, PackError, RecordError, UsageError
from peelcheck.evaluate import durable_engine
from peelcheck.evaluate.breakdown import Waived
from peelcheck.evaluate.cluster import connect
from peelcheck.evaluate.columnar_csv import evaluate_csv_file
from peelcheck.evaluate.failure_spill import one_per_run
from peelcheck.evaluate.parallel import SPLIT_FORMATS, NoProcesses, ShardResult, auto_jobs, evaluate_in_parallel
from peelcheck.evaluate.runner import Engine, TypeEvaluation, held_by_default
from peelcheck.load.batch import Batch, gathered, valid_batches
from peelcheck.load.records import RecordReader, RecordRow, RecordSource, RejectedRow, file_format
from peelcheck.load.rows import FileQuality, rows_rejected
from peelcheck.load.sources import choose_mapping, record_sources
from peelcheck.schema.answers import ManualAnswer
from peelcheck.schema.pack import RecordTypeSpec
from peelcheck.schema.records import record_validator
from peelcheck.schema.rule import Mode
from peelcheck.schema.timezones import DEFAULT_TIMEZONE
from peelcheck.schema.values import plain

Items = Iterable[Batch | RejectedRow]
Stream = tuple[str, RecordTypeSpec, Items, RecordReader | None]


@dataclass
class AssessOptions:
    as_of: dt.date = field(default_factory=dt.date.today)
    engine: Engine = Engine.DURABLE
    record_type: str | None = None  # --type: the record type of every file given
    mapping: str | None = None  # --mapping: a column mapping of the pack or profile, or a mapping file
    sheet: str | None = None  # --sheet: the workbook sheet to read
    skip_invalid: bool = False
    only_rules: frozenset[str] | None = None  # --rule: assess just these rules
    progress: Callable[[int], None] | None = None  # told how many records have been read, chunk by chunk
    jobs: int | None = 1  # processes per CSV or Parquet file; None: as many as it repays (``auto_jobs``)
    verdict: Verdict = Verdict.POINT  # --verdict: the rate, or its 95% interval, decides met / not met
    populations: dict[str, int] = field(default_factory=dict)  # profile: population by file name or record type
    population_places: dict[str, Location] = field(default_factory=dict)  # where each entry is written
    waivers: Waivers | None = None  # --waivers
    cluster: str | None = None  # --cluster: a Dask scheduler's address, or local:N
    by: tuple[str, ...] = ()  # --by: break every rule down by these fields, where its record type has them
    show_personal: bool = False  # --show-personal: person-level keys in full, not pseudonymised
    pseudonym_salt: bytes | None = None  # keys the pseudonyms (stable across runs); None: a new one per run
    answers: dict[str, ManualAnswer] = field(default_factory=dict)  # --answers: manual rules answered


def choose_engine(requested: Engine) -> Engine:
    """durable-rules where it imports; the python engine otherwise (Python 3.13)."""
    if requested is Engine.DURABLE and not durable_engine.available():
        return Engine.PYTHON
    return requested


def _sources(pack: CompiledPack, files: list[Path], options: AssessOptions) -> list[RecordSource]:
    """The files as sources, each with where its naive times were recorded: the mapping's timezone, else
    the profile's or pack's, else London."""
    mapping = choose_mapping(options.mapping, pack.record_types, pack.mappings, pack.root)
    zone = (mapping.timezone if mapping else None) or pack.timezone or DEFAULT_TIMEZONE
    return [replace(s, zone=zone) for s in record_sources(files, pack.record_types, mapping, options.record_type,
                                                          options.sheet)]


def _check_rule_ids(pack: CompiledPack, options: AssessOptions) -> None:
    unknown = sorted((options.only_rules or frozenset()) - {r.id for r in pack.rules})
    if unknown:
        raise UsageError.single("unknown-rule", f"no rule {', '.join(unknown)} in the pack", Location(str(pack.root)))
    for name in options.by:
        problems = [breakdown_problem(name, spec) for spec in pack.record_types.values()]
        if all(problems):
            raise UsageError.single("bad-breakdown", f"--by {name}: no record type can be broken down by it",
                                    Location(str(pack.root / "record-types")),
                                    hint="; ".join(sorted({p for p in problems if p and "has no field" not in p}))
                                    or "give an enum, bool or text field of a record type")


def assess(pack: CompiledPack, files: list[Path], options: AssessOptions) -> Assessment:
    """Evaluate every rule of the pack over record files.

    Bad rows raise RecordError (all of them, with file, line, field and value) unless
    ``skip_invalid``, in which case they are listed in the assessment instead.
    """
    _check_rule_ids(pack, options)
    streams: list[Stream] = []
    for source in _sources(pack, files, options):
        reader = RecordReader(source, record_validator(source.record_type, source.zone))
        streams.append((source.label, source.record_type, reader.batches(), reader))
    return _run(pack, streams, options)


def assess_records(pack: CompiledPack, records: dict[str, list[dict[str, Any]]], options: AssessOptions,
                   label: str = "<records>") -> Assessment:
    """Evaluate records held in memory, by record type name (keys are filled in where missing)."""
    _check_rule_ids(pack, options)
    streams: list[Stream] = []
    for name, rows in records.items():
        spec = pack.record_types.get(name)
        if spec is None:
            raise UsageError.single("unknown-record-type", f"the pack has no record type {name!r}", Location(label),
                                    hint=f"it has: {', '.join(sorted(pack.record_types))}")
        streams.append((f"{label}:{name}", spec, gathered(_memory_rows(spec, rows, f"{label}:{name}"),
                                                          list(spec.fields)), None))
    return _run(pack, streams, options)


def _memory_rows(spec: RecordTypeSpec, rows: list[dict[str, Any]], label: str) -> Iterator[RecordRow | RejectedRow]:
    reader = RecordReader(RecordSource(Path(label), spec), record_validator(spec))
    for i, raw in enumerate(rows, start=1):
        result = reader.validate({spec.key: f"{spec.key}-{i}", **raw}, Location(label, i))
        yield from (result if isinstance(result, list) else [result])


def _run(pack: CompiledPack, streams: list[Stream], options: AssessOptions) -> Assessment:
    engine = choose_engine(options.engine)
    by_type: dict[str, list[CompiledRule]] = defaultdict(list)
    for rule in pack.rules:
        if rule.rule.spec.mode is Mode.AUTOMATED and rule.id not in pack.disabled and _chosen(rule.id, options):
            by_type[rule.record_type.name].append(rule)
    evaluations: dict[str, TypeEvaluation] = {}
    inputs: list[InputFile] = []
    rejected: list[RejectedRow] = []
    # the breakdowns leave waived records out as they are counted: apply_to cannot, later (evaluate/breakdown.py)
    waived = options.waivers.records() if options.waivers is not None else {}
    with ExitStack() as stack:
        stack.enter_context(one_per_run(held_by_default(engine)))  # one budget of failures for all files and types
        cluster = stack.enter_context(connect(options.cluster)) if options.cluster else None
        stack.callback(_close_all, evaluations)
        for label, spec, items, reader in streams:
            if spec.name not in evaluations:
                evaluations[spec.name] = TypeEvaluation(spec, by_type[spec.name], engine, options.as_of, options.by,
                                                         waived)
            evaluation = evaluations[spec.name]
            before, bad = evaluation.records, list[RejectedRow]()
            quality = reader.quality if reader else FileQuality()
            jobs = 1 if reader is None or cluster else options.jobs or auto_jobs(reader.source, engine,
                                                                                 counts_in_sql=evaluation.counts_in_sql())
            shard = None
            if reader is not None and cluster is not None:
                shard = cluster.evaluate(reader.source, by_type[spec.name], engine, options.as_of, options.by,
                                         waived)
            elif reader is not None and jobs > 1 and file_format(reader.source.path) in SPLIT_FORMATS:
                shard = _in_processes(reader.source, by_type[spec.name], engine, jobs, options, waived)
            if shard is not None:
                evaluation.absorb(shard.records, shard.tallies)
                bad, quality = shard.rejected, shard.quality
            elif reader is not None and engine is Engine.COLUMNAR and (whole := evaluate_csv_file(
                    reader.source, by_type[spec.name], options.as_of, options.by, options.progress)) is not None:
                evaluation.absorb(whole.records, whole.tallies)  # DuckDB read the file (load/duckdb_csv.py)
                quality = whole.quality
            else:
                evaluation.feed(valid_batches(items, bad), options.progress, hold=True)  # small files joined
            rejected.extend(bad)
            inputs.append(input_file(label, spec.name, evaluation.records - before, bad, quality, by_type[spec.name],
                                     _read_as(reader)))
        for evaluation in evaluations.values():
            evaluation.flush()
    if rejected and not options.skip_invalid:
        raise RecordError([_diagnostic(r) for r in rejected])
    # the rows audited are known now: a population entry smaller than them, or misspelling a file, is refused
    if problems := population_errors(options.populations, options.population_places, inputs):
        raise PackError(problems)
    return _assessment(pack, evaluations, inputs, rejected, options, engine)


def _in_processes(source: RecordSource, rules: list[CompiledRule], engine: Engine, jobs: int,
                  options: AssessOptions, waived: Waived) -> ShardResult | None:
    """A file evaluated by ``jobs`` processes; None where --jobs auto chose them and this system cannot
    start any: one process then reads the file, to the same report."""
    try:
        return evaluate_in_parallel(source, rules, engine, options.as_of, jobs, options.by, options.progress, waived)
    except NoProcesses as exc:
        if options.jobs is None:
            return None
        raise UsageError.single("no-processes", f"--jobs {jobs}: this system cannot start worker processes ({exc})",
                                Location(source.label), hint="leave --jobs at auto, or give --jobs 1") from exc


def _read_as(reader: RecordReader | None) -> list[str]:
    """What the report states of how a file was read: its mapping and the timezone of its times."""
    if reader is None:
        return []
    source = reader.source
    said = [f"mapping {source.mapping.name}"] if source.mapping else []
    if source.mapping and source.mapping.ignore_unknown_columns:
        said.append("unknown columns ignored (ignore_unknown_columns)")
    if any(f.type.value == "datetime" for f in source.record_type.fields.values()):
        said.append(f"times in {source.zone}")
    return said


def _close_all(evaluations: dict[str, TypeEvaluation]) -> None:
    for evaluation in evaluations.values():
        evaluation.close()


def _chosen(rule_id: str, options: AssessOptions) -> bool:
    return options.only_rules is None or rule_id in options.only_rules


def _diagnostic(row: RejectedRow) -> Diagnostic:
    what = f"{row.field}: " if row.field else ""
    shown = "" if row.value is None else f" (value {plain(row.value)!r})"
    return Diagnostic(row.code, f"{what}{row.message}{shown}", row.location)


def _assessment(pack: CompiledPack, evaluations: dict[str, TypeEvaluation], inputs: list[InputFile],
                rejected: list[RejectedRow], options: AssessOptions, engine: Engine) -> Assessment:
    tallies = {t.rule.id: t for e in evaluations.values() for t in e.tallies}
    if options.waivers is not None:  # waived records leave the figures before statuses are decided
        for tally in tallies.values():
            options.waivers.apply_to(tally)
            check_adds_up(tally)
    names = None if options.show_personal else Pseudonyms(options.pseudonym_salt)
    results = [rule_result(pack, rule, tallies.get(rule.id), rule.record_type.name in evaluations,
                           pack.disabled.get(rule.id), options.answers.get(rule.id), names, unassessable(rule, inputs))
               for rule in pack.rules if _chosen(rule.id, options)]
    results = refine(results, inputs, options.populations, options.verdict, options.waivers)
    findings = finding_results(pack, results)
    return Assessment(
        tool=f"peelcheck {__version__}", force=force_name(pack), packs=pack_refs(pack),
        personal_data=personal_data(pack, {i.record_type for i in inputs}, names), findings=findings,
        pack_id=pack.pack.id, pack_title=pack.pack.title,
        pack_version=pack.pack.version, as_of=options.as_of, engine=engine.value, inputs=inputs,
        rejected_rows=[RejectedRowResult(location=str(r.location), field=r.field, value=plain(r.value),
                                         message=r.message, code=r.code) for r in rejected],
        summary=summary(results, sum(e.records for e in evaluations.values()), rows_rejected(rejected),
                        options.verdict.value),
        areas=area_results(pack, results, findings),
        waived=pseudonymise_waivers(options.waivers.applied, pack, names) if options.waivers else [],
        unused_waivers=pseudonymise_waivers(options.waivers.unused(), pack, names) if options.waivers else [],
        rules=results,
        engine_notes=[note for e in evaluations.values() for note in e.notes()],
        warnings=[*(WarningResult.of(w, "pack") for w in pack.warnings),
                  *(WarningResult.of(w, "inputs")
                    for w in population_warnings(options.populations, options.population_places, inputs))])


__all__ = ["AssessOptions", "Engine", "assess", "assess_records", "choose_engine"]
