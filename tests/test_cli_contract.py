"""Options and inputs the command line must never silently ignore or drop: each a located error
with a stable code and a documented exit code."""

from __future__ import annotations

from click.testing import CliRunner

from peelcheck.cli.main import cli

from .conftest import EXAMPLES, PACK_DIR

EXAMPLE = sorted(str(p) for p in (EXAMPLES / "self-assessment").iterdir())


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


def assess(*args: str):
    return invoke("assess", "--pack", str(PACK_DIR), *EXAMPLE, "--as-of", "2022-04-01", *args)


def test_a_negative_max_failures_is_a_usage_error():
    assert assess("--max-failures", "-1").exit_code == 2
    assert assess("--max-failures", "0", "--rule", "PVP-001").exit_code == 1
