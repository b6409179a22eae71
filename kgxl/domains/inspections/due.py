"""What the inspections domain has due (待办事项), in this month's 检查计划: each check whose day has passed with no
record (未检查), each failed check not yet fixed (待整改), and each of the month's 工作要点 (期初/期中/期末, 指定月份)
still to do. A routine check not yet due is not listed: the monthly 检查 tab shows the whole plan. Pure."""
from __future__ import annotations

import datetime as dt

from kgxl.core.due import DueItem, due_month, new_row
from kgxl.domains.inspections.checks import MISSED, NOT_YET, OPEN, due_checks, known_on, match_logs


def due(v, today: dt.date) -> list[DueItem]:
    t, cal = v.tables, v.calendar
    if cal is None or "inspection_plan" not in t or "inspection_log" not in t:
        return []
    log, month = t["inspection_log"], due_month(v, today)
    checks = match_logs(due_checks(t["inspection_plan"].frame, month, cal), known_on(log.frame, today), today)
    where, out = new_row(log, "date"), []
    for r in checks.itertuples():
        owner = r.owner if isinstance(r.owner, str) else ""
        if r.status == MISSED:
            out.append(DueItem(f"{r.item} {r.due.month}月{r.due.day}日应检查，没有检查记录", r.due, log.sheet, where, owner))
        elif r.status == OPEN:
            out.append(DueItem(f"{r.item}检查不合格（{r.problem if isinstance(r.problem, str) else '见检查记录'}），待整改",
                               r.due, log.sheet, where, owner))
        elif r.status == NOT_YET and r.one_off:
            out.append(DueItem(f"本月工作要点：{r.item}（{r.label or '本月'}）", r.end, log.sheet, where, owner))
    return out
