"""An internal fault is exit 4 with one line naming it: never exit 1 ("gaps found"), no traceback unless --debug."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import peelcheck.compile.pack_check as pack_check
import peelcheck.report.json_report as json_report
from peelcheck.cli.main import cli
from peelcheck.exitcodes import ExitCode

from .conftest import EXAMPLES, PACK_DIR

ARGS = ["assess", "--quiet", "--pack", str(PACK_DIR), str(EXAMPLES / "self-assessment" / "case_file.csv"), "--rule",
        "PVP-001", "--engine", "python", "--format", "json"]


def _broken_writer(assessment, out):
    raise RuntimeError("disk on fire")


def test_a_fault_in_a_report_writer_is_exit_4_with_one_line_and_no_traceback(monkeypatch):
    monkeypatch.setattr(json_report, "write_json", _broken_writer)
    result = CliRunner().invoke(cli, ARGS)
    assert result.exit_code == ExitCode.INTERNAL
    lines = [line for line in result.stderr.strip().splitlines() if "internal error" in line]
    assert len(lines) == 1 and "Traceback" not in result.output
    assert "RuntimeError" in lines[0] and "disk on fire" in lines[0] and "cli.outputs" in lines[0]


def test_debug_shows_the_traceback(monkeypatch):
    monkeypatch.setattr(json_report, "write_json", _broken_writer)
    result = CliRunner().invoke(cli, ["--debug", *ARGS])
    assert result.exit_code == ExitCode.INTERNAL
    assert "Traceback (most recent call last)" in result.stderr and "disk on fire" in result.stderr


def test_a_fault_while_loading_the_pack_is_exit_4_in_validate_too(monkeypatch):
    def broken(*args):
        raise KeyError("surprise")
    monkeypatch.setattr(pack_check, "load_with_profile", broken)
    result = CliRunner().invoke(cli, ["validate", str(PACK_DIR)])
    assert result.exit_code == ExitCode.INTERNAL and "Traceback" not in result.output


def test_exit_codes_are_documented():
    text = (Path(__file__).resolve().parent.parent / "docs" / "exit-codes.md").read_text()
    for code in ExitCode:
        assert f"| {code.value} |" in text, code


def test_a_full_disk_is_exit_2_with_the_system_message_and_a_closed_pipe_141(monkeypatch):
    def full(assessment, out):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(json_report, "write_json", full)
    result = CliRunner().invoke(cli, ARGS)
    assert result.exit_code == ExitCode.ERROR and "No space left on device" in result.stderr
    assert "Traceback" not in result.output

    def closed(assessment, out):
        raise BrokenPipeError(32, "Broken pipe")
    monkeypatch.setattr(json_report, "write_json", closed)
    result = CliRunner().invoke(cli, ARGS)
    assert result.exit_code == 141 and result.stderr == ""


@pytest.mark.parametrize("form", ["text", "json", "md"])
def test_a_reader_that_stops_early_is_exit_141_whatever_the_format(form):
    """A real pipe closed after one line (``| head -1``): rich's console used to end the run itself, exit 1."""
    command = [sys.executable, "-m", "peelcheck", "assess", "--pack", str(PACK_DIR),
               *sorted(str(p) for p in (EXAMPLES / "self-assessment").iterdir()), "--as-of", "2022-04-01",
               "--format", form, "--max-failures", "100000"]
    run = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert run.stdout is not None and run.stderr is not None
    run.stdout.readline()
    run.stdout.close()  # the reader goes away; the report is far longer than the pipe's buffer
    stderr = run.stderr.read()
    assert run.wait(timeout=120) == 141 and b"Traceback" not in stderr
