"""Options shared by several commands, as decorators."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])
DEFAULT_PACK = Path("rules")


def pack_option(func: F) -> F:
    return click.option("--pack", "pack_dir", type=click.Path(path_type=Path), default=DEFAULT_PACK,
                        show_default=True, help="The rule pack folder.")(func)


def as_of_option(func: F) -> F:
    return click.option("--as-of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
                        help="Assessment date (YYYY-MM-DD); default today.")(func)


def to_date(value: dt.datetime | None) -> dt.date:
    return value.date() if value is not None else dt.date.today()


def output_option(func: F) -> F:
    return click.option("--output", "-o", type=click.Path(path_type=Path), default=None,
                        help="Write the report to this file instead of stdout.")(func)


def profile_option(func: F) -> F:
    return click.option("--profile", type=click.Path(path_type=Path), default=None,
                        help="A force profile: its own thresholds, disabled rules and local standards.")(func)
