"""What the money domain gives the others (nutrition shows the food cost of the meal account): the stock ledger
and the meal account of a validated workbook, each built once."""
from __future__ import annotations

from kgxl.domains.attendance.shared import child_days
from kgxl.domains.money.meal_account import accounts, meal_items
from kgxl.domains.money.names import MEAL_SHEETS
from kgxl.domains.money.stock import EPS_KG, IN, OPENING, OUT, ledger

__all__ = ["MEAL_SHEETS", "meal_items", "stock_ledger", "meal_accounts", "EPS_KG", "IN", "OPENING", "OUT"]


def stock_ledger(v):
    """stock.ledger of 食品出入库, built once per validation; None without the sheet."""
    t = v.tables.get("stock")
    return v.shared("money.stock_ledger", lambda: ledger(t.frame)) if t is not None else None


def meal_accounts(v, month: str):
    """The meal account's months up to `month`, computed once per validation."""
    t = v.tables
    return v.shared(("money.meal_accounts", month), lambda: accounts(
        stock_ledger(v), t["fee_records"].frame, t["fee_items"].frame, child_days(v), v.settings, month))
