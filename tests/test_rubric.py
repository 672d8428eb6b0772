"""Indicative area statuses: the rubric a pack or profile declares, the level each area reaches, and how
reports show it (always as an indicative self-assessment, never an HMICFRS grade)."""

from __future__ import annotations

import html
import io
import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner
from pydantic import ValidationError
from rich.console import Console

from peelcheck.assess.rubric import INDICATIVE_NOTICE, area_counts, indicative_status, withheld
from peelcheck.cli.main import cli
from peelcheck.compile.pack_check import load_compiled_pack
from peelcheck.errors import PackError
from peelcheck.pipeline import Engine
from peelcheck.report.html import render_html
from peelcheck.report.indicative import rule_words
from peelcheck.report.markdown import render_markdown
from peelcheck.report.text import render_text
from peelcheck.schema.outcomes import RuleStatus
from peelcheck.schema.pack import FindingKind
from peelcheck.schema.rubric import Level, Rubric

from .conftest import CORE_DIR, EXAMPLES, PACK_DIR
from .test_worked_examples import _assessment

COC, REC, AFI, OTHER = (FindingKind.CAUSE_OF_CONCERN, FindingKind.RECOMMENDATION,
                        FindingKind.AREA_FOR_IMPROVEMENT, FindingKind.FINDING)
MET, NOT_MET = RuleStatus.MET, RuleStatus.NOT_MET


def rules(*pairs: tuple[int, FindingKind, RuleStatus]) -> list[SimpleNamespace]:
    """An area's rules, built from (how many, kind, status)."""
    return [SimpleNamespace(kind=kind, status=status) for n, kind, status in pairs for _ in range(n)]


@pytest.mark.parametrize(("area", "label"), [
    (rules((6, OTHER, MET)), "indicative: outstanding"),
    (rules((4, OTHER, MET)), "indicative: good"),  # all met, but too few decided to say outstanding
    (rules((9, OTHER, MET), (1, AFI, NOT_MET)), "indicative: good"),
    (rules((9, OTHER, MET), (2, AFI, NOT_MET)), "indicative: adequate"),  # a second AFI open
    (rules((3, OTHER, MET), (1, OTHER, NOT_MET)), "indicative: adequate"),  # 25% not met
    (rules((3, OTHER, MET), (3, AFI, NOT_MET)), "indicative: requires improvement"),
    (rules((20, OTHER, MET), (1, COC, NOT_MET)), "indicative: inadequate"),
    (rules((20, OTHER, MET), (1, REC, NOT_MET)), "indicative: inadequate"),
    (rules((5, COC, MET), (1, OTHER, MET)), "indicative: outstanding"),  # causes of concern met count as met
])
def test_core_rubric_levels_follow_the_five_tier_shape(peel_pack, area, label):
    status = indicative_status(peel_pack.rubric, area)
    assert status is not None and status.label == label
    assert status.source == "pack" and status.source_id == "peel-core"
    assert status.level == [lv.label for lv in peel_pack.rubric.rubric.levels].index(label) + 1


def test_rules_not_decided_do_not_count_and_an_area_with_none_decided_has_no_status(peel_pack):
    undecided = [RuleStatus.MANUAL, RuleStatus.NOT_ASSESSED, RuleStatus.DISABLED, RuleStatus.INCONCLUSIVE,
                 RuleStatus.WAIVED, RuleStatus.NOT_ASSESSABLE]
    assert indicative_status(peel_pack.rubric, [SimpleNamespace(kind=COC, status=s) for s in undecided]) is None
    counts = area_counts([*rules((2, AFI, MET)), *[SimpleNamespace(kind=COC, status=s) for s in undecided]])
    assert (counts.met, counts.not_met, counts.not_met_causes_of_concern) == (2, 0, 0)
    assert indicative_status(None, rules((3, OTHER, MET))) is None


UNDECIDED = [RuleStatus.NOT_ASSESSED, RuleStatus.MANUAL, RuleStatus.NOT_ASSESSABLE, RuleStatus.INCONCLUSIVE]


@pytest.mark.parametrize("undecided", UNDECIDED)
def test_an_area_mostly_unevidenced_gets_no_status_under_the_core_rubric(peel_pack, undecided):
    # one met rule of eleven read "indicative: good" (nothing not met): the other ten speak for nothing
    area = [*rules((1, OTHER, MET)), *[SimpleNamespace(kind=AFI, status=undecided) for _ in range(10)]]
    assert peel_pack.rubric.rubric.min_decided_share == 0.5
    assert indicative_status(peel_pack.rubric, area) is None
    reason = withheld(peel_pack.rubric, area_counts(area))
    assert reason is not None and "1 of 11" in reason and "50%" in reason


