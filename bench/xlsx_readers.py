"""XLSX in: which reader peelcheck uses, by measurement (not a test; prints figures).

Writes one workbook of N out-of-court-disposal rows (dates as Excel dates, and an analyst's
working column the mapping ignores), then, each in a fresh process so peak RSS is its own:

  read:calamine       every row's cells through python-calamine
  read:openpyxl       every row's cells through openpyxl's read-only mode
  pandas:calamine     pandas.read_excel(engine="calamine") (if pandas is installed)
  pandas:openpyxl     pandas.read_excel(engine="openpyxl")
  assess:calamine     peelcheck assess (python engine) with the calamine reader
  assess:openpyxl     peelcheck assess (python engine) with the openpyxl reader

    .venv/bin/python bench/xlsx_readers.py [--rows 100000] [--keep DIR]

Prints wall seconds, CPU seconds (user + system: steadier than wall time on a shared machine) and
peak RSS (MB) per step, as a Markdown table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
HEADER = ["disposal_ref", "disposal_type", "crime_ref", "victim_identified", "given_at", "victim_views_sought_at",
          "victim_views_recorded_at", "victim_informed_after_at", "offender_meets_national_criteria",
          "days_from_views_to_disposal"]

STEPS = {
    "read:calamine": "from peelcheck.load.xlsx_reader import sheet_rows\n"
                     "n = sum(1 for _ in sheet_rows(PATH, None, 'calamine')[1])",
    "read:openpyxl": "from peelcheck.load.xlsx_reader import sheet_rows\n"
                     "n = sum(1 for _ in sheet_rows(PATH, None, 'openpyxl')[1])",
    "pandas:calamine": "import pandas\nn = len(pandas.read_excel(PATH, engine='calamine'))",
    "pandas:openpyxl": "import pandas\nn = len(pandas.read_excel(PATH, engine='openpyxl'))",
    "assess:calamine": "ASSESS('calamine')",
    "assess:openpyxl": "ASSESS('openpyxl')",
}
PRELUDE = """
import sys
from pathlib import Path
PATH = Path(sys.argv[1])
def ASSESS(reader):
    import datetime as dt
    import peelcheck.load.xlsx_reader as x
    x.READER = reader
    from peelcheck.compile.pack_check import load_compiled_pack
    from peelcheck.pipeline import AssessOptions, Engine, assess
    pack = load_compiled_pack(Path(sys.argv[2]))
    result = assess(pack, [PATH], AssessOptions(as_of=dt.date(2022, 4, 1), engine=Engine.PYTHON,
                                                mapping=str(PATH.with_suffix(".mapping.yaml")), skip_invalid=True))
    assert result.summary.records + result.summary.rows_rejected == int(sys.argv[3]), result.summary
"""


def write_workbook(path: Path, rows: int) -> None:
    """A workbook as Excel would save it: typed cells, dates as dates, and the analyst's own working column
    (a number: openpyxl cannot store a formula's value, which peelcheck would refuse as not calculated)."""
    from openpyxl import Workbook
    book = Workbook(write_only=True)
    sheet = book.create_sheet("out_of_court_disposal")
    sheet.append(HEADER)
    rng = random.Random(7)
    start = dt.datetime(2021, 1, 1, 9)
    for i in range(rows):
        given = start + dt.timedelta(minutes=rng.randrange(525_600))
        sought = given - dt.timedelta(hours=rng.randrange(-4, 72))
        sheet.append([f"OOCD-{i:07d}", rng.choice(["caution", "community_resolution", "conditional_caution"]),
                      f"22/{i:07d}/21", rng.random() < 0.9, given, sought, sought if rng.random() < 0.8 else None,
                      given + dt.timedelta(days=rng.randrange(1, 10)), rng.random() < 0.95,
                      (given - sought).total_seconds() / 86400])
    book.save(path)


def measure(step: str, path: Path, rows: int) -> tuple[float, float, float]:
    code = PRELUDE + STEPS[step]
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-c", code, str(path), str(REPO / "rules" / "west-mercia"), str(rows)])
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    if status != 0:
        return float("nan"), float("nan"), float("nan")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, default=None, help="Folder to keep the workbook in.")
    parser.add_argument("--only", default=",".join(STEPS), help="Comma-separated steps.")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="peelcheck-xlsx-"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "out_of_court_disposal.xlsx"
    path.with_suffix(".mapping.yaml").write_text(  # the analyst's working column: read past it
        "name: bench\nrecord_type: out_of_court_disposal\nignore: [days_from_views_to_disposal]\n", encoding="utf-8")
    if not path.exists():
        began = time.perf_counter()
        write_workbook(path, args.rows)
        print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - began:.1f} s",
              file=sys.stderr)
    print(f"| step ({args.rows:,} rows, {len(HEADER)} columns) | wall s | CPU s | peak RSS MB |\n|---|---|---|---|")
    for step in args.only.split(","):
        wall, cpu, rss = measure(step, path, args.rows)
        print(f"| {step} | {wall:.2f} | {cpu:.2f} | {rss:.0f} |", flush=True)


if __name__ == "__main__":
    main()
