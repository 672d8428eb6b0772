"""``assess --answers FILE``: an auditor's answers to the pack's manual rules."""

from __future__ import annotations

from pathlib import Path

import click

from peelcheck.cli.options import regular_file
from peelcheck.compile.pack_check import CompiledPack
from peelcheck.load.answers import load_answers
from peelcheck.schema.answers import ManualAnswer

answers_option = click.option(
    "--answers", type=click.Path(path_type=Path), default=None, callback=regular_file,
    help="YAML file of answers to manual rules (rule, answer yes|partly|no, evidence, who, when): an answered "
         "manual rule is met on yes, not met on partly or no, and shows the answer.")


def answers_for(pack: CompiledPack, path: Path | None) -> dict[str, ManualAnswer]:
    if path is None:
        return {}
    return load_answers(path, {r.id: r.rule.spec.mode for r in pack.rules})
