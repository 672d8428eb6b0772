"""Composing packs: an overlay pack extends one or more base packs (named, with the versions it fits).

The bases load first, then the overlay's own files join them: its documents, areas, findings, mappings,
local rules, new record types and additions to the bases' record types. Last, the overlay's adjustments
(thresholds and time windows with a reason, rules out of scope with a reason) apply, by the same code as
a force profile's, and what it says its reports make of a base rule (``rule_kinds``).
"""

from __future__ import annotations

import dataclasses
import zoneinfo
from pathlib import Path

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

from peelcheck.errors import Diagnostic, Location
from peelcheck.load.pack_loader import LoadedPack, load_pack_folder, mapping_once, read_pack_file
from peelcheck.load.pack_registry import resolve_pack
from peelcheck.load.profile_loader import adjust_rules
from peelcheck.positions import locate
from peelcheck.schema.pack import Extends, FieldType, Pack, RecordTypeExtension


def load_pack(root: Path, stack: tuple[Path, ...] = ()) -> LoadedPack:
    """Load the pack at ``root`` with every pack it extends, composed into one; problems are diagnostics,
    never exceptions (``stack``: the packs being loaded that extend this one, to refuse a loop)."""
    loaded = LoadedPack(root=root)
    own = read_pack_file(root, loaded)
    if own is not None:
        for i, base in enumerate(own.extends):
            _add_base(loaded, root, base, i, stack)
    bases = list(loaded.chain)
    load_pack_folder(root, loaded, own)
    if own is None:
        return loaded
    loaded.chain.append(own)
    loaded.document_dirs.update((d.id, root) for d in own.documents)
    loaded.pack = _merged(bases, own) if bases else own
    _check_timezone(own, loaded)
    for extension, path in loaded.extensions:
        _extend_record_type(loaded, extension, path)
    loaded.extensions = []
    if bases:
        adjust_rules(loaded, f"pack {own.id}", own.thresholds, own.out_of_scope, "out_of_scope",
                     lambda *keys, at_value=False: _at(loaded, *keys, at_value=at_value), windows=own.windows)
        _set_kinds(loaded, own)
    else:
        _no_base_to_adjust(loaded, own)
    return loaded


ADJUSTMENTS = ("thresholds", "windows", "out_of_scope", "rule_kinds")


def _no_base_to_adjust(loaded: LoadedPack, own: Pack) -> None:
    """A pack that extends none has no base rules to adjust: its adjustments would change nothing, so each
    is an error where it is written, never passed over."""
    for key in ADJUSTMENTS:
        if getattr(own, key):
            loaded.diagnostics.append(Diagnostic(
                "adjusts-no-base", f"{key} adjusts a base pack's rules, and this pack extends none",
                _at(loaded, key), hint="write the threshold, window or scope in the rule's own file, "
                "or move this to an overlay that extends the pack"))


def _set_kinds(loaded: LoadedPack, own: Pack) -> None:
    """What the overlay says a base pack's rules are in its force's reports (``rule_kinds``)."""
    for rule_id, said in own.rule_kinds.items():
        index = loaded.rule_at(rule_id, f"rule_kinds names unknown rule {rule_id}", _at(loaded, "rule_kinds", rule_id))
        if index is None:
            continue
        rule = loaded.rules[index]
        spec = rule.spec.model_copy(update={"kind": said.kind, "from_praise": said.from_praise})
        loaded.rules[index] = dataclasses.replace(rule, spec=spec)


def _at(loaded: LoadedPack, *keys: str | int, at_value: bool = False) -> Location:
    path = str(loaded.root / "pack.yaml")
    return locate(loaded.raw.get(path), keys, Location(path, 1, 1), at_value)


