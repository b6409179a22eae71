"""Stock by batch, first in first out, as the stock ledger's quantities allow. A batch is an accepted delivery tied to
the ledger's 期初/入库 of its day and food (when the day's quantities agree), else the ledger row itself with no dates.
What a food has consumed by a row of the ledger is what came in minus what is left (出库, and what a 盘点 found
missing), never going back (a 盘点 finding more adds stock no batch holds); it is taken from the oldest batch first.
Pure."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from kgxl.domains.money.shared import EPS_KG, IN, OPENING, OUT
from kgxl.domains.procurement import shelf
from kgxl.domains.procurement.tie import accepted, inflows

RULE = "库存按批次先进先出：每种食品的出库（和盘点盘亏）先从最早进货的批次扣减"
EXPIRED, NEAR, GOOD, UNKNOWN = "已过期", "临期", "正常", "保质期未填"


def batches(led: pd.DataFrame, deliveries: pd.DataFrame) -> pd.DataFrame:
    """Per batch in FIFO order: food, category, received, supplier, line (进货验收 row; -1 for the ledger's own),
    ledger_row, qty, last_good (date or None), produced, opening (a 期初), start and end (its kg range in the food's
    inflow)."""
    cols = ["food", "category", "received", "supplier", "line", "ledger_row", "qty", "last_good", "produced", "opening"]
    ins = inflows(led).rename_axis("ledger_row").reset_index()
    if not len(ins):
        return pd.DataFrame(columns=[*cols, "end", "start"])
    ins["opening"] = ins["kind"] == OPENING
    days = ins.groupby(["date", "food_key"], sort=False).agg(
        food=("food", "first"), category=("category", "first"), supplier=("supplier", "first"),
        ledger_row=("ledger_row", "first"), whole=("qty_kg", "sum"), opening=("opening", "max")).reset_index()
    acc = accepted(deliveries)
    acc = acc.assign(last_good=[shelf.last_good(a, b, c) for a, b, c in
                                zip(acc["produced"], acc["shelf_life"], acc["use_by"])],
                     got=acc.groupby(["date", "food_key"])["qty_kg"].transform("sum"))
    mine = acc.merge(days, on=["date", "food_key"], suffixes=("_d", ""))
    mine = mine[(mine["got"] - mine["whole"]).abs() <= EPS_KG]
    matched = set(zip(mine["date"], mine["food_key"]))
    whole = days[[k not in matched for k in zip(days["date"], days["food_key"])]]
    out = pd.concat([
        mine.assign(received=mine["date"], supplier=mine["supplier_d"], qty=mine["qty_kg"].astype(float))[cols],
        whole.assign(received=whole["date"], line=-1, qty=whole["whole"].astype(float), last_good=None,
                     produced=None)[cols]], ignore_index=True)
    out = out.sort_values(["food", "received", "line"], kind="stable").reset_index(drop=True)
    out["end"] = out.groupby("food")["qty"].cumsum()
    out["start"] = out["end"] - out["qty"]
    return out


def consumed(led: pd.DataFrame) -> pd.Series:
    """Per ledger row (booking order), the kg its food has consumed after it."""
    inflow = led["qty_kg"].where(led["kind"].isin((OPENING, IN)), 0.0)
    cum_in = inflow.groupby(led["food"]).cumsum()
    used = (cum_in - led["qty_after"]).clip(lower=0)
    return used.groupby(led["food"]).cummax()


def remaining(b: pd.DataFrame, led: pd.DataFrame, day: dt.date) -> pd.Series:
    """Each batch's kg left at the end of `day` (0 for one received later)."""
    used = consumed(led)
    upto = led["date"] <= day
    by_food = used[upto].groupby(led.loc[upto, "food"]).last()
    took = b["food"].map(by_food).fillna(0.0).to_numpy()
    left = np.clip(b["end"].to_numpy() - np.maximum(took, b["start"].to_numpy()), 0, b["qty"].to_numpy())
    return pd.Series(np.where((b["received"] <= day).to_numpy(), left, 0.0), index=b.index)


def state(last_good, day: dt.date, near_days) -> str:
    if not isinstance(last_good, dt.date):
        return UNKNOWN
    left = (last_good - day).days
    return EXPIRED if left < 0 else NEAR if near_days is not None and left <= near_days else GOOD


def expired_draws(b: pd.DataFrame, led: pd.DataFrame) -> pd.DataFrame:
    """The 出库 rows that took from a batch past its last good day: row (the sheet's), date, food, kg (from expired
    batches), received and last_good (of the oldest such batch). Only the batches not used up by their last good day
    are looked at (usually none)."""
    used = consumed(led)
    before = used.groupby(led["food"]).shift(fill_value=0.0)
    dated = b[b["last_good"].map(lambda d: isinstance(d, dt.date)).astype(bool)]
    if not len(dated):
        return pd.DataFrame(columns=["row", "date", "food", "kg", "received", "last_good"])
    # what each batch's food had consumed by the end of the batch's last good day: only a batch not used up by then
    # can be drawn on after it (usually none)
    took = pd.DataFrame({"food": led["food"], "day": pd.to_datetime(led["date"]), "took": used}).sort_values("day", kind="stable")
    ends = dated.assign(day=pd.to_datetime(dated["last_good"])).sort_values("day", kind="stable")
    ends = pd.merge_asof(ends, took.drop_duplicates(["food", "day"], keep="last"), on="day", by="food")
    late = ends[ends["took"].fillna(0.0) < ends["end"] - EPS_KG]
    hits = []
    for x in late.itertuples():
        lo = max(0.0 if x.took != x.took else x.took, x.start)
        outs = led[(led["food"] == x.food) & (led["kind"] == OUT) & (led["date"] > x.last_good)]
        outs = outs[(before[outs.index] < x.end - EPS_KG) & (used[outs.index] > lo + EPS_KG)]
        for row in outs.index:
            kg = min(x.end, used[row]) - max(lo, before[row])
            hits.append((row, led.at[row, "date"], x.food, kg, x.received, x.last_good))
    f = pd.DataFrame(hits, columns=["row", "date", "food", "kg", "received", "last_good"])
    f = f.groupby("row", sort=True).agg(date=("date", "first"), food=("food", "first"), kg=("kg", "sum"),
                                         received=("received", "first"), last_good=("last_good", "first")).reset_index()
    return f.assign(kg=f["kg"].round(2))
