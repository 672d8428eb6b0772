"""Options and inputs the command line must never silently ignore or drop: each a located error
with a stable code and a documented exit code."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from peelcheck.cli.main import cli

from .conftest import PACK_DIR
from .test_cli import EXAMPLE, assess, invoke  # the self-assessment example, assessed against the pack

CLEAN = Path(__file__).parent / "data" / "exports" / "clean.out_of_court_disposal.csv"


def test_a_negative_max_failures_is_a_usage_error():
    assert assess("--max-failures", "-1").exit_code == 2
    assert assess("--max-failures", "0", "--rule", "PVP-001").exit_code == 1


def test_the_max_failures_help_says_what_it_caps_and_the_defaults():
    from peelcheck.report.common import FAILURES_SHOWN
    from peelcheck.report.data_quality import REJECTED_SHOWN
    from peelcheck.report.html import DEFAULT_LIMIT
    text = " ".join(invoke("assess", "--help").output.split())
    option = text[text.index("--max-failures"):].split(" --", 1)[0]
    assert "Failing records" in option and "rejected rows per file" in option
    assert FAILURES_SHOWN == REJECTED_SHOWN == DEFAULT_LIMIT  # one default for md and html, both lists
    assert f"text 10, md {FAILURES_SHOWN}, html {DEFAULT_LIMIT}" in option


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


def test_quiet_silences_the_no_pack_note():
    result = invoke("assess", EXAMPLE[1], "--as-of", "2022-04-01", "--rule", "INV-001", "-q", "--format", "json")
    assert result.exit_code in (0, 1) and result.stderr == ""


def test_validates_no_pack_note_names_its_argument_not_an_option_it_lacks(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no pack here: the installed core
    result = invoke("validate")
    assert result.exit_code == 0 and "installed peel-core" in result.stderr
    assert "--pack" not in result.stderr and "peelcheck validate PACK" in result.stderr


def _commands(group: click.Group, path: tuple[str, ...] = ()) -> list[tuple[str, click.Command]]:
    found = []
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            found += _commands(command, (*path, name))
        else:
            found.append((" ".join((*path, name)), command))
    return found


def test_a_commands_help_names_only_options_it_has():
    # `mapping check`, `dictionary` and `rules docs` said their --pack defaulted to "the pack the --profile
    # names" and took no --profile; an option in backquotes is another command's (`peelcheck packs list`)
    wrong = []
    for name, command in _commands(cli):
        options = {o for p in command.params for o in (*p.opts, *p.secondary_opts)}
        for text in (command.help or "", *(getattr(p, "help", None) or "" for p in command.params)):
            wrong += [(name, o) for o in re.findall(r"(?<![\w`-])--[a-z][a-z-]*", text) if o not in options]
    assert wrong == []


def test_validate_of_an_unknown_pack_is_misuse_on_stderr():
    result = invoke("validate", "no-such-pack")
    assert result.exit_code == 2 and result.stdout == "" and "no-pack" in codes(result)


def test_a_profile_for_a_pack_not_installed_says_so(tmp_path: Path):
    profile = tmp_path / "profile.yaml"
    profile.write_text("id: test-force\ntitle: Test\npack: no-such-pack\n")
    result = invoke("validate", "--profile", str(profile))
    assert result.exit_code == 1 and "[unknown-pack]" in result.stdout and "[wrong-pack]" not in result.stdout
    assert f"{profile}:3:" in result.stdout


def test_rules_show_of_an_unknown_rule_names_the_pack():
    result = invoke("rules", "show", "NOPE-1")  # the installed core: no --pack to name
    assert result.exit_code == 2 and "unknown-rule" in codes(result) and "None" not in result.stderr


@pytest.mark.parametrize("command", [["template", "case_file", "-o"], ["dictionary"], ["rules", "docs"]])
def test_an_output_folder_that_is_a_file_is_a_coded_usage_error(tmp_path: Path, command: list[str]):
    existing = tmp_path / "exists.txt"
    existing.write_text("mine\n")
    result = invoke(*command, str(existing), "--pack", str(PACK_DIR))
    assert result.exit_code == 2 and "not-a-folder" in codes(result) and existing.read_text() == "mine\n"


def test_an_output_that_cannot_be_written_is_a_coded_error(tmp_path: Path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    if os.access(locked, os.W_OK):  # root writes anywhere: a folder under /proc cannot be written by anyone
        locked = Path("/proc")
    result = assess("--rule", "INV-001", "-o", str(locked / "x.json"))
    assert result.exit_code == 2 and "io-error" in codes(result) and f"{locked / 'x.json'}:" in result.stderr


def _parquet(path: Path, names: tuple[str, str] = ("Disposal Ref", "Disposal Type")) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq
    pq.write_table(pa.table({names[0]: ["D1", "D2"], names[1]: ["caution", "caution"]}), path)
    return path


def test_mapping_suggest_reads_a_parquet_files_column_names(tmp_path: Path):
    import yaml
    path = _parquet(tmp_path / "export.parquet")
    result = invoke("mapping", "suggest", "--pack", str(PACK_DIR), "--type", "out_of_court_disposal", str(path))
    assert result.exit_code == 0
    draft = yaml.safe_load(result.stdout)
    assert draft["columns"] == {"Disposal Ref": "disposal_ref", "Disposal Type": "disposal_type"}
    assert draft["ignore"] == []
    refused = invoke("mapping", "suggest", "--pack", str(PACK_DIR), "--type", "out_of_court_disposal", str(path),
                     "--sheet", "Q1")
    assert refused.exit_code == 2 and "sheet-without-workbook" in codes(refused)


def test_parquet_on_standard_input_is_read_as_parquet(tmp_path: Path):
    path = _parquet(tmp_path / "export.parquet", ("disposal_ref", "disposal_type"))
    result = CliRunner().invoke(cli, ["assess", "--pack", str(PACK_DIR), "--as-of", "2022-04-01", "--format", "json",
                                      "--rule", "INV-001", "-", "--type", "out_of_court_disposal"],
                                input=path.read_bytes())
    assert result.exit_code in (0, 1), result.output
    assert json.loads(result.stdout)["summary"]["records"] == 2

