"""Turning pydantic validation errors into located diagnostics."""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import BaseModel, ValidationError

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


def known_keys(model: type[BaseModel]) -> list[str]:
    """Every key the model (and the models inside it) has: the candidates for 'did you mean'."""
    schema = model.model_json_schema()
    parts = [schema, *schema.get("$defs", {}).values()]
    return sorted({key for part in parts for key in part.get("properties", {})})


def _did_you_mean(key: Any, model: type[BaseModel] | None) -> str | None:
    if model is None or not isinstance(key, str):
        return None
    close = difflib.get_close_matches(key, known_keys(model), n=1, cutoff=0.75)
    return f"did you mean {close[0]!r}?" if close else None


def diagnostics_from(exc: ValidationError, document: Any, default: Location, prefix: tuple[Any, ...] = (),
                     model: type[BaseModel] | None = None) -> list[Diagnostic]:
    """One diagnostic per pydantic error, positioned on the offending key or value (with ``model``, an
    unknown key gets the closest known one as a hint)."""
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
        hint = _did_you_mean(loc[-1], model) if err["type"] == "extra_forbidden" and loc else None
        out.append(Diagnostic(_code(err["type"]), message, locate(document, prefix + loc, default, at_value),
                              hint=hint))
    return out
