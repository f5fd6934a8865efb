"""Dates as Vietnamese users write them (dd/mm/yyyy) and whole-month ages."""

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


def full_years_between(start: dt.date, end: dt.date) -> int:
    years = end.year - start.year
    if (end.month, end.day) < (start.month, start.day):
        years -= 1
    return years


def full_months_between(start: dt.date, end: dt.date) -> int:
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if end.day < start.day:
        months -= 1
    return months


def add_months(start: dt.date, months: int) -> dt.date:
    """Same day `months` later, clamped to the month's end (31/01 + 1 month = 28/02 or 29/02)."""
    import calendar

    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


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
