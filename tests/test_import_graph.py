"""The package's imports go one way: no module reaches back to one that (through others) imports it, and no
stage imports a later stage (STYLE.md: "Each stage takes the previous stage's typed output and never reaches
back").

Every import of a peelcheck module counts, wherever it is written: at the top, inside a function (an import
"when used" is still a dependency, only a later one) and under ``if TYPE_CHECKING:`` (the types still tie the
two modules together).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pytest

import peelcheck

# The stages, earliest first: a module may import its own stage and earlier ones. ``base`` is what every stage
# shares (errors, exit codes, positions in loaded files); ``pipeline`` runs load..assess for the commands.
STAGES = ("base", "schema", "load", "compile", "evaluate", "assess", "pipeline", "report", "cli", "bdd")
TOP_LEVEL = {"peelcheck": "base", "peelcheck.errors": "base", "peelcheck.exitcodes": "base",
             "peelcheck.positions": "base", "peelcheck.pipeline": "pipeline", "peelcheck.rule_examples": "pipeline",
             "peelcheck.__main__": "cli"}


class Import(NamedTuple):
    source: str
    target: str
    line: int


def modules(root: Path) -> dict[str, Path]:
    """Module name -> file, for every module of the package at ``root``."""
    out = {}
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root.parent).with_suffix("").parts
        out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return out


def imports_of(name: str, path: Path, known: dict[str, Path]) -> Iterator[Import]:
    """Every import of the package's modules in one file, at any depth (``from pkg import module`` is the
    module's; ``from module import name`` the module's)."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = ".".join(package[:len(package) + 1 - node.level] + [node.module or ""]).strip(".") \
                if node.level else node.module or ""
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]
        else:
            continue
        yield from (Import(name, target, node.lineno) for target in targets if target in known and target != name)


def import_graph(root: Path) -> dict[str, list[Import]]:
    known = modules(root)
    return {name: sorted(set(imports_of(name, path, known))) for name, path in known.items()}


def cycle_through(graph: dict[str, list[Import]], start: str) -> list[Import] | None:
    """The shortest chain of imports leading from ``start`` back to it, if there is one."""
    came_by: dict[str, Import] = {}
    frontier = [start]
    while frontier:
        following = []
        for name in frontier:
            for edge in graph[name]:
                if edge.target == start:
                    chain = [edge]
                    while chain[0].source != start:
                        chain.insert(0, came_by[chain[0].source])
                    return chain
                if edge.target not in came_by:
                    came_by[edge.target] = edge
                    following.append(edge.target)
        frontier = following
    return None


def cycles(graph: dict[str, list[Import]]) -> list[list[Import]]:
    """A shortest cycle through each module, but those already shown in one."""
    out: list[list[Import]] = []
    seen: set[str] = set()
    for name in sorted(graph):
        chain = cycle_through(graph, name) if name not in seen else None
        if chain:
            out.append(chain)
            seen |= {edge.source for edge in chain}
    return out


def stage_of(name: str) -> str | None:
    """The stage a module belongs to: its folder's, or for a module at the top, what TOP_LEVEL says."""
    if name in TOP_LEVEL:
        return TOP_LEVEL[name]
    parts = name.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in STAGES else None


def back_references(graph: dict[str, list[Import]]) -> list[Import]:
    """Imports of a later stage (a module with no stage is the next test's to report)."""
    out = []
    for edge in (edge for edges in graph.values() for edge in edges):
        source, target = stage_of(edge.source), stage_of(edge.target)
        if source is not None and target is not None and STAGES.index(target) > STAGES.index(source):
            out.append(edge)
    return out


def shown(chain: list[Import]) -> str:
    return " -> ".join([f"{edge.source} (line {edge.line})" for edge in chain] + [chain[-1].target])


ROOT = Path(peelcheck.__file__).parent


def test_no_module_imports_itself_through_others() -> None:
    found = cycles(import_graph(ROOT))
    assert not found, "import cycles:\n" + "\n".join(shown(chain) for chain in found)


def test_no_stage_reaches_back() -> None:
    found = back_references(import_graph(ROOT))
    assert not found, "imports of a later stage (order: " + " < ".join(STAGES) + "):\n" + "\n".join(
        f"{edge.source} (line {edge.line}) -> {edge.target} [{stage_of(edge.source)} -> {stage_of(edge.target)}]"
        for edge in found)


def test_every_module_has_a_stage() -> None:
    assert [name for name in modules(ROOT) if stage_of(name) is None] == []


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "peelcheck"
    for name, text in {"__init__.py": "", **files}.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


@pytest.mark.parametrize(("hidden", "line"), [
    ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from peelcheck.load.a import A\n", 3),
    ("def f():\n    from peelcheck.load.a import A\n", 2),
    ("def f():\n    from peelcheck.load import a\n", 2),
    ("from . import a\n", 1),
])
def test_a_cycle_is_found_however_the_import_is_written(tmp_path: Path, hidden: str, line: int) -> None:
    root = _package(tmp_path, {"load/__init__.py": "", "load/a.py": "from peelcheck.load.b import B\n",
                               "load/b.py": hidden})
    assert [shown(chain) for chain in cycles(import_graph(root))] == [
        f"peelcheck.load.a (line 1) -> peelcheck.load.b (line {line}) -> peelcheck.load.a"]


def test_a_back_reference_is_found(tmp_path: Path) -> None:
    root = _package(tmp_path, {"schema/__init__.py": "", "load/__init__.py": "", "load/y.py": "",
                               "schema/x.py": "def f():\n    from peelcheck.load.y import Y\n",
                               "errors.py": "", "stray.py": ""})
    assert [(e.source, e.target, e.line) for e in back_references(import_graph(root))] == [
        ("peelcheck.schema.x", "peelcheck.load.y", 2)]
    assert [name for name in modules(root) if stage_of(name) is None] == ["peelcheck.stray"]
