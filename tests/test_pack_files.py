"""Files of a pack are never skipped without a word: links are followed, any case of .yaml/.yml is read,
a dangling link or a link loop is a located diagnostic."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from peelcheck.load.compose import load_pack

from .conftest import PACK_DIR


@pytest.fixture(scope="module")
def original_ids() -> list[str]:
    return sorted(r.spec.id for r in load_pack(PACK_DIR).rules)


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    """A copy of the packs folder (the overlay and the core it extends, side by side); the overlay's path."""
    shutil.copytree(PACK_DIR.parent, tmp_path / "packs")
    return tmp_path / "packs" / PACK_DIR.name


def _area(pack: Path) -> Path:
    return next(p.parent for p in sorted(pack.parent.rglob("INV-004.yaml")))


def test_rules_in_a_linked_folder_are_loaded(pack: Path, tmp_path: Path, original_ids: list[str]):
    area = _area(pack)
    elsewhere = tmp_path / "shared-area"
    area.rename(elsewhere)
    os.symlink(elsewhere, area)
    loaded = load_pack(pack)
    assert loaded.diagnostics == [] and sorted(r.spec.id for r in loaded.rules) == original_ids


def test_a_rule_saved_as_upper_case_yaml_or_yml_is_loaded(pack: Path, original_ids: list[str]):
    area = _area(pack)
    rule = area / "INV-004.yaml"
    rule.rename(rule.with_suffix(".YAML"))
    other = next(p for p in sorted(area.glob("*.yaml")))
    other.rename(other.with_suffix(".yml"))
    loaded = load_pack(pack)
    assert loaded.diagnostics == [] and sorted(r.spec.id for r in loaded.rules) == original_ids


def test_a_dangling_link_is_a_located_diagnostic(pack: Path):
    link = _area(pack) / "INV-999.yaml"
    os.symlink(pack / "nowhere.yaml", link)
    record_type_link = _area(pack).parent / "record-types" / "gone"
    os.symlink(pack / "gone", record_type_link)
    problems = [(d.code, d.location.path) for d in load_pack(pack).diagnostics]
    assert problems == [("dangling-link", str(record_type_link)), ("dangling-link", str(link))]


def test_a_folder_link_back_up_is_read_once_and_said(pack: Path, original_ids: list[str]):
    loop = _area(pack) / "again"
    os.symlink(_area(pack).parent, loop)
    loaded = load_pack(pack)
    assert [(d.code, d.location.path) for d in loaded.diagnostics] == [("link-loop", str(loop))]
    assert sorted(r.spec.id for r in loaded.rules) == original_ids


def test_a_framework_registry_saved_as_upper_case_yaml_or_in_a_linked_folder_is_loaded(pack: Path, tmp_path: Path):
    editions = sorted(load_pack(PACK_DIR).frameworks)
    registry = sorted(pack.parent.rglob("framework/*.yaml"))[0]
    registry.rename(registry.with_suffix(".YAML"))
    folder = registry.parent
    elsewhere = tmp_path / "framework-elsewhere"
    folder.rename(elsewhere)
    os.symlink(elsewhere, folder)
    loaded = load_pack(pack)
    assert editions and sorted(loaded.frameworks) == editions and loaded.diagnostics == []


def test_a_file_that_is_not_yaml_where_rules_live_is_a_located_error(pack: Path):
    stray = _area(pack) / "INV-998.txt"
    stray.write_text((_area(pack) / "INV-004.yaml").read_text())
    (_area(pack) / ".hidden-notes").write_text("editor state: not a rule")
    (pack / "README.md").write_text("# the pack's own top folder may hold notes\n")
    (_area(pack) / "README.md").write_text("# and any folder a README\n")
    texts = pack / "sources"  # the documents' texts, by the names their file: gives, in a folder of their own
    texts.mkdir()
    for document in load_pack(pack).pack.documents:  # type: ignore[union-attr]
        if document.file:
            (texts / str(document.file)).write_text("the report's words\n")
    assert [(d.code, d.location.path) for d in load_pack(pack).diagnostics] == [("not-a-rule-file", str(stray))]


def test_validate_reports_a_stray_file_in_a_rule_folder(pack: Path):
    from click.testing import CliRunner

    from peelcheck.cli.main import cli
    stray = _area(pack) / "notes.md"
    stray.write_text("# notes\n")
    result = CliRunner().invoke(cli, ["validate", str(pack)])
    assert result.exit_code == 1 and f"{stray}:" in result.stdout and "[not-a-rule-file]" in result.stdout


def test_a_fifo_in_a_pack_folder_is_reported_never_opened(pack: Path):
    fifo = _area(pack) / "INV-997.yaml"
    os.mkfifo(fifo)  # opening it would wait for a writer for ever
    assert [(d.code, d.location.path) for d in load_pack(pack).diagnostics] == [("not-a-regular-file", str(fifo))]
