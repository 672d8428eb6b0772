"""``assess --memory-limit``: the most memory DuckDB (the columnar engine) may hold before it spills to disk."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

import click

from peelcheck.evaluate.columnar import DEFAULT_MEMORY_LIMIT, set_memory_limit

_SIZE = re.compile(r"[0-9]+(\.[0-9]+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)", re.IGNORECASE)
F = TypeVar("F", bound=Callable[..., Any])


def _apply(_context: click.Context, _parameter: click.Parameter, value: str | None) -> None:
    if value is None:
        return
    if not _SIZE.fullmatch(value.strip()):
        raise click.BadParameter(f"{value!r}: write a size such as 500MB or 2GB")
    set_memory_limit(value.strip())


def memory_limit_option(function: F) -> F:
    return click.option(
        "--memory-limit", default=None, metavar="SIZE", expose_value=False, callback=_apply,
        help=f"With --engine columnar: the most memory DuckDB may hold (default {DEFAULT_MEMORY_LIMIT}); past it, "
             "it spills to a temporary directory. Workers of --cluster local:N have the same.")(function)
