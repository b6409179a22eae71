"""What the attendance domain has due (待办事项): the school days of this month, up to today, with children not yet
marked (one item a day, at its first blank cell), and a month of the term under way without its register. Pure."""
from __future__ import annotations

import datetime as dt

from kgxl.core.calendar import day_label
from kgxl.core.due import DueItem, due_month
from kgxl.domains.attendance.shared import child_days, registers


def due(v, today: dt.date) -> list[DueItem]:
    cal, month = v.calendar, due_month(v, today)
    if cal is None or not cal.in_term(month):
        return []
    sheets = {t.month: t for t in registers(v)}
    days = [d for d in cal.month(month) if d <= today]
    if month not in sheets:
        if not days:
            return []
        s = v.tables["settings"]
        return [DueItem(f"{month[:4]}年{int(month[5:])}月的出勤表还没有生成：“当前月份”填写本月后点“生成本月出勤表”",
                        days[0], s.sheet, s.cell(0, "current_month"))]
    long = child_days(v)
    if long is None or not len(long):
        return []
    sheet = sheets[month].sheet
    blank = long[(long["sheet"] == sheet) & long["school"] & long["enrolled"] & long["mark"].isna()
                 & (long["ord"] <= today.toordinal())]
    out = []
    for day, g in blank.groupby("day", sort=True):
        first = g.sort_values("row").iloc[0]
        out.append(DueItem(f"{day_label(day)} 有 {len(g)} 名幼儿未登记出勤", day, sheet, f"{first['letter']}{first['row']}"))
    return out
