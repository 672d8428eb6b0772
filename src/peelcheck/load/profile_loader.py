"""Applying a force profile to a loaded pack: local rules join the pack's, thresholds change,
rules are switched off with a reason. Every reference is checked like the pack itself."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from peelcheck.errors import Diagnostic, Location
from peelcheck.load.pack_loader import LoadedPack, _read_model, _yaml_files, load_rule_file
from peelcheck.load.yaml_positions import locate
from peelcheck.schema.framework import ThresholdBasis
from peelcheck.schema.profile import Profile, local_rules_dir


def apply_profile(loaded: LoadedPack, path: Path) -> Profile | None:
    """Load the profile at ``path`` into ``loaded`` (adding diagnostics for any problem)."""
    profile, document = _read_model(path, Profile, loaded)
    if profile is None:
        return None

    def at(*keys: str | int) -> Location:
        return locate(document, keys, Location(str(path), 1, 1))
    if loaded.pack is not None and profile.pack != loaded.pack.id:
        loaded.diagnostics.append(Diagnostic("wrong-pack", f"profile is for pack {profile.pack!r}, not "
                                             f"{loaded.pack.id!r}", at("pack")))
    folder = local_rules_dir(profile, path)
    if folder is not None:
        if not folder.is_dir():
            loaded.diagnostics.append(Diagnostic("no-such-folder", f"local rules folder {folder} does not exist",
                                                 at("local_rules")))
        for rule_path in _yaml_files(folder) if folder.is_dir() else []:
            rule = load_rule_file(rule_path, loaded)
            if rule is not None:
                loaded.rules.append(rule)
    known = {r.id: i for i, r in enumerate(loaded.rules)}
    for rule_id, override in profile.thresholds.items():
        if rule_id not in known:
            loaded.diagnostics.append(Diagnostic("unknown-rule", f"threshold for unknown rule {rule_id}",
                                                 at("thresholds", rule_id)))
            continue
        rule = loaded.rules[known[rule_id]]
        spec = rule.spec.model_copy(update={"threshold": override.threshold,
                                            "threshold_basis": ThresholdBasis.FORCE_CHOICE,
                                            "threshold_source": f"profile {profile.id}: {override.reason} "
                                                                f"(pack: {rule.spec.threshold:g})"})
        loaded.rules[known[rule_id]] = dataclasses.replace(rule, spec=spec)
    for i, disabled in enumerate(profile.disable):
        if disabled.rule not in known:
            loaded.diagnostics.append(Diagnostic("unknown-rule", f"cannot disable unknown rule {disabled.rule}",
                                                 at("disable", i, "rule")))
        loaded.disabled[disabled.rule] = f"disabled by profile {profile.id}: {disabled.reason}"
    return profile
