"""A force's own time window for a rule (``windows:`` in a profile or an overlay's pack.yaml): the amount
and unit of a ``within`` window, its ``by``, or both, with the reason. The direction and the reference
stay the pack's; the rule language's parser and the compiler judge the window that results."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, Field, model_validator

from peelcheck.schema.basics import Closed, Identifier, Reason
from peelcheck.schema.conditions import WINDOW_UNITS

BY_PATTERN = "^([01][0-9]|2[0-3]):[0-5][0-9]$"


class _Amounts(Closed):
    """A window's length, in at most one of the units a ``within`` takes."""

    minutes: float | None = Field(default=None, ge=0)
    hours: float | None = Field(default=None, ge=0)
    days: float | None = Field(default=None, ge=0)
    working_days: int | None = Field(default=None, ge=0)
    months: int | None = Field(default=None, ge=0)
    years: int | None = Field(default=None, ge=0)

    @property
    def units(self) -> list[str]:
        """The units given (more than one is refused)."""
        return [unit for unit in WINDOW_UNITS if getattr(self, unit) is not None]

    @property
    def amount(self) -> tuple[str, float] | None:
        """The unit and amount given, if any."""
        return next(((unit, getattr(self, unit)) for unit in self.units), None)


class WindowLength(_Amounts):
    """A window's length as the pack writes it (``{working_days: 5}``): which of a field's windows an entry
    changes, where the rule has several of different lengths on it."""

    @model_validator(mode="after")
    def _one_length(self) -> WindowLength:
        if len(self.units) != 1:
            raise ValueError(f"give one length ({', '.join(WINDOW_UNITS)})" if not self.units
                             else f"give one length, not {' and '.join(self.units)}")
        return self

    @property
    def length(self) -> tuple[str, float]:
        """Its unit and amount (the validator made sure there is exactly one)."""
        unit = self.units[0]
        return unit, getattr(self, unit)


class WindowOverride(_Amounts):
    """One window of a rule, changed by a force: ``field`` names the window (the field it tests), and the
    new amount is in one of the units (or none, where only ``by`` changes)."""

    field: Identifier = Field(description="The field the window tests: every 'within' on it in the rule's "
                              "'when' and 'expect' changes, and a deadline's 'not yet due' window of the same "
                              "length on its reference (before the assessment date) moves with it.")
    by: str | None = Field(default=None, description="The time of day (\"HH:MM\", in quotes) a window in working "
                           "days after a datetime ends at; null takes the pack's away (the window ends with its "
                           "last working day).", json_schema_extra={"pattern": BY_PATTERN})
    was: WindowLength | None = Field(default=None, description="Which of the field's windows changes, by its "
                                     "length in the pack ({working_days: 5}); without it, every window on the "
                                     "field changes.")
    reason: Reason

    @model_validator(mode="after")
    def _something_changes(self) -> WindowOverride:
        if len(self.units) > 1:
            raise ValueError(f"give one amount, not {' and '.join(self.units)}")
        if not self.units and not self.changes_by:
            raise ValueError(f"give the window's new amount ({', '.join(WINDOW_UNITS)}) or its 'by', or both")
        return self

    @property
    def changes_by(self) -> bool:
        """Whether the force gives a ``by``: a time, or null to take the pack's away."""
        return "by" in self.model_fields_set



def _one_or_many(value: Any) -> Any:
    """A rule's entry is one override, or a list of them (one per window field)."""
    return [value] if isinstance(value, dict) else value


WindowOverrides = Annotated[list[WindowOverride], BeforeValidator(_one_or_many)]


def one_or_many_schema(schema: dict[str, Any]) -> None:
    """In the JSON Schema, a rule's entry under ``windows`` is one override or a list of them (pydantic
    sees the list the validator makes)."""
    windows = schema["properties"]["windows"]
    for key in ("additionalProperties", "patternProperties"):
        if isinstance(windows.get(key), dict) and "items" not in windows[key]:  # rule id pattern -> entry
            windows[key] = {pattern: {"anyOf": [entry["items"], entry]} for pattern, entry in windows[key].items()}
        elif isinstance(windows.get(key), dict):
            windows[key] = {"anyOf": [windows[key]["items"], windows[key]]}


__all__ = ["WindowLength", "WindowOverride", "WindowOverrides", "one_or_many_schema"]
