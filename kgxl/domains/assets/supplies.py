"""Supplies: each item's running stock over 物品出入库 (入库 and 归还 add, 领用 and 出借 take, 盘点 sets the stock to
what was counted), the month's 出入单, and loans matched to their returns. Pure.

Values use each item's average price up to the month's end over its priced 入库 and 盘点 rows (what a small store's
book does without lots; the term's opening 盘点 carries last term's price).
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

SIGN = {"入库": 1, "归还": 1, "领用": -1, "出借": -1}
EPS = 1e-9


def ledger(moves: pd.DataFrame) -> pd.DataFrame:
    """The readable rows in date order (same day: sheet order), with delta and balance (after the row); row: the
    sheet row index."""
    m = moves.dropna(subset=["date", "kind", "item", "qty"])
    m = m[m["kind"].isin([*SIGN, "盘点"])]  # a type outside the list is reported by validation, not booked
    m = m.assign(line=m.index).sort_values(["date", "line"], kind="stable")
    balance: dict[str, float] = {}
    deltas, after = [], []
    for r in m.itertuples():
        before = balance.get(r.item, 0.0)
        now = float(r.qty) if r.kind == "盘点" else before + SIGN[r.kind] * float(r.qty)
        balance[r.item] = now
        deltas.append(now - before)
        after.append(now)
    return m.assign(delta=deltas, balance=after)


def balance_on(led: pd.DataFrame, day: dt.date) -> pd.Series:
    """Per item, its stock at the end of the day."""
    return led[led["date"] <= day].groupby("item", sort=False)["balance"].last()


def average_price(led: pd.DataFrame, day: dt.date) -> pd.Series:
    ins = led[led["kind"].isin(("入库", "盘点")) & (led["date"] <= day) & led["amount"].notna()]
    g = ins.groupby("item")[["qty", "amount"]].sum()
    g = g[g["qty"] > 0]
    return g["amount"] / g["qty"]


def month_sheet(led: pd.DataFrame, items: pd.DataFrame, first: dt.date, last: dt.date) -> pd.DataFrame:
    """Per item of the catalogue or the ledger: category, unit, opening, received, used, lent, returned, counted
    (the 盘点 adjustments), closing, price, value, safety, short (closing below 安全库存)."""
    cat = items.dropna(subset=["item"]).drop_duplicates("item").set_index("item")
    names = list(dict.fromkeys([*cat.index, *led["item"]]))
    before = balance_on(led, first - dt.timedelta(days=1))
    after = balance_on(led, last)
    month = led[(led["date"] >= first) & (led["date"] <= last)]
    by_kind = month.groupby(["item", "kind"])["qty"].sum()
    adjust = month[month["kind"] == "盘点"].groupby("item")["delta"].sum()
    price = average_price(led, last)
    rows = []
    for n in names:
        def q(kind, n=n):
            return float(by_kind.get((n, kind), 0.0))
        closing = float(after.get(n, 0.0))
        p = price.get(n)
        safety = cat.at[n, "safety_stock"] if n in cat.index else None
        safety = None if safety is None or safety != safety else float(safety)
        rows.append({"item": n, "category": cat.at[n, "category"] if n in cat.index else None,
                     "unit": cat.at[n, "unit"] if n in cat.index else None, "opening": float(before.get(n, 0.0)),
                     "received": q("入库"), "used": q("领用"), "lent": q("出借"), "returned": q("归还"),
                     "counted": float(adjust.get(n, 0.0)), "closing": closing,
                     "price": None if p is None else float(p), "value": None if p is None else round(closing * p, 2),
                     "safety": safety, "short": safety is not None and closing < safety - EPS})
    return pd.DataFrame(rows, columns=["item", "category", "unit", "opening", "received", "used", "lent", "returned",
                                       "counted", "closing", "price", "value", "safety", "short"])


def by_department(led: pd.DataFrame, first: dt.date, last: dt.date) -> pd.DataFrame:
    """The month's 领用 per 班级或部门: times, value (at the average price up to the month's end)."""
    price = average_price(led, last)
    used = led[(led["kind"] == "领用") & (led["date"] >= first) & (led["date"] <= last)]
    used = used.assign(dept=used["dept"].fillna("（未填）"),
                       value=[q * price.get(i, float("nan")) for i, q in zip(used["item"], used["qty"])])
    g = used.groupby("dept", sort=True).agg(times=("qty", "size"), value=("value", "sum"))
    return g.reset_index()


def loans(led: pd.DataFrame, day: dt.date) -> tuple[pd.DataFrame, list[tuple[int, float, float]]]:
    """Loans still out at the end of the day (item, qty, date, dept, person, row, days) and the 归还 rows that
    match no loan (row, qty returned, qty that was out). A return settles the borrower's oldest loans of the item
    first; the borrower is the 领用人, or the 班级或部门 when no one is named."""
    open_: dict[tuple[str, str], list[dict]] = {}
    unmatched = []
    for r in led[led["date"] <= day].itertuples():
        if r.kind not in ("出借", "归还"):
            continue
        who = r.person if isinstance(r.person, str) else r.dept if isinstance(r.dept, str) else ""
        out = open_.setdefault((r.item, who), [])
        if r.kind == "出借":
            out.append({"item": r.item, "qty": float(r.qty), "date": r.date, "dept": r.dept, "person": r.person,
                        "line": r.line})
            continue
        left, lent = float(r.qty), sum(o["qty"] for o in out)
        if left > lent + EPS:
            unmatched.append((r.line, left, lent))
        while left > EPS and out:
            take = min(left, out[0]["qty"])
            out[0]["qty"] -= take
            left -= take
            if out[0]["qty"] <= EPS:
                out.pop(0)
    still = [dict(o, days=(day - o["date"]).days) for v in open_.values() for o in v]
    frame = pd.DataFrame(still, columns=["item", "qty", "date", "dept", "person", "line", "days"])
    return frame.sort_values(["date", "line"], kind="stable").reset_index(drop=True), unmatched
