"""Checking a profile's ``population`` entries against the files a run read: an entry the sample outgrew,
one that is a typo of a file given, one that matches nothing this run read.

A population entry is a record file's name or a record type's (docs/reports.md). A key that is neither a
file name nor a record type of the pack is refused when the profile is loaded (``unknown-population``);
the rest can only be judged once the files are read and counted, so ``assess`` (the Python API as the CLI)
does it here, each problem at the entry's place in the profile."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from peelcheck.assess.model import InputFile
from peelcheck.assess.sampling import file_name, population_entries, rows_drawn
from peelcheck.errors import Diagnostic, Location

NOWHERE = Location("<population>")  # an entry given in AssessOptions with no place in a profile


def population_errors(populations: dict[str, int], places: dict[str, Location],
                      inputs: list[InputFile]) -> list[Diagnostic]:
    """Entries smaller than the rows audited from them, and entries that are a close misspelling of a file
    given that has no entry of its own (its records would silently go uncorrected)."""
    return [*_below_sample(populations, places, inputs), *_typos(populations, places, inputs)]


def population_warnings(populations: dict[str, int], places: dict[str, Location],
                        inputs: list[InputFile]) -> list[Diagnostic]:
    """Entries matching no file given and no record type read: the profile may be for more files than this
    run read, or the entry may be wrong; either way no correction came of it."""
    names, types = {file_name(s) for s in inputs}, {s.record_type for s in inputs}
    return [Diagnostic("unused-population", f"population {entry} matches no record file given and no record "
                       "type read: no correction came of it", places.get(entry, NOWHERE), severity="warning",
                       hint=f"files read: {', '.join(sorted(names)) or 'none'}; record types: "
                            f"{', '.join(sorted(types)) or 'none'}")
            for entry in populations
            if entry not in names and entry not in types and _typo_of(entry, populations, inputs) is None]


def _below_sample(populations: dict[str, int], places: dict[str, Location],
                  inputs: list[InputFile]) -> Iterable[Diagnostic]:
    """A sample holds no more records than there were to draw: an entry smaller than the rows audited would
    claim more certainty than a census has."""
    for record_type in sorted({source.record_type for source in inputs}):
        for entry, files in (population_entries(record_type, inputs, populations) or {}).items():
            if populations[entry] < (rows := rows_drawn(files)):
                yield Diagnostic(
                    "population-below-sample", f"population {entry}: {populations[entry]:,} records, but "
                    f"{rows:,} rows were audited from them ({', '.join(f.path for f in files)})",
                    places.get(entry, NOWHERE),
                    hint="give how many records the sample was drawn from: at least the rows audited (as many "
                         "for a census)")


def _typo_of(entry: str, populations: dict[str, int], inputs: list[InputFile]) -> str | None:
    """The file given, with no entry of its own, that ``entry`` (matching nothing) is a close misspelling of."""
    names = {file_name(s) for s in inputs}
    if entry in names or entry in {s.record_type for s in inputs}:
        return None
    close = difflib.get_close_matches(entry, sorted(names - set(populations)), n=1, cutoff=0.8)
    return close[0] if close else None


def _typos(populations: dict[str, int], places: dict[str, Location],
           inputs: list[InputFile]) -> Iterable[Diagnostic]:
    for entry in populations:
        if (meant := _typo_of(entry, populations, inputs)) is not None:
            yield Diagnostic("population-typo", f"population {entry} matches no record file given, but {meant} "
                             "has no entry of its own: its records would go uncorrected", places.get(entry, NOWHERE),
                             hint=f"did you mean {meant!r}? (a population entry is a record file's name or a "
                                  "record type)")
