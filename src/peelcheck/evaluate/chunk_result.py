"""What an engine gives for a chunk of records: per rule, how many records it does not apply to,
and its failing records, each written as one int, ``position << 2 | kind``.

Compliant records are what is left, so the python engine touches nothing for them; the kind
(``schema.outcomes``: the SQL compiler writes the same codes) says which outcome and, where the
engine knows it, which part of the rule failed, so the explanation need not test the rule again.
"""

from __future__ import annotations

from peelcheck.schema.outcomes import NON_COMPLIANT, NOT_RECORDED_SOMEWHERE, OUTCOME, Outcome

# (not applicable per rule, failing codes per rule)
ChunkResult = tuple[list[int], list[list[int]]]


def from_outcomes(outcomes: list[list[Outcome]]) -> ChunkResult:
    """A chunk result from one outcome per rule and record (durable-rules' answer, which does not
    say which part of a rule was not recorded)."""
    nc, nr = Outcome.NON_COMPLIANT, Outcome.NOT_RECORDED  # compared by identity: an enum hashes in Python
    failing = [[i << 2 | (NON_COMPLIANT if o is nc else NOT_RECORDED_SOMEWHERE) for i, o in enumerate(rule)
                if o is nc or o is nr] for rule in outcomes]
    return [rule.count(Outcome.NOT_APPLICABLE) for rule in outcomes], failing


def outcomes(size: int, not_applicable: int, codes: list[int]) -> list[Outcome]:
    """Every record's outcome, for a chunk of one record (tests, which compare engines record by record)."""
    if size != 1:
        raise ValueError("outcomes of single-record chunks only: compliant and not applicable are counted, not listed")
    if not_applicable:
        return [Outcome.NOT_APPLICABLE]
    return [OUTCOME[codes[0] & 3]] if codes else [Outcome.COMPLIANT]
