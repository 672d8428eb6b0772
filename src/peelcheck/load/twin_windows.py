"""The "not yet due" windows that follow a deadline a force changes (the deadline's twins).

A rule that gives F a deadline after G (``F within 14 days after G``) often leaves out, or passes, a
record whose G lies in the same 14 days before the assessment date: its F is not yet due. When a force
moves F's deadline and that as-of window stays, records between the two lengths are judged wrongly (a
visit 20 days old, not yet reviewed, is "not recorded" against a 28-day standard). So that one shape
moves with the deadline: an as-of window on the deadline's own reference, of the deadline's length.

Lengths compare as lengths: 24 hours is 1 day, 12 months 1 year. A twin keeps its own unit where the
new length is a whole number of it (PVP-052's 1 day beside 24 hours becomes 2 days beside 48 hours);
a length in hours or minutes that is not a whole number of the twin's unit moves no twin, as the
assessment date has no time of day.

Any other window the force may have meant to move stays as the pack wrote it, with a warning naming
it: one of the changed length on another field (an alternative branch, as in MOS-006), or an as-of
window on the reference that could not follow. Whether such a window follows is the force's call,
made with a window of its own for its field, which always wins over a twin's move.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from peelcheck.errors import Diagnostic, Location
from peelcheck.schema.condition_parser import parse_window
from peelcheck.schema.conditions import ASSESSMENT_DATE, CALENDAR_UNITS, TIME_UNITS, Within, leaves
from peelcheck.schema.rule import Rule


@dataclass
class Twins:
    """What a changed deadline does to the rule's other windows."""

    moved: dict[Within, Within] = field(default_factory=dict)  # as-of window -> its new length
    kept: list[Within] = field(default_factory=list)  # windows that may have been meant to move, left as written
    problems: list[Diagnostic] = field(default_factory=list)


def twins(rule: Rule, changed: dict[Within, Within], own_fields: set[str], at: Location) -> Twins:
    """The twins of ``changed`` (each old window on the force's field -> its new window); fields in
    ``own_fields`` have a window the force set itself, and are neither moved nor warned of."""
    found = Twins()
    windows = [leaf for cond in (rule.when, rule.expect) if cond is not None
               for leaf in leaves(cond) if isinstance(leaf, Within)]
    resized = {old: new for old, new in changed.items() if new.length != old.length}
    if not resized:  # only a 'by' changed (or nothing): no length for a twin to follow
        return found
    lengths = {old.length for old in resized}
    others = [w for w in dict.fromkeys(windows) if w not in changed and w.field not in own_fields]
    for old, new in resized.items():
        if old.ref == ASSESSMENT_DATE:
            continue
        for twin in others:
            length = _in_units_of(new, twin)
            if _is_twin(twin, old) and twin not in found.moved and length is not None:
                window, problems = parse_window(twin.field, {**length, "before": ASSESSMENT_DATE}, at)
                found.problems.extend(problems)
                if window is not None:
                    found.moved[twin] = window
    refs = {old.ref for old in resized if old.ref != ASSESSMENT_DATE}
    moved_fields = {twin.field for twin in found.moved}
    found.kept = [w for w in others if w not in found.moved and (
        w.length in lengths or (_as_of(w) and w.field in refs and w.field not in moved_fields))]
    return found


def _as_of(window: Within) -> bool:
    return window.ref == ASSESSMENT_DATE and window.direction == "before"


def _is_twin(window: Within, deadline: Within) -> bool:
    """``G within N before assessment_date`` beside ``F within N after G``."""
    return (_as_of(window) and deadline.direction == "after" and window.field == deadline.ref
            and window.length == deadline.length)


def _in_units_of(new: Within, twin: Within) -> dict[str, float] | None:
    """The new length as the twin's window is written: in the twin's own unit where it is a whole number
    of it, else (working days, months) in the new window's; None for hours or minutes that are not whole
    days (or whatever the twin counts in): the assessment date has no time of day to count them from."""
    (kind, length), (twin_kind, _) = new.length, twin.length
    if kind == twin_kind and kind != "working_days":
        per = TIME_UNITS.get(twin.unit) or CALENDAR_UNITS[twin.unit]
        if length % per == 0:
            return {twin.unit: int(length // per)}
    if new.unit in TIME_UNITS:
        return None
    return {new.unit: int(new.amount)}
