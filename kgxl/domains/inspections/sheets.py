"""The month's inspection tab, YYYY年MM月检查 (生成月检查表): printable, A4 landscape.

Rows are due check instances; 签字 and 备注 are for the user's hand. A re-run reads them back
from the existing tab (rows matched by 日期 + 检查项目) and writes them again; a typed row whose
check is no longer due stays, marked 已不在计划中, so nothing typed is lost.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from kgxl.core.actions import month_sheet
from kgxl.core.calendar import WEEKDAYS, SchoolCalendar, month_bounds
from kgxl.core.cells import is_blank, norm
from kgxl.core.money import percent
from kgxl.core.port import Block, RawSheet, SheetOutput
from kgxl.core.report import report_title
from kgxl.domains.inspections.checks import (
    CHECKED,
    DROPPED,
    MISSED,
    NOT_YET,
    OPEN,
    by_category,
    carried_over,
    due_checks,
    known_on,
    match_logs,
)
from kgxl.domains.inspections.frequency import PHASE_RULE, WEEKLY_RULE
from kgxl.domains.inspections.names import TAB
from kgxl.domains.planning.shared import month_items

HEADER = ["日期", "星期", "检查项目", "类别", "责任人", "检查要点", "检查记录", "结果", "发现问题", "整改措施",
          "整改完成日期", "状态", "签字", "备注"]
TYPED = ("签字", "备注")
CATEGORIES = ["安全", "卫生", "食品", "消防", "设施", "其他"]


def tab_name(month: str) -> str:
    return month_sheet(TAB, month)


def _day(v) -> dt.date | None:
    if isinstance(v, dt.datetime):
        return v.date()
    return v if isinstance(v, dt.date) else None


def typed_cells(raw: RawSheet | None) -> dict[tuple, dict[str, object]]:
    """(date, item) -> {签字, 备注} typed in an existing tab's detail table."""
    if raw is None:
        return {}
    rows = raw.rows
    at = next((i for i, r in enumerate(rows) if {"日期", "检查项目", "签字"} <= {norm(v) for v in r if isinstance(v, str)}),
              None)
    if at is None:
        return {}
    cols = {norm(v): c for c, v in enumerate(rows[at]) if isinstance(v, str)}
    out = {}
    for r in rows[at + 1:]:
        if all(is_blank(v) for v in r):
            break
        get = lambda name: r[cols[name]] if name in cols and cols[name] < len(r) else None  # noqa: E731
        typed = {k: get(k) for k in TYPED if not is_blank(get(k))}
        if typed:
            out[(_day(get("日期")), get("检查项目"))] = typed
    return out


MOVE_RULE = "应检查日不是上学日的，改到本周期内其后的第一个上学日；其后没有上学日的，提前到本周期内此前的最后一个上学日。"


