"""Words for an area's indicative status, shared by the text, Markdown and HTML reports.

Every rendering carries the notice beside the label and names the rubric's source, so the status is never
read as the inspectorate's grade.
"""

from __future__ import annotations

from peelcheck.assess.rubric import INDICATIVE_NOTICE, IndicativeStatus

_CONDITION_WORDS = {
    "max_not_met_causes_of_concern": "causes of concern or recommendations not met ≤ {:g}",
    "max_not_met_areas_for_improvement": "areas for improvement not met ≤ {:g}",
    "max_not_met": "rules not met ≤ {:g}",
    "max_not_met_share": "share not met ≤ {:.0%}",
    "min_decided": "rules met or not met ≥ {:g}",
}


def source_words(status: IndicativeStatus) -> str:
    return f"rubric \"{status.rubric}\" of {status.source} {status.source_id}"


def rule_words(status: IndicativeStatus) -> str:
    """Why the area reached its level: the level's conditions and the area's figures."""
    held = "; ".join(_CONDITION_WORDS[name].format(value) for name, value in status.rule_of_rubric.items())
    c = status.counts
    figures = (f"{c.met} met, {c.not_met} not met ({c.not_met_causes_of_concern} causes of concern or "
               f"recommendations, {c.not_met_areas_for_improvement} areas for improvement)")
    if c.undecided:
        figures += f"; {c.undecided} more neither met nor not met, not read"
    return f"level {status.level} of {status.levels}{': ' + held if held else ' (no better level fits)'}; {figures}"


def status_line(status: IndicativeStatus | None, withheld: str | None = None) -> str:
    """One line for a plain-text or Markdown report (``withheld``: why there is no status)."""
    if status is None:
        return f"Indicative status: none ({withheld or 'no rule met or not met, or no rubric'}) - {INDICATIVE_NOTICE}"
    return (f"{status.label} - {INDICATIVE_NOTICE}; {source_words(status)}; {rule_words(status)}")
