"""Reading a pack's PEEL Assessment Framework registries (``framework/*.yaml``), with located errors.

A registry lives in a folder named ``framework`` anywhere in the pack (``rules/peel-core/framework/`` in the
core pack); files there are registries, never rules. The model checks each entry's shape; this module checks
the registry as a whole (ids listed once, each characteristic under a listed question) and that no two files
claim the same edition.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from peelcheck.errors import Diagnostic, Location, PackError
from peelcheck.load.pack_files import yaml_files
from peelcheck.load.pydantic_errors import diagnostics_from
from peelcheck.load.yaml_positions import load_yaml_file
from peelcheck.positions import locate
from peelcheck.schema.framework import FrameworkRegistry

FRAMEWORK_DIR = "framework"


def is_registry_path(path: Path, root: Path) -> bool:
    """True for a YAML file inside a ``framework`` folder of the pack."""
    return FRAMEWORK_DIR in path.relative_to(root).parts[:-1]


def registry_paths(root: Path) -> list[Path]:
    """Through links and in any case of suffix, as rule files are found (the pack loader reports dangling links)."""
    return [p for p in yaml_files(root)[0] if is_registry_path(p, root)]


@dataclass
class Frameworks:
    """The registries that loaded, by edition; editions whose file is broken (its own errors say why, so
    rules citing them are not reported again); and the problems found."""

    registries: dict[str, FrameworkRegistry] = field(default_factory=dict)
    broken: set[str] = field(default_factory=set)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def load_frameworks(root: Path) -> Frameworks:
    """Every registry in the pack by edition, and every problem found in them."""
    out, paths = Frameworks(), dict[str, Path]()
    for path in registry_paths(root) if root.is_dir() else []:
        registry, document, problems = read_registry(path)
        out.diagnostics += problems
        if registry is None:
            if isinstance(document, dict) and isinstance(document.get("edition"), str):
                out.broken.add(document["edition"])
            continue
        if registry.edition in out.registries:
            out.diagnostics.append(Diagnostic("duplicate-edition", f"edition {registry.edition} is also described "
                                              f"in {paths[registry.edition]}", _at(document, path, "edition")))
            continue
        out.registries[registry.edition], paths[registry.edition] = registry, path
    return out


def read_registry(path: Path) -> tuple[FrameworkRegistry | None, Any, list[Diagnostic]]:
    """One registry file: the model (None if its shape is wrong), the raw document and the problems found."""
    try:
        document = load_yaml_file(path)
    except PackError as exc:
        return None, None, list(exc.diagnostics)
    if not isinstance(document, dict):
        return None, document, [Diagnostic("wrong-type", "expected a mapping at the top of the file",
                                           Location(str(path), 1, 1))]
    try:
        registry = FrameworkRegistry.model_validate(document)
    except ValidationError as exc:
        return None, document, diagnostics_from(exc, document, Location(str(path), 1, 1))
    return registry, document, _check_entries(registry, document, path)


def _check_entries(registry: FrameworkRegistry, document: Any, path: Path) -> list[Diagnostic]:
    questions = {q.id for q in registry.questions}
    seen: set[str] = set()
    out: list[Diagnostic] = []
    for i, item in enumerate(registry.characteristics):
        where = _at(document, path, "characteristics", i, "id")
        if item.id in seen:
            out.append(Diagnostic("duplicate-characteristic", f"characteristic {item.id} is listed twice", where))
        seen.add(item.id)
        if item.question not in questions:
            out.append(Diagnostic("unknown-question", f"characteristic {item.id} names question {item.question}, "
                                  "which is not among the questions", _at(document, path, "characteristics", i,
                                                                          "question")))
        elif item.id.split(".")[0] != item.question:
            out.append(Diagnostic("characteristic-id", f"characteristic {item.id} should start with its question's "
                                  f"id {item.question}", where))
    return out


def _at(document: Any, path: Path, *keys: str | int) -> Location:
    return locate(document, keys, Location(str(path), 1, 1))
