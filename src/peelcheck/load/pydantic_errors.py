"""Turning pydantic validation errors into located diagnostics."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from peelcheck.errors import Diagnostic, Location
from peelcheck.load.yaml_positions import locate

_CODES = {
    "extra_forbidden": "unknown-key",
    "missing": "missing-key",
}


def _code(error_type: str) -> str:
    if error_type in _CODES:
        return _CODES[error_type]
    if error_type.endswith("_type") or error_type.endswith("_parsing"):
        return "wrong-type"
    return "invalid-value"


def diagnostics_from(exc: ValidationError, document: Any, default: Location, prefix: tuple[Any, ...] = ()) -> list[
        Diagnostic]:
    """One diagnostic per pydantic error, positioned on the offending key or value."""
    out = []
    for err in exc.errors(include_url=False):
        loc = tuple(part for part in err["loc"] if not (isinstance(part, str) and "[" in part))
        where = ".".join(str(p) for p in prefix + loc)
        message = err["msg"]
        if err["type"] == "extra_forbidden":
            message = f"unknown key {loc[-1]!r}" if loc else message
        elif err["type"] == "missing":
            message = f"missing required key {loc[-1]!r}" if loc else message
        elif where:
            message = f"{where}: {message}"
        at_value = err["type"] not in ("extra_forbidden", "missing")
        out.append(Diagnostic(_code(err["type"]), message, locate(document, prefix + loc, default, at_value)))
    return out