def test_half_decided_is_enough_and_disabled_or_waived_rules_do_not_count_against_it(peel_pack):
    half = [*rules((5, OTHER, MET)), *[SimpleNamespace(kind=AFI, status=RuleStatus.NOT_ASSESSED) for _ in range(5)]]
    status = indicative_status(peel_pack.rubric, half)
    assert status is not None and status.counts.undecided == 5
    assert withheld(peel_pack.rubric, area_counts(half)) is None
    below = [*half, SimpleNamespace(kind=AFI, status=RuleStatus.MANUAL)]
    assert indicative_status(peel_pack.rubric, below) is None
    chosen = [*rules((1, OTHER, MET)), *[SimpleNamespace(kind=AFI, status=s) for s in
                                         [RuleStatus.DISABLED, RuleStatus.WAIVED] * 5]]
    assert area_counts(chosen).undecided == 0
    assert indicative_status(peel_pack.rubric, chosen) is not None


def test_a_rubric_without_a_share_reads_any_decided_rule(peel_pack):
    loose = peel_pack.rubric.model_copy(update={"rubric": peel_pack.rubric.rubric.model_copy(
        update={"min_decided_share": None})})
    area = [*rules((1, OTHER, MET)), *[SimpleNamespace(kind=AFI, status=RuleStatus.NOT_ASSESSED) for _ in range(10)]]
    status = indicative_status(loose, area)
    assert status is not None and status.label == "indicative: good"
    assert "10 more neither met nor not met" in rule_words(status)


def test_every_label_of_the_core_rubric_says_indicative(peel_pack):
    levels = peel_pack.rubric.rubric.levels
    assert len(levels) == 5 and all("indicative" in level.label for level in levels)
    with pytest.raises(ValidationError, match="indicative"):
        Level(label="good")


def test_rubric_needs_a_catch_all_last_level_and_distinct_labels():
    with pytest.raises(ValidationError, match="last level"):
        Rubric(title="two", levels=[{"label": "indicative: a"}, {"label": "indicative: b",
                                                                 "when": {"max_not_met": 0}}])
    with pytest.raises(ValidationError, match="differ"):
        Rubric(title="two", levels=[{"label": "indicative: a", "when": {"max_not_met": 0}},
                                    {"label": "indicative: a"}])


PROFILE_RUBRIC = """\
rubric:
  title: Force's stricter reading
  levels:
    - label: "indicative (force): all met"
      when: {max_not_met: 0}
    - label: "indicative (force): gaps"
"""


def _profile(tmp_path: Path, extra: str = PROFILE_RUBRIC) -> Path:
    path = tmp_path / "profile.yaml"
    path.write_text(f"id: strict\ntitle: Strict\npack: west-mercia\n{extra}")
    return path


def test_a_profile_rubric_takes_the_place_of_the_packs(tmp_path, peel_pack):
    pack = load_compiled_pack(PACK_DIR, _profile(tmp_path))
    assert pack.rubric is not None and (pack.rubric.source, pack.rubric.source_id) == ("profile", "strict")
    area = rules((9, OTHER, MET), (1, AFI, NOT_MET))
    assert indicative_status(peel_pack.rubric, area).label == "indicative: good"
    status = indicative_status(pack.rubric, area)
    assert (status.label, status.level, status.levels, status.source) == ("indicative (force): gaps", 2, 2, "profile")


def test_an_overlay_inherits_the_core_rubric_unless_it_declares_its_own(tmp_path, peel_pack):
    assert peel_pack.rubric.source_id == "peel-core"
    assert load_compiled_pack(CORE_DIR).rubric.source_id == "peel-core"
    folder = tmp_path / "own-force"
    folder.mkdir()
    (folder / "pack.yaml").write_text("id: own-force\ntitle: Own\nversion: 0.1.0\nextends:\n  - pack: peel-core\n"
                                      + PROFILE_RUBRIC)
    pack = load_compiled_pack(folder)
    assert (pack.rubric.source, pack.rubric.source_id) == ("pack", "own-force")
    assert pack.rubric.rubric.title == "Force's stricter reading"


