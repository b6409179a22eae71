"""进货验收 against 食品出入库: each 入库 ties to the accepted deliveries of the same day and food (spaces ignored), the
quantities summed over the day, its supplier among theirs. Checked from 进货验收's first day (a workbook that starts
recording deliveries mid-term is not flooded for the weeks before). Pure."""
from __future__ import annotations

import numpy as np
import pandas as pd

from kgxl.core.cells import is_blank
from kgxl.domains.money.shared import EPS_KG, IN, OPENING

ACCEPTED = "合格"
RULE = "食品出入库的每笔入库应有同日、同食品、同供应商、同数量（当日合计）的验收合格记录，从进货验收的第一天起核对"


def key(text) -> str:
    return "".join(str(text).split())


def accepted(deliveries: pd.DataFrame) -> pd.DataFrame:
    """Accepted deliveries with line (the sheet's row) and food_key."""
    f = deliveries.dropna(subset=["date", "food", "qty_kg"])
    f = f[f["sensory"] == ACCEPTED].rename_axis("line").reset_index()
    return f.assign(food_key=f["food"].map(key), supplier_key=f["supplier"].map(lambda s: "" if is_blank(s) else key(s)))


def start_day(deliveries: pd.DataFrame):
    days = deliveries["date"].dropna()
    return min(days) if len(days) else None


def inflows(led: pd.DataFrame) -> pd.DataFrame:
    """The ledger's 期初 and 入库 rows with food_key (index: the sheet's row)."""
    f = led[led["kind"].isin((OPENING, IN))]
    return f.assign(food_key=f["food"].map(key))


def stock_ties(led: pd.DataFrame, deliveries: pd.DataFrame) -> pd.DataFrame:
    """Per 入库 row of 食品出入库 from 进货验收's first day: got (the day's accepted kg of the food), want (the day's
    入库 kg of it), state: ok, none (no accepted delivery), qty (the day's sums differ: on the day's first 入库 of the
    food), supplier (its supplier not among the deliveries')."""
    start = start_day(deliveries)
    cols = ["date", "food", "supplier", "qty_kg", "got", "want", "suppliers", "state"]
    if start is None:
        return pd.DataFrame(columns=cols)
    acc = accepted(deliveries)
    got = acc.groupby(["date", "food_key"])["qty_kg"].sum().to_dict()
    sup: dict = {}
    for k, s in zip(zip(acc["date"], acc["food_key"]), acc["supplier_key"]):
        sup.setdefault(k, set()).update({s} - {""})
    ins = inflows(led)
    ins = ins[(ins["kind"] == IN) & (ins["date"] >= start)]
    keys = list(zip(ins["date"], ins["food_key"]))
    want = ins.groupby(["date", "food_key"])["qty_kg"].transform("sum")
    first = ~pd.Series(keys, index=ins.index).duplicated()
    out = ins[["date", "food", "supplier", "qty_kg"]].copy()
    out["got"] = [float(got.get(k, 0.0)) for k in keys]
    out["want"] = want
    out["suppliers"] = [sup.get(k, set()) for k in keys]
    known = np.array([k in got for k in keys], dtype=bool)
    other = np.array([not is_blank(s) and bool(x) and key(s) not in x for s, x in zip(out["supplier"], out["suppliers"])],
                     dtype=bool)
    out["state"] = np.select([~known, first.to_numpy() & ((out["got"] - out["want"]).abs() > EPS_KG).to_numpy(), other],
                             ["none", "qty", "supplier"], "ok")
    return out[cols]


def unstocked(led: pd.DataFrame, deliveries: pd.DataFrame) -> pd.DataFrame:
    """Accepted deliveries with no 期初 or 入库 of their food on their day."""
    acc = accepted(deliveries)
    ins = inflows(led)
    booked = set(zip(ins["date"], ins["food_key"]))
    return acc[[k not in booked for k in zip(acc["date"], acc["food_key"])]]
