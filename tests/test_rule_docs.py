"""Rule docs are generated from the pack files alone, and the committed pages are current."""

from __future__ import annotations

from peelcheck.report.rule_docs import area_pages

from .conftest import REPO


def test_committed_area_pages_are_current(peel_pack):
    folder = REPO / "docs" / "rules"
    pages = area_pages(peel_pack)
    stale = [name for name, text in pages.items() if not (folder / name).exists()
             or (folder / name).read_text(encoding="utf-8") != text]
    assert not stale, ("regenerate with: peelcheck rules docs --pack rules/west-mercia docs/rules  "
                       f"(stale: {', '.join(stale)})")
    assert sorted(p.name for p in folder.glob("*.md")) == sorted(pages)


def test_every_rule_has_a_section_with_its_source_quote(peel_pack):
    text = "".join(area_pages(peel_pack).values())
    for rule in peel_pack.rules:
        assert f"## {rule.id}: " in text
        assert rule.rule.spec.source.quote.strip()[:40] in text


def test_the_core_alone_has_pages_though_it_cites_no_document():
    """peel-core has no documents of its own (they are the overlays'): its pages are still written,
    as of the examples' date, and every rule there is a national expectation."""
    from peelcheck.compile.pack_check import load_compiled_pack

    from .conftest import CORE_DIR

    pages = area_pages(load_compiled_pack(CORE_DIR))
    assert "index.md" in pages and len(pages) > 5
    assert "- Kind: national expectation" in pages["investigating.md"]
    assert "- Kind: cause of concern" not in "".join(pages.values())
