"""What the money domain gives the others (nutrition shows the food cost of the meal account): the stock ledger
and the meal account of a validated workbook, each built once."""
from __future__ import annotations

from decimal import Decimal

import pandas as pd

from kgxl.core.calendar import month_end_in_term
from kgxl.core.money import half_up
from kgxl.domains.attendance.shared import absent_rows, child_days, days_known, registers, tallies
from kgxl.domains.money.aid import credits, usable
from kgxl.domains.money.dues import dues, meal_refunds
from kgxl.domains.money.meal_account import accounts, meal_items, stock_month
from kgxl.domains.money.names import MEAL_SHEETS
from kgxl.domains.money.stock import EPS_KG, IN, OPENING, OUT, ledger

__all__ = ["MEAL_SHEETS", "meal_items", "stock_ledger", "meal_accounts", "EPS_KG", "IN", "OPENING", "OUT"]


def stock_ledger(v):
    """stock.ledger of 食品出入库, built once per validation; None without the sheet."""
    return v.shared("money.stock_ledger", lambda: ledger(v.tables["stock"].frame) if "stock" in v.tables else None)


def meal_accounts(v, month: str):
    """The meal account's months up to `month`, computed once per validation; 资助 credited to the meal fee counts
    as received (the kindergarten's 资助 pays it into the meal fund)."""
    t = v.tables

    def run():
        aid = meal_aid(v, month_end_in_term(month, v.settings.term_end)) if v.has_rows("aid") else None
        return accounts(stock_ledger(v), t["fee_records"].frame, t["fee_items"].frame, None, v.settings, month, aid,
                        lambda m: v.shared(("money.stock_month", m), lambda: stock_month(stock_ledger(v), m)),
                        attendance=_attendance(v, month))
    return v.shared(("money.meal_accounts", month), run)


def _attendance(v, month: str) -> tuple | None:
    """What the meal account reads of the registers up to a month, from each register's kept parts (accounts)."""
    if not days_known(v):
        return None
    months = [r.month for r in registers(v) if r.month <= month]
    counted = tallies(v, months)
    return ({t.month for t in counted}, pd.Series({t.month: int(t.pairs["present"].sum()) for t in counted}, dtype="int64"),
            absent_rows(v, month))


def meal_aid(v, as_of) -> pd.Series:
    """Fen of 资助 the meal fund receives by month up to as_of. 资助 reduces a child's meal due after refunds; the
    fund is owed the child's meals (days × 标准 less refunds) and the meal account deducts every refund the
    registers give, so the fund is credited the aided share of the gross (aid × gross / due per child-month): a 全免
    child's absences are refunded to nobody."""
    items = v.tables["fee_items"].frame
    meals = meal_items(items)
    if not meals:
        return pd.Series(dtype="int64")
    aid = usable(v.tables["aid"].frame)
    roster, cd = of_children(v, set(aid["child_id"]))
    owed = dues(items[items["item"] == meals[0]], roster, None, cd, None, v.settings, as_of)
    cr = credits(owed, aid)
    if cr.empty:
        return pd.Series(dtype="int64")
    per = cr.groupby(["child_id", "month"])["aid"].sum()
    due = owed.set_index(["child_id", "month"])["due"].reindex(per.index)
    refund = meal_refunds(cd, v.settings, as_of).set_index(["child_id", "month"])["fen"].reindex(per.index, fill_value=0)
    gross = [int(half_up(Decimal(int(a)) * (int(d) + int(r)) / int(d))) for a, d, r in zip(per, due, refund)]
    return pd.Series(gross, index=per.index, dtype="int64").groupby(level="month").sum()


def of_children(v, kids: set) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """幼儿名册 and the child-day table of these children only: what their dues are computed from (a child's dues
    are its own), so 资助's few children do not cost a pass over every child."""
    roster, cd = v.tables["roster"].frame, child_days(v)
    return (roster[roster["child_id"].isin(kids).astype(bool)],
            None if cd is None else cd[cd["child_id"].isin(kids).astype(bool)])
