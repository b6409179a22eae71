"""行事历执行 as a sheet output: per month of the term the items planned, done on time, late, open and not yet due with
the 工作计划完成率; this month's items; the earlier months' items still open; and 目标达成 (学期目标 against the values
kgxl computes). Prints on A4 portrait. Pure."""
from __future__ import annotations

import datetime as dt

from kgxl.core.calendar import month_label, months_between
from kgxl.core.cells import show
from kgxl.core.port import Block, SheetOutput
from kgxl.core.report import report_title
from kgxl.domains.planning.measures import MEASURES, Ask, met, month_day
from kgxl.domains.planning.names import PROGRESS
from kgxl.domains.planning.progress import OPEN, RATE_RULE, by_month, items

TAB = "FF7030A0"


def _count_row(label: str, c: dict) -> list:
    return [label, c["planned"], c["on_time"], c["late"], c["open"], c["not_yet"], c["rate"]]


def progress_sheet(v, month: str, today: dt.date) -> tuple[SheetOutput, str]:
    s, as_of = v.settings, month_day(month, today)
    plan = v.tables["calendar_plan"]
    it = items(plan.frame, as_of)
    months = months_between(s.term_start, s.term_end) if s.term_valid else [month]
    counted = by_month(it, months)
    rows1 = [_count_row(month_label(m) if m != "合计" else "本学期合计", c) for m, c in counted]
    styles1 = {i: "warning" for i, (_, c) in enumerate(counted[:-1]) if c["open"]}
    styles1[len(rows1) - 1] = "total"
    now = it[it["month"] == month] if len(it) else it
    rows2 = [[r.due, r.item, r.category, show(r.owner) or None, r.done if isinstance(r.done, dt.date) and r.done <= as_of
              else None, r.status, show(r.note) or None] for r in now.itertuples()]
    styles2 = {i: "error" for i, r in enumerate(rows2) if r[5] == OPEN}
    before = it[(it["month"] < month) & (it["status"] == OPEN)] if len(it) else it
    rows3 = [[r.due, r.item, r.category, show(r.owner) or None, f"{(as_of - r.due).days} 天", month_label(r.month)]
             for r in before.itertuples()]
    goals, reached = _goals(v, month, as_of)
    total = counted[-1][1]
    rate = "—" if total["rate"] is None else f"{total['rate']:g}%"
    titles = [report_title(s.kindergarten_name, month, PROGRESS),
              f"统计至 {as_of.isoformat()}：本学期计划 {total['planned']} 项，截至统计日应完成 {total['due']} 项，已完成 "
              f"{total['done']} 项（逾期完成 {total['late']}），逾期未完成 {total['open']} 项；工作计划完成率 {rate}。{RATE_RULE}"]
    blocks = [
        Block(["月份", "计划事项", "按时完成", "逾期完成", "逾期未完成", "未到期", "完成率(%)"], rows1, title="一、各月执行情况",
              row_styles=styles1, formats={6: "0.0"}),
        Block(["应完成", "事项", "类别", "责任人", "完成日期", "状态", "备注"],
              rows2 or [[None, "本月行事历没有安排事项"]], title=f"二、{month_label(month)}事项", row_styles=styles2,
              formats={0: "m/d", 4: "m/d"}, wrap=(1, 6)),
        Block(["应完成", "事项", "类别", "责任人", "已逾期", "月份"], rows3 or [[None, "没有往月未完成的事项"]],
              title="三、往月未完成事项", row_styles={i: "error" for i in range(len(rows3))}, formats={0: "yyyy-mm-dd"},
              wrap=(1,)),
        goals,
    ]
    out = SheetOutput(PROGRESS, blocks, titles=titles, widths=[12, 30, 12, 9, 10, 14, 18], landscape=False,
                      page_header=report_title(s.kindergarten_name, month, PROGRESS), tab_color=TAB)
    return out, f"{PROGRESS}（工作计划完成率 {rate}，目标达成 {reached}）"


def _goals(v, month: str, as_of: dt.date) -> tuple[Block, str]:
    """四、目标达成: each 学期目标 row's target, value to date, met or not, with the value's period and source."""
    t = v.tables.get("term_targets")
    rows, styles, n, ok = [], {}, 0, 0
    ask = Ask(v, month, as_of)
    for r in (t.frame.dropna(subset=["measure", "direction", "target"]).itertuples() if t is not None else []):
        m = MEASURES.get(r.measure)
        if m is None:  # not a measure kgxl computes: 校验 reports it on 学期目标
            continue
        value = m.value(ask)
        good = met(r.direction, float(r.target), value)
        rows.append(["无数据" if good is None else "达成" if good else "未达成", r.measure, r.direction, float(r.target),
                     value, m.period, m.source])
        n += 1
        ok += bool(good)
        if good is False:
            styles[len(rows) - 1] = "error"
    block = Block(["结果", "指标", "要求", "目标值", "当前值", "统计口径", "来源"],
                  rows or [[None, "“学期目标”没有填写目标"]], title="四、目标达成（学期目标）", row_styles=styles,
                  formats={3: "0.0##", 4: "0.0##"}, wrap=(6,))
    return block, f"{ok}/{n}"


def has_plan(v) -> bool:
    """刷新汇总 makes 行事历执行 only once 行事历 has items (a new workbook's empty one would give a sheet of zeros)."""
    return v.has_rows("calendar_plan")


def make_progress(v, req):
    sheet, said = progress_sheet(v, req.month, req.today)
    return [sheet], said
