"""伙食费核算: the children's meal fund, month by month, kept apart from everything else (专款专用).

income   = 伙食费 received in 收费记录 that month − the month's refunds. Refunds are what the
           attendance registers say is owed for the month (伙食费退费) when the month has a register;
           otherwise the refunds paid that month (negative 伙食费 rows of 收费记录).
food cost = opening stock + purchases − closing stock, by food category (食品出入库; the closing
           stock is the stocktake where one was made, else the book balance after 出库).
balance  = income − food cost; 盈亏率 = balance / income; the ±2 % rule is judged per month or on
           the term's running totals, as 基本信息's 盈亏核算周期 says.
All amounts are integer fen; percentages are rounded half up to 0.01 at the end.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from kgxl.core.calendar import month_bounds, months_between, months_of
from kgxl.core.money import money, pct, to_fen
from kgxl.core.schema import load_schemas
from kgxl.domains.attendance.shared import absences, monthly_refunds
from kgxl.domains.money.fees import meal_items
from kgxl.domains.money.stock import IN, OPENING, OUT, stock_on

CATEGORIES = load_schemas()["stock"].column("category").allowed
LIMIT = Decimal(2)  # ±2 %


def period_of(settings) -> str:
    """基本信息's 盈亏核算周期: 学期, else 月."""
    return "学期" if settings.balance_period == "学期" else "月"


def judge(p: Decimal | None) -> str:
    if p is None:
        return "无收入"
    if p < -LIMIT:
        return "亏损超过2%"
    if p > LIMIT:
        return "结余超过2%"
    return "正常"


@dataclass
class MonthAccount:
    month: str
    child_days: int | None  # 儿童人日数 (present child-days), None without a register
    receipts: int  # fen: 伙食费 received
    refunds: int  # fen: refunds deducted from the month's income
    refunds_from: str  # 出勤表 | 收费记录
    refunds_paid: int  # fen: negative 伙食费 rows dated in the month (for reconciliation)
    stock: pd.DataFrame  # by category: opening, purchases, issued, closing, cost, adjust (fen)
    cum_income: int = 0
    cum_balance: int = 0
    aid: int = 0  # fen: of receipts, 资助 credited to the meal fee (资助与减免)

    @property
    def income(self) -> int:
        return self.receipts - self.refunds

    @property
    def cost(self) -> int:
        return int(self.stock["cost"].sum())

    @property
    def balance(self) -> int:
        return self.income - self.cost

    @property
    def pct(self) -> Decimal | None:
        return pct(self.balance, self.income)

    @property
    def cum_pct(self) -> Decimal | None:
        return pct(self.cum_balance, self.cum_income)

    @property
    def per_child_day(self) -> Decimal | None:
        return money(Decimal(self.cost) / 100 / self.child_days) if self.child_days else None

    def status(self, period: str) -> str:
        return judge(self.cum_pct if period == "学期" else self.pct)


def _by_category(values: pd.Series, categories: pd.Series) -> pd.Series:
    return values.groupby(categories).sum().reindex(CATEGORIES, fill_value=0).astype("int64")


def stock_month(led: pd.DataFrame, month: str) -> pd.DataFrame:
    first, last = month_bounds(month)
    before, after = stock_on(led, first - dt.timedelta(days=1)), stock_on(led, last)
    rows = led[led["month"] == month]
    opening = _by_category(before["fen"], before["category"]) + _by_category(
        rows["fen"].where(rows["kind"] == OPENING, 0), rows["category"])
    out = pd.DataFrame({"opening": opening,
                        "purchases": _by_category(rows["fen"].where(rows["kind"] == IN, 0), rows["category"]),
                        "issued": _by_category(rows["fen"].where(rows["kind"] == OUT, 0), rows["category"]),
                        "closing": _by_category(after["fen"], after["category"])})
    out["cost"] = out["opening"] + out["purchases"] - out["closing"]
    out["adjust"] = out["cost"] - out["issued"]  # stocktake differences (盘亏 > 0)
    return out


def accounts(led: pd.DataFrame, fee_records: pd.DataFrame, fee_items: pd.DataFrame, child_days: pd.DataFrame | None,
             settings, month: str, aid: pd.Series | None = None, stock_of=None,
             attendance: tuple | None = None) -> list[MonthAccount]:
    """One account per term month up to `month`, with the term's running totals (led: stock.ledger; aid: fen of
    资助 credited to the meal fee by month, counted as received; stock_of(month): stock_month of led, where the caller
    keeps it; attendance: what it reads of child_days up to the month, where the caller keeps it per register: the
    months registered, children present by month and the absences)."""
    stock_of = stock_of or (lambda m: stock_month(led, m))
    items = meal_items(fee_items)
    fees = fee_records.dropna(subset=["date", "item", "amount"])
    fees = fees[fees["item"].isin(items)]
    fees = fees.assign(fen=to_fen(fees["amount"]), month=months_of(fees["date"]))
    registered: set[str] = set()
    present = owed = pd.Series(dtype="int64")
    if attendance is None and child_days is not None and not child_days.empty:
        upto = child_days["month"] <= month  # as the month's 伙食费退费 sheet sees it
        months = child_days["month"][upto]
        away = absences(child_days)
        attendance = (set(months.unique()), child_days["present"][upto].groupby(months).sum(),
                      away[away["month"] <= month])
    if attendance is not None:
        registered, present, away = attendance
        owed = monthly_refunds(away, settings) if len(away) else owed
    out, cum_income, cum_balance = [], 0, 0
    for m in months_between(settings.term_start, month_bounds(month)[0]):
        f = fees[fees["month"] == m]
        receipts, paid = int(f["fen"].clip(lower=0).sum()), int(-f["fen"].clip(upper=0).sum())
        if m in registered:
            days, refunded, source = int(present.get(m, 0)), int(owed.get(m, 0)), "出勤表"
        else:
            days, refunded, source = None, paid, "收费记录"
        credited = int(aid.get(m, 0)) if aid is not None else 0
        acc = MonthAccount(m, days, receipts + credited, refunded, source, paid, stock_of(m), aid=credited)
        cum_income += acc.income
        cum_balance += acc.balance
        acc.cum_income, acc.cum_balance = cum_income, cum_balance
        out.append(acc)
    return out
