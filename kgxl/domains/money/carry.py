"""What a new term's workbook takes of the money sheets: each food's closing stock as 期初 on the new term's first
day (its last 盘点 and what was booked after it), the children's meal stock only; the receipt books not yet 核销
that have numbers left (used on in the new term); the 资助 that continues; each child's arrears."""
from __future__ import annotations

from kgxl.core.term import AGES, NewTerm, records
from kgxl.domains.money import receipts as rc
from kgxl.domains.money.fees import WAIVED, waiver
from kgxl.domains.money.names import SETTLE_NEEDS
from kgxl.domains.money.settlement import of_book
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


def continuing_aid(v, term: NewTerm) -> list[dict]:
    """资助对象 whose aid runs into the new term (截止日期 blank or on/after its first day), of the children it keeps;
    not an aid on a 保教费 the child no longer pays (moved up into a waived age group: nothing left to reduce)."""
    t = v.tables
    if not all(k in t for k in SETTLE_NEEDS):
        return records(t["aid"].frame) if "aid" in t else []
    w = waiver(v.settings) if v.settings.ownership == "公办" and "classes" in t else None
    waived_items = set(t["fee_items"].frame.loc[t["fee_items"].frame["category"] == WAIVED, "item"]) if w else set()
    group = dict(zip(t["classes"].frame["class_name"], t["classes"].frame["age_group"])) if w else {}
    klass = dict(zip(t["roster"].frame["child_id"], t["roster"].frame["class_name"]))

    def new_group(child):
        age = group.get(klass.get(child))
        return AGES[AGES.index(age) + 1] if term.promote and age in AGES[:-1] else age

    return [r for r in records(t["aid"].frame)
            if r["child_id"] in term.children and (not r["end"] or r["end"] >= term.start)
            and not (r["item"] in waived_items and new_group(r["child_id"]) in w[0])]


def arrears(v, term: NewTerm) -> list[dict]:
    """Each kept child's balance still owed at the old term's end (its 学期结算, after any 多退少不补 waiver), as
    上学期欠费. A child who leaves is not carried: the old term's 欠费明细 lists what it owes."""
    if not all(k in v.tables for k in SETTLE_NEEDS):
        return []
    s = of_book(v, term.old.term_end)
    owe = s.rows[(s.rows["final"] < 0) & s.rows["child_id"].isin(term.children)]
    return [{"child_id": r.child_id, "amount": -int(r.final) / 100, "term": term.old.term_label,
             "note": "上学期学期结算应补未缴"} for r in owe.itertuples()]
