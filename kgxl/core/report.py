"""What every month's report shares: the title it opens with, "园所名称 2026年11月 体检统计"."""
from __future__ import annotations

from kgxl.core.calendar import month_label


def report_title(kindergarten: str | None, month: str | None, what: str) -> str:
    return " ".join(x for x in (kindergarten or "", month_label(month) if month else "", what) if x)


class MonthReport:
    """A month's report of one kindergarten (subclasses set name and month)."""
    name: str
    month: str

    def title(self, what: str) -> str:
        return report_title(self.name, self.month, what)
