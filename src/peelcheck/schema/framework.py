"""Pydantic models of a PEEL Assessment Framework registry, and of a rule's citations of it.

A registry (``framework/<edition-slug>.yaml`` in a core pack) lists an edition's core questions and its
characteristics of good, each with an id and a short summary in the pack's own words. Rules cite
characteristics by edition and id; validate checks every citation against the registry.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Annotated

from pydantic import Field, StringConstraints

from peelcheck.schema.pack import Closed

CharacteristicId = Annotated[str, StringConstraints(pattern=r"^[0-9]{1,2}(\.[0-9]{1,2}){1,2}$")]
QuestionId = Annotated[str, StringConstraints(pattern=r"^[0-9]{1,2}$")]
Edition = Annotated[str, StringConstraints(pattern=r"^20[0-9]{2}(/[0-9]{2}|-[0-9]{2})$")]


class Numbering(str, Enum):
    OFFICIAL = "official"  # the framework prints the numbers
    BY_POSITION = "by-position"  # bulleted online: numbered here by question, topic and bullet position


class ThresholdBasis(str, Enum):
    """Where a rule's number comes from (shown beside every threshold)."""

    NATIONAL_STANDARD = "national-standard"
    INSPECTORATE_FIGURE = "inspectorate-figure"
    PACK_DEFAULT = "pack-default"
    FORCE_CHOICE = "force-choice"


class Question(Closed):
    """A core question of the edition, named in the pack's words."""

    id: QuestionId
    text: Annotated[str, StringConstraints(min_length=1)]


class Characteristic(Closed):
    """A characteristic of good: its id in the edition and a short paraphrase (never the framework's text)."""

    id: CharacteristicId
    question: QuestionId
    summary: Annotated[str, StringConstraints(min_length=1, max_length=300)]
    checked: bool = Field(default=False, description="True where the id and wording were read in a copy of the "
                          "published edition; false where they were placed from the edition's structure and "
                          "need checking against it.")


class FrameworkRegistry(Closed):
    """framework/<edition-slug>.yaml: one edition of the PEEL Assessment Framework."""

    edition: Edition
    title: str
    published: dt.date
    numbering: Numbering
    url: str | None = Field(default=None, description="Where the edition is published.")
    note: str | None = None
    questions: list[Question] = Field(min_length=1)
    characteristics: list[Characteristic] = Field(min_length=1)

    def characteristic(self, characteristic_id: str) -> Characteristic | None:
        return next((c for c in self.characteristics if c.id == characteristic_id), None)


class FrameworkCitation(Closed):
    """A rule's citation: the characteristic of good it gives evidence for."""

    edition: Edition
    characteristic: CharacteristicId
    note: str | None = None


class StandardCitation(Closed):
    """The national standard a rule rests on: its name and the section, paragraph or right."""

    standard: Annotated[str, StringConstraints(min_length=1)]
    section: Annotated[str, StringConstraints(min_length=1)]
    note: str | None = None


def edition_slug(edition: str) -> str:
    """The registry file name of an edition: 2021/22 -> 2021-22."""
    return edition.replace("/", "-")
