"""The evaluation loop's housekeeping: the cyclic GC is handed back as it was found."""

from __future__ import annotations

import datetime as dt
import gc

import pytest

from peelcheck.pipeline import AssessOptions, Engine, assess

from .conftest import EXAMPLES

CASE_FILES = EXAMPLES / "west-mercia-2021" / "case_file.csv"


@pytest.mark.parametrize("engine", list(Engine), ids=lambda e: e.value)
def test_nothing_stays_frozen_after_a_run(peel_pack, engine):
    assert gc.get_freeze_count() == 0
    assessment = assess(peel_pack, [CASE_FILES], AssessOptions(as_of=dt.date(2022, 4, 1), engine=engine))
    assert assessment.summary.failing_pairs > 0
    assert gc.get_freeze_count() == 0


def test_an_applications_own_frozen_objects_stay_frozen(peel_pack):
    kept = [object() for _ in range(10)]
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        assess(peel_pack, [CASE_FILES], AssessOptions(as_of=dt.date(2022, 4, 1), engine=Engine.PYTHON))
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()
    assert kept
