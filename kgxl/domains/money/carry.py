"""What a new term's workbook takes of the money sheets: each food's closing stock as 期初 on the new term's first
day (its last 盘点 and what was booked after it), the children's meal stock only; and the receipt books not yet
核销 that have numbers left (used on in the new term)."""
from __future__ import annotations

from kgxl.core.term import NewTerm, records
from kgxl.domains.money import receipts as rc
from kgxl.domains.money.stock import OPENING, STAFF, ledger, stock_on


def opening_stock(v, term: NewTerm) -> list[dict]:
    frame = v.tables["stock"].frame
    led = ledger(frame[frame["diner"] != STAFF])
    closing = stock_on(led, term.old.term_end)
    closing = closing[closing["qty"] > 1e-9]
    return [{"date": term.start, "kind": OPENING, "food": food, "category": r.category, "qty_kg": round(r.qty, 2),
             "unit_price": round(r.fen / 100 / round(r.qty, 2), 6), "amount": r.fen / 100, "handler": term.handler}
            for food, r in closing.iterrows()]


def open_books(v, term: NewTerm) -> list[dict]:
    t = v.tables
    bk = rc.books(t["receipt_books"].frame)
    voids = t["receipt_voids"].frame if "receipt_voids" in t else None
    used = set(rc.uses(t["fee_records"].frame, voids, bk)["key"].dropna()) if "fee_records" in t else set()
    keep = [b.line for b in bk.itertuples() if not hasattr(b.closed, "year")
            and any((b.prefix, n) not in used for n in range(int(b.first), int(b.last) + 1))]
    return records(t["receipt_books"].frame.loc[keep])
