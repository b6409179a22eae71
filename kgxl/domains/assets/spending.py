"""收支明细's spending by 预算科目 over a period: what 资产台账汇总 and 能耗统计 set beside new assets and meters."""
from __future__ import annotations

import pandas as pd


def payments(tables: dict, first, last) -> pd.DataFrame:
    """收支明细's 支出 rows between two days (both included), in date order; empty without the sheet."""
    if "ledger" not in tables:
        return pd.DataFrame(columns=["date", "voucher", "budget_item", "summary", "amount"])
    led = tables["ledger"].frame.dropna(subset=["date", "budget_item", "amount"])
    led = led[(led["direction"] == "支出") & (led["date"] >= first) & (led["date"] <= last)]
    return led.sort_values("date", kind="stable")


def spent(tables: dict, first, last) -> dict[str, float]:
    """收支明细's 支出 by 预算科目 between two days (both included); empty without the sheet."""
    led = payments(tables, first, last)
    return {k: float(v) for k, v in led.groupby("budget_item")["amount"].sum().items()}
