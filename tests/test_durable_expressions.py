"""The durable-rules expression folds that keep conditions inside the engine's 32 expressions: exact, and
worth their place (each saves groups a pack rule needed)."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from peelcheck.compile.durable import compile_ruleset
from peelcheck.compile.durable_expressions import and_, or_, pruned

from .strategies import RECORD_TYPE
from .test_compile_helpers import make_rule
from .test_durable_traps import AS_OF, Outcome, evaluate

LEAVES = [{"$lt": {"x": 1}}, {"$gt": {"x": 9}}, {"y": "a"}, {"$ex": {"z": 1}}, {"$nex": {"w": 1}}]


def truth(expr: Any, world: dict[str, bool]) -> bool:
    """An expression's value when each leaf test (by its JSON) has the value ``world`` gives it."""
    if isinstance(expr, bool):
        return expr
    if set(expr) == {"$and"}:
        return all(truth(p, world) for p in expr["$and"])
    if set(expr) == {"$or"}:
        return any(truth(p, world) for p in expr["$or"])
    return world[json.dumps(expr, sort_keys=True)]


def trees(depth: int = 4) -> st.SearchStrategy[Any]:
    leaf = st.sampled_from(LEAVES)
    return st.recursive(leaf, lambda kids: st.one_of(
        st.lists(kids, min_size=2, max_size=4).map(lambda ps: {"$and": ps}),
        st.lists(kids, min_size=2, max_size=4).map(lambda ps: {"$or": ps})), max_leaves=14)


def groups(expr: Any) -> int:
    if isinstance(expr, dict) and set(expr) <= {"$and", "$or"} and len(expr) == 1:
        return 1 + sum(groups(p) for p in next(iter(expr.values())))
    return 0


@settings(max_examples=500, deadline=None)
@given(trees())
def test_pruning_keeps_every_truth_table_and_never_adds_a_group(expr):
    names = [json.dumps(leaf, sort_keys=True) for leaf in LEAVES]
    simpler = pruned(expr)
    for values in itertools.product([False, True], repeat=len(names)):
        world = dict(zip(names, values))
        assert truth(simpler, world) == truth(expr, world)
    assert groups(simpler) <= groups(expr)


def test_a_window_bound_repeated_under_its_negation_is_pruned():
    hi, lo7, lo31 = {"$gt": {"d": 100}}, {"$lt": {"d": 93}}, {"$lt": {"d": 69}}
    negation = or_(hi, lo31, and_(or_(hi, lo7), {"$nex": {"f": 1}}))  # not 31 days, or (not 7 days and ...)
    assert pruned(negation) == {"$or": [hi, lo31, {"$and": [lo7, {"$nex": {"f": 1}}]}]}


def test_an_exists_guard_beside_a_literal_test_of_its_key_goes():
    assert and_({"$ex": {"f": 1}}, {"f": "monthly"}) == {"f": "monthly"}
    assert and_({"$ex": {"f": 1}}, {"$lte": {"f": 3}}, {"$gte": {"g": 1}}) == {"$and": [{"$lte": {"f": 3}},
                                                                                       {"$gte": {"g": 1}}]}
    # against another field the guard stays: durable-rules takes a comparison with a missing key as true
    assert and_({"$ex": {"g": 1}}, {"$lte": {"f": {"$m": "g"}}}) == {"$and": [{"$ex": {"g": 1}},
                                                                               {"$lte": {"f": {"$m": "g"}}}]}
    assert or_({"$ex": {"f": 1}}, {"f": "monthly"}) == {"$or": [{"$ex": {"f": 1}}, {"f": "monthly"}]}


def test_a_window_on_the_assessment_date_needs_no_guard_and_a_missing_date_is_not_recorded():
    rule = make_rule({"any": [{"d1": {"within": {"days": 7, "before": "assessment_date"}}}, {"b1": True}]})
    assert '"$ex": {"d1' not in json.dumps(compile_ruleset([rule], RECORD_TYPE, AS_OF, unnamed=["R"]).definition)
    records = [{"d1": AS_OF - dt.timedelta(days=3)}, {"d1": AS_OF - dt.timedelta(days=8), "b1": False},
               {"b1": False}, {"d1": AS_OF + dt.timedelta(days=1), "b1": False}]
    outcomes, _ = evaluate([rule], records)
    assert outcomes[0] == [Outcome.COMPLIANT, Outcome.NON_COMPLIANT, Outcome.NOT_RECORDED,
                                        Outcome.NON_COMPLIANT]
