"""Turning pydantic validation errors into located diagnostics."""

from __future__ import annotations

import difflib
import functools
from typing import Any

from pydantic import BaseModel, ValidationError

from peelcheck.errors import Diagnostic, Location
from peelcheck.positions import locate

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


Place = tuple[str, ...]  # the keys down to a mapping: () the top, ("source",), ("framework", "[]"), ("thresholds", "*")


def known_keys(model: type[BaseModel]) -> list[str]:
    """Every key the model (and the models inside it) has: the candidates for 'did you mean'."""
    return sorted(key_places(model))


@functools.cache
def key_places(model: type[BaseModel]) -> dict[str, list[Place]]:
    """Every key the model (and the models inside it) takes -> the places of the mappings that take it
    (a list's items are ``[]`` in a place, a dict's values ``*``)."""
    schema = _schema(model)
    defs: dict[str, Any] = schema.get("$defs", {})
    places: dict[str, list[Place]] = {}

    def walk(node: dict[str, Any], place: Place, refs: frozenset[str]) -> None:
        for branch, inner in _branches(node, defs, refs):
            for key, sub in branch.get("properties", {}).items():
                if place not in places.setdefault(key, []):
                    places[key].append(place)
                walk(sub, (*place, key), inner)
            for sub, step in _inside(branch):
                walk(sub, (*place, step), inner)
    walk(schema, (), frozenset())
    return places


def _branches(node: dict[str, Any], defs: dict[str, Any],
              refs: frozenset[str]) -> list[tuple[dict[str, Any], frozenset[str]]]:
    """The schemas ``node`` may be (its reference followed, its unions opened), each with the references
    followed to it; a reference already followed on the way down is not followed again (recursive models)."""
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        return [] if name in refs else _branches(defs.get(name, {}), defs, refs | {name})
    for union in ("anyOf", "oneOf", "allOf"):
        if union in node:
            return [b for sub in node[union] for b in _branches(sub, defs, refs)]
    return [(node, refs)]


def _inside(branch: dict[str, Any]) -> list[tuple[dict[str, Any], str]]:
    """The schemas of a dict's values (``*``) and a list's items (``[]``)."""
    found = [(sub, "*") for sub in branch.get("patternProperties", {}).values()]
    found += [(branch[kind], step) for kind, step in (("additionalProperties", "*"), ("items", "[]"))
              if isinstance(branch.get(kind), dict)]
    return found


def _keys_at(model: type[BaseModel], loc: tuple[Any, ...]) -> set[str] | None:
    """The keys the mapping at ``loc`` (a pydantic error's path, less its last part) takes; None if the
    path cannot be followed through the schema."""
    schema = _schema(model)
    defs = schema.get("$defs", {})
    level = [b for b, _ in _branches(schema, defs, frozenset())]
    for part in loc:
        down: list[dict[str, Any]] = []
        for branch in level:
            if isinstance(part, str) and part in branch.get("properties", {}):
                down += [b for b, _ in _branches(branch["properties"][part], defs, frozenset())]
            for sub, step in _inside(branch):
                if (step == "[]") is isinstance(part, int):
                    down += [b for b, _ in _branches(sub, defs, frozenset())]
        if not down:
            return None
        level = down
    return {key for branch in level for key in branch.get("properties", {})}


@functools.cache
def _schema(model: type[BaseModel]) -> dict[str, Any]:
    return model.model_json_schema()


def _shown(place: Place) -> str:
    return f"under '{'.'.join(place).replace('.[]', '[]')}'" if place else "at the top level"


def _one_of(texts: list[str]) -> str:
    texts = texts[:3] + (["..."] if len(texts) > 3 else [])
    return texts[0] if len(texts) == 1 else f"{', '.join(texts[:-1])} or {texts[-1]}"


def _did_you_mean(loc: tuple[Any, ...], model: type[BaseModel] | None) -> str | None:
    """For an unknown key at ``loc``: the close key of the same mapping, and where the key belongs if it
    is a key of another mapping of the file (never the key itself as its own correction)."""
    if model is None or not loc or not isinstance(loc[-1], str):
        return None
    key, places = loc[-1], key_places(model)
    here = _keys_at(model, loc[:-1])
    said = []
    close = difflib.get_close_matches(key, sorted(here if here is not None else set(places) - {key}), n=1,
                                      cutoff=0.75)
    if close:
        said.append(f"did you mean {close[0]!r}?")
    if key in places:
        said.append(f"{key!r} belongs {_one_of([_shown(p) for p in places[key]])}, not here")
    elif not close:
        elsewhere = difflib.get_close_matches(key, sorted(places), n=1, cutoff=0.75)
        if elsewhere:
            said.append(f"did you mean {elsewhere[0]!r} ({_shown(places[elsewhere[0]][0])})?")
    return "; ".join(said) or None


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
        hint = _did_you_mean(loc, model) if err["type"] == "extra_forbidden" else None
        out.append(Diagnostic(_code(err["type"]), message, locate(document, prefix + loc, default, at_value),
                              hint=hint))
    return out
