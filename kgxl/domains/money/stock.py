"""The meal fund's food stock (食品出入库) as a running balance per food, and its rules.

Within a day, rows count in the order 期初, 入库, 出库, 盘点 (a stocktake is the count at the end of
the day). 期初, 入库 add, 出库 subtracts, and a 盘点 sets the food's quantity and value to what was
counted. Values are integer fen: a row's typed 金额, rounded half up once. Vectorised: the balance
is a cumulative sum per food that restarts at each stocktake.
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from kgxl.core.calendar import months_of
from kgxl.core.money import to_fen

OPENING, IN, OUT, COUNT = "期初", "入库", "出库", "盘点"
ORDER = {OPENING: 0, IN: 1, OUT: 2, COUNT: 3}
STAFF = "教职工"
EPS_KG = 0.005  # quantities are typed to 0.01 kg


def ledger(frame: pd.DataFrame) -> pd.DataFrame:
    """The usable rows in booking order with fen (the row's amount), qty_after and fen_after (the
    food's balance after the row), month (YYYY-MM)."""
    df = frame.dropna(subset=["date", "kind", "food", "category", "qty_kg", "amount"])
    df = df[df["kind"].isin(ORDER.keys())].copy()
    df["order"] = df["kind"].map(ORDER)
    df = df.rename_axis("row").reset_index().sort_values(["date", "order", "row"], kind="stable")
    df["fen"] = to_fen(df["amount"])
    count = df["kind"] == COUNT
    sign = np.where(df["kind"] == OUT, -1, np.where(count, 0, 1))
    segment = count.astype(int).groupby(df["food"]).cumsum()  # a stocktake starts a new running sum
    keys = [df["food"], segment]
    df["qty_after"] = (df["qty_kg"].where(count, 0) + sign * df["qty_kg"]).groupby(keys).cumsum()
    df["fen_after"] = (df["fen"].where(count, 0) + sign * df["fen"]).groupby(keys).cumsum()
    df["month"] = months_of(df["date"])
    return df.set_index("row")


def stock_on(led: pd.DataFrame, day: dt.date) -> pd.DataFrame:
    """Per food, its balance at the end of `day`: category (as last booked), qty, fen."""
    last = led[led["date"] <= day].groupby("food", sort=False).tail(1)
    return pd.DataFrame({"category": last["category"].to_numpy(), "qty": last["qty_after"].to_numpy(),
                         "fen": last["fen_after"].to_numpy()}, index=last["food"].to_numpy())
