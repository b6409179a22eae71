"""What the care domain has due (待办事项): today's dishes of 带量食谱 with no 留样登记 row yet (due today: a sample is
taken at each meal), and this month's 膳食委员会 meeting when none is recorded (due by the month's end). Pure."""
from __future__ import annotations

import datetime as dt

from kgxl.core.calendar import month_bounds
from kgxl.core.due import DueItem, due_month, new_row
from kgxl.domains.care import samples as fs
from kgxl.domains.care.shared import sample_check


def due(v, today: dt.date) -> list[DueItem]:
    t, s, out = v.tables, v.settings, []
    if "menu" in t and "food_samples" in t:
        kept = t["food_samples"]
        checked, _ = sample_check(v, today)
        missing = checked[(checked["date"] == today) & (checked["status"] == fs.MISSING)] if len(checked) else checked
        for r in missing.itertuples():
            out.append(DueItem(f"今天{r.meal}“{r.dish}”还没有留样登记", today, kept.sheet, new_row(kept, "date")))
    if "meal_committee" in t and s.term_valid and s.term_start <= today <= s.term_end:
        met = t["meal_committee"]
        month = due_month(v, today)
        if not any(isinstance(d, dt.date) and d.strftime("%Y-%m") == month for d in met.frame["date"]):
            out.append(DueItem("本月还没有召开膳食委员会会议（每月至少一次）", month_bounds(month)[1], met.sheet,
                               new_row(met, "date")))
    return out
