"""By how much a rule is not met: records short of a rate's threshold, matches short of (or over) a count."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from peelcheck.compile.pack_check import load_compiled_pack
from peelcheck.pipeline import AssessOptions, assess_records
from peelcheck.report.common import measure
from peelcheck.schema.outcomes import RuleStatus

from .pack_factory import rule_spec, write_pack


@pytest.mark.parametrize(("count", "flagged", "status", "gap", "words"),
                         [({"at_most": 2}, 5, RuleStatus.NOT_MET, 3, "5 found (needs at most 2: pack default), "
                           "3 too many"),
                          ({"at_most": 2}, 2, RuleStatus.MET, 0, "2 found (needs at most 2: pack default)"),
                          ({"at_least": 4}, 1, RuleStatus.NOT_MET, 3, "1 found (needs at least 4: pack default), "
                           "3 short")])
def test_a_count_rule_says_how_far_it_is_from_its_target(tmp_path: Path, count: dict[str, int], flagged: int,
                                                         status: RuleStatus, gap: int, words: str) -> None:
    rule = rule_spec(0, when={"b1": True}, count=count)
    pack = load_compiled_pack(write_pack(tmp_path / "pack", [rule]))
    records = [{"b1": i < flagged} for i in range(8)]
    result = assess_records(pack, {"thing": records}, AssessOptions(as_of=dt.date(2022, 4, 1))).rules[0]
    assert (result.status, result.shortfall) == (status, gap)
    assert measure(result) == words
