"""Exit codes of the ``peelcheck`` command, in one place."""

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0  # no gaps (or none at a severity --fail-on asks about)
    GAPS = 1  # at least one rule not met at a --fail-on severity
    ERROR = 2  # usage, rule-pack or input error
