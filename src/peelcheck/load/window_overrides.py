"""A force's own time windows for a pack's rules (``windows:`` in a profile, or in an overlay's pack.yaml).

An override names a rule and the field its window tests, and gives a new amount (in the window's unit
or another), a new ``by``, or both, with the reason. Every ``within`` on that field in the rule's
``when`` and ``expect`` changes; its direction and reference never do. The window that results is
parsed as a rule file's would be (``parse_window``), and carries the override's place in the profile,
so what the compiler then finds wrong with it (a ``by`` on a date) is said at the profile's line.
The change is made to the loaded rule, before any engine compiles it, so every engine runs the same.
A changed deadline's "not yet due" window on its reference moves with it (``twin_windows``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from peelcheck.errors import Diagnostic, Location
from peelcheck.load.pack_loader import LoadedPack
from peelcheck.load.twin_windows import twins
from peelcheck.schema.condition_parser import parse_window
from peelcheck.schema.conditions import All, AnyOf, Condition, Not, Within, leaves, unit_words, window_length
from peelcheck.schema.framework import ThresholdBasis
from peelcheck.schema.rule import Rule
from peelcheck.schema.windows import WindowOverride
from peelcheck.schema.wording import describe

Where = Callable[..., Location]


def override_windows(loaded: LoadedPack, by: str, windows: dict[str, list[WindowOverride]],
                     at: Callable[..., Location]) -> None:
    """The windows ``by`` (a profile or an overlay) changes, each with its reason; problems are diagnostics.
    Every entry for a rule names a window as the layer below left the rule, and all of them change it at
    once: one entry's new window is never taken for another's ``was``."""
    for rule_id, overrides in windows.items():
        index = loaded.rule_at(rule_id, f"window for unknown rule {rule_id}", at("windows", rule_id))
        if index is None:
            continue
        # every field the force gives a window here is its own, whichever entry comes first: no twin moves it
        loaded.set_windows.update((rule_id, override.field) for override in overrides)
        rule = loaded.rules[index]
        replacements: dict[Within, Within] = {}
        notes: list[str] = []
        # field -> the entries here that change windows on it, by the length each names (None: every window)
        taken: dict[str, dict[tuple[str, float] | None, int]] = {}
        for i, override in enumerate(overrides):
            where = _entry_at(at, rule_id, i)
            other = _same_window(taken.setdefault(override.field, {}), override)
            if other is not None:  # which of the two windows is the force's would be a guess
                loaded.diagnostics.append(Diagnostic(
                    "window-twice", f"{rule_id}: the window on {override.field} is changed by {by} twice: also at "
                    f"{_entry_at(at, rule_id, other)('field')}", where("field"),
                    hint="keep one entry, with the window and reason that stand"))
                continue
            taken[override.field][window_length(*override.was.length) if override.was else None] = i
            entry = _entry(loaded, rule, override, by, where)
            if entry is not None:
                replacements.update(entry[0])
                notes.append(entry[1])
        if notes:
            loaded.rules[index] = _changed(rule, replacements, notes)


def _same_window(taken: dict[tuple[str, float] | None, int], override: WindowOverride) -> int | None:
    """An earlier entry on the field that may change a window this one does: one that changes them all (no
    ``was``), any at all where this one does, or one naming the same length (a dictionary: a profile of
    many entries is checked in linear time)."""
    if override.was is None:
        return next(iter(taken.values()), None)
    return taken.get(None, taken.get(window_length(*override.was.length)))


def _entry_at(at: Callable[..., Location], rule_id: str, i: int) -> Where:
    """Where the keys of a rule's ``i``-th override are (a rule's entry written as one mapping is its item
    0: ``positions.locate`` reads it so)."""
    return lambda *keys: at("windows", rule_id, i, *keys)


def _entry(loaded: LoadedPack, rule: Rule, override: WindowOverride, by: str,
           where: Where) -> tuple[dict[Within, Within], str] | None:
    """The windows one entry changes (old -> new, the twins that follow too) and what the report says of
    it; None, with the problem said, where it changes nothing."""
    record_type = loaded.record_types.get(rule.spec.record_type)
    if record_type is not None and override.field not in record_type.fields:
        loaded.diagnostics.append(Diagnostic(
            "unknown-field", f"{rule.id}: record type {record_type.name!r} has no field {override.field!r}",
            where("field"), hint="name the field whose 'within' window changes"))
        return None
    olds = _chosen(loaded, rule, override, by, where)
    if not olds:
        return None
    new: dict[Within, Within] = {}
    for old in olds:
        window = _window(loaded, rule.id, old, override, where)
        if window is None:
            return None
        new[old] = window
    own = {field for rule_id, field in loaded.set_windows if rule_id == rule.id}
    follow = twins(rule, new, own, where("field"))
    loaded.diagnostics.extend(dataclasses.replace(d, message=f"{rule.id}: {d.message}") for d in follow.problems)
    loaded.diagnostics.extend(_kept(rule, override, by, olds, new, kept, where) for kept in follow.kept)
    note = f"{by}: {' and '.join(dict.fromkeys(_said(w) for w in new.values()))}: {override.reason} " \
           f"(pack: {'; '.join(dict.fromkeys(_was(old, override) for old in olds))})"
    if follow.moved:  # the not-yet-due windows that moved with the deadline, said where the threshold is
        note += "; not yet due, moved with it: " + "; ".join(
            f"{_said(twin)} (pack: {_length(old)})" for old, twin in follow.moved.items())
    if follow.kept:  # and those left as the pack wrote them (warned of): a reader of the report sees both
        note += "; kept as the pack wrote it: " + "; ".join(_said(kept) for kept in follow.kept)
    return new | follow.moved, note


def _chosen(loaded: LoadedPack, rule: Rule, override: WindowOverride, by: str, where: Where) -> list[Within]:
    """The rule's windows on the entry's field that it changes: those of its ``was`` length, or every one
    (with a warning where their lengths differ, as they become one); none, with the problem said."""
    windows = [leaf for cond in (rule.when, rule.expect) if cond is not None
               for leaf in leaves(cond) if isinstance(leaf, Within)]
    olds = list(dict.fromkeys(leaf for leaf in windows if leaf.field == override.field))
    lengths = ", ".join(dict.fromkeys(_length(old) for old in olds))
    if not olds:
        windowed = sorted({leaf.field for leaf in windows})
        loaded.diagnostics.append(Diagnostic(
            "no-window", f"{rule.id} has no 'within' window on {override.field}", where("field"),
            hint=f"its windows are on: {', '.join(windowed)}" if windowed else f"{rule.id} has no time window"))
        return []
    if override.was is not None:
        unit, amount = override.was.length
        chosen = [old for old in olds if old.length == window_length(unit, amount)]
        if not chosen:
            loaded.diagnostics.append(Diagnostic(
                "no-window", f"{rule.id} has no window of {_said_length(unit, amount)} on {override.field}",
                where("was"), hint=f"its windows on {override.field}: {lengths}"))
        return chosen
    if override.amount is not None and len({old.length for old in olds}) > 1:
        unit, amount = olds[-1].unit, olds[-1].amount
        loaded.diagnostics.append(Diagnostic(
            "windows-merged", f"{rule.id}: the windows on {override.field} are of different lengths ({lengths}), "
            f"and {by} gives them all one", where("field"), severity="warning",
            hint=f"to change one of them, name it: was: {{{unit}: {_number(amount)}}}; to change all, nothing "
            "is needed"))
    return olds


def _changed(rule: Rule, replacements: dict[Within, Within], notes: list[str]) -> Rule:
    """``rule`` with its windows replaced, in one pass, and the force's reasons in its threshold source."""
    spec = rule.spec
    note = "; ".join(notes)
    # a threshold the force (here or in a layer below) already chose keeps its reason beside the window's
    earlier = spec.threshold_source if spec.threshold_basis is ThresholdBasis.FORCE_CHOICE else None
    spec = spec.model_copy(update={"threshold_basis": ThresholdBasis.FORCE_CHOICE,
                                   "threshold_source": f"{earlier}; {note}" if earlier else note})
    return dataclasses.replace(rule, spec=spec, when=_replaced(rule.when, replacements),
                               expect=_replaced(rule.expect, replacements), as_written=rule.as_written or rule)


