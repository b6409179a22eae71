"""预算执行: the term budget (学期预算) against the ledger (收支明细) by 预算科目, income and
expenditure apart, with the share of the term elapsed as the yardstick. Spending above its budget,
and any item the budget does not have, are flagged. Pure; amounts in integer fen.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from kgxl.core.money import to_fen

DIRECTIONS = ("收入", "支出")


def execution(budget: pd.DataFrame, ledger: pd.DataFrame, start: dt.date, as_of: dt.date) -> pd.DataFrame:
    """One row per (direction, item): category, budget, actual (fen), budgeted (bool)."""
    b = budget.dropna(subset=["budget_item", "direction", "amount"])
    b = b.assign(fen=to_fen(b["amount"])).groupby(["direction", "budget_item"], sort=False).agg(
        category=("category", "first"), budget=("fen", "sum"))
    led = ledger.dropna(subset=["date", "direction", "budget_item", "amount"])
    led = led[(led["date"] >= start) & (led["date"] <= as_of)]
    actual = led.assign(fen=to_fen(led["amount"])).groupby(["direction", "budget_item"], sort=False)["fen"].sum()
    out = b.join(actual.rename("actual"), how="outer")
    out["budgeted"] = out["budget"].notna()
    out["category"] = out["category"].fillna("预算外")
    return out.fillna({"budget": 0, "actual": 0}).astype({"budget": "int64", "actual": "int64"}).reset_index()


def meal_cash(budget: pd.DataFrame, ledger: pd.DataFrame, start: dt.date, as_of: dt.date) -> tuple[int, int]:
    """(income, expenditure) in fen that 预算执行 shows for the 预算科目 of category 伙食: cash as booked in 收支明细."""
    df = execution(budget, ledger, start, as_of)
    meal = df[df["category"] == "伙食"]
    return (int(meal.loc[meal["direction"] == "收入", "actual"].sum()),
            int(meal.loc[meal["direction"] == "支出", "actual"].sum()))
