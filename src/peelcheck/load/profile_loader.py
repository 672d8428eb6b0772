"""Applying a force profile to a loaded pack: local rules join the pack's, thresholds and time windows
change, rules are switched off with a reason. Every reference is checked like the pack itself. An
overlay's own thresholds, windows and out-of-scope rules go through the same ``adjust_rules``."""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Callable
from pathlib import Path

from peelcheck.errors import Diagnostic, Location, PackError
from peelcheck.load.mapping_files import with_positions
from peelcheck.load.pack_loader import LoadedPack, find_yaml_files, load_rule_file, read_model
from peelcheck.load.pack_registry import resolve_pack
from peelcheck.load.window_overrides import override_windows
from peelcheck.load.yaml_positions import load_yaml_file
from peelcheck.positions import locate
from peelcheck.schema.framework import ThresholdBasis
from peelcheck.schema.pack import DisabledRule, ThresholdOverride
from peelcheck.schema.profile import Profile, local_rules_dir
from peelcheck.schema.rubric import ChosenRubric
from peelcheck.schema.windows import WindowOverride


def _pack_problem(named: str, packs: list[str], path: Path, where: Location) -> Diagnostic | None:
    """A profile for a pack not loaded: one not installed at all, or another pack than the one given."""
    if not packs or named in packs:
        return None
    if not (resolve_pack(named, near=path.parent) / "pack.yaml").is_file():
        return Diagnostic("unknown-pack", f"profile is for pack {named!r}, which is neither an installed pack nor a "
                          "folder beside the profile", where,
                          hint="see `peelcheck packs list` for the installed packs, or name the pack's folder")
    loaded = " or ".join(repr(p) for p in reversed(packs))
    return Diagnostic("wrong-pack", f"profile is for pack {named!r}, not {loaded}", where,
                      hint=f"use the profile with its own pack: `peelcheck assess --pack {named} ...` or "
                      f"`peelcheck validate {named} --profile {path.name}`")


def apply_profile(loaded: LoadedPack, path: Path) -> Profile | None:
    """Load the profile at ``path`` into ``loaded`` (adding diagnostics for any problem)."""
    profile, document = read_model(path, Profile, loaded)
    if profile is None:
        return None

    def at(*keys: str | int, at_value: bool = False) -> Location:
        return locate(document, keys, Location(str(path), 1, 1), at_value)
    packs = [p.id for p in loaded.chain] or ([loaded.pack.id] if loaded.pack else [])
    problem = _pack_problem(profile.pack, packs, path, at("pack"))
    if problem is not None:
        loaded.diagnostics.append(problem)
    folder = local_rules_dir(profile, path)
    if folder is not None:
        if not folder.is_dir():
            loaded.diagnostics.append(Diagnostic("no-such-folder", f"local rules folder {folder} does not exist",
                                                 at("local_rules")))
        for rule_path in find_yaml_files(folder, loaded) if folder.is_dir() else []:
            rule = load_rule_file(rule_path, loaded)
            if rule is not None:
                loaded.rules.append(rule)
    # the force's own mappings: they take the place of a pack mapping of the same name
    for i, mapping in enumerate(profile.mappings):
        loaded.mappings[mapping.name] = with_positions(mapping, document, at(), "mappings", i)
        loaded.mapping_paths[mapping.name] = (str(path), ("mappings", i))
    loaded.diagnostics.extend(_unknown_populations(profile, loaded, at))
    loaded.timezone = profile.timezone or loaded.timezone
    if profile.rubric is not None:
        loaded.profile_rubric = ChosenRubric(rubric=profile.rubric, source="profile", source_id=profile.id)
    adjust_rules(loaded, f"profile {profile.id}", profile.thresholds, profile.disable, "disable", at,
                 windows=profile.windows)
    return profile


def _unknown_populations(profile: Profile, loaded: LoadedPack, at: Callable[..., Location]) -> list[Diagnostic]:
    """A ``population`` key is a record file's name (``case_file.csv``) or a record type of the pack: any other
    would match nothing, and the intervals it was meant for would go uncorrected without a word."""
    from peelcheck.load.records import SUFFIXES
    out = []
    for entry in profile.population:
        if entry in loaded.record_types or Path(entry).suffix.lower() in SUFFIXES:
            continue
        close = difflib.get_close_matches(entry, sorted(loaded.record_types), n=1)
        out.append(Diagnostic("unknown-population", f"population {entry!r} is neither a record file's name nor a "
                              "record type of the pack", at("population", entry),
                              hint=f"did you mean {close[0]!r}?" if close else
                              f"name a record file (case_file.csv) or a record type: "
                              f"{', '.join(sorted(loaded.record_types))}"))
    return out


def adjust_rules(loaded: LoadedPack, by: str, thresholds: dict[str, ThresholdOverride],
                 disable: list[DisabledRule], disable_key: str, at: Callable[..., Location],
                 windows: dict[str, list[WindowOverride]] | None = None) -> None:
    """Thresholds and time windows changed and rules switched off by ``by`` (a profile or an overlay), each
    with its reason."""
    for rule_id, override in thresholds.items():
        index = loaded.rule_at(rule_id, f"threshold for unknown rule {rule_id}", at("thresholds", rule_id))
        if index is None:
            continue
        rule = loaded.rules[index]
        note = f"{by}: {override.reason} (pack: {rule.spec.threshold:g})"
        # what a layer below already chose (an overlay's window, its rate) keeps its reason beside this one
        earlier = rule.spec.threshold_source if rule.spec.threshold_basis is ThresholdBasis.FORCE_CHOICE else None
        spec = rule.spec.model_copy(update={"threshold": override.threshold,
                                            "threshold_basis": ThresholdBasis.FORCE_CHOICE,
                                            "threshold_source": f"{earlier}; {note}" if earlier else note})
        # the rule as its file wrote it stays beside it: its worked examples are judged on that (rule_examples)
        loaded.rules[index] = dataclasses.replace(rule, spec=spec, as_written=rule.as_written or rule)
    override_windows(loaded, by, windows or {}, at)
    verb = "disabled by" if disable_key == "disable" else "out of scope for"
    first: dict[str, int] = {}  # rule -> its first entry here
    for i, disabled in enumerate(disable):
        loaded.rule_at(disabled.rule, f"cannot disable unknown rule {disabled.rule}", at(disable_key, i, "rule"))
        if disabled.rule in first:  # which of its two reasons is the force's would be a guess
            loaded.diagnostics.append(Diagnostic(
                "disabled-twice", f"{disabled.rule} is {verb} {by} twice: also at "
                f"{at(disable_key, first[disabled.rule], 'rule', at_value=True)}",
                at(disable_key, i, "rule", at_value=True), hint="keep one entry, with the reason that stands"))
            continue
        first[disabled.rule] = i
        # A rule a base pack or an overlay already took out keeps that reason beside this one: each layer
        # says why on its own account, and the report shows them all, the pack's first.
        reason = f"{verb} {by}: {disabled.reason}"
        earlier = loaded.disabled.get(disabled.rule)
        loaded.disabled[disabled.rule] = f"{earlier}; {reason}" if earlier else reason


def population_places(path: Path) -> dict[str, Location]:
    """Where each entry of a profile's ``population`` gives its number (the profile was checked when the
    pack was loaded: a profile that does not read gives no places)."""
    start = Location(str(path), 1, 1)
    try:
        document = load_yaml_file(path)
    except PackError:
        return {}
    entries = document.get("population") if isinstance(document, dict) else None
    if not isinstance(entries, dict):
        return {}
    return {str(entry): locate(document, ("population", entry), start, at_value=True) for entry in entries}
