"""Validation of the monthly registers against the roster and the school calendar.

Marks: unknown ones are 错误, common variants 警告. Against the roster: a mark on a day the
child was not enrolled is an 错误, as is — on a day the child was; a blank past school day is a
警告 (未登记). Against the calendar: marks in a column that is not a school day, and school days
or enrolled children missing from the sheet, are 警告 (生成本月出勤表 adds them).
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from kgxl.core.calendar import SchoolCalendar, day_label
from kgxl.core.cells import show
from kgxl.core.problems import ERROR, WARNING, Problem
from kgxl.core.reading import Table
from kgxl.core.roster import enrolled_between
from kgxl.core.validated import FEW
from kgxl.domains.attendance.days import AWAY, COUNTED, MARK_VARIANTS
from kgxl.domains.attendance.shared import month_days, registers


def rules(v) -> list[Problem]:
    """The registers against the roster and calendar, and the calendar's own warnings for each month of the term.
    Each register's problems are found once while it, the roster, the calendar, the day and its cells with an 错误
    already are as they were (Validated.shared): a mark typed in June does not check May again."""
    out = []
    for t in registers(v):
        mine = frozenset(c for c in v.seen if c[0] == t.sheet)
        out += v.shared(("attendance.register_problems", t.month, mine), lambda m=t.month, s=mine: _register(v, m, s),
                        keep=FEW)
    if v.calendar:
        for month in sorted({t.month for t in registers(v) if v.calendar.in_term(t.month)}):
            out += v.calendar.warnings(month)
    return out


def _register(v, month: str, seen: frozenset) -> list[Problem]:
    roster = v.tables["roster"].frame if "roster" in v.tables else None
    days = month_days(v, month)
    return register_problems([v.tables[f"register:{month}"]], days if days is not None else pd.DataFrame(), roster,
                             v.calendar, v.today, set(seen))


def register_problems(registers: list[Table], days: pd.DataFrame, roster: pd.DataFrame | None,
                      cal: SchoolCalendar | None, as_of: dt.date, seen: set[tuple[str, str]]) -> list[Problem]:
    """days: attendance.child_days of these registers (roster- and calendar-dependent columns are only
    used when roster and cal are given)."""
    out: list[Problem] = []
    by_sheet = dict(tuple(days.groupby("sheet"))) if len(days) else {}

    def add(sheet, cell, column, value, code, severity, message):
        if cell and (sheet, cell) in seen:
            return
        seen.add((sheet, cell))
        out.append(Problem(sheet, cell, column, show(value), code, message, severity))

    for t in registers:
        marks = t.schema.day_columns.marks
        canon = "、".join(f"{m}={meaning}" for m, meaning in marks.items())
        first_row = t.frame.index[0] if len(t.frame) else 2
        for d, letter in t.days.items():
            if t.month and d.strftime("%Y-%m") != t.month:
                add(t.sheet, f"{letter}{first_row - 1}", "", d, "day_outside_month", ERROR,
                    f"日期列 {show(d)} 不属于 {t.month}，请删除该列或改正日期")
        long = by_sheet.get(t.sheet)
        if long is None or long.empty:
            continue
        raw = long["raw"]
        odd = raw.notna() & ~raw.isin(list(marks))
        for r in _where(long, odd):
            if r.raw in MARK_VARIANTS:
                add(t.sheet, f"{r.letter}{r.row}", show(r.day), r.raw, "mark_variant", WARNING,
                    f"出勤标记“{r.raw}”已按“{MARK_VARIANTS[r.raw]}”理解，请改用标准标记")
            else:
                add(t.sheet, f"{r.letter}{r.row}", show(r.day), r.raw, "unknown_mark", ERROR,
                    f"出勤标记“{r.raw}”无法识别，应为：{canon}")
        if roster is None or cal is None:
            continue
        known = long["child_id"].isin(set(roster["child_id"].dropna()))
        in_month = long["day"].isin({d for d in t.days if d.strftime("%Y-%m") == t.month})
        mark = long["mark"]
        for r in _where(long, known & in_month & mark.isin(COUNTED) & ~long["enrolled"]):
            add(t.sheet, f"{r.letter}{r.row}", show(r.day), r.raw, "not_enrolled", ERROR,
                f"{r.name or r.child_id} 在 {day_label(r.day)} 不在园（见“幼儿名册”入园/离园日期），"
                f"不应有出勤标记；请改为“{AWAY}”或核对名册")
        for r in _where(long, known & long["school"] & long["enrolled"] & (mark == AWAY)):
            add(t.sheet, f"{r.letter}{r.row}", show(r.day), r.raw, "away_while_enrolled", ERROR,
                f"{r.name or r.child_id} 在 {day_label(r.day)} 在园，不能标记“{AWAY}”；"
                f"请填写 √/病/事/缺，或核对名册的入园/离园日期")
        for r in _where(long, known & long["school"] & long["enrolled"] & mark.isna() & (long["ord"] <= as_of.toordinal())):
            add(t.sheet, f"{r.letter}{r.row}", show(r.day), "", "unregistered", WARNING,
                f"{r.name or r.child_id} {day_label(r.day)} 未登记出勤")
        stray = ~long["school"] & in_month & mark.isin(COUNTED)
        for r in (long[stray].drop_duplicates("day").itertuples() if stray.any() else ()):
            add(t.sheet, f"{r.letter}{first_row - 1}", "", r.day, "not_school_day", WARNING,
                f"{day_label(r.day)} 不是在园日（周末、节假日或停课），但该列有出勤标记；这些标记不计入统计，请核对")
        if t.month and cal.in_term(t.month):
            for d in sorted(set(cal.month(t.month)) - set(t.days)):
                add(t.sheet, "", "", d, "missing_day", WARNING,
                    f"缺少在园日 {day_label(d)} 的日期列；请运行“生成本月出勤表”补齐")
            _missing_children(t, roster, cal, add)
    return out


def _where(frame: pd.DataFrame, mask: pd.Series):
    """The rows where mask holds, as named tuples (none without building an empty frame: most checks find nothing)."""
    return frame[mask].itertuples() if mask.any() else ()


def _missing_children(t: Table, roster: pd.DataFrame, cal: SchoolCalendar, add) -> None:
    days = cal.month(t.month)
    if not days:
        return
    due = enrolled_between(roster, days[0], days[-1])
    missing = ~due["child_id"].isin(set(t.frame["child_id"].dropna().tolist()))
    for c in _where(due, missing):
        add(t.sheet, "", "", c.child_id, "missing_child", WARNING,
            f"{c.name}（{c.child_id}，{c.class_name}）本月在园，但出勤表中没有这一行；请运行“生成本月出勤表”补齐")
