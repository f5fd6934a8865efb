"""Working days in Viet Nam: Monday–Friday, minus public holidays (Tết included), plus the Saturdays
the Government swaps in as working days. The calendar comes from the `holidays` package, never a
hand-written list: it follows the Prime Minister's yearly decisions on days off and swapped days.
"""

import datetime as dt
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _calendar(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("VN", years=year)


def is_working_day(day: dt.date) -> bool:
    # is_working_day knows both the substituted days off and the swapped-in Saturdays (weekend_workdays).
    return _calendar(day.year).is_working_day(day)


def holiday_name(day: dt.date) -> str | None:
    return _calendar(day.year).get(day)


def add_working_days(start: dt.date, count: int) -> dt.date:
    """The `count`-th working day after `start` (the start day itself is not counted)."""
    if count < 0:
        raise ValueError("count must be non-negative")
    day = start
    while count:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            count -= 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count
