"""Reading a pack folder into typed models, collecting every problem rather than stopping at one.

Layout of a pack folder:
    pack.yaml               id, title, version, documents, areas; an overlay's extends, force, adjustments
    record-types/*.yaml     one record type per file (in an overlay, also additions to a base's types)
    findings/*.yaml         the findings registry, one file per document
    mappings/*.yaml         column mappings for record files in other shapes (police.uk CSVs)
    framework/*.yaml        PEEL Assessment Framework registries, one per edition (see framework_loader)
    any other *.yaml        one rule per file, usually in a folder per area

Files are found by ``pack_files``: through links, any case of ``.yaml``/``.yml``, and a file that
cannot be read is a located diagnostic, never a silent skip. A pack with the packs it extends is loaded
by ``compose.load_pack``; a force profile is read into it by ``profile_loader``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from peelcheck.errors import Diagnostic, Location, PackError
from peelcheck.load.framework_loader import is_registry_path, load_frameworks
from peelcheck.load.mapping_files import with_positions
from peelcheck.load.pack_files import yaml_files
from peelcheck.load.pydantic_errors import diagnostics_from
from peelcheck.load.yaml_positions import load_yaml_file
from peelcheck.positions import PosDict, locate
from peelcheck.schema.condition_parser import parse_condition
from peelcheck.schema.conditions import Condition
from peelcheck.schema.framework import FrameworkRegistry
from peelcheck.schema.mapping import ColumnMapping
from peelcheck.schema.pack import FindingsFile, Pack, RecordTypeExtension, RecordTypeSpec, SourceFinding
from peelcheck.schema.rubric import ChosenRubric
from peelcheck.schema.rule import Rule, RuleSpec

SPECIAL_DIRS = ("record-types", "findings", "mappings")
M = TypeVar("M", bound=BaseModel)


@dataclass
class LoadedPack:
    """Everything in a pack folder that parsed, plus the problems found on the way."""

    root: Path
    pack: Pack | None = None
    chain: list[Pack] = field(default_factory=list)  # the packs composed, base first (pack is the merge)
    record_types: dict[str, RecordTypeSpec] = field(default_factory=dict)
    record_type_paths: dict[str, str] = field(default_factory=dict)
    extensions: list[tuple[RecordTypeExtension, str]] = field(default_factory=list)  # with their file
    findings: dict[str, SourceFinding] = field(default_factory=dict)
    finding_paths: dict[str, Location] = field(default_factory=dict)
    document_dirs: dict[str, Path] = field(default_factory=dict)  # document id -> folder of its pack
    broken_rules: set[str] = field(default_factory=set)  # ids of rule files with errors (already reported)
    mappings: dict[str, ColumnMapping] = field(default_factory=dict)
    # mapping name -> the file it was read from and the keys leading to it there (a profile holds a list)
    mapping_paths: dict[str, tuple[str, tuple[str | int, ...]]] = field(default_factory=dict)
    timezone: str | None = None  # a profile's (or a pack's) declared timezone
    frameworks: dict[str, FrameworkRegistry] = field(default_factory=dict)  # edition -> registry
    broken_frameworks: set[str] = field(default_factory=set)  # editions whose registry did not load
    rules: list[Rule] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict)  # path -> loaded YAML, for locating later errors
    disabled: dict[str, str] = field(default_factory=dict)  # rule id -> reason (from a profile)
    # (rule id, field) of every window a force set itself, in any layer: no twin of a deadline moves these
    set_windows: set[tuple[str, str]] = field(default_factory=set)
    profile_rubric: ChosenRubric | None = None  # a profile's rubric, in place of the packs'
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def rule_at(self, rule_id: str, message: str, where: Location) -> int | None:
        """Where rule ``rule_id`` is in ``rules``, for a profile or overlay adjusting it; None, with an
        unknown-rule diagnostic (``message``, at ``where``), where the pack has no such rule."""
        for i, rule in enumerate(self.rules):
            if rule.id == rule_id:
                return i
        self.diagnostics.append(Diagnostic("unknown-rule", message, where))
        return None


def read_model(path: Path, model: type[M], loaded: LoadedPack) -> tuple[M | None, Any]:
    """The YAML file at ``path`` as a ``model``, and the document read (None for either that could not be
    had, with the problem added to ``loaded``)."""
    try:
        document = load_yaml_file(path)
    except PackError as exc:
        loaded.diagnostics.extend(exc.diagnostics)
        return None, None
    loaded.raw[str(path)] = document
    if not isinstance(document, dict):
        loaded.diagnostics.append(Diagnostic("wrong-type", f"expected a mapping at the top of the file, found "
                                             f"{type(document).__name__}", Location(str(path), 1, 1)))
        return None, document
    try:
        return model.model_validate(document), document
    except ValidationError as exc:
        loaded.diagnostics.extend(diagnostics_from(exc, document, Location(str(path), 1, 1), model=model))
        return None, document


def find_yaml_files(folder: Path, loaded: LoadedPack, skip: tuple[str, ...] = (), pack_top: bool = False,
                    expected: frozenset[Path] = frozenset()) -> list[Path]:
    """Every YAML file under ``folder`` (see pack_files); what cannot be read is said, not skipped.

    ``pack_top``: ``folder`` is a pack's own, whose top holds pack.yaml, a README and documents' texts;
    ``expected``: other files that belong there (the documents' texts, ``file:``, anywhere in it)."""
    found, problems = yaml_files(folder, skip, others_at_top=pack_top, expected=expected)
    loaded.diagnostics.extend(problems)
    return found


def read_pack_file(root: Path, loaded: LoadedPack) -> Pack | None:
    """pack.yaml of the folder ``root``, or None with the problem added to ``loaded``."""
    pack_file = root / "pack.yaml"
    if not root.is_dir():
        said = "not a folder" if root.exists() else "no such pack folder, and no installed pack of that name"
        loaded.diagnostics.append(Diagnostic("no-pack", said, Location(str(root)),
                                             hint="`peelcheck packs list` shows the installed packs"))
        return None
    if not pack_file.is_file():
        loaded.diagnostics.append(Diagnostic("no-pack", "pack.yaml is missing", Location(str(pack_file))))
        return None
    pack, _ = read_model(pack_file, Pack, loaded)
    return pack


def load_pack_folder(root: Path, loaded: LoadedPack, own: Pack | None = None) -> LoadedPack:
    """Load the files of one pack folder but pack.yaml into ``loaded`` (which may hold its bases)."""
    pack_file = root / "pack.yaml"
    if not root.is_dir():
        return loaded
    _load_record_types(root / "record-types", loaded)
    _load_findings(root / "findings", loaded)
    _load_mappings(root / "mappings", loaded)
    frameworks = load_frameworks(root)
    loaded.frameworks.update(frameworks.registries)  # beside those of the packs it extends
    loaded.broken_frameworks |= frameworks.broken
    loaded.diagnostics.extend(frameworks.diagnostics)
    texts = frozenset(root / d.file for d in (own.documents if own else []) if d.file)
    for path in find_yaml_files(root, loaded, skip=SPECIAL_DIRS, pack_top=True, expected=texts):
        relative = path.relative_to(root).parts
        if relative[0] in SPECIAL_DIRS or path == pack_file or is_registry_path(path, root):
            continue
        rule = load_rule_file(path, loaded)
        if rule is not None:
            loaded.rules.append(rule)
    return loaded


def _load_record_types(folder: Path, loaded: LoadedPack) -> None:
    for path in find_yaml_files(folder, loaded) if folder.is_dir() else []:
        if _is_extension(path):
            extension, _ = read_model(path, RecordTypeExtension, loaded)
            if extension is not None:
                loaded.extensions.append((extension, str(path)))
            continue
        spec, document = read_model(path, RecordTypeSpec, loaded)
        if spec is None:
            continue
        if spec.name in loaded.record_types:
            loaded.diagnostics.append(Diagnostic(
                "duplicate-record-type", f"record type {spec.name!r} is also defined in "
                f"{loaded.record_type_paths[spec.name]}", Location(str(path), *document.key_pos["name"])))
            continue
        loaded.record_types[spec.name] = spec
        loaded.record_type_paths[spec.name] = str(path)


def _is_extension(path: Path) -> bool:
    """An overlay's additions to a base record type start with ``extends:``."""
    try:
        return any(line.startswith("extends:") for line in path.read_text(encoding="utf-8").splitlines())
    except (OSError, UnicodeDecodeError):
        return False  # reported when the file is read as a record type


def _load_findings(folder: Path, loaded: LoadedPack) -> None:
    for path in find_yaml_files(folder, loaded) if folder.is_dir() else []:
        registry, document = read_model(path, FindingsFile, loaded)
        for i, finding in enumerate(registry.findings if registry else []):
            if finding.id in loaded.findings:
                item = document["findings"][i]
                loaded.diagnostics.append(Diagnostic("duplicate-finding", f"finding {finding.id!r} is listed twice",
                                                     Location(str(path), *item.pos)))
            loaded.findings[finding.id] = finding
            loaded.finding_paths[finding.id] = Location(str(path), *document["findings"][i].pos)


def _load_mappings(folder: Path, loaded: LoadedPack) -> None:
    for path in find_yaml_files(folder, loaded) if folder.is_dir() else []:
        mapping, document = read_model(path, ColumnMapping, loaded)
        if mapping is not None and mapping_once(loaded, mapping.name, str(path), document):
            loaded.mappings[mapping.name] = with_positions(mapping, document, Location(str(path), 1, 1))
            loaded.mapping_paths[mapping.name] = (str(path), ())


def mapping_once(loaded: LoadedPack, name: str, path: str, document: Any) -> bool:
    """Whether a pack's mapping file ``path`` may add mapping ``name``: not where another file of the pack
    (or of a pack it builds on) has that name, since which of the two ``--mapping NAME`` meant would be a
    guess (a duplicate-mapping error at its name, naming the other). A profile's mapping replacing a pack's
    of its name is the force's own choice, and is not checked here (profile_loader)."""
    other = loaded.mapping_paths.get(name)
    if other is None or other[0] == path:  # the same file, reached through two bases
        return True
    loaded.diagnostics.append(Diagnostic("duplicate-mapping", f"mapping {name!r} is also defined in {other[0]}",
                                         locate(document, ("name",), Location(path, 1, 1)),
                                         hint="give one of them another name, or remove one"))
    return False


def load_rule_file(path: Path, loaded: LoadedPack) -> Rule | None:
    """Load one rule file: the closed model first, then its conditions with their positions."""
    spec, document = read_model(path, RuleSpec, loaded)
    # Until the rule loads, a finding naming it is not a second error (a file is named after its rule).
    written_id = document.get("id") if isinstance(document, PosDict) else None
    loaded.broken_rules.add(written_id if isinstance(written_id, str) else path.stem)
    if spec is None:
        if isinstance(document, PosDict):  # still report what is wrong in its conditions
            for part in ("when", "expect"):
                if document.get(part) is not None:
                    where = Location(str(path), *document.key_pos[part])
                    loaded.diagnostics.extend(parse_condition(document[part], where)[1])
        return None
    default = Location(str(path), 1, 1)
    parsed: dict[str, Condition | None] = {}
    for part in ("when", "expect"):
        raw = getattr(spec, part)
        if raw is None:
            parsed[part] = None
            continue
        condition, problems = parse_condition(raw, Location(str(path), *document.key_pos[part]))
        loaded.diagnostics.extend(problems)
        if problems:
            return None
        parsed[part] = condition
    loaded.broken_rules.discard(spec.id)
    return Rule(spec, parsed["when"], parsed["expect"], str(path), default)
