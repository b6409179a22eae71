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

from kgxl.core.money import money, to_fen
from kgxl.core.problems import ERROR, WARNING, Problem, show
from kgxl.core.reading import Table

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
    df["month"] = [d.strftime("%Y-%m") for d in df["date"]]
    return df.set_index("row")


def stock_on(led: pd.DataFrame, day: dt.date) -> pd.DataFrame:
    """Per food, its balance at the end of `day`: category (as last booked), qty, fen."""
    last = led[led["date"] <= day].groupby("food", sort=False).tail(1)
    return pd.DataFrame({"category": last["category"].to_numpy(), "qty": last["qty_after"].to_numpy(),
                         "fen": last["fen_after"].to_numpy()}, index=last["food"].to_numpy())


def stock_problems(table: Table, led: pd.DataFrame) -> list[Problem]:
    """Amounts finer than a fen, staff rows, and an 出库 beyond the stock
    (led: the table's ledger())."""
    f, out = table.frame, []
    header = {k: table.schema.column(k).header for k in ("amount", "qty_kg", "diner")}

    def add(row, key, value, code, message, severity=ERROR):
        out.append(Problem(table.sheet, table.cell(row, key), header[key], show(value), code, message, severity))

    expected = (f["qty_kg"] * f["unit_price"]).round(6)
    off = (f["amount"] - expected).abs() > 0.01 + 1e-9  # reported by the schema's product_of rule
    cents = f["amount"] * 100
    finer = (cents - cents.round()).abs() > 1e-6
    for row in f.index[finer.fillna(False) & ~off.fillna(False)]:
        add(row, "amount", f.at[row, "amount"], "finer_than_fen",
            f"金额应精确到分（0.01 元），按四舍五入计为 {money(f.at[row, 'amount'])} 元", WARNING)
    for row in f.index[f["diner"] == STAFF]:
        add(row, "diner", STAFF, "staff_meal", "教职工伙食不得记入幼儿伙食账（专款专用）：请从本表删除这一行，在教职工伙食账中另行记录")
    outs = led[led["kind"] == OUT]
    unreadable = set(f.loc[~f.index.isin(led.index), "food"].dropna())  # a balance without these rows proves nothing
    short = outs[(outs["qty_after"] < -EPS_KG) & ~outs["food"].isin(unreadable)]
    for row, r in short.groupby("food", sort=False).head(1).iterrows():  # the first one per food; later ones follow from it
        add(row, "qty_kg", r["qty_kg"], "stock_negative",
            f"出库数量超过库存：{show(r['date'])} 出库前“{r['food']}”只有 {r['qty_after'] + r['qty_kg']:.2f} 千克，"
            f"出库 {r['qty_kg']:.2f} 千克。请核对数量，或补录入库")
    empty = outs[(outs["qty_after"].abs() <= EPS_KG) & (outs["fen_after"] != 0)]
    for row, r in empty.iterrows():
        add(row, "amount", r["amount"], "value_left",
            f"“{r['food']}”已全部出库，库存金额却还剩 {r['fen_after'] / 100:.2f} 元：出库单价与入库单价不一致，"
            f"请核对单价，或在月末盘点时按实际金额登记", WARNING)
    return out
