"""What the procurement domain has due (待办事项): batches in stock today past their date or near it (临期提醒天数),
and suppliers' licences expired or within 证照到期提醒天数. Pure."""
from __future__ import annotations

import datetime as dt

from kgxl.core.cells import is_blank, show
from kgxl.core.due import DueItem
from kgxl.domains.money.shared import EPS_KG
from kgxl.domains.procurement import batches as bt
from kgxl.domains.procurement import licence as lc
from kgxl.domains.procurement.shared import stock_batches


def due(v, today: dt.date) -> list[DueItem]:
    t, out, s = v.tables, [], v.settings
    led, b = stock_batches(v)
    if led is not None:
        f, table = t["deliveries"].frame, t["deliveries"]
        left = bt.remaining(b, led, today)
        for i in b.index[(left > EPS_KG).to_numpy() & (b["line"] >= 0).to_numpy()]:
            r = b.loc[i]
            state = bt.state(r["last_good"], today, s.near_expiry_days)
            if state in (bt.EXPIRED, bt.NEAR):
                col = "use_by" if not is_blank(f.at[r["line"], "use_by"]) else "shelf_life"
                out.append(DueItem(f"{r['food']}（{show(r['received'])} 进货）保质期至 {show(r['last_good'])}，库存 "
                                   f"{left[i]:.2f} 千克：{'已过期，停用并处理' if state == bt.EXPIRED else '先用这一批'}",
                                   r["last_good"], table.sheet, table.cell(r["line"], col),
                                   show(f.at[r["line"], "inspector"])))
    if "suppliers" in t:
        table = t["suppliers"]
        for line, r in table.frame.dropna(subset=["name"]).iterrows():
            state = lc.status(r["licence_kind"], r["licence_until"], today, s.licence_notice_days)
            if state not in (lc.VALID, lc.NONE_NEEDED, lc.UNSET):
                out.append(DueItem(f"供应商 {r['name']} 的{r['licence_kind']}{state}（有效期至 {show(r['licence_until'])}）：请其提供新证",
                                   r["licence_until"], table.sheet, table.cell(line, "licence_until"),
                                   show(r["contact"])))
    return out
