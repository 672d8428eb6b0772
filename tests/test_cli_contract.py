"""Options and inputs the command line must never silently ignore or drop: each a located error
with a stable code and a documented exit code."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from peelcheck.cli.main import cli

from .conftest import EXAMPLES, PACK_DIR

CLEAN = Path(__file__).parent / "data" / "exports" / "clean.out_of_court_disposal.csv"
EXAMPLE = sorted(str(p) for p in (EXAMPLES / "self-assessment").iterdir())


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


def assess(*args: str):
    return invoke("assess", "--pack", str(PACK_DIR), *EXAMPLE, "--as-of", "2022-04-01", *args)


def test_a_negative_max_failures_is_a_usage_error():
    assert assess("--max-failures", "-1").exit_code == 2
    assert assess("--max-failures", "0", "--rule", "PVP-001").exit_code == 1


def run_json(path: Path, *args: str):
    return invoke("assess", "--pack", str(PACK_DIR), "--as-of", "2022-04-01", "--format", "json",
                  "--rule", "INV-001", str(path), *args)


def codes(result) -> set[str]:
    return set(re.findall(r"\[([a-z][a-z0-9-]*)\]", result.stderr))


def test_type_contradicting_the_mapping_is_a_usage_error():
    result = run_json(CLEAN, "--type", "case_file", "--mapping", "police_uk_stop_search")
    assert result.exit_code == 2 and "conflicting-record-type" in codes(result)


def test_sheet_on_a_csv_file_is_a_usage_error():
    result = run_json(CLEAN, "--sheet", "Q1")
    assert result.exit_code == 2 and "sheet-without-workbook" in codes(result)


def test_a_record_type_key_contradicting_the_file_name_is_an_input_error(tmp_path: Path):
    path = tmp_path / "x.case_file.json"
    path.write_text('{"record_type": "out_of_court_disposal", "records": []}')
    result = run_json(path)
    assert result.exit_code == 2 and "conflicting-record-type" in codes(result)
    assert f"{path}" in result.stderr
    agreed = tmp_path / "x.out_of_court_disposal.json"
    agreed.write_text('{"record_type": "out_of_court_disposal", "records": []}')
    assert "conflicting-record-type" not in codes(run_json(agreed))


def test_a_record_type_key_contradicting_type_is_an_input_error(tmp_path: Path):
    path = tmp_path / "x.json"
    path.write_text('{"record_type": "out_of_court_disposal", "records": []}')
    result = run_json(path, "--type", "case_file")
    assert result.exit_code == 2 and "conflicting-record-type" in codes(result)


def test_a_record_spanning_lines_is_located_at_its_first_line_by_every_engine_and_jobs(tmp_path: Path):
    path = tmp_path / "q3.out_of_court_disposal.csv"
    lines = ["disposal_ref,disposal_type,crime_ref"]
    bad = []
    for i in range(4000):  # big enough to be cut into ranges with --jobs
        if i % 1000 == 7:
            bad.append(sum(record.count("\n") + 1 for record in lines) + 1)  # the line it starts on
            lines.append(f'D{i},bogus,"CR\n{i}\nspans lines"')
        else:
            lines.append(f"D{i},caution,CR{i}")
    path.write_text("\n".join(lines) + "\n")
    for engine in ("durable", "python", "columnar"):
        for jobs in ("1", "2"):
            result = run_json(path, "--engine", engine, "--jobs", jobs, "--skip-invalid")
            assert result.exit_code in (1, 3), result.output
            rejected = json.loads(result.stdout)["rejected_rows"]
            assert [int(r["location"].rsplit(":", 1)[1]) for r in rejected] == bad, (engine, jobs)


@pytest.mark.parametrize("given", ["--profile", "--answers", "--waivers", "--baseline", "record", "--mapping"])
def test_a_fifo_given_as_a_file_is_refused_by_name_never_waited_on(tmp_path: Path, given: str):
    fifo = tmp_path / "given.case_file.csv"
    os.mkfifo(fifo)  # opened, it would wait for a writer; read twice, for ever
    args = [str(fifo), "--type", "case_file"] if given == "record" else [EXAMPLE[1], given, str(fifo)]
    result = invoke("assess", "--pack", str(PACK_DIR), "--as-of", "2022-04-01", *args)
    assert result.exit_code == 2 and "not-a-regular-file" in codes(result) and str(fifo) in result.stderr


def test_validate_refuses_a_fifo_profile(tmp_path: Path):
    fifo = tmp_path / "profile.yaml"
    os.mkfifo(fifo)
    result = invoke("validate", str(PACK_DIR), "--profile", str(fifo))
    assert result.exit_code == 2 and "not-a-regular-file" in codes(result)
