"""Steps for the command-line contract: files in a scratch folder, ``peelcheck ...`` run for real.

The command runs in-process through click's CliRunner, in a fresh temporary folder per scenario,
so paths in the scenario are relative to that folder. Diagnostics are read in their documented
form, one per line: ``path:line:col: severity: message [code]``.
"""

from __future__ import annotations

import contextlib
import json
import re
import shlex
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

import pytest
from click.testing import CliRunner
from pytest_bdd import given, parsers, then, when

from peelcheck.bdd.phrases import RULE
from peelcheck.bdd.settings import Settings
from peelcheck.bdd.state import fail
from peelcheck.cli.main import cli
from peelcheck.exitcodes import ExitCode

DIAGNOSTIC = re.compile(r"^(?P<location>\S.*?): (?P<severity>error|warning): (?P<message>.*) \[(?P<code>[a-z0-9-]+)\]$")
EXIT_MEANINGS = {"no gaps": ExitCode.OK, "ok": ExitCode.OK, "gaps": ExitCode.GAPS, "gaps found": ExitCode.GAPS,
                 "problems found": ExitCode.GAPS,
                 "error": ExitCode.ERROR}
SHOWN_CHARS = 3000


@dataclass
class CommandState:
    """A scratch folder and the last command run in it."""

    workdir: Path
    settings: Settings
    node: pytest.Item | None = None
    command: str | None = None
    exit_code: int | None = None
    stdout: str = ""
    stderr: str = ""
    diagnostics: list[re.Match[str]] = field(default_factory=list)

    def fail(self, message: str) -> NoReturn:
        fail(self.node, message)

    def inside(self, path: str) -> Path:
        target = (self.workdir / path).resolve()
        if not target.is_relative_to(self.workdir.resolve()):
            self.fail(f"{path!r} is outside the scenario's scratch folder")
        return target

    def ran(self) -> None:
        if self.command is None:
            self.fail('no command has run yet: add a step such as  When I run "peelcheck validate rules"')

    def transcript(self) -> str:
        def cut(text: str) -> str:
            return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + "\n... (cut)"
        return (f"command: {self.command}\nexit code: {self.exit_code}\n--- standard output ---\n{cut(self.stdout)}"
                f"\n--- error output ---\n{cut(self.stderr)}")


def _copy(state: CommandState, source: Path, dest: str) -> None:
    target = state.inside(dest)
    if source.is_dir():
        shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
    elif source.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    else:
        state.fail(f"cannot copy {source}: no such file or folder")


@given(parsers.re(r'a copy of the pack in "(?P<dest>[^"]+)"'))
def _copy_pack(peelcheck_cli: CommandState, dest: str) -> None:
    """Given a copy of the pack in "rules" -- the configured pack, copied into the scratch folder."""
    _copy(peelcheck_cli, peelcheck_cli.settings.pack_dir, dest)


@given(parsers.re(r'a copy of "(?P<source>[^"]+)" in "(?P<dest>[^"]+)"'))
def _copy_path(peelcheck_cli: CommandState, source: str, dest: str) -> None:
    """Given a copy of "examples/self-assessment/case_file.csv" in "cases.csv" -- from the rootdir."""
    _copy(peelcheck_cli, peelcheck_cli.settings.resolve(source), dest)


