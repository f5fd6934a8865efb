"""Dates as Vietnamese users write them (dd/mm/yyyy), and periods counted in months.

Every period the Party counts in months or years (age, probation, a certificate's validity, how long an
introducer has known the applicant, party age) goes through `add_months`, which counts them the way the Civil
Code does; `full_months_between`, `age_in_full_months` and `full_years_between` are built on it. The reasoning,
with the case of 29 February, is in docs/rules/members.md ("Counting months and years").
"""

import calendar
import datetime as dt

from .errors import DomainError


def today() -> dt.date:
    from django.utils import timezone

    return timezone.localdate()


def parse_vietnamese_date(value) -> dt.date:
    """A date from a cell or a field: a date, a datetime, or text 'dd/mm/yyyy'. Raises ValueError."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def add_months(start: dt.date, months: int) -> dt.date:
    """The day a period of `months` months counted from `start` ends (Bộ luật Dân sự 2015, Điều 147–148).

    The start day itself is not counted; the period ends on the day of the last month that bears the start's
    day number, or on that month's last day when the month has no such day: 15/01 + 1 month = 15/02,
    31/01 + 1 month = 28/02 (29/02 in a leap year), 29/02/2008 + 18 years = 28/02/2026. A negative count goes
    back in time the same way."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def full_months_between(start: dt.date, end: dt.date) -> int:
    """Whole months from `start` to `end`: the most months whose period (add_months) has ended on or before
    `end`. The day a period ends counts as reached: 15/01 → 15/02 is one month, 31/01 → 28/02 too."""
    months = (end.year - start.year) * 12 + (end.month - start.month)
    # add_months(start, months) falls in end's month; when it falls after `end`, the last month is not complete.
    return months if add_months(start, months) <= end else months - 1


def age_in_full_months(birth_date: dt.date, on: dt.date) -> int:
    """Age counted in whole months (the Charter's "tính theo tháng"): one born 29/02/2008 is 216 months,
    full 18, on 28/02/2026."""
    return full_months_between(birth_date, on)


def full_years_between(start: dt.date, end: dt.date) -> int:
    """Whole years from `start` to `end`, counted as twelve months each (age, party age)."""
    return full_months_between(start, end) // 12


def latest_start_for(months: int, end: dt.date) -> dt.date:
    """The latest start from which `months` whole months have passed on `end` (the inverse of
    full_months_between): full 18 on 28/02/2026 means born on or before 29/02/2008, not 28/02/2008."""
    start = add_months(end, -months)
    if end.day == calendar.monthrange(end.year, end.month)[1]:
        # A period ending on the last day of a month may start on any later day of the start month.
        start = start.replace(day=calendar.monthrange(start.year, start.month)[1])
    return start


# The founding of the Communist Party of Vietnam (3/2/1930): no decision, admission or party unit predates it.
PARTY_FOUNDED = dt.date(1930, 2, 3)


def party_date_problem(day: dt.date, label: str = "Ngày", *, on: dt.date | None = None) -> str | None:
    """Why `day` cannot be a date of party life, in Vietnamese; None when it can.

    The one bound for every date typed in the member registry, the organization tree and the admission steps
    (forms and services): not before the Party was founded, and not in the future. The system records what has
    been decided and has taken effect; a planned change (a merge from next month) is entered on its day, because
    applying it moves members and closes units at once. `on` stands for today where a check is dated (an import)."""
    # Not strftime: it writes year 24 as "24", and a typo such as 01/01/0024 must read as typed.
    typed = f"{day.day:02d}/{day.month:02d}/{day.year:04d}"
    if day < PARTY_FOUNDED:
        return f"{label} ({typed}) không được trước ngày thành lập Đảng ({PARTY_FOUNDED:%d/%m/%Y})."
    if day > (on or today()):
        return f"{label} ({typed}) không được sau ngày hôm nay."
    return None


def check_party_date(day: dt.date, label: str, field: str) -> None:
    """Raise a DomainError on `field` when `day` is outside the bounds of `party_date_problem`."""
    problem = party_date_problem(day, label)
    if problem:
        raise DomainError(problem, field=field)
