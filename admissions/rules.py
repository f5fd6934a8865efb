"""Every number the Party sets for admission and probation, with the document and its effective date.

A dossier is judged by the rules in force on the date that starts each count: eligibility by the date of the
branch vote, the decision deadline by the date of the branch resolution, and so on. The documents and their
dates are members.rules.REGULATIONS; each admission rule below extends one of them with the admission numbers,
so that both apps read one table. Sources, articles and how sure we are: docs/rules/admission.md and
docs/rules/probation.md.
"""

import datetime as dt
import math
from dataclasses import dataclass, field, fields
from fractions import Fraction

from members.rules import LATEST_REGULATION, REGULATIONS, Regulation, in_force

from .models import BRANCH_VOTE_KINDS, EducationException, GeneralEducation

# Schooling levels, lowest first, to compare a candidate's level with the minimum.
EDUCATION_ORDER = [
    GeneralEducation.LITERATE,
    GeneralEducation.PRIMARY,
    GeneralEducation.LOWER_SECONDARY,
    GeneralEducation.UPPER_SECONDARY,
]


@dataclass(frozen=True)
class WorkingDays:
    count: int

    def __str__(self) -> str:
        return f"{self.count} ngày làm việc"


@dataclass(frozen=True)
class Rule(Regulation):
    """The admission and probation numbers of one implementing regulation, from its effective date (the age
    limits, probation and the branch minimum come from members.rules.Regulation)."""

    minimum_education: str = GeneralEducation.LOWER_SECONDARY
    # Secretariat guidance for mountain, border, island, ethnic-minority and very poor areas.
    education_exceptions: dict = field(
        default_factory=lambda: {
            EducationException.SPECIAL_AREA: GeneralEducation.PRIMARY,
            EducationException.VILLAGE_ELDER: GeneralEducation.LITERATE,
        }
    )
    # The Party-awareness course certificate (docs/rules/admission.md "Certificate").
    certificate_valid_months: int = 60
    # Introducers (Điều lệ Đảng, Điều 4; docs/rules/admission.md "Introducers").
    introducer_known_months: int = 12
    youth_union_max_age: int = 30  # "in youth age": Điều lệ Đoàn, 16 to 30
    # Votes: ≥ 2/3 of the branch's full members, of the base committee's members (docs/rules/admission.md "Votes").
    branch_vote_threshold: Fraction = Fraction(2, 3)
    base_vote_threshold: Fraction = Fraction(2, 3)
    failed_votes_before_escalation: int = 3
    # Deadlines (docs/rules/admission.md "Deadlines", docs/rules/probation.md).
    decision_within: WorkingDays = WorkingDays(60)
    decision_extension_max: WorkingDays = WorkingDays(30)
    ceremony_within: WorkingDays = WorkingDays(30)
    recognition_branch_within: WorkingDays = WorkingDays(30)
    recognition_decision_within: WorkingDays = WorkingDays(30)

    def vote_threshold(self, kind: str) -> Fraction:
        """The share a vote of this kind must reach: a branch's vote, or a base committee's."""
        return self.branch_vote_threshold if kind in BRANCH_VOTE_KINDS else self.base_vote_threshold


def admission_rule(regulation: Regulation, **changes) -> Rule:
    """The admission rule of a regulation: its registry numbers, the admission defaults, and what it changes."""
    return Rule(**{f.name: getattr(regulation, f.name) for f in fields(Regulation)}, **changes)


# One entry per regulation; a regulation that changes an admission number passes it, e.g.
# admission_rule(regulation, certificate_valid_months=48).
RULES = [admission_rule(regulation) for regulation in REGULATIONS]


def rules_in_force(*, on: dt.date) -> Rule:
    """The rule whose effective date is the latest on or before `on` (the oldest one before all)."""
    return in_force(RULES, on=on)


def rule_named(document: str) -> Rule | None:
    """The rule a vote or a deadline cited by its document's name (stored as Vote.rule_source)."""
    return next((rule for rule in RULES if rule.document == document), None)


# The rule whose numbers the labels of steps and forms quote; judging a case always reads rules_in_force.
LATEST_RULE = max(RULES, key=lambda rule: rule.effective)
assert LATEST_RULE.document == LATEST_REGULATION.document


def vote_passes(*, in_favour_count: int, eligible_count: int, threshold: Fraction) -> bool:
    """At least `threshold` of the eligible count voted in favour (exact, no rounding)."""
    return eligible_count > 0 and Fraction(in_favour_count, eligible_count) >= threshold


# Nghị quyết 21-NQ/TW (16/6/2022): admissions each year reach 3–4% of the members
# (docs/rules/admission.md "Yearly target"). A plan's default target is the midpoint, which the committee then
# adjusts. Exact fractions: 200 × 3.5% is 7, not 8.
ADMISSION_TARGET_DOCUMENT = "Nghị quyết 21-NQ/TW"
ADMISSION_TARGET_SHARES = (Fraction(3, 100), Fraction(35, 1000), Fraction(4, 100))  # low, default, high


def admission_targets(members_at_start: int) -> tuple[int, int, int]:
    """(low, default, high) admissions for a year, rounded up, from the members at the start of the year."""
    return tuple(math.ceil(members_at_start * share) for share in ADMISSION_TARGET_SHARES)
