"""A force's profile: its own thresholds, rules it switches off (with reasons), and local standards,
kept beside the pack rather than edited into it. An overlay pack can say the same in its pack.yaml."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import ConfigDict, Field

from peelcheck.schema.mapping import ColumnMapping
from peelcheck.schema.pack import Closed, DisabledRule, Slug, ThresholdOverride
from peelcheck.schema.rubric import Rubric
from peelcheck.schema.rule import RuleId
from peelcheck.schema.timezones import TimezoneName
from peelcheck.schema.windows import WindowOverride, WindowOverrides, one_or_many_schema

__all__ = ["DisabledRule", "Profile", "ThresholdOverride", "WindowOverride", "local_rules_dir"]


class Profile(Closed):
    """profile.yaml."""

    model_config = ConfigDict(extra="forbid", frozen=True, json_schema_extra=one_or_many_schema)

    id: Slug
    title: str
    pack: Slug = Field(description="The pack this profile applies to: an overlay's id, or any pack it extends; "
                                   "also the pack assessed when no --pack is given.")
    description: str | None = None
    thresholds: dict[RuleId, ThresholdOverride] = Field(default_factory=dict)
    disable: list[DisabledRule] = Field(default_factory=list)
    windows: dict[RuleId, WindowOverrides] = Field(
        default_factory=dict, description="A rule's time window changed for this force, with the reason (one "
        "override, or a list of them, one per window field): see docs/packs.md.")
    population: dict[str, Annotated[int, Field(ge=1)]] = Field(
        default_factory=dict, description="How many records each audit sample was drawn from, by record file name "
        "or record type (its files without an entry of their own, together): rates' intervals get the finite "
        "population correction. At least the rows audited; as many for a census (exact rates).")
    local_rules: str | None = Field(default=None, description="Folder of local rule files, relative to the profile.")
    timezone: TimezoneName | None = Field(default=None, description="Where the force's naive times were recorded (IANA "
                                                           "name; default the pack's, else Europe/London).")
    mappings: list[ColumnMapping] = Field(default_factory=list, description="The force's own column mappings, "
                                          "chosen with --mapping NAME like the pack's.")

    rubric: Rubric | None = Field(default=None, description="The force's own rubric for indicative area "
                                  "statuses, in place of the pack's.")



def local_rules_dir(profile: Profile, profile_path: Path) -> Path | None:
    return (profile_path.parent / profile.local_rules) if profile.local_rules else None
