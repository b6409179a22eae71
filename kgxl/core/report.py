"""What every month's report shares: the title it opens with, "园所名称 2026年11月 体检统计"."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from kgxl.core.calendar import month_bounds, month_label, term_months_to


def report_title(kindergarten: str | None, month: str | None, what: str) -> str:
    return " ".join(x for x in (kindergarten or "", month_label(month) if month else "", what) if x)


class MonthReport:
    """A month's report of one kindergarten (subclasses set name and month)."""
    name: str
    month: str

    def title(self, what: str) -> str:
        return report_title(self.name, self.month, what)


class MonthPeriod(MonthReport):
    """A month's report stated as of the month's last day, or today if earlier (point in time): its days, and the
    term's months up to it."""

    def __init__(self, v, month: str, today: dt.date):
        self.name, self.month = v.settings.kindergarten_name or "", month
        self.first, self.last = month_bounds(month)
        self.as_of = min(self.last, today)
        self.months = term_months_to(v.settings, month)

    def in_month(self, days: pd.Series) -> pd.Series:
        """Which days fall in the month up to the report day (a blank or unread one does not)."""
        return days.map(lambda d: isinstance(d, dt.date) and self.first <= d <= self.as_of).astype(bool)

    def in_term(self, days: pd.Series) -> pd.Series:
        """Which days fall in the term's months up to the report day."""
        return days.map(lambda d: isinstance(d, dt.date) and d <= self.as_of
                        and d.strftime("%Y-%m") in self.months).astype(bool)
