"""Progress on long runs: record counts estimated from file sizes, and heard with --jobs too."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from rich.console import Console

from peelcheck.cli.progress import estimated_records, progress_bar
from peelcheck.compile.pack_check import CompiledPack
from peelcheck.pipeline import AssessOptions, Engine, assess

from .conftest import EXAMPLES

SOURCE = EXAMPLES / "west-mercia-2021" / "case_file.csv"


def _big_csv(folder: Path, copies: int) -> tuple[Path, int]:
    """The example's case files repeated under new keys: several chunks of 1,000 rows."""
    with SOURCE.open(newline="") as handle:
        rows = list(csv.reader(handle))
    path = folder / "case_file.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(rows[0])
        for copy in range(copies):
            writer.writerows([f"{row[0]}-{copy}", *row[1:]] for row in rows[1:])
    return path, copies * (len(rows) - 1)


def test_records_are_estimated_from_the_file_size(tmp_path: Path) -> None:
    path, records = _big_csv(tmp_path, 60)  # larger than the 1 MiB sample
    assert path.stat().st_size > 1 << 20
    assert abs(estimated_records([path]) - records) < records * 0.05
    (tmp_path / "small").mkdir()
    small, count = _big_csv(tmp_path / "small", 1)
    assert estimated_records([small]) == count  # read whole: exact
    assert estimated_records([EXAMPLES / "self-assessment" / "apstra.yaml"]) is None


def test_progress_is_heard_with_two_jobs(tmp_path: Path, peel_pack: CompiledPack) -> None:
    path, records = _big_csv(tmp_path, 30)
    heard: list[int] = []
    options = AssessOptions(engine=Engine.PYTHON, jobs=2, progress=heard.append)
    assessment = assess(peel_pack, [path], options)
    assert assessment.summary.records == records
    assert 0.5 * records <= sum(heard) <= 1.5 * records  # this process's shard, scaled by the jobs


def test_a_terminal_gets_a_bar_with_percentage_and_time_left(tmp_path: Path) -> None:
    path, records = _big_csv(tmp_path, 2)
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=120)
    with progress_bar([path], console) as advance:
        assert advance is not None
        advance(records // 2)
        console.file.flush()
    shown = out.getvalue()
    assert "%" in shown and "records" in shown
    with progress_bar([path], Console(file=io.StringIO())) as nothing:  # not a terminal: no bar
        assert nothing is None
