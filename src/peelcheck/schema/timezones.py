"""Timezones: where a force's naive times were recorded.

Mappings, profiles and packs declare one (an IANA name, checked when read); the record validators
convert times with an offset to wall-clock time in it.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator

DEFAULT_TIMEZONE = "Europe/London"


def zone_info(name: str) -> Any:
    """The named IANA timezone, or a ValueError saying it is unknown."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown timezone {name!r} (an IANA name such as Europe/London)") from exc


def _known_zone(name: str) -> str:
    zone_info(name)
    return name


# An IANA timezone name, checked when read (mappings and profiles both declare one).
TimezoneName = Annotated[str, AfterValidator(_known_zone)]