def inspection_tab(plan: pd.DataFrame, log: pd.DataFrame, month: str, cal: SchoolCalendar, today: dt.date,
                   name: str, existing: RawSheet | None, calendar: list[dict] = ()) -> tuple[SheetOutput, dict]:
    """calendar: the month's 行事历 items (planning.shared.month_items), listed among its 工作要点."""
    today = min(month_bounds(month)[1], today)  # a past month's tab: what was true on its last day
    log = known_on(log, today)
    checks = match_logs(due_checks(plan, month, cal), log, today)
    typed = typed_cells(existing)
    rows, styles = [], {}
    for r in checks.itertuples():
        kept = typed.pop((r.due, r.item), {})
        rows.append([r.due, "周" + WEEKDAYS[r.due.weekday()], r.item, r.category, r.owner, r.points,
                     r.logged if isinstance(r.logged, str) else "", r.result if isinstance(r.result, str) else "",
                     _text(r.problem), _text(r.action), r.fixed_date if isinstance(r.fixed_date, dt.date) else None,
                     r.status, kept.get("签字"), kept.get("备注")])
        if r.status == MISSED:
            styles[len(rows) - 1] = "error"
        elif r.status == OPEN:
            styles[len(rows) - 1] = "warning"
    for (d, item), kept in typed.items():  # typed rows whose check is no longer due: keep them
        rows.append([d, "周" + WEEKDAYS[d.weekday()] if d else "", item, *[None] * 8, DROPPED, kept.get("签字"),
                     kept.get("备注")])
        styles[len(rows) - 1] = "warning"
    cats = by_category(checks, CATEGORIES)
    cat_rows, total = [], [0] * 6
    for cat, c in cats.iterrows():
        counts = [int(c[k]) for k in ("due", "checked", "missed", "failed", "open", "not_yet")]
        cat_rows.append([cat, *counts, percent(counts[1], counts[0] - counts[5])])
        total = [a + b for a, b in zip(total, counts)]
    cat_rows.append(["合计", *total, percent(total[1], total[0] - total[5])])
    one_off = checks[checks["one_off"].astype(bool)]  # bool even when empty (an empty object mask picks columns)
    # the lower tables reuse the detail's columns: dates under 日期, long text under 检查要点
    plan_rows = [[r.due, "周" + WEEKDAYS[r.due.weekday()], r.item, r.category, r.owner, r.points,
                  f"{r.label}（{r.start.month}/{r.start.day}–{r.end.month}/{r.end.day}）" if r.label else "本月",
                  None, None, None, None, r.status] for r in one_off.itertuples()]
    plan_rows += [[c["due"], "周" + WEEKDAYS[c["due"].weekday()], c["item"], c["category"], _text(c["owner"]), "行事历",
                   "本月", None, None, None, None, c["status"]] for c in calendar]
    plan_rows.sort(key=lambda r: r[0])
    carried = carried_over(log, month)
    category = dict(zip(plan["item"], plan["category"]))
    carry_rows = []
    for r in carried.itertuples():
        fixed = r.fixed_date if isinstance(r.fixed_date, dt.date) else None
        carry_rows.append([r.date, "周" + WEEKDAYS[r.date.weekday()], r.item, category.get(r.item), r.inspector,
                           _text(r.problem), None, None, _text(r.action), None, fixed, "本月已整改" if fixed else "待整改",
                           None, f"已 {((fixed or today) - r.date).days} 天"])
    s = checks["status"]
    due_now = int((s != NOT_YET).sum())
    done = int(s.isin(CHECKED).sum())
    open_now = int((s == OPEN).sum()) + sum(1 for r in carry_rows if r[11] == "待整改")
    rate = percent(done, due_now)
    by_cat = "，".join(f"{r[0]} {r[7]}%" for r in cat_rows[:-1] if r[7] is not None)
    summary = (f"本月应检查 {len(checks)} 项次（已到期 {due_now}），已检查 {done}，未检查 {int((s == MISSED).sum())}，"
               f"不合格 {int(s.isin(('已整改', OPEN)).sum())}，待整改 {open_now}（含往月 {open_now - int((s == OPEN).sum())}）；"
               f"完成率 {rate if rate is not None else '—'}%（{by_cat}）。统计截至 {today.isoformat()}。{MOVE_RULE}{WEEKLY_RULE}")
    # the short summaries first, the month's checks last: its header then repeats on each page it runs over, and
    # never above a summary (print titles repeat from the page where they appear)
    blocks = [
        Block(["类别", "应检查", "已检查", "未检查", "不合格", "待整改", "未到期", "完成率(%)"], cat_rows,
              title="一、分类统计", formats={7: "0.0"}, row_styles={len(cat_rows) - 1: "total"}),
        Block(["应完成", "星期", "工作要点", "类别", "责任人", "内容", "阶段", "", "", "", "", "状态"],
              plan_rows or [[None, None, "本月无专项工作"]], title=f"二、本月工作要点（{PHASE_RULE}）" if any(r.label for r in one_off.itertuples()) else "二、本月工作要点",
              formats={0: "m/d"}, joins=((6, 10),)),
        Block(["检查日期", "星期", "检查项目", "类别", "检查人", "发现问题", "", "", "整改措施", "", "整改完成日期", "状态",
               "", "历时"], carry_rows or [[None, None, "无往月未完成整改"]], title="三、往月未完成整改",
              formats={0: "yyyy-mm-dd", 10: "m/d"}, joins=((5, 7), (8, 9), (11, 12))),
        Block(HEADER, rows, title="四、本月检查明细", formats={0: "m/d", 10: "m/d"}, row_styles=styles,
              wrap=(5, 8, 9)),  # 检查要点, 发现问题, 整改措施 wrap instead of being cut
    ]
    title = report_title(name, month, "后勤检查表")
    out = SheetOutput(tab_name(month), blocks, titles=[title, summary],
                      widths=[10, 5, 13, 6, 8, 30, 10, 7, 16, 16, 11, 12, 8, 12], landscape=True,
                      page_header=title, tab_color="FF7030A0", repeat_block=3)
    stats = {"due": len(checks), "done": done, "missed": int((s == MISSED).sum()), "open": open_now,
             "kept": sum(1 for r in rows if r[12] is not None or r[13] is not None)}
    return out, stats


def _text(v) -> str:
    return v if isinstance(v, str) else ""


def make_tab(v, req):
    name = tab_name(req.month)
    existing = req.book.read(name) if name in req.book.sheet_names() else None
    tab, stats = inspection_tab(v.tables["inspection_plan"].frame, v.tables["inspection_log"].frame, req.month,
                                v.calendar, req.today, v.settings.kindergarten_name or "", existing,
                                month_items(v, req.month, min(month_bounds(req.month)[1], req.today)))
    summary = (f"“{name}”：应检查 {stats['due']} 项次，已检查 {stats['done']}，未检查 {stats['missed']}，"
               f"待整改 {stats['open']}" + (f"；保留了已填写的签字/备注 {stats['kept']} 行" if stats["kept"] else ""))
    return [tab], summary
