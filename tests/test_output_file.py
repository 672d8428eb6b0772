"""Reports never clobber an input, never land half-written, and a bad output path is refused before the run."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import peelcheck.cli.results as results
import peelcheck.report.json_report as json_report
import peelcheck.report.markdown as markdown
from peelcheck.cli.main import cli

from .conftest import EXAMPLES, PACK_DIR

EXAMPLE = EXAMPLES / "self-assessment"
FAST = ["--rule", "PVP-001", "--engine", "python", "--as-of", "2022-04-01"]


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def assess_to(output: Path | str, *files: Path | str, pack: Path = PACK_DIR, fmt: str = "md"):
    files = files or (EXAMPLE / "case_file.csv",)
    return run("assess", "--pack", str(pack), *map(str, files), *FAST, "--format", fmt, "--output", str(output))


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    shutil.copytree(EXAMPLE, folder)
    return folder


def test_output_onto_an_input_record_file_is_refused_and_the_file_kept(inputs: Path):
    record = inputs / "case_file.csv"
    before = record.read_bytes()
    (inputs / "x").mkdir()
    os.symlink(record, inputs / "link.csv")
    for target in (record, inputs / "x" / ".." / "case_file.csv", inputs / "link.csv"):
        result = assess_to(target, record)
        assert result.exit_code == 2, result.output
        assert "[output-is-input]" in result.stderr and "Traceback" not in result.output
        assert record.read_bytes() == before


def test_output_onto_a_pack_file_or_the_profile_is_refused(tmp_path: Path):
    shutil.copytree(PACK_DIR.parent, tmp_path / "packs")  # the overlay and the core it extends
    pack = tmp_path / "packs" / PACK_DIR.name
    rule = next((tmp_path / "packs").rglob("PVP-001*.yaml"))  # a rule of the core: protected too
    before = rule.read_bytes()
    result = assess_to(rule, pack=pack)
    assert result.exit_code == 2 and "[output-is-input]" in result.stderr
    assert rule.read_bytes() == before
    profile = tmp_path / "profile.yaml"
    profile.write_text("force: Test\n")
    result = run("assess", "--pack", str(pack), str(EXAMPLE / "case_file.csv"), *FAST, "--profile", str(profile),
                 "--output", str(profile))
    assert result.exit_code == 2 and "[output-is-input]" in result.stderr
    assert profile.read_text() == "force: Test\n"


def test_output_onto_the_mapping_file_is_refused_and_the_mapping_kept(tmp_path: Path):
    mapping = tmp_path / "m.yaml"
    mapping.write_text("name: m\nrecord_type: case_file\n")
    before = mapping.read_bytes()
    os.symlink(mapping, tmp_path / "link.yaml")
    for target in (mapping, tmp_path / "link.yaml"):
        result = run("assess", "--pack", str(PACK_DIR), str(EXAMPLE / "case_file.csv"), *FAST, "--mapping",
                     str(mapping), "--format", "md", "--output", str(target))
        assert result.exit_code == 2, result.output
        assert result.stderr.startswith(f"{target}: error:") and "[output-is-input]" in result.stderr
        assert mapping.read_bytes() == before


@pytest.mark.parametrize("case", ["missing-folder", "folder", "under-a-file"])
def test_a_bad_output_path_is_refused_before_the_run(tmp_path: Path, monkeypatch, case: str):
    called = []
    monkeypatch.setattr(results, "load_compiled_pack", lambda *a: called.append(a))  # the run must not start
    (tmp_path / "a-file").write_text("")
    target = {"missing-folder": tmp_path / "nope" / "gaps.md", "folder": tmp_path,
              "under-a-file": tmp_path / "a-file" / "gaps.md"}
    result = assess_to(target[case])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and not called
    assert result.stderr.startswith(str(target[case]))


def test_an_interrupt_mid_write_leaves_no_truncated_report(tmp_path: Path, monkeypatch):
    out = tmp_path / "gaps.md"
    out.write_text("the previous complete report\n")

    def half(assessment, handle, max_failures=None):
        handle.write("# Gap report: half of it\n")
        raise KeyboardInterrupt

    monkeypatch.setattr(markdown, "write_markdown", half)
    result = assess_to(out)
    assert result.exit_code == 130  # interrupted: not 1 ("gaps found")
    assert out.read_text() == "the previous complete report\n"
    assert _leftovers(tmp_path) == []


SIGTERM_MID_WRITE = """
import os, signal, sys
import peelcheck.cli.main as main
import peelcheck.report.markdown as markdown
def half(assessment, handle, max_failures=None):
    handle.write("# Gap report: half of it\\n")
    handle.flush()
    os.kill(os.getpid(), signal.SIGTERM)
    handle.write("the rest\\n")
markdown.write_markdown = half
main.cli(sys.argv[1:])
"""


def test_sigterm_mid_write_leaves_no_report_and_no_temporary_file(tmp_path: Path):
    out = tmp_path / "gaps.md"
    args = ["assess", "--pack", str(PACK_DIR), str(EXAMPLE / "case_file.csv"), *FAST, "--format", "md",
            "--output", str(out)]
    done = subprocess.run([sys.executable, "-c", SIGTERM_MID_WRITE, *args], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode in (128 + signal.SIGTERM, -signal.SIGTERM), done.stderr
    assert not out.exists() and _leftovers(tmp_path) == []


def test_two_runs_writing_one_output_never_interleave(tmp_path: Path, monkeypatch):
    """A second, longer report is written while the first run is mid-write: the file ends as one whole report."""
    out = tmp_path / "gaps.json"
    real = json_report.write_json
    nested = []

    def first(assessment, handle):
        if not nested:
            nested.append(True)
            second = run("assess", "--pack", str(PACK_DIR), *map(str, sorted(EXAMPLE.iterdir())), "--engine",
                         "python", "--format", "json", "--output", str(out))
            assert second.exit_code == 1, second.output
        real(assessment, handle)

    monkeypatch.setattr(json_report, "write_json", first)
    assert assess_to(out, fmt="json").exit_code == 1
    text = out.read_text()
    assert "\x00" not in text and [r["id"] for r in json.loads(text)["rules"]] == ["PVP-001"]
    assert _leftovers(tmp_path) == []


def test_a_report_replaces_an_old_one_keeping_its_permissions(tmp_path: Path):
    out = tmp_path / "gaps.md"
    out.write_text("old\n")
    out.chmod(0o640)
    assert assess_to(out).exit_code == 1
    assert out.read_text().startswith("# ") and (out.stat().st_mode & 0o777) == 0o640


def test_coverage_output_onto_a_pack_file_is_refused(tmp_path: Path):
    pack = tmp_path / "pack"
    shutil.copytree(PACK_DIR, pack)
    target = pack / "pack.yaml"
    before = target.read_bytes()
    result = run("coverage", "--pack", str(pack), "--output", str(target))
    assert result.exit_code == 2 and "[output-is-input]" in result.stderr
    assert target.read_bytes() == before
