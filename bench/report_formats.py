"""Time and peak RSS of writing each report format from one assessment (issue 12's memory target:
every format streamed, under 300 MB at 1,000,000 records with 320,000 failures).

    .venv/bin/python bench/report_formats.py [--rows 1000000] [--formats html,csv,xlsx,...] [--engine python]

Each format is a fresh ``peelcheck assess --pack bench/pack --type bench_case CASES.csv -o report.EXT``
process; wall time and peak RSS come from os.wait4. The CSV is peer-bench's seeded generator's
(``../shared/peer-bench/gen_cases.py``), written to $PEERBENCH_DATA (default ${TMPDIR:-/tmp}/peerbench-data).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PEER = Path(os.environ.get("PEERBENCH_DIR", REPO.parent / "shared" / "peer-bench"))
DATA = Path(os.environ.get("PEERBENCH_DATA", Path(tempfile.gettempdir()) / "peerbench-data"))
FORMATS = {"none": None, "json": "json", "md": "md", "html": "html", "csv": "csv", "xlsx": "xlsx", "junit": "xml",
           "sarif": "sarif", "text": "txt"}


def cases(rows: int) -> Path:
    path = DATA / f"cases-{rows}.csv"
    if not path.exists():
        DATA.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, str(PEER / "gen_cases.py"), "-n", str(rows), "-o", str(path)], check=True)
    return path


def measure(csv_path: Path, fmt: str, engine: str, out_dir: Path) -> tuple[float, float, float, int]:
    """(seconds, CPU seconds, peak RSS in MiB, report bytes) of one assess run writing one format."""
    extension = FORMATS[fmt]
    target = out_dir / f"report.{extension}" if extension else None
    command = [str(Path(sys.executable).parent / "peelcheck"), "assess", "--pack", str(REPO / "bench" / "pack"),
               "--type", "bench_case", str(csv_path), "--engine", engine, "--as-of", "2026-11-22",
               "--fail-on", "never"]
    command += ["-o", str(target)] if target else ["--format", "json", "-o", os.devnull]
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{fmt}: exit {os.waitstatus_to_exitcode(status)}: {process.stderr.read().decode()[-2000:]}"
                         if process.stderr else f"{fmt}: failed")
    size = target.stat().st_size if target else 0
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--formats", default="none,json,md,html,csv,xlsx,junit,sarif")
    parser.add_argument("--engine", default="python", choices=["python", "durable"])
    args = parser.parse_args()
    csv_path = cases(args.rows)
    print(f"{args.rows:,} rows, engine {args.engine} ('none': the assessment with its JSON sent to /dev/null)")
    print("| format | seconds | CPU seconds | peak RSS MiB | report MB |\n|---|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as out_dir:
        for fmt in args.formats.split(","):
            seconds, cpu, rss, size = measure(csv_path, fmt, args.engine, Path(out_dir))
            print(f"| {fmt} | {seconds:.1f} | {cpu:.1f} | {rss:.0f} | {size / 1e6:.1f} |", flush=True)


if __name__ == "__main__":
    main()
