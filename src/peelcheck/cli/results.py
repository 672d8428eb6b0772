"""``assess``'s run: options for statistics, waivers and baselines, and the reports it writes."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import click
import yaml

from peelcheck.assess.baseline import compare
from peelcheck.assess.model import Assessment
from peelcheck.assess.sampling import Verdict
from peelcheck.assess.waivers import load_waivers
from peelcheck.cli.answers import answers_for
from peelcheck.cli.data_in import assess_exit_code
from peelcheck.cli.faults import echo_lines, report_errors, warn
from peelcheck.cli.options import regular_file
from peelcheck.cli.outputs import check_outputs, write_reports
from peelcheck.cli.packs import pack_folder
from peelcheck.cli.progress import progress_bar
from peelcheck.cli.protected import pack_files
from peelcheck.cli.report_options import apply_report_options
from peelcheck.compile.pack_check import CompiledPack, load_compiled_pack
from peelcheck.errors import Diagnostic, Location, PeelcheckError
from peelcheck.load.profile_loader import population_places
from peelcheck.pipeline import AssessOptions, Engine, assess
from peelcheck.report.common import counted
from peelcheck.report.data_quality import sheets_not_read
from peelcheck.report.output_file import check_output, files_under
from peelcheck.schema.profile import Profile

F = TypeVar("F", bound=Callable[..., Any])


def results_options(func: F) -> F:
    func = click.option("--quiet", "-q", is_flag=True,
                        help="No progress bar and no notes or warnings on stderr (errors still show).")(func)
    func = click.option("--baseline", type=click.Path(path_type=Path, dir_okay=False), default=None,
                        callback=regular_file,
                        help="An earlier assessment's JSON report: mark each rule and finding new, resolved, "
                             "persisting, improved or worsened.")(func)
    func = click.option("--waivers", type=click.Path(path_type=Path, dir_okay=False), default=None,
                        callback=regular_file,
                        help="A waivers file: approved exceptions to a rule or to one record of a rule.")(func)
    return click.option("--verdict", type=click.Choice([v.value for v in Verdict]), default="point",
                        show_default=True,
                        help="What decides met / not met (and so the exit code): the rate itself, or its 95% "
                             "interval (a rule whose interval straddles its threshold is then inconclusive).")(func)


@dataclass
class AssessRequest:
    pack_dir: str | None  # --pack: a folder or an installed pack's name (None: the profile's, else the core)
    profile: Path | None
    files: list[Path]
    fmt: str | None
    outputs: tuple[Path, ...]
    as_of: dt.date
    engine: str
    record_type: str | None
    mapping: str | None
    rule_ids: tuple[str, ...]
    jobs: int | None  # None: auto
    skip_invalid: bool
    fail_on: str
    max_failures: int | None
    verdict: str
    waivers: Path | None
    baseline: Path | None
    quiet: bool = False
    answers: Path | None = None  # --answers: auditors' answers to manual rules
    cluster: str | None = None  # --cluster: a Dask scheduler's address, or local:N
    by: tuple[str, ...] = ()  # --by: break rules down by these fields
    show_personal: bool = False  # --show-personal: person-level keys in full
    sheet: str | None = None  # --sheet: the workbook sheet to read


def populations(profile: Path | None) -> dict[str, int]:
    """The profile's ``population`` (the profile has been checked by the pack loader already)."""
    if profile is None:
        return {}
    return Profile.model_validate(yaml.safe_load(profile.read_text(encoding="utf-8"))).population


def _options(request: AssessRequest, pack: CompiledPack) -> AssessOptions:
    waivers = load_waivers(request.waivers, request.as_of, {r.id for r in pack.rules}) if request.waivers else None
    options = AssessOptions(as_of=request.as_of, engine=Engine(request.engine), record_type=request.record_type,
                            mapping=request.mapping, sheet=request.sheet, skip_invalid=request.skip_invalid,
                            only_rules=frozenset(request.rule_ids) if request.rule_ids else None, jobs=request.jobs,
                            cluster=request.cluster, verdict=Verdict(request.verdict),
                            populations=populations(request.profile), waivers=waivers,
                            population_places=population_places(request.profile) if request.profile else {},
                            answers=answers_for(pack, request.answers))
    apply_report_options(options, request.by, request.show_personal)
    return options


def _reads(request: AssessRequest) -> list[Path]:
    """The files the run reads besides the pack: no report may be written over one of them."""
    given = [request.profile, request.answers, request.waivers, request.baseline]
    # --mapping is a file when one is there (as choose_mapping reads it); a mapping named in the pack or
    # profile is in a file protected already
    mapping = Path(request.mapping) if request.mapping is not None and Path(request.mapping).is_file() else None
    return [*(f for f in request.files if str(f) != "-"), *(f for f in [*given, mapping] if f is not None)]


def _assessment(request: AssessRequest) -> Assessment:
    folder = pack_folder(request.pack_dir, request.profile, request.quiet)
    for output in request.outputs:  # refused before the run, not after it
        check_output(output, [*_reads(request), *files_under(folder)])
    check_outputs(request.fmt, request.outputs)  # every format known, before a long run
    pack = load_compiled_pack(folder, request.profile)
    warn(pack.warnings, request.quiet)
    for output in request.outputs:  # and the packs it extends
        check_output(output, [*_reads(request), *pack_files(pack, folder)])
    options = _options(request, pack)
    with progress_bar([] if request.quiet else request.files, quiet=request.quiet) as options.progress:
        assessment = assess(pack, request.files, options)
    if not request.quiet:  # the pack's were said before the run: the inputs' now (a population entry matching nothing)
        for warning in assessment.warnings:
            if warning.about == "inputs":
                echo_lines(str(warning.diagnostic()), err=True)
    if request.baseline is not None:
        assessment = compare(assessment, request.baseline)
    return assessment


def run_assess(request: AssessRequest) -> None:
    try:
        assessment = _assessment(request)
        if not request.quiet:
            _notes(assessment, request.engine)
        write_reports(assessment, request.fmt, request.outputs, request.max_failures, request.fail_on)
    except PeelcheckError as error:
        report_errors(error)
        return
    sys.exit(assess_exit_code(assessment, request.fail_on))


def _notes(assessment: Assessment, engine: str) -> None:
    """What the person running it should know, on stderr."""
    if assessment.engine != engine:
        click.echo(f"note: durable-rules cannot be imported on Python {sys.version_info.major}."
                   f"{sys.version_info.minor}; the {assessment.engine} engine was used", err=True)
    for unused in assessment.unused_waivers:
        scope = f" for {unused.record}" if unused.record else ""
        echo_lines(str(Diagnostic("unused-waiver", f"the waiver of {unused.rule}{scope} matched nothing",
                                  Location(unused.location), severity="warning")), err=True)
    for source in assessment.inputs:
        if source.sheets_not_read:
            echo_lines(str(Diagnostic("sheets-not-read", f"sheets not read: {sheets_not_read(source)}",
                                      Location(source.path), severity="warning",
                                      hint="assess each with --sheet NAME")), err=True)
    for note in assessment.engine_notes:
        echo_lines(f"note: {note}", err=True)
    small = [r.id for r in assessment.rules if r.interval is not None and r.interval.small_sample]
    if small:
        click.echo(f"small samples: {counted(len(small), 'rule')} rest{'s' if len(small) == 1 else ''} on fewer "
                   "than 30 records (wide intervals): "
                   f"{', '.join(small[:10])}{' ...' if len(small) > 10 else ''}", err=True)
