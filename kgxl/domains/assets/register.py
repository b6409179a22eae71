"""The asset register as at a day: each 固定资产 card with the 资产变动 up to that day applied in date order, and
the term-end count against it. Pure.

A change moves the asset when it names a new room or keeper (调拨, or any other kind that does); 报修 makes it
维修中, 修复 在用, 报废 and 盘亏 take it off the books (已报废). 新增 and 盘盈 record an event: the card itself is
in 固定资产, and it is on the books from that day (a card without one, from its 购置日期). Applying a change the user
has also copied onto the card gives the same card, so both ways agree: a card whose 状态 already shows the result of
its last status change is read as it was before its first one (BEFORE), so an earlier day sees the earlier status.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from kgxl.domains.assets.names import OFF_BOOKS, SCRAPPED

STATUS = {"报修": "维修中", "修复": "在用", "报废": SCRAPPED, "盘亏": SCRAPPED}
BEFORE = {"报修": "在用", "修复": "维修中", "报废": "待报废", "盘亏": "在用"}  # a card's status before such a change
ENTRY = ("新增", "盘盈")
BEFORE_RULE = ("某日之后才登记报修、报废、盘亏或修复、而卡片状态已改为变动后状态的资产，当日状态按变动前推定：报修、盘亏前为在用，"
               "报废前为待报废，修复前为维修中；新增、盘盈的资产自其变动日期起在账，其他资产自购置日期起在账")
MATCH, GAIN, LOSS, MOVED = "相符", "盘盈", "盘亏", "位置不符"


def cards(assets: pd.DataFrame) -> pd.DataFrame:
    """The readable cards (an id, first row kept), indexed by asset_id, with their sheet row."""
    a = assets.dropna(subset=["asset_id"]).drop_duplicates("asset_id")
    return a.assign(line=a.index).set_index("asset_id", drop=False).rename_axis(None)


def changes_in_order(changes: pd.DataFrame | None) -> pd.DataFrame:
    if changes is None or not len(changes):
        return pd.DataFrame(columns=["date", "asset_id", "kind", "new_room", "new_keeper", "line"])
    c = changes.dropna(subset=["date", "asset_id", "kind"])
    return c.assign(line=c.index).sort_values(["date", "line"], kind="stable")


def scrapped_since(assets: pd.DataFrame, changes: pd.DataFrame | None) -> dict[str, tuple[dt.date, int | None]]:
    """asset_id -> (the day it left the books, the change row that took it off; None: the card says 已报废
    and no change dates it, so it was off the books all along)."""
    out: dict[str, tuple[dt.date, int | None]] = {}
    for r in changes_in_order(changes).itertuples():
        if r.kind in OFF_BOOKS and r.asset_id not in out:
            out[r.asset_id] = (r.date, r.line)
    for aid, status in zip(assets["asset_id"], assets["status"]):
        if status == SCRAPPED and isinstance(aid, str) and aid not in out:
            out[aid] = (dt.date.min, None)
    return out


def book(assets: pd.DataFrame, changes: pd.DataFrame | None, day: dt.date) -> pd.DataFrame:
    """Every card as at the end of `day` (room, keeper, status after the changes up to it); entered: on the books by
    then (its 新增/盘盈 day, else its 购置日期); on_books: entered and not 已报废."""
    b = cards(assets).copy()
    c = changes_in_order(changes)
    c = c[c["asset_id"].isin(b.index)]
    told = c[c["kind"].isin(list(STATUS))].groupby("asset_id", sort=False)["kind"]
    first, last = told.first(), told.last()
    for aid in last.index:
        if b.at[aid, "status"] == STATUS[last[aid]]:  # the card already shows the last change: start before the first
            b.at[aid, "status"] = BEFORE[first[aid]]
    for r in c[c["date"] <= day].itertuples():
        if isinstance(r.new_room, str):
            b.at[r.asset_id, "room"] = r.new_room
        if isinstance(r.new_keeper, str):
            b.at[r.asset_id, "keeper"] = r.new_keeper
        if r.kind in STATUS:
            b.at[r.asset_id, "status"] = STATUS[r.kind]
    since = c[c["kind"].isin(ENTRY)].groupby("asset_id", sort=False)["date"].first()
    start = b.index.map(lambda aid: since.get(aid, b.at[aid, "bought"]))
    b["entered"] = [not isinstance(d, dt.date) or d <= day for d in start]
    b["on_books"] = b["entered"] & (b["status"] != SCRAPPED)
    return b


def count_result(assets: pd.DataFrame, changes: pd.DataFrame | None, counts: pd.DataFrame) -> pd.DataFrame:
    """The count against the books at the last count day: one row per asset on the books in a counted room, and
    per asset counted elsewhere. Columns: asset_id, name, room (on the books), keeper, unit_price, book_qty,
    counted (None: not counted), found_room, condition, counter, diff (counted − book), value (diff × 单价),
    result (相符 / 盘盈 / 盘亏 / 位置不符). A room none of whose assets was counted is left out."""
    c = counts.dropna(subset=["asset_id", "date", "qty"])
    columns = ["asset_id", "name", "room", "keeper", "unit_price", "book_qty", "counted", "found_room", "condition",
               "counter", "diff", "value", "result"]
    if not len(c):
        return pd.DataFrame(columns=columns)
    b = book(assets, changes, max(c["date"]))
    b = b[b["on_books"]]
    got = c.groupby("asset_id", sort=False).agg(counted=("qty", "sum"), found_room=("room", "first"),
                                                condition=("condition", "last"), counter=("counter", "last"))
    counted_rooms = set(b.loc[b.index.isin(got.index), "room"]) | set(got["found_room"].dropna())
    rows = []
    for aid, r in b.iterrows():
        g = got.loc[aid] if aid in got.index else None
        if g is None and r["room"] not in counted_rooms:
            continue
        counted = int(g["counted"]) if g is not None else 0
        found = g["found_room"] if g is not None and isinstance(g["found_room"], str) else r["room"]
        diff = counted - int(r["qty"])
        result = GAIN if diff > 0 else LOSS if diff < 0 else MOVED if found != r["room"] else MATCH
        rows.append({"asset_id": aid, "name": r["name"], "room": r["room"], "keeper": r["keeper"],
                     "unit_price": r["unit_price"], "book_qty": int(r["qty"]), "counted": counted, "found_room": found,
                     "condition": g["condition"] if g is not None else None,
                     "counter": g["counter"] if g is not None else None, "diff": diff,
                     "value": round(diff * float(r["unit_price"]), 2), "result": result})
    return pd.DataFrame(rows, columns=columns)
