"""What the money domain gives its own sheets and the others (nutrition shows the food cost of the meal
account): its sheet names, the stock ledger and the meal account of a validated workbook, each built once."""
from __future__ import annotations

ACCOUNT, NOTICE, BUDGET, FEES, SETTLEMENT = "伙食费核算", "伙食账目公示", "预算执行", "收费公示", "学期结算"
MEAL_INPUTS = ("settings", "classes", "roster", "holiday_overrides", "stock", "fee_items", "fee_records")
MEAL_SHEETS = ("stock", "fee_items", "fee_records")


def stock_ledger(v):
    """stock.ledger of 食品出入库, built once per validation; None without the sheet."""
    from kgxl.domains.money.stock import ledger

    t = v.tables.get("stock")
    return v.shared("money.stock_ledger", lambda: ledger(t.frame)) if t is not None else None


def meal_accounts(v, month: str):
    """The meal account's months up to `month`, computed once per validation."""
    from kgxl.domains.attendance.shared import child_days
    from kgxl.domains.money.meal_account import accounts

    t = v.tables
    return v.shared(("money.meal_accounts", month), lambda: accounts(
        stock_ledger(v), t["fee_records"].frame, t["fee_items"].frame, child_days(v), v.settings, month))