@given(parsers.re(r'a file "(?P<path>[^"]+)" containing:'))
def _write_file(peelcheck_cli: CommandState, path: str, docstring: str) -> None:
    """Given a file "case_file.csv" containing: -- the text between the \"\"\" lines."""
    target = peelcheck_cli.inside(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(docstring + "\n", encoding="utf-8")


@given(parsers.re(r'the file "(?P<path>[^"]+)" with "(?P<old>[^"]*)" replaced by "(?P<new>[^"]*)"'))
def _edit_file(peelcheck_cli: CommandState, path: str, old: str, new: str) -> None:
    """Given the file "rules/investigating/INV-001.yaml" with "severity: high" replaced by "severity: hgh"."""
    target = peelcheck_cli.inside(path)
    text = target.read_text(encoding="utf-8") if target.is_file() else None
    if text is None or old not in text:
        peelcheck_cli.fail(f"cannot edit {path}: " + ("no such file" if text is None else f"it has no {old!r}"))
    target.write_text(text.replace(old, new, 1), encoding="utf-8")


@when(parsers.re(r'I run "(?P<command>[^"]+)"'))
def _run(peelcheck_cli: CommandState, command: str) -> None:
    """When I run "peelcheck assess --as-of 2022-04-01 case_file.csv" -- in the scratch folder."""
    args = shlex.split(command)
    if not args or args[0] != "peelcheck":
        peelcheck_cli.fail(f"only the peelcheck command can be run here, not {command!r}")
    with contextlib.chdir(peelcheck_cli.workdir):
        result = CliRunner().invoke(cli, args[1:], prog_name="peelcheck")
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        peelcheck_cli.fail(f"peelcheck crashed with {result.exception!r} (a crash is never an acceptable "
                           f"answer):\n{result.stderr}")
    state = peelcheck_cli
    state.command, state.exit_code, state.stdout, state.stderr = command, result.exit_code, result.stdout, result.stderr
    # validate writes its diagnostics on stdout (for CI), assess on stderr (stdout holds the report)
    lines = result.stderr.splitlines() + (result.stdout.splitlines() if args[1:2] == ["validate"] else [])
    state.diagnostics = [m for line in lines if (m := DIAGNOSTIC.match(line))]


@then(parsers.re(r"the exit code is (?P<code>\d+)(?: \((?P<meaning>[^)]+)\))?"))
def _exit_code(peelcheck_cli: CommandState, code: str, meaning: str | None) -> None:
    """Then the exit code is 1 (gaps) -- 0 (no gaps), 1 (gaps), 2 (error); the words are checked too."""
    state = peelcheck_cli
    state.ran()
    if meaning is not None and EXIT_MEANINGS.get(meaning.strip().lower()) != int(code):
        state.fail(f"exit code {code} does not mean {meaning!r}: 0 is no gaps, 1 is gaps, 2 is error")
    if state.exit_code != int(code):
        state.fail(f"expected exit code {code}, got {state.exit_code}\n{state.transcript()}")


def _at(location: str, wanted: str) -> bool:
    return location == wanted or location.endswith("/" + wanted)


@then(parsers.re(r'the command reports an error at "(?P<location>[^"]+)"(?: with code "(?P<code>[a-z0-9-]+)")?'))
def _error_at(peelcheck_cli: CommandState, location: str, code: str | None) -> None:
    """Then the command reports an error at "rules/x/INV-999.yaml:5:1" with code "invalid-value" (code optional)."""
    state = peelcheck_cli
    state.ran()
    found = [d for d in state.diagnostics if _at(d["location"], location) and code in (None, d["code"])]
    if not found:
        state.fail(f"expected an error at {location}" + (f" with code {code}" if code else "") +
                   f"\n{state.transcript()}")


@then(parsers.re(r"every error names its file, line and column"))
def _every_error_located(peelcheck_cli: CommandState) -> None:
    """Then every error names its file, line and column -- path:line:col at the start of each."""
    state = peelcheck_cli
    state.ran()
    bad = [d.group(0) for d in state.diagnostics if not re.fullmatch(r".+:\d+:\d+", d["location"])]
    if not state.diagnostics or bad:
        state.fail("expected errors, each at path:line:col; " + (f"these are not: {bad}" if bad else "there are none")
                   + f"\n{state.transcript()}")


@then(parsers.re(r"the command reports (?P<count>\d+) errors?"))
def _error_count(peelcheck_cli: CommandState, count: str) -> None:
    """Then the command reports 2 errors -- diagnostics on the error output."""
    state = peelcheck_cli
    state.ran()
    errors = [d for d in state.diagnostics if d["severity"] == "error"]
    if len(errors) != int(count):
        state.fail(f"expected {count} errors, found {len(errors)}\n{state.transcript()}")


@then(parsers.re(r'the (?P<stream>output|error output) contains "(?P<text>[^"]+)"'))
def _contains(peelcheck_cli: CommandState, stream: str, text: str) -> None:
    """Then the output contains "ok: 3 rules" -- or: the error output contains "..."."""
    state = peelcheck_cli
    state.ran()
    if text not in (state.stdout if stream == "output" else state.stderr):
        state.fail(f"expected the {stream} to contain {text!r}\n{state.transcript()}")


@then(parsers.re(rf"the JSON report shows {RULE} as (?P<status>met|not met|not assessed|manual|disabled)"))
def _json_status(peelcheck_cli: CommandState, rule: str | None, alias: str | None, status: str) -> None:
    """Then the JSON report shows rule PVP-001 as not met -- from  peelcheck assess --format json."""
    state = peelcheck_cli
    state.ran()
    if rule is None:
        state.fail("name the rule by its id here (rule PVP-001)")
    try:
        rules = {r["id"]: r for r in json.loads(state.stdout)["rules"]}
    except (ValueError, KeyError, TypeError):
        state.fail(f"the output is not a JSON report (use --format json)\n{state.transcript()}")
    found = rules.get(rule)
    if found is None or found["status"] != status.replace(" ", "_"):
        state.fail(f"expected {rule} as {status}; the report shows "
                   f"{found['status'] if found else 'no such rule'}\n{state.transcript()}")
