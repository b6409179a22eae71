"""What a new term's workbook takes of the money sheets: each food's closing stock as 期初 on the new term's first
day (its last 盘点 and what was booked after it), the children's meal stock only."""
from __future__ import annotations

from kgxl.core.term import NewTerm
from kgxl.domains.money.stock import OPENING, STAFF, ledger, stock_on


def opening_stock(v, term: NewTerm) -> list[dict]:
    frame = v.tables["stock"].frame
    led = ledger(frame[frame["diner"] != STAFF])
    closing = stock_on(led, term.old.term_end)
    closing = closing[closing["qty"] > 1e-9]
    return [{"date": term.start, "kind": OPENING, "food": food, "category": r.category, "qty_kg": round(r.qty, 2),
             "unit_price": round(r.fen / 100 / round(r.qty, 2), 6), "amount": r.fen / 100, "handler": term.handler}
            for food, r in closing.iterrows()]
