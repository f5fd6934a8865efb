"""The Party's numbers the member registry needs, by the document that sets them and its effective date.

A record is judged by the rules in force on the date that starts each count (the admission decision for the
minimum age, the ceremony for probation). The implementing regulations of the Charter listed here are the one
table of documents and dates: admissions.rules builds the admission numbers on the same entries (imports run
organizations → members → admissions, so this module cannot read that one). The numbers did not change between
these documents; each is its own entry so that a change in a new document is one new entry, and older records
keep the rules of their dates. Sources, articles and how sure we are: docs/rules/.
"""

import datetime as dt
from dataclasses import dataclass
from typing import TypeVar

from partyorg.lib.dates import add_months


@dataclass(frozen=True)
class Regulation:
    """The registry's numbers under one implementing regulation of the Charter, from its effective date."""

    document: str
    effective: dt.date
    # Age at admission, in full months (Điều lệ Đảng 2011, Điều 1; docs/rules/admission.md "Age").
    minimum_age_months: int = 18 * 12
    maximum_age_months: int = 60 * 12
    # Probation runs 12 months from the ceremony (Điều lệ Đảng 2011, Điều 5; docs/rules/probation.md).
    probation_months: int = 12
    # A branch has at least 3 full members (Điều lệ Đảng 2011, Điều 21; docs/rules/organizations.md).
    branch_minimum_full_members: int = 3

    def cite(self) -> str:
        return f"{self.document}, hiệu lực từ {self.effective:%d/%m/%Y}"

    @property
    def minimum_age_years(self) -> int:
        return self.minimum_age_months // 12

    @property
    def maximum_age_years(self) -> int:
        return self.maximum_age_months // 12


REGULATIONS = [
    Regulation("Quy định 29-QĐ/TW", effective=dt.date(2016, 7, 25)),
    Regulation("Quy định 24-QĐ/TW và Hướng dẫn 01-HD/TW", effective=dt.date(2021, 7, 30)),
    Regulation("Quy định 232-QĐ/TW", effective=dt.date(2025, 1, 20)),
    Regulation("Quy định 294-QĐ/TW và Hướng dẫn 06-HD/TW", effective=dt.date(2025, 7, 1)),
]

# The regulation whose numbers fixed labels quote (a field's name, a step's name); judging a case always reads the
# regulation in force on its own date.
LATEST_REGULATION = max(REGULATIONS, key=lambda regulation: regulation.effective)

Entry = TypeVar("Entry", bound=Regulation)


def in_force(entries: list[Entry], *, on: dt.date) -> Entry:
    """The entry whose effective date is the latest on or before `on`. Before the first one, the first one:
    the numbers it sets (18 years, 12 months, 3 members) were already the Charter's (docs/rules/README.md)."""
    started = [entry for entry in entries if entry.effective <= on]
    return max(started, key=lambda entry: entry.effective) if started else min(entries, key=lambda e: e.effective)


def member_rules_in_force(*, on: dt.date) -> Regulation:
    return in_force(REGULATIONS, on=on)


def probation_ends_on(ceremony_held_on: dt.date) -> dt.date:
    """The day the probation that started with the ceremony ends: the member is official as of that day."""
    return add_months(ceremony_held_on, member_rules_in_force(on=ceremony_held_on).probation_months)
