"""The pre-commit hooks file names commands that exist and pass on the repository's own pack."""

from __future__ import annotations

import shlex

import yaml
from click.testing import CliRunner

from peelcheck.cli.main import cli

from .conftest import PACK_DIR, REPO


def test_every_hook_runs_a_peelcheck_command_that_passes_on_the_pack() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert {h["id"] for h in hooks} == {"peelcheck-validate", "peelcheck-validate-examples"}
    for hook in hooks:
        program, *args = shlex.split(hook["entry"])
        assert program == "peelcheck" and hook["pass_filenames"] is False
        result = CliRunner().invoke(cli, [*args, str(PACK_DIR)])
        assert result.exit_code == 0, result.output
