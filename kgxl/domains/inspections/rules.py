"""The inspection plan's own rule: every 频次 must be one kgxl can schedule."""
from __future__ import annotations

from kgxl.core.cells import show
from kgxl.core.frames import where
from kgxl.core.problems import ERROR, WARNING, Problem
from kgxl.core.reading import Table
from kgxl.domains.inspections.checks import due_checks
from kgxl.domains.inspections.frequency import FORMS, parse


def rules(v) -> list[Problem]:
    t = v.tables
    out = plan_problems(t["inspection_plan"]) if "inspection_plan" in t else []
    out += log_problems(t["inspection_log"], v.today) if "inspection_log" in t else []
    if "inspection_plan" in t and "inspection_log" in t and v.calendar is not None:
        out += uncounted_logs(t["inspection_plan"].frame, t["inspection_log"], v.calendar, v.today)
    return out


def uncounted_logs(plan, log: Table, cal, today) -> list[Problem]:
    """A log (up to today) of a plan item that falls in none of the item's windows — a 每日 check logged on a holiday,
    a check outside the term — is not counted by the tab: a located 警告 instead of silence."""
    f = log.frame.dropna(subset=["date", "item"])
    f = where(f[f["item"].isin(set(plan["item"].dropna()))], lambda d: d <= today, "date")
    days: dict[str, set] = {}  # single-day windows (每日), looked up
    spans: dict[str, list] = {}  # the others, few per item
    for month in sorted({f"{d.year}-{d.month:02d}" for d in f["date"]}):
        due = due_checks(plan, month, cal)  # once a month, not once a column
        for item, a, b in zip(due["item"], due["start"], due["end"]):
            if a == b:
                days.setdefault(item, set()).add(a)
            else:
                spans.setdefault(item, []).append((a, b))
    out, school = [], set(cal.days)
    for row, item, day in zip(f.index, f["item"], f["date"]):
        if day in days.get(item, ()) or any(a <= day <= b for a, b in spans.get(item, ())):
            continue
        why = "不是上学日" if day not in school else "不在该项目的检查周期内"
        out.append(Problem(log.sheet, log.cell(row, "date"), log.schema.column("date").header, show(day),
                           "log_not_counted", f"{show(day)}（{why}）的“{item}”不在按频次安排的任何一次检查的时间段内，"
                           "检查表不计入：核对日期；节假日也要检查的，把频次写成“每日(含节假日)”", WARNING))
    return out


def log_problems(log: Table, today) -> list[Problem]:
    """A check or a fix dated after today has not happened: a located 警告 (the tab does not count it); two logs of
    one item on one day: a 警告 at the earlier (the tab shows a failure if either failed, else the later)."""
    out = []
    dated = log.frame[["date", "item"]].dropna()
    for row, r in dated[dated.duplicated(keep="last")].iterrows():
        again = dated[(dated["date"] == r["date"]) & (dated["item"] == r["item"])].index[-1]
        out.append(Problem(log.sheet, log.cell(row, "item"), log.schema.column("item").header, show(r["item"]),
                           "same_day_log", f"{show(r['date'])} 的“{r['item']}”还记在 {log.cell(again, 'item')}："
                           "同一天同一项目记了两次，检查表只算一次（有不合格的按不合格），请删去多余的一行", WARNING))
    for key, what in (("date", "检查日期"), ("fixed_date", "整改完成日期")):
        col = log.frame[key]
        for row, d in col[col.notna()].items():
            if hasattr(d, "isoformat") and d > today:
                out.append(Problem(log.sheet, log.cell(row, key), log.schema.column(key).header, show(d), "future_log",
                                   f"{what} {d.isoformat()} 晚于今天（{today.isoformat()}）：尚未发生，检查表不计为已完成"
                                   f"{'或已整改' if key == 'fixed_date' else ''}，请核对日期", WARNING))
    return out


def plan_problems(plan: Table) -> list[Problem]:
    """An unknown 频次 is a located 错误 listing the accepted forms."""
    col = plan.frame["frequency"]
    out = []
    for row, text in col[col.notna()].items():
        if parse(text) is None:
            out.append(Problem(plan.sheet, plan.cell(row, "frequency"), "频次", show(text), "bad_frequency",
                               f"频次“{show(text)}”无法识别，可填写：{'、'.join(FORMS)}", ERROR))
    return out
