"""预算执行: the term budget (学期预算) against the ledger (收支明细) by 预算科目, income and
expenditure apart, with the share of the term elapsed as the yardstick. Spending above its budget,
and any item the budget does not have, are flagged. Pure; amounts in integer fen.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from kgxl.core.calendar import month_end_in_term, month_label
from kgxl.core.money import MONEY, pct, pct_value, to_fen, yuan
from kgxl.core.port import Block, SheetOutput
from kgxl.domains.money.shared import BUDGET as SHEET

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


def budget_sheet(budget: pd.DataFrame, ledger: pd.DataFrame, settings, month: str) -> SheetOutput:
    name = settings.kindergarten_name or ""
    start, end = settings.term_start, settings.term_end
    as_of = month_end_in_term(month, end)
    expected = pct((as_of - start).days + 1, (end - start).days + 1)
    df = execution(budget, ledger, start, as_of)
    blocks = []
    for n, direction in enumerate(DIRECTIONS):
        part = df[df["direction"] == direction]
        rows, styles = [], {}
        for r in part.itertuples():
            if not r.budgeted:
                status = "预算外"
            elif direction == "支出" and r.actual > r.budget:
                status = "超预算"
            else:
                status = "正常"
            if status != "正常":
                styles[len(rows)] = "error"
            rows.append([r.budget_item, r.category, yuan(r.budget), yuan(r.actual), yuan(r.budget - r.actual),
                         pct_value(pct(r.actual, r.budget)), pct_value(expected), status])
        styles[len(rows)] = "total"
        total_b, total_a = int(part["budget"].sum()), int(part["actual"].sum())
        rows.append([f"{direction}合计", None, yuan(total_b), yuan(total_a), yuan(total_b - total_a),
                     pct_value(pct(total_a, total_b)), pct_value(expected), None])
        blocks.append(Block(["预算科目", "科目类别", "预算金额", "实际发生", "剩余预算", "执行率(%)", "时间进度(%)", "状态"],
                            rows, title=f"{'一二'[n]}、{direction}", formats={2: MONEY, 3: MONEY, 4: MONEY, 5: "0.00", 6: "0.00"},
                            row_styles=styles))
    by_cat = df.groupby(["direction", "category"], sort=False)[["budget", "actual"]].sum().reset_index()
    by_cat["order"] = by_cat["direction"].map({d: i for i, d in enumerate(DIRECTIONS)})
    rows = [[r.direction, r.category, yuan(r.budget), yuan(r.actual), yuan(r.budget - r.actual),
             pct_value(pct(r.actual, r.budget))] for r in by_cat.sort_values("order", kind="stable").itertuples()]
    blocks.append(Block(["收支", "科目类别", "预算金额", "实际发生", "剩余预算", "执行率(%)"], rows, title="三、按科目类别汇总",
                        formats={2: MONEY, 3: MONEY, 4: MONEY, 5: "0.00"}))
    titles = [f"{name} {month_label(month)} 学期预算执行情况（{settings.term_label or ''}）".strip(),
              f"统计 {start} 至 {as_of} 的收支明细；本学期已过 {expected}% 的天数（时间进度）。超出预算的支出和"
              f"预算外的科目标为红色；预算外科目请补列预算或改正收支明细中的预算科目。"]
    return SheetOutput(SHEET, blocks, titles=titles, widths=[18, 12, 15, 15, 15, 11, 11, 10],
                       landscape=False, page_header=f"{name} 预算执行", tab_color="FF548235")