def _kept(rule: Rule, override: WindowOverride, by: str, olds: list[Within], new: dict[Within, Within],
          kept: Within, where: Where) -> Diagnostic:
    """A warning: a window that may be the changed one's twin stays as the pack wrote it."""
    changed = "; ".join(dict.fromkeys(f"{_length(old)} to {_length(new[old])}" for old in olds))
    return Diagnostic(
        "twin-window-kept", f"{rule.id}: {by} changes the window on {override.field} ({changed}); "
        f"'{_said(kept)}' stays as the pack wrote it", where("field"), severity="warning",
        hint=f"if it should follow, give {rule.id} a window on {kept.field} too; if it should stay, "
        "nothing is needed")


def _length(window: Within) -> str:
    return _said_length(window.unit, window.amount)


def _said_length(unit: str, amount: float) -> str:
    return f"{_number(amount)} {unit_words(unit, amount)}"


def _number(amount: float) -> float | int:
    return int(amount) if amount == int(amount) else amount


def _window(loaded: LoadedPack, rule_id: str, old: Within, override: WindowOverride, where: Where) -> Within | None:
    """The new window, parsed as a rule file's; located at the key of the override that made it."""
    unit, amount = override.amount or (old.unit, old.amount)
    spec: dict[str, object] = {unit: amount, old.direction: old.ref}
    by = override.by if override.changes_by else (f"{old.by:%H:%M}" if old.by is not None else None)
    if by is not None:
        spec["by"] = by
    at = where("by") if override.changes_by else where(unit)
    window, problems = parse_window(old.field, spec, at)
    loaded.diagnostics.extend(dataclasses.replace(d, message=f"{rule_id}: {d.message}") for d in problems)
    return window


def _replaced(cond: Condition | None, new: dict[Within, Within]) -> Condition | None:
    if isinstance(cond, (All, AnyOf)):
        return dataclasses.replace(cond, children=tuple(_replaced(c, new) or c for c in cond.children))
    if isinstance(cond, Not):
        return dataclasses.replace(cond, child=_replaced(cond.child, new) or cond.child)
    return new.get(cond, cond) if isinstance(cond, Within) else cond


def _said(window: Within) -> str:
    """``school_notified_at within 1 working day after attended_at, by 08:30``."""
    return describe(window).replace(f"{window.field} is within ", f"{window.field} within ", 1)


def _was(old: Within, override: WindowOverride) -> str:
    """What the pack said of what the force changed: ``by 09:00``, ``1 year``, ``1 working day, by 09:00``."""
    parts = []
    if override.amount is not None:
        parts.append(_length(old))
    if override.changes_by:
        parts.append(f"by {old.by:%H:%M}" if old.by is not None else "no 'by'")
    return ", ".join(parts)
