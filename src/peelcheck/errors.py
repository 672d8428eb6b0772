"""One exception base for every stage, each error with a stable code, a location and a hint.

Findings about a force's records are data (see ``assess``), never exceptions: these errors are
for input that cannot be trusted (a broken pack, an unreadable file, a bad row) and for engine
faults.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TypeVar

E = TypeVar("E", bound="PeelcheckError")


@dataclass(frozen=True)
class Location:
    """Where a problem is: a file and, when known, a 1-based line and column."""

    path: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        parts = [self.path]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)


@dataclass(frozen=True)
class Diagnostic:
    """One problem found in a pack or a record file."""

    code: str
    message: str
    location: Location
    severity: str = "error"
    hint: str | None = None

    def __str__(self) -> str:
        text = f"{self.location}: {self.severity}: {self.message} [{self.code}]"
        return f"{text}\n  hint: {self.hint}" if self.hint else text

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.location.path,
            "line": self.location.line,
            "column": self.location.column,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            "hint": self.hint,
        }


@dataclass
class PeelcheckError(Exception):
    """Base of every error peelcheck raises on purpose; carries one or more diagnostics."""

    diagnostics: list[Diagnostic] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(str(d) for d in self.diagnostics)

    @classmethod
    def single(cls: type[E], code: str, message: str, location: Location, hint: str | None = None) -> E:
        return cls([Diagnostic(code, message, location, hint=hint)])


class PackError(PeelcheckError):
    """A rule pack (or profile) that cannot be loaded or is inconsistent."""


class RecordError(PeelcheckError):
    """A record file that cannot be read, or a row that fails validation."""


class UsageError(PeelcheckError):
    """A command used wrongly: unknown record type, missing files, bad option values."""


class EngineError(PeelcheckError):
    """The rules engine misbehaved (lost a fact, gave two outcomes, disagreed with the oracle)."""


def one_line(error: BaseException) -> str:
    """An exception's text on one line: a library's may hold line breaks, and a diagnostic is one line."""
    return " ".join(str(error).split())


def path_text(path: str | os.PathLike[str]) -> str:
    """A file's path as text any report can hold. On Linux a name's bytes that are not UTF-8 (a Latin-1 ``café``
    copied from a Windows share or a zip) come into Python as lone surrogates, which no UTF-8 writer can write:
    every report of a run reading such a file ended in exit 4. They are shown as escapes (``caf\\xe9``), as
    control characters are; the file itself is still opened by its own name."""
    text = os.fspath(path)
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        pass
    try:  # the name's own bytes, each not UTF-8 shown as \\xNN
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a surrogate no file name's byte makes (a name given as text): as \\udNNN
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