def _add_base(loaded: LoadedPack, root: Path, base: Extends, i: int, stack: tuple[Path, ...]) -> None:
    folder = resolve_pack(base.pack, near=root.parent)
    here = root.resolve()
    if folder.resolve() in (*stack, here):
        loaded.diagnostics.append(Diagnostic("extends-cycle", f"pack {base.pack!r} extends this pack in turn",
                                             _at(loaded, "extends", i, "pack")))
        return
    if not (folder / "pack.yaml").is_file():
        loaded.diagnostics.append(Diagnostic("unknown-pack", f"pack {base.pack!r} is neither an installed pack "
                                             "nor a folder beside this one", _at(loaded, "extends", i, "pack"),
                                             hint="see `peelcheck packs list`"))
        return
    inner = load_pack(folder, (*stack, here))
    for mapping, (path, _) in list(inner.mapping_paths.items()):  # two bases' mappings of one name
        if not mapping_once(loaded, mapping, path, inner.raw.get(path)):
            del inner.mappings[mapping], inner.mapping_paths[mapping]
    for name in ("record_types", "record_type_paths", "findings", "finding_paths", "mappings", "mapping_paths", "raw",
                 "disabled", "document_dirs", "broken_rules", "frameworks", "broken_frameworks", "set_windows"):
        getattr(loaded, name).update(getattr(inner, name))
    loaded.rules.extend(inner.rules)
    loaded.chain.extend(inner.chain)
    loaded.diagnostics.extend(inner.diagnostics)
    if inner.pack is None:
        return  # its pack.yaml is broken: reported from inside it
    if inner.pack.id != base.pack:
        loaded.diagnostics.append(Diagnostic("wrong-base", f"pack {base.pack!r} resolved to {folder}, whose id is "
                                             f"{inner.pack.id!r}", _at(loaded, "extends", i, "pack")))
    _check_version(loaded, base, inner.pack, i)


def _check_version(loaded: LoadedPack, base: Extends, found: Pack, i: int) -> None:
    where = _at(loaded, "extends", i, "version")
    try:
        fits = SpecifierSet(base.version).contains(Version(found.version), prereleases=True)
    except InvalidSpecifier:
        loaded.diagnostics.append(Diagnostic("invalid-value", f"{base.version!r} is not a version specifier",
                                             where, hint="for example '>=0.2,<0.3'"))
        return
    except InvalidVersion:
        fits = False
    if not fits:
        loaded.diagnostics.append(Diagnostic(
            "incompatible-base", f"this pack was written for {base.pack} {base.version}, but {base.pack} is "
            f"version {found.version}", where, hint="check the overlay against the base's changes, then update "
            "'version' here"))


def _merged(bases: list[Pack], own: Pack) -> Pack:
    """The overlay's pack.yaml with its bases' documents and areas in front of its own."""
    documents = [d for b in bases for d in b.documents] + list(own.documents)
    areas = [a for b in bases for a in b.areas] + list(own.areas)
    return own.model_copy(update={"documents": documents, "areas": areas})


def _check_timezone(own: Pack, loaded: LoadedPack) -> None:
    try:
        zoneinfo.ZoneInfo(own.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        loaded.diagnostics.append(Diagnostic("invalid-value", f"unknown time zone {own.timezone!r}",
                                             _at(loaded, "timezone"), hint="an IANA name such as Europe/London"))


def _extend_record_type(loaded: LoadedPack, extension: RecordTypeExtension, path: str) -> None:
    def at(*keys: str | int) -> Location:
        return locate(loaded.raw.get(path), keys, Location(path, 1, 1))
    spec = loaded.record_types.get(extension.extends)
    if spec is None:
        loaded.diagnostics.append(Diagnostic("unknown-record-type", f"no record type {extension.extends!r} to "
                                             "extend", at("extends"), hint=", ".join(sorted(loaded.record_types))))
        return
    fields = dict(spec.fields)
    for name, added in extension.fields.items():
        if name in fields:
            loaded.diagnostics.append(Diagnostic("duplicate-field", f"{spec.name} already has a field {name!r}",
                                                 at("fields", name)))
            continue  # the base's field stands: its rules were written for it
        fields[name] = added
    for name, values in extension.values.items():
        field = fields.get(name)
        if field is None or field.type is not FieldType.ENUM:
            loaded.diagnostics.append(Diagnostic("unknown-field", f"{spec.name} has no enum field {name!r}",
                                                 at("values", name)))
            continue
        clash = sorted(set(values) & set(field.values or []))
        if clash:
            loaded.diagnostics.append(Diagnostic("duplicate-value", f"{spec.name}.{name} already allows "
                                                 f"{', '.join(clash)}", at("values", name)))
        fields[name] = field.model_copy(update={"values": [*(field.values or []), *values]})
    loaded.record_types[spec.name] = spec.model_copy(update={"fields": fields})
    loaded.record_type_paths[spec.name] += f", {path}"

