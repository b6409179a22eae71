"""What a new term's workbook takes of 进货验收: each batch still in stock at the old term's end with its dates, as a
row on the new term's first day (money's carry books the same stock as 期初 that day), so 保质期 is still followed."""
from __future__ import annotations

from kgxl.core.cells import is_blank, show
from kgxl.core.term import NewTerm
from kgxl.domains.money.shared import EPS_KG
from kgxl.domains.procurement import batches as bt
from kgxl.domains.procurement.shared import stock_batches


def open_batches(v, term: NewTerm) -> list[dict]:
    led, b = stock_batches(v)
    if led is None:
        return []
    f = v.tables["deliveries"].frame
    left = bt.remaining(b, led, term.old.term_end)
    out = []
    for i in b.index[(left > EPS_KG).to_numpy() & (b["line"] >= 0).to_numpy()]:
        r, old = b.loc[i], f.loc[b.at[i, "line"]]
        out.append({**{k: (None if is_blank(x) else x) for k, x in old.items()}, "date": term.start,
                    "qty_kg": round(float(left[i]), 2), "use_by": r["last_good"],
                    "note": f"上学期结转（{show(r['received'])} 进货）"})
    return out
