"""Where each 行事历 item stands on a day, and the counts per month: 按时完成, 逾期完成, 逾期未完成, 未到期. The
工作计划完成率 (done ÷ due) counts the items due by that day; one done before it is due counts when it falls due.
A 完成日期 after the day is not yet known on it (a past month's report states what was true on its last day). Pure."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from kgxl.core.calendar import month_bounds
from kgxl.core.money import percent

ON_TIME, LATE, OPEN, NOT_YET, EARLY = "按时完成", "逾期完成", "逾期未完成", "未到期", "已提前完成"
DONE = (ON_TIME, LATE)
RATE_RULE = ("工作计划完成率＝截至统计日应完成的事项中已完成的件数 ÷ 截至统计日应完成的件数；应完成日为“计划完成日期”，"
             "留空的为该月最后一天；提前完成、尚未到期的事项到期后计入；统计日以后填写的完成日期不计。")


def items(plan: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """The readable rows (月份 and 事项 filled) with due (计划完成日期, else the month's last day), status, line (its sheet row)."""
    p = plan.dropna(subset=["month", "item"])
    p = p.assign(line=p.index)
    due = [d if isinstance(d, dt.date) else month_bounds(m)[1] for d, m in zip(p["planned"], p["month"])]
    status = []
    for d, done in zip(due, p["done"]):
        if isinstance(done, dt.date) and done <= as_of:
            status.append(EARLY if d > as_of else ON_TIME if done <= d else LATE)
        else:
            status.append(OPEN if d < as_of else NOT_YET)
    out = p.assign(due=due, status=status)
    return out.sort_values(["month", "due", "line"], kind="stable") if len(out) else out


def counts(it: pd.DataFrame) -> dict:
    """planned, on_time, late, open, not_yet (early ones among them), due (by the day), done (of those) and rate (%)."""
    s = it["status"] if len(it) else pd.Series(dtype=object)
    c = {k: int((s == v).sum()) for k, v in (("on_time", ON_TIME), ("late", LATE), ("open", OPEN), ("early", EARLY))}
    c["not_yet"] = int((s == NOT_YET).sum()) + c["early"]
    c["planned"] = len(it)
    c["done"] = c["on_time"] + c["late"]
    c["due"] = c["done"] + c["open"]
    c["rate"] = percent(c["done"], c["due"])
    return c


def by_month(it: pd.DataFrame, months: list[str]) -> list[tuple[str, dict]]:
    """(month, counts) for each month given, then ("合计", counts of all of them)."""
    chosen = it[it["month"].isin(months)] if len(it) else it
    return [(m, counts(chosen[chosen["month"] == m] if len(chosen) else chosen)) for m in months] + [
        ("合计", counts(chosen))]
