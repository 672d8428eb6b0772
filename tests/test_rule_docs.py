"""Rule docs are generated from the pack files alone, and the committed pages are current."""

from __future__ import annotations

from peelcheck.report.rule_docs import area_pages

from .conftest import REPO


def test_committed_area_pages_are_current(peel_pack):
    folder = REPO / "docs" / "rules"
    pages = area_pages(peel_pack)
    stale = [name for name, text in pages.items() if not (folder / name).exists()
             or (folder / name).read_text(encoding="utf-8") != text]
    assert not stale, f"regenerate with: peelcheck rules docs docs/rules  (stale: {', '.join(stale)})"
    assert sorted(p.name for p in folder.glob("*.md")) == sorted(pages)


def test_every_rule_has_a_section_with_its_source_quote(peel_pack):
    text = "".join(area_pages(peel_pack).values())
    for rule in peel_pack.rules:
        assert f"## {rule.id}: " in text
        assert rule.rule.spec.source.quote.strip()[:40] in text
