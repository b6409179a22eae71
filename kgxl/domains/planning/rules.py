"""行事历's own rules: a 月份 outside the term (错误: the item belongs to no month of 行事历执行), a 完成日期 before its
month begins (警告: done early is fine, but check the month), a 计划完成日期 outside its month (警告)."""
from __future__ import annotations

import datetime as dt

from kgxl.core.calendar import month_bounds, month_label, months_between
from kgxl.core.cells import show
from kgxl.core.problems import ERROR, WARNING, Problem


def rules(v) -> list[Problem]:
    t, s = v.tables.get("calendar_plan"), v.settings
    if t is None or not s.term_valid:
        return []
    months, out = set(months_between(s.term_start, s.term_end)), []

    def add(i, key, value, code, message, severity):
        out.append(Problem(t.sheet, t.cell(i, key), t.schema.column(key).header, show(value), code, message, severity))

    for i, r in t.frame.dropna(subset=["month"]).iterrows():
        m = r["month"]
        if m not in months:
            add(i, "month", m, "plan_month_outside", f"{m} 不在本学期（{s.term_start} 至 {s.term_end}）内：改为本学期的月份",
                ERROR)
            continue
        first, last = month_bounds(m)
        if isinstance(r["done"], dt.date) and r["done"] < first:
            add(i, "done", r["done"], "plan_done_early",
                f"完成日期 {show(r['done'])} 早于安排的月份（{month_label(m)}）：提前完成可以，请核对月份和日期", WARNING)
        if isinstance(r["planned"], dt.date) and not first <= r["planned"] <= last:
            add(i, "planned", r["planned"], "plan_date_outside",
                f"计划完成日期 {show(r['planned'])} 不在安排的月份（{month_label(m)}）内：请核对月份和日期", WARNING)
    return out
