"""Periods in months and years, counted as the Civil Code counts them (Bộ luật Dân sự 2015, Điều 147–148).

The start day is not counted; a period of n months ends on the day of the last month bearing the start's day
number, or on that month's last day when it has none. The day a period ends counts as reached. So one born
29/02/2008 is full 18 on 28/02/2026 (2026 has no 29/02: the 216-month period ends on the last day of
February), not on 01/03/2026; full 18 on 29/02/2024 for one born 29/02/2006. docs/rules/members.md gives the
reasoning.
"""

import datetime as dt

import pytest

from members.selectors import birth_date_range_for_age_band
from partyorg.lib.dates import add_months, age_in_full_months, full_months_between, full_years_between, latest_start_for

D = dt.date


@pytest.mark.parametrize(
    "start, months, end",
    [
        (D(2024, 1, 15), 1, D(2024, 2, 15)),
        (D(2025, 1, 31), 1, D(2025, 2, 28)),  # February has no 31st: its last day
        (D(2024, 1, 31), 1, D(2024, 2, 29)),  # leap year
        (D(2025, 3, 31), 1, D(2025, 4, 30)),
        (D(2024, 2, 29), 12, D(2025, 2, 28)),  # probation from a ceremony on 29/02
        (D(2008, 2, 29), 216, D(2026, 2, 28)),  # 18 years
        (D(2006, 2, 28), 216, D(2024, 2, 28)),
        (D(2020, 1, 15), 60, D(2025, 1, 15)),  # a certificate's 60 months
        (D(2025, 12, 31), 2, D(2026, 2, 28)),  # across the year
        (D(2026, 3, 31), -1, D(2026, 2, 28)),  # backwards
    ],
)
def test_add_months_ends_on_the_matching_day_or_the_last_day_of_the_month(start, months, end):
    assert add_months(start, months) == end


@pytest.mark.parametrize(
    "start, end, months",
    [
        (D(2024, 1, 15), D(2024, 2, 14), 0),
        (D(2024, 1, 15), D(2024, 2, 15), 1),  # the day the month ends counts as reached
        (D(2025, 1, 31), D(2025, 2, 27), 0),
        (D(2025, 1, 31), D(2025, 2, 28), 1),  # month end: one month is complete on 28/02
        (D(2025, 1, 30), D(2025, 2, 28), 1),
        (D(2025, 2, 28), D(2025, 3, 28), 1),
        (D(2025, 2, 28), D(2025, 3, 27), 0),
        (D(2024, 2, 29), D(2025, 2, 27), 11),
        (D(2024, 2, 29), D(2025, 2, 28), 12),  # introducer "12 months together" since 29/02/2024
        (D(2024, 4, 15), D(2024, 4, 10), -1),
    ],
)
def test_full_months_between_at_month_ends_and_29_february(start, end, months):
    assert full_months_between(start, end) == months


def test_age_in_full_months_at_the_boundaries():
    assert age_in_full_months(D(2006, 4, 15), D(2024, 4, 15)) == 216  # 18th birthday
    assert age_in_full_months(D(2006, 4, 16), D(2024, 4, 15)) == 215  # the day before
    assert age_in_full_months(D(1964, 4, 15), D(2024, 4, 15)) == 720  # exactly 60: no consent needed
    assert age_in_full_months(D(1964, 3, 15), D(2024, 4, 15)) == 721  # over 60
    assert age_in_full_months(D(2008, 2, 29), D(2026, 2, 28)) == 216  # no 29/02 in 2026: full 18 that day
    assert age_in_full_months(D(2008, 2, 29), D(2026, 2, 27)) == 215
    assert age_in_full_months(D(2006, 2, 28), D(2024, 2, 28)) == 216
    assert age_in_full_months(D(2004, 2, 29), D(2022, 2, 28)) == 216
    assert age_in_full_months(D(2006, 1, 31), D(2024, 2, 29)) == 217


def test_full_years_are_twelve_full_months():
    assert full_years_between(D(2008, 2, 29), D(2026, 2, 28)) == 18
    assert full_years_between(D(2008, 2, 29), D(2026, 2, 27)) == 17
    assert full_years_between(D(1980, 4, 12), D(2026, 4, 12)) == 46
    assert full_years_between(D(1980, 4, 12), D(2026, 4, 11)) == 45


def _days(start: dt.date, end: dt.date):
    day = start
    while day <= end:
        yield day
        day += dt.timedelta(days=1)


def test_full_months_between_is_the_count_add_months_defines_over_four_years():
    """Every start over a leap cycle against ends within the next 14 months: n months are complete on `end`
    exactly when add_months(start, n) is on or before it."""
    for start in _days(D(2023, 1, 1), D(2024, 12, 31)):
        for offset in (27, 28, 29, 30, 31, 59, 60, 365, 366, 400):
            end = start + dt.timedelta(days=offset)
            months = full_months_between(start, end)
            assert add_months(start, months) <= end < add_months(start, months + 1), (start, end)


def test_latest_start_for_is_the_inverse_of_full_months_between():
    for end in _days(D(2024, 1, 1), D(2026, 12, 31)):
        for months in (1, 12, 216):
            latest = latest_start_for(months, end)
            assert full_months_between(latest, end) >= months, (end, months)
            assert full_months_between(latest + dt.timedelta(days=1), end) < months, (end, months)


def test_age_band_counts_the_29_february_birthday_like_the_admission_rules():
    born_from, born_to = birth_date_range_for_age_band("18-30", on=D(2026, 2, 28))
    assert born_to == D(2008, 2, 29)  # full 18 that day
    assert born_from == D(1995, 3, 1)  # born 28/02/1995 turned 31 that day
