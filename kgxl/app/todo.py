"""待办事项: one list of what is due, gathered from every domain's `due` hook (kgxl.core.domain), with the summary
sheets that are not computed from the data as it is now. The sheet (a ribbon button and a step of 刷新汇总) and the
web page's first screen show the same list."""
from __future__ import annotations

import datetime as dt

from kgxl.app.build import inputs_digest
from kgxl.app.registry import current
from kgxl.core.actions import UserError
from kgxl.core.cells import quote_sheet
from kgxl.core.due import HORIZON_DAYS, LATER, OVERDUE, THIS_MONTH, THIS_WEEK, TODAY, DueItem, ordered, when
from kgxl.core.kept import Kept
from kgxl.core.port import Block, Link, SheetOutput

TODO_SHEET = "待办事项"
TODO = "todo"  # its row in the build record
REPORTS = "汇总表"  # what the list calls the items of summary sheets out of date
GROUPS = (OVERDUE, TODAY, THIS_WEEK, THIS_MONTH, LATER)
HEADER = ["序号", "时间", "期限", "事项", "责任人/涉及", "类别", "工作表", "单元格"]
STYLE = {OVERDUE: "error", TODAY: "warning", THIS_WEEK: "warning"}


def due_inputs() -> tuple[str, ...]:
    """Every input sheet a due hook reads (what the list is computed from, with today)."""
    # from the declarations, not current().dues: a refresh that keeps everything imports no domain's code
    return tuple(dict.fromkeys(["settings", *(k for d in current().domains if d.due for k in d.due_inputs)]))


_ITEMS = Kept(100)  # a due hook's items, by the digest of the sheets it reads and the day


def gather(v, today: dt.date, stale: list[tuple[str, str]] = (), inputs_key=None) -> list[tuple[str, DueItem]]:
    """(category, item) of every domain's due hook (each given only the sheets it declares), then one item per
    report out of date (stale: (its sheets, the first one)), ordered by date. inputs_key(reads): a digest of those
    sheets (a hook whose sheets and day are as before lists what it listed)."""
    out: list[tuple[str, DueItem]] = []
    for hook, reads, title in current().dues:
        digest = inputs_key(reads) if inputs_key else None
        try:
            items = _ITEMS.get((hook, digest, today) if digest else None,
                               lambda: tuple(hook(v.view(reads, f"due {title}"), today)))
            out += [(title, item) for item in items]
        except UserError as e:  # a domain that cannot tell (e.g. no term dates): said on the list, not a stop
            out.append((title, DueItem(f"无法列出：{e}", today, "基本信息")))
    out += [(REPORTS, DueItem(f"“{what}”是按改动前的数据计算的：请点“刷新汇总”", today, sheet)) for what, sheet in stale]
    return ordered(out, today)


def stale_reports(b) -> list[tuple[str, str]]:
    """(what, first sheet) of each report in the workbook whose input sheets changed since it was computed (b:
    kgxl.app.build.Build). One computed on an earlier day, or by another release, from the same data is not listed:
    nothing the user typed is missing from it (刷新汇总 computes it again all the same)."""
    names = b.book.sheet_names()
    out = []
    for r in current().refresh_steps:
        e = b.record.entries.get(r.id)
        there = [s for s in e.sheets if s in names] if e is not None else []
        if there and e.inputs != inputs_digest(r.inputs, names, b.digests):
            out.append(("、".join(there), there[0]))
    return out


def counted(items: list[tuple[str, DueItem]], today: dt.date) -> dict[str, int]:
    got = {g: 0 for g in GROUPS}
    for _, item in items:
        got[when(item, today)] += 1
    return got


def said(items: list[tuple[str, DueItem]], today: dt.date) -> str:
    """The list in a phrase: "待办事项 12 项（已逾期 3，本周内 4，…）"."""
    n = counted(items, today)
    parts = "，".join(f"{g} {k}" for g, k in n.items() if k)
    return f"待办事项 {len(items)} 项（{parts}）" if items else "待办事项：没有到期的事项"


def todo_sheet(items: list[tuple[str, DueItem]], kindergarten: str, today: dt.date, names: list[str]) -> SheetOutput:
    rows, links, styles = [], [], {}
    for i, (category, item) in enumerate(items):
        group = when(item, today)
        rows.append([i + 1, group, item.by, item.what, item.who or None, category, item.sheet, item.cell])
        if item.sheet in names:
            links.append(Link(i, 7, f"{quote_sheet(item.sheet)}!{item.cell}"))
        if group in STYLE:
            styles[i] = STYLE[group]
    titles = [f"{kindergarten} 待办事项".strip(),
              f"截至 {today.isoformat()}：{said(items, today)}。列出已逾期和 {HORIZON_DAYS} 天内到期的事项，按期限排列，"
              "已逾期的在前；“本周内”指到本周日。"
              "点击“单元格”列可跳到要处理的位置；处理后刷新汇总，本表随之更新。"]
    return SheetOutput(TODO_SHEET, [Block(HEADER, rows or [[None, None, None, "没有到期的事项"]], row_styles=styles,
                                          links=links, formats={2: "yyyy-mm-dd"}, wrap=(3,))],
                       titles=titles, widths=[6, 8, 12, 60, 14, 12, 14, 9], page_header=f"{kindergarten} 待办事项",
                       tab_color="FFC00000" if any(when(x, today) == OVERDUE for _, x in items) else "FF70AD47")


def as_json(items: list[tuple[str, DueItem]], today: dt.date) -> list[dict]:
    """The list as the web page shows it."""
    return [{"group": when(x, today), "by": x.by.isoformat() if x.by else "", "what": x.what, "who": x.who,
             "category": c, "sheet": x.sheet, "cell": x.cell} for c, x in items]
