"""Exit codes of the ``peelcheck`` command, in one place (docs/exit-codes.md says the same for users)."""

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0  # no gaps (or none at a severity --fail-on asks about); validate: the pack is sound
    GAPS = 1  # assess: a rule not met at a --fail-on severity; validate: problems found in the pack
    ERROR = 2  # usage, rule-pack or input error: nothing was assessed
    INCOMPLETE = 3  # assess --skip-invalid rejected rows: the results are incomplete, never a pass
    INTERNAL = 4  # a fault inside peelcheck (a bug): one line on stderr, the traceback with --debug
