"""What an assessment is: the force, the packs and versions it was assessed against, and how the
people its records are about are kept out of shareable reports."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

from peelcheck.assess.model import PackRef, PersonalData, RuleResult
from peelcheck.assess.model_extras import WaiverResult
from peelcheck.compile.pack_check import CompiledPack


def force_name(pack: CompiledPack) -> str | None:
    """The force the pack names (pack.yaml ``force: {name}``), if it names one."""
    force: Any = getattr(pack.pack, "force", None)
    if force is None:
        return None
    name = force.get("name") if isinstance(force, dict) else getattr(force, "name", force)
    return str(name) if name else None


def pack_refs(pack: CompiledPack) -> list[PackRef]:
    """Every pack the compiled pack was composed from (an overlay and the packs it extends), else its own."""
    composed: Any = getattr(pack, "packs", None)
    if not composed:
        return [PackRef(id=pack.pack.id, title=pack.pack.title, version=pack.pack.version)]
    return [PackRef(id=str(_part(p, "id")), title=str(_part(p, "title") or _part(p, "id")),
                    version=str(_part(p, "version"))) for p in composed]


def _part(item: Any, name: str) -> Any:
    if isinstance(item, dict):
        return item.get(name)
    inner = getattr(item, "pack", None)  # a loaded pack holding its pack.yaml model
    return getattr(item, name, None) if hasattr(item, name) else getattr(inner, name, None)


class Pseudonyms:
    """Stable keyed-hash names for the people records are about: the same key gives the same name
    within a run (and across runs given the same salt), and no name can be turned back into its key
    without the salt."""

    def __init__(self, salt: bytes | None) -> None:
        self.stable = salt is not None
        self._salt = salt if salt is not None else secrets.token_bytes(32)

    def __call__(self, key: str) -> str:
        return "person-" + hmac.new(self._salt, key.encode("utf-8"), hashlib.sha256).hexdigest()[:8]


def pseudonymise(rule: RuleResult, names: Pseudonyms) -> None:
    """Replace the keys of a personal rule's failing records by their pseudonyms, in place."""
    rule.failures.rename_keys(names)


def pseudonymise_waivers(waivers: list[WaiverResult], pack: CompiledPack,
                         names: Pseudonyms | None) -> list[WaiverResult]:
    """The waivers with the keys of records about people as the pseudonyms their failures are shown by:
    a waived record is named no more plainly than a failing one (and sits beside the waiver's reason)."""
    if names is None:
        return waivers
    personal = {rule.id for rule in pack.rules if rule.record_type.personal}
    return [w.model_copy(update={"record": names(w.record)}) if w.record and w.rule in personal else w
            for w in waivers]


def personal_data(pack: CompiledPack, assessed_types: set[str], names: Pseudonyms | None) -> PersonalData | None:
    """What the report says about personal data, if records about people were assessed."""
    types = sorted(t for t in assessed_types if t in pack.record_types and pack.record_types[t].personal)
    if not types:
        return None
    return PersonalData(record_types=types, pseudonymised=names is not None,
                        stable=names is not None and names.stable)
