"""`peelcheck validate --sources DIR`: every quote in the pack is found in the document it cites."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from peelcheck.cli.main import cli
from peelcheck.compile.source_quotes import quotes
from peelcheck.load.compose import load_pack

from .conftest import PACK_DIR, REPO
from .test_validate import edit, line_of, pack  # noqa: F401 - the small pack fixture

SEEDS = REPO.parent / "shared" / "seeds"


def validate(pack_dir: Path, sources: Path):
    return CliRunner().invoke(cli, ["validate", str(pack_dir), "--sources", str(sources)])


@pytest.fixture
def sources(pack: Path, tmp_path: Path) -> Path:  # noqa: F811
    """Stand-in document texts: each holds the quotes that cite it, wrapped as a report would wrap them."""
    loaded = load_pack(pack)
    assert loaded.pack is not None
    folder = tmp_path / "sources"
    folder.mkdir()
    for document in loaded.pack.documents:
        cited = [" ".join(q.split()) for doc, q, _ in quotes(loaded) if doc == document.id]
        wrapped = ["Some words before it. " + q.replace(" the ", "\nthe ", 1) + " Some words after." for q in cited]
        (folder / str(document.file)).write_text("\n\n".join(wrapped) + "\n", encoding="utf-8")
    return folder


def test_the_peel_pack_quotes_its_documents_word_for_word():
    if not SEEDS.is_dir():
        pytest.skip("shared/seeds not beside the checkout")
    result = validate(PACK_DIR, SEEDS)
    assert result.exit_code == 0, result.stderr
    assert "quotes found in their documents" in result.stdout


def test_quotes_that_wrap_across_lines_are_found(pack, sources):  # noqa: F811
    result = validate(pack, sources)
    assert result.exit_code == 0, result.stderr


def test_a_misquote_is_located_and_shows_where_it_departs(pack, sources):  # noqa: F811
    registry = pack / "findings/P21.yaml"  # the finding whose words INV-001 shows
    edit(registry, "appropriately recorded", "properly recorded")
    result = validate(pack, sources)
    assert result.exit_code == 1
    [error] = [line for line in result.stdout.splitlines() if "error:" in line]
    quote_line = line_of(registry, "all victims are consulted prior") - 1
    assert error.startswith(f"{registry}:{quote_line}:") and error.endswith("[quote-not-in-source]")
    assert 'the quote has "properly recorded" where the document has "appropriately recorded' in result.stdout


def test_a_rules_own_quote_is_checked_too(pack, sources):  # noqa: F811
    rule = pack / "investigating/INV-001.yaml"
    edit(rule, "record_type:", "source: {document: P21, section: s, quote: words the report never used}\n"
         "record_type:")
    result = validate(pack, sources)
    assert result.exit_code == 1 and f"{rule}:{line_of(rule, 'words the report never')}:" in result.stdout


def test_an_ellipsis_stands_for_words_left_out(pack, sources):  # noqa: F811
    rule = pack / "findings/P21.yaml"
    edit(rule, "consulted prior to and following the use of a", "consulted ... the use of a")
    assert validate(pack, sources).exit_code == 0
    edit(rule, "consulted ... the use of a", "the use of a ... consulted")  # out of order
    assert validate(pack, sources).exit_code == 1


def test_a_document_not_held_is_an_error_at_its_entry(pack, sources):  # noqa: F811
    (sources / "hmicfrs-peel-effectiveness-2017-west-mercia.txt").unlink()
    result = validate(pack, sources)
    assert result.exit_code == 1
    assert f"{pack / 'pack.yaml'}:{line_of(pack / 'pack.yaml', 'id: EF17')}:" in result.stdout
    assert "[source-not-held]" in result.stdout
