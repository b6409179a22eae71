"""What is due: one item of the 待办事项 list a domain's `due` hook gives (kgxl.core.domain), and how the list is
ordered and grouped. Pure."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

HORIZON_DAYS = 30  # how far ahead 待办事项 looks: an item due later is not listed yet
OVERDUE, TODAY, THIS_WEEK, THIS_MONTH, LATER = "已逾期", "今天", "本周内", "本月内", f"{HORIZON_DAYS} 天内"


@dataclass(frozen=True)
class DueItem:
    what: str  # Chinese, one line: "王芳（保育员）的健康证 2026-12-10 到期"
    by: dt.date | None  # the day it is due (None: now — something missing that has no date of its own)
    sheet: str  # where to act: the sheet and cell to open
    cell: str = "A1"
    who: str = ""  # 责任人, or the person it concerns


def when(item: DueItem, today: dt.date) -> str:
    """The group an item is listed in: 已逾期 (its day passed), 今天, 本周内 (by Sunday), 本月内, 30 天内."""
    by = item.by or today
    if by < today:
        return OVERDUE
    if by == today:
        return TODAY
    if by <= today + dt.timedelta(days=6 - today.weekday()):
        return THIS_WEEK
    if (by.year, by.month) == (today.year, today.month):
        return THIS_MONTH
    return LATER


def ordered(items: list[tuple[str, DueItem]], today: dt.date) -> list[tuple[str, DueItem]]:
    """(domain, item) due within HORIZON_DAYS by date, the oldest overdue first; ties keep the order given (the
    domains' order)."""
    last = today + dt.timedelta(days=HORIZON_DAYS)
    indexed = [(i, x) for i, x in enumerate(items) if (x[1].by or today) <= last]
    return [x for _, x in sorted(indexed, key=lambda p: (p[1][1].by or today, p[0]))]


def new_row(t, key: str) -> str:
    """The cell of `key` in the first row below a table's rows: where a new record is typed."""
    return t.cell(max(t.header_row, t.frame.index.max() if len(t.frame) else t.header_row) + 1, key)


def due_month(v, today: dt.date) -> str:
    """The month a due hook looks at: today's, held within the term (a list made in the holidays shows the term's
    last month)."""
    month = today.strftime("%Y-%m")
    s = v.settings
    if s.term_valid:
        month = min(max(month, s.term_start.strftime("%Y-%m")), s.term_end.strftime("%Y-%m"))
    return month
