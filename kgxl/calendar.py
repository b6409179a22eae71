"""School days: weekdays in the term, minus statutory holidays, plus official make-up workdays
(chinesecalendar), with the kindergarten's own 节假日调整 rows taking precedence.
"""
from __future__ import annotations

import datetime as dt

import chinese_calendar

OFF = ("放假", "园所停课")
ON = ("补班",)


def known_year(year: int) -> bool:
    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
        return True
    except NotImplementedError:
        return False


def is_school_day(d: dt.date, overrides: dict[dt.date, str]) -> bool:
    kind = overrides.get(d)
    if kind in OFF:
        return False
    if kind in ON:
        return True
    if known_year(d.year):
        return chinese_calendar.is_workday(d)
    return d.weekday() < 5  # year unknown to the package: weekdays (the caller warns)


def school_days(start: dt.date, end: dt.date, overrides: dict[dt.date, str] | None = None) -> list[dt.date]:
    overrides = overrides or {}
    days = (start + dt.timedelta(n) for n in range((end - start).days + 1))
    return [d for d in days if is_school_day(d, overrides)]


def month_bounds(month: str) -> tuple[dt.date, dt.date]:
    y, m = (int(x) for x in month.split("-"))
    first = dt.date(y, m, 1)
    nxt = dt.date(y + (m == 12), m % 12 + 1, 1)
    return first, nxt - dt.timedelta(days=1)
