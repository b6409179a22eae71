"""What a new term's workbook takes of the asset sheets: every card as the old term's changes left it (room,
keeper, status at its last day; scrapped cards stay), and each supply's closing stock as a 盘点 at its average price
(the loans still out counted in, as they are the kindergarten's), then each open loan lent again, its first date in
the note."""
from __future__ import annotations

from kgxl.core.term import NewTerm, records
from kgxl.domains.assets.register import book
from kgxl.domains.assets.supplies import average_price, balance_on, ledger, loans


def cards_as_left(v, term: NewTerm) -> list[dict]:
    changes = v.tables["asset_changes"].frame if "asset_changes" in v.tables else None
    cards = book(v.tables["assets"].frame, changes, term.old.term_end)
    keys = [c for c in v.tables["assets"].frame.columns if c in cards.columns]
    return records(cards[keys].reset_index(drop=True))


def supplies_on_hand(v, term: NewTerm) -> list[dict]:
    led = ledger(v.tables["supply_moves"].frame)
    out, _ = loans(led, term.old.term_end)
    closing = balance_on(led, term.old.term_end).to_dict()
    for r in out.itertuples():
        closing[r.item] = closing.get(r.item, 0.0) + r.qty
    price = average_price(led, term.old.term_end).round(2).to_dict()
    rows = []
    for item, q in closing.items():
        if q > 1e-9:
            p, q = price.get(item), round(float(q), 2)
            rows.append({"date": term.start, "kind": "盘点", "item": item, "qty": q, "unit_price": p,
                         "amount": None if p is None else round(q * p, 2), "handler": term.handler,
                         "note": "上学期结存（含借出未还）"})
    return rows + [{"date": term.start, "kind": "出借", "item": r.item, "qty": r.qty, "dept": r.dept,
                    "person": r.person, "handler": term.handler, "note": f"上学期 {r.date.isoformat()} 借出未还"}
                   for r in out.itertuples()]