def test_unknown_rubric_keys_are_errors_located_in_the_profile(tmp_path):
    path = _profile(tmp_path, PROFILE_RUBRIC.replace("max_not_met: 0", "max_not_met: 0, max_gaps: 2"))
    with pytest.raises(PackError) as caught:
        load_compiled_pack(PACK_DIR, path)
    found = [d for d in caught.value.diagnostics if d.location.path == str(path)]
    assert found, caught.value.diagnostics
    assert (found[0].code, found[0].location.line) == ("unknown-key", 8)  # the line of `when: {..., max_gaps}`
    assert "max_gaps" in found[0].message


def test_a_label_without_indicative_is_rejected_in_an_overlay(tmp_path):
    folder = tmp_path / "own-force"
    folder.mkdir()
    (folder / "pack.yaml").write_text("id: own-force\ntitle: Own\nversion: 0.1.0\nextends:\n  - pack: peel-core\n"
                                      + PROFILE_RUBRIC.replace('"indicative (force): gaps"', "requires improvement"))
    with pytest.raises(PackError) as caught:
        load_compiled_pack(folder)
    found = [d for d in caught.value.diagnostics if d.location.path.endswith("own-force/pack.yaml")]
    assert found and found[0].location.line == 11, caught.value.diagnostics


def test_the_2021_worked_example_areas_get_statuses():
    assessment = _assessment("west-mercia-2021", Engine.PYTHON)
    by_id = {r.id: r for r in assessment.rules}
    labels = ["indicative: outstanding", "indicative: good", "indicative: adequate",
              "indicative: requires improvement", "indicative: inadequate"]
    concerns = 0
    for area in assessment.areas:
        mine = [by_id[rid] for rid in area.rules]
        status = area.indicative_status
        decided = sum(r.status in (MET, NOT_MET) for r in mine)
        assert (status is None) == (decided == 0), area.id
        if status is None:
            assert area.indicative_withheld == "no rule met or not met", area.id
            continue
        assert area.indicative_withheld is None
        assert status.label in labels and status.source_id == "peel-core" and status.notice == INDICATIVE_NOTICE
        assert (status.counts.met, status.counts.not_met) == (area.met, area.not_met)
        open_concerns = [r for r in mine if r.status is NOT_MET and r.kind in (COC, REC)]
        assert status.counts.not_met_causes_of_concern == len(open_concerns)
        if open_concerns:
            concerns += 1
            assert status.label == "indicative: inadequate", area.id
        else:
            assert status.label != "indicative: inadequate", area.id
    assert concerns >= 1  # the report's causes of concern reach at least one area


def test_every_report_format_shows_the_status_as_indicative_with_its_source():
    assessment = _assessment("west-mercia-2021", Engine.PYTHON)
    statuses = [a.indicative_status for a in assessment.areas if a.indicative_status is not None]
    out = io.StringIO()
    render_text(assessment, Console(file=out, width=400, color_system=None), max_failures=0)
    for rendered in (out.getvalue(), render_markdown(assessment, max_failures=0), render_html(assessment, 0)):
        assert rendered.count(INDICATIVE_NOTICE) >= len(statuses)
        for status in statuses:
            assert status.label in rendered
        assert "of pack peel-core" in rendered


def test_a_withheld_status_says_why_in_every_format(tmp_path):
    example = EXAMPLES / "west-mercia-2021"
    args = ["assess", "--profile", str(example / "profile.yaml"), str(example / "case_file.csv"),
            str(example / "call.csv"), "--as-of", "2022-04-01"]
    report = json.loads(CliRunner().invoke(cli, [*args, "--format", "json"]).stdout)
    thin = [a for a in report["areas"] if a["indicative_status"] is None and a["met"] + a["not_met"]]
    assert thin, "two files of the example leave an area partly evidenced"
    for area in thin:
        assert area["met"] + area["not_met"] < area["not_assessed"] + area["manual"] + area["not_assessable"] \
            + area["inconclusive"]
        assert area["indicative_withheld"].startswith(f"only {area['met'] + area['not_met']} of ")
    for form in ("text", "md", "html"):
        rendered = CliRunner().invoke(cli, [*args, "--format", form]).stdout
        assert thin[0]["indicative_withheld"] in html.unescape(rendered) if form == "html" else \
            thin[0]["indicative_withheld"] in " ".join(rendered.split()), form
