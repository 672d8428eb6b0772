"""``assess`` options about what a report shows: breakdowns (``--by``) and people (``--show-personal``)."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any, TypeVar

import click

from peelcheck.pipeline import AssessOptions

F = TypeVar("F", bound=Callable[..., Any])
SALT_VARIABLE = "PEELCHECK_PSEUDONYM_KEY"  # a secret kept out of files: the same key, the same pseudonyms


def report_options(func: F) -> F:
    func = click.option("--by", "by", multiple=True, metavar="FIELD",
                        help="Break every rule down by this field (enum, yes/no or text) where its record type "
                             "has it: compliance per value beside the total (repeatable).")(func)
    return click.option("--show-personal", is_flag=True,
                        help="Show the keys of records about people (workforce, suspects) in full. By default they "
                             f"are pseudonymised (person-...), keyed by ${SALT_VARIABLE} if set (the same "
                             "pseudonyms in every run), else by a key made for this run.")(func)


def apply_report_options(options: AssessOptions, by: tuple[str, ...], show_personal: bool) -> None:
    options.by = tuple(dict.fromkeys(by))
    options.show_personal = show_personal
    salt = os.environ.get(SALT_VARIABLE)
    options.pseudonym_salt = salt.encode("utf-8") if salt else None
