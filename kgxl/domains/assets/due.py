"""What the assets domain has due (待办事项): an urgent repair still open (due the day it was reported: 紧急 means
it affects safety or use), and each loan of 物品出入库 not yet returned (due by the term's end, when the store is
counted). Pure."""
from __future__ import annotations

import datetime as dt

from kgxl.core.due import DueItem
from kgxl.domains.assets.repairs import open_on, readable
from kgxl.domains.assets.supplies import ledger, loans


def due(v, today: dt.date) -> list[DueItem]:
    t, out = v.tables, []
    if "repairs" in t:
        r = t["repairs"]
        for row in open_on(readable(r.frame), today).itertuples():
            if row.urgent:
                out.append(DueItem(f"紧急维修未完成：{row.place} {row.problem}（报修 {row.days} 天）", row.reported, r.sheet,
                                   r.cell(row.line, "done"), row.reporter))
    if "supply_moves" in t and v.settings.term_valid:
        m = t["supply_moves"]
        still, _ = loans(ledger(m.frame), today)
        for row in still.itertuples():
            who = row.person if isinstance(row.person, str) else row.dept if isinstance(row.dept, str) else ""
            out.append(DueItem(f"{who or '借用人'} {row.date.isoformat()} 借出的{row.item} {row.qty:g} 未归还",
                               v.settings.term_end, m.sheet, m.cell(row.line, "item"), who))
    return out
