"""Every number the Party sets for admission and probation, with the document and its effective date.

A dossier is judged by the rules in force on the date that starts each count: eligibility by the
date of the branch vote, the decision deadline by the date of the branch resolution, and so on.
Sources and confidence: /work/shared/domain/rules.md §3–4. The numbers did not change between the
three implementing regulations below; they are kept as separate entries so that a change in a new
document is one new entry, and older dossiers keep the rules of their dates.
"""

import datetime as dt
import math
from dataclasses import dataclass, field
from fractions import Fraction

from .models import EducationException, GeneralEducation

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
class Rule:
    """The admission and probation numbers of one implementing regulation, from its effective date."""

    document: str
    effective: dt.date
    # Eligibility (Điều lệ Đảng Điều 1; rules §3.1): age in full months at the branch vote.
    minimum_age_months: int = 18 * 12
    maximum_age_months: int = 60 * 12
    minimum_education: str = GeneralEducation.LOWER_SECONDARY
    # Secretariat guidance for mountain, border, island, ethnic-minority and very poor areas.
    education_exceptions: dict = field(
        default_factory=lambda: {
            EducationException.SPECIAL_AREA: GeneralEducation.PRIMARY,
            EducationException.VILLAGE_ELDER: GeneralEducation.LITERATE,
        }
    )
    # The Party-awareness course certificate (HD 06-HD/TW point 5.4; rules §3.3).
    certificate_valid_months: int = 60
    # Introducers (Điều lệ Đảng Điều 4; rules §3.2).
    introducer_known_months: int = 12
    youth_union_max_age: int = 30  # "in youth age": Điều lệ Đoàn, 16 to 30
    # Votes (rules §3.4 steps 7 and 9, §4).
    branch_vote_threshold: Fraction = Fraction(2, 3)
    base_vote_threshold: Fraction = Fraction(2, 3)
    failed_votes_before_escalation: int = 3
    # Deadlines (rules §3.4 steps 10–11, §4).
    decision_within: WorkingDays = WorkingDays(60)
    decision_extension_max: WorkingDays = WorkingDays(30)
    ceremony_within: WorkingDays = WorkingDays(30)
    probation_months: int = 12
    recognition_branch_within: WorkingDays = WorkingDays(30)
    recognition_decision_within: WorkingDays = WorkingDays(30)

    def cite(self) -> str:
        return f"{self.document}, hiệu lực từ {self.effective:%d/%m/%Y}"


RULES = [
    Rule("Quy định 24-QĐ/TW và Hướng dẫn 01-HD/TW", effective=dt.date(2021, 7, 30)),
    Rule("Quy định 232-QĐ/TW", effective=dt.date(2025, 1, 20)),
    Rule("Quy định 294-QĐ/TW và Hướng dẫn 06-HD/TW", effective=dt.date(2025, 7, 1)),
]


def rules_in_force(*, on: dt.date) -> Rule:
    """The rule whose effective date is the latest on or before `on` (the oldest one before all)."""
    in_force = [rule for rule in RULES if rule.effective <= on]
    return max(in_force, key=lambda rule: rule.effective) if in_force else RULES[0]


def vote_passes(*, in_favour_count: int, eligible_count: int, threshold: Fraction) -> bool:
    """At least `threshold` of the eligible count voted in favour (exact, no rounding)."""
    return eligible_count > 0 and Fraction(in_favour_count, eligible_count) >= threshold


# Nghị quyết 21-NQ/TW (16/6/2022): admissions each year reach 3–4% of the members (rules §11). A plan's
# default target is the midpoint, which the committee then adjusts. Exact fractions: 200 × 3.5% is 7, not 8.
ADMISSION_TARGET_DOCUMENT = "Nghị quyết 21-NQ/TW"
ADMISSION_TARGET_SHARES = (Fraction(3, 100), Fraction(35, 1000), Fraction(4, 100))  # low, default, high


def admission_targets(members_at_start: int) -> tuple[int, int, int]:
    """(low, default, high) admissions for a year, rounded up, from the members at the start of the year."""
    return tuple(math.ceil(members_at_start * share) for share in ADMISSION_TARGET_SHARES)
