"""School days: weekdays in the term, minus statutory holidays, plus official make-up workdays
(chinesecalendar), with the kindergarten's own 节假日调整 rows taking precedence.

chinesecalendar knows the State Council's schedule only for the years in its data; for a later
year without 节假日调整 rows we fall back to weekdays and say so (a 警告 naming the month).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

import chinese_calendar

from kgxl.core.problems import WARNING, Problem
from kgxl.core.schema import load_schemas

if TYPE_CHECKING:
    from kgxl.core.reading import Table

OFF = ("放假", "园所停课")
ON = ("补班",)


@lru_cache(maxsize=None)
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
    return d.weekday() < 5  # year unknown to the package: weekdays (SchoolCalendar warns)


def school_days(start: dt.date, end: dt.date, overrides: dict[dt.date, str] | None = None) -> list[dt.date]:
    overrides = overrides or {}
    days = (start + dt.timedelta(n) for n in range((end - start).days + 1))
    return [d for d in days if is_school_day(d, overrides)]


def month_bounds(month: str) -> tuple[dt.date, dt.date]:
    y, m = (int(x) for x in month.split("-"))
    first = dt.date(y, m, 1)
    nxt = dt.date(y + (m == 12), m % 12 + 1, 1)
    return first, nxt - dt.timedelta(days=1)


def months_of(days) -> list[str]:
    """The YYYY-MM of each day (formatted once per distinct day: a column holds few)."""
    label = {d: d.strftime("%Y-%m") for d in set(days)}
    return [label[d] for d in days]


def month_label(month: str) -> str:
    """2026-09 -> 2026年9月"""
    y, m = month.split("-")
    return f"{y}年{int(m)}月"


def month_end_in_term(month: str, term_end: dt.date) -> dt.date:
    """The last day a monthly report counts: the month's end, or the term's if that comes first."""
    return min(month_bounds(month)[1], term_end)


def add_months(d: dt.date, n: int) -> dt.date:
    """The same day n months later (the month's last day when it has no such day)."""
    y, m = divmod(d.month - 1 + n, 12)
    first = dt.date(d.year + y, m + 1, 1)
    return min(first.replace(day=1) + dt.timedelta(days=d.day - 1), month_bounds(first.strftime("%Y-%m"))[1])


def months_between(start: dt.date, end: dt.date) -> list[str]:
    out, y, m = [], start.year, start.month
    while (y, m) <= (end.year, end.month):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


@dataclass
class SchoolCalendar:
    """The term's school days. overrides: date -> 放假 | 补班 | 园所停课 from 节假日调整."""
    term_start: dt.date
    term_end: dt.date
    overrides: dict[dt.date, str] = field(default_factory=dict)

    def __post_init__(self):
        self.days = school_days(self.term_start, self.term_end, self.overrides)
        self._set = set(self.days)

    def __contains__(self, d: dt.date) -> bool:
        return d in self._set

    def month(self, month: str) -> list[dt.date]:
        first, last = month_bounds(month)
        return [d for d in self.days if first <= d <= last]

    @property
    def months(self) -> list[str]:
        return months_between(self.term_start, self.term_end)

    def in_term(self, month: str) -> bool:
        return month in self.months

    def warnings(self, month: str) -> list[Problem]:
        """A 警告 when the month's year is unknown to the holiday package: the school days then rest
        on weekdays and on whatever 节假日调整 says about that year."""
        year = int(month[:4])
        if known_year(year):
            return []
        rows = sum(1 for d in self.overrides if d.year == year)
        basis = (f"按周一至周五并结合“节假日调整”中 {year} 年的 {rows} 条记录" if rows else "暂按周一至周五")
        return [Problem(load_schemas()["holiday_overrides"].sheet, "", "", "", "holidays_unknown_year",
                        f"内置节假日数据不含 {year} 年，{month} {basis}计算在园日；请在“节假日调整”表填写 {year} 年"
                        f"该月全部放假和调休补班日期（以国务院办公厅通知为准），填写后重新运行", WARNING)]


WEEKDAYS = "一二三四五六日"


def day_label(d: dt.date) -> str:
    return f"{d.month}月{d.day}日（周{WEEKDAYS[d.weekday()]}）"


def short_days(days) -> str:
    """Days as a sheet lists them: 11/3、11/5."""
    return "、".join(f"{d.month}/{d.day}" for d in days)


def term_months_to(settings, month: str) -> list[str]:
    """The term's months up to month, the ones a report's 本学期 column counts (the month alone without term dates)."""
    return [m for m in months_between(settings.term_start, settings.term_end) if m <= month] \
        if settings.term_valid else [month]


def calendar_of(tables: dict[str, Table], start: dt.date, end: dt.date) -> SchoolCalendar:
    overrides: dict[dt.date, str] = {}
    t = tables.get("holiday_overrides")
    if t is not None:
        f = t.frame.dropna(subset=["date", "kind"])
        overrides = dict(zip(f["date"], f["kind"]))
    return SchoolCalendar(start, end, overrides)


def term_label(start: dt.date) -> str:
    """2026-2027学年第一学期 for a term starting in August or later, else the second term of the year before."""
    y = start.year
    return f"{y}-{y + 1}学年第一学期" if start.month >= 8 else f"{y - 1}-{y}学年第二学期"
