"""Checking rules' citations of the PEEL Assessment Framework against the pack's registries."""

from __future__ import annotations

from peelcheck.errors import Diagnostic, Location
from peelcheck.load.pack_loader import LoadedPack
from peelcheck.positions import locate
from peelcheck.schema.framework import edition_slug
from peelcheck.schema.rule import Rule


def check_citations(rule: Rule, loaded: LoadedPack) -> list[Diagnostic]:
    """A located error for each cited edition without a registry and each characteristic not in its edition."""
    out = []
    for i, citation in enumerate(rule.spec.framework):
        registry = loaded.frameworks.get(citation.edition)
        if citation.edition in loaded.broken_frameworks:
            continue  # the registry's own errors are reported
        if registry is None:
            out.append(Diagnostic("unknown-edition", f"no framework registry for edition {citation.edition!r}",
                                  _at(loaded, rule, i, "edition"),
                                  hint=f"registries: {', '.join(sorted(loaded.frameworks)) or 'none'}"))
        elif registry.characteristic(citation.characteristic) is None:
            out.append(Diagnostic("unknown-characteristic", f"characteristic {citation.characteristic} is not in "
                                  f"the {citation.edition} framework registry", _at(loaded, rule, i, "characteristic"),
                                  hint=f"see framework/{edition_slug(citation.edition)}.yaml"))
    return out


def _at(loaded: LoadedPack, rule: Rule, index: int, key: str) -> Location:
    return locate(loaded.raw.get(rule.path), ("framework", index, key), Location(rule.path, 1, 1), at_value=True)

