"""The outcome vocabulary shared by the compilers, the evaluators, the assessment and the reports."""

from enum import Enum


class Outcome(str, Enum):
    """What one rule says of one record. Exactly one per (rule, record) pair."""

    NOT_APPLICABLE = "not_applicable"
    COMPLIANT = "compliant"
    NON_COMPLIANT = "non_compliant"
    NOT_RECORDED = "not_recorded"  # the evidence the rule needs is missing: never a silent pass


class RuleStatus(str, Enum):
    MET = "met"
    NOT_MET = "not_met"
    NOT_ASSESSED = "not_assessed"  # no record the rule applies to
    NOT_ASSESSABLE = "not_assessable"  # a column the rule's applicability needs is absent: a gap, not a pass
    MANUAL = "manual"  # cannot be checked from records: an auditor answers the rule's question
    DISABLED = "disabled"  # switched off by a force profile, with a reason
    INCONCLUSIVE = "inconclusive"  # --verdict interval: the rate's 95% interval straddles the threshold
    WAIVED = "waived"  # an approved, unexpired waiver covers the whole rule


# The kind of a failing record, as the engines code it (``evaluate.chunk_result``: ``position << 2 | kind``)
# and the SQL compiler's expressions give it: which outcome, and which part of the rule was at fault.
NON_COMPLIANT, NOT_RECORDED, WHEN_NOT_RECORDED, NOT_RECORDED_SOMEWHERE = range(4)
OUTCOME = (Outcome.NON_COMPLIANT, Outcome.NOT_RECORDED, Outcome.NOT_RECORDED, Outcome.NOT_RECORDED)
PART = ("expect", "expect", "when", None)  # None: explain works it out
