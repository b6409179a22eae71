"""Meal-fee refunds (伙食费退费) per child and month, from the registers and 基本信息's rule.

Rules: 按缺勤天数退 refunds every absent school day (病, 事, 缺); 连续缺勤满N天退 refunds, in each
run of at least N consecutive absent school days, every day but the first (满N天退N-1天); 不退.
Runs are counted across month ends; each refunded day belongs to the month it falls in.
Money is Decimal: days × 标准, rounded half up to the fen once per child-month; totals are sums.
"""
from __future__ import annotations

from decimal import Decimal

import pandas as pd

from kgxl.core.money import money
from kgxl.core.settings import Settings
from kgxl.domains.attendance.days import ABSENT, LEAVE, SICK

RULES = ("按缺勤天数退", "连续缺勤满N天退", "不退")


def rule_text(settings: Settings) -> str:
    if settings.refund_rule == "连续缺勤满N天退":
        n = settings.refund_min_days
        return f"连续缺勤满{n}个在园日的，除第一天外退还（满{n}天退{n - 1}天）" if n else "连续缺勤满N天退（N 未填写）"
    return {"按缺勤天数退": "每个缺勤在园日（病假、事假、未请假缺勤）都退还", "不退": "缺勤不退伙食费"}.get(
        settings.refund_rule or "", "未设置")


def refundable(long: pd.DataFrame, settings: Settings) -> pd.Series:
    """Boolean per child-day: is this day's meal fee refunded?"""
    absent = long["due"] & long["mark"].isin((SICK, LEAVE, ABSENT))
    if settings.refund_rule == "按缺勤天数退":
        return absent
    if settings.refund_rule != "连续缺勤满N天退" or not settings.refund_min_days:
        return absent & False
    a = long[absent].sort_values(["child_id", "idx"])
    idx = a["idx"].astype(int)
    run = ((a["child_id"] != a["child_id"].shift()) | (idx - idx.shift() != 1)).cumsum()
    size = run.map(run.value_counts())
    first = run != run.shift()
    ok = (size >= settings.refund_min_days) & ~first
    return absent & ok.reindex(long.index, fill_value=False)


def refunds(long: pd.DataFrame, settings: Settings, month: str) -> pd.DataFrame:
    """Per child due in the month: child_id, name, class_name, due, sick, leave, absent, days, amount (Decimal)."""
    flagged = long.assign(refund=refundable(long, settings))
    m = flagged[flagged["due"] & (flagged["month"] == month)]
    g = m.assign(sick=m["mark"] == SICK, leave=m["mark"] == LEAVE, absent=m["mark"] == ABSENT).groupby(
        "child_id", sort=False).agg(name=("name", "first"), class_name=("class_name", "first"), due=("day", "size"),
                                    sick=("sick", "sum"), leave=("leave", "sum"), absent=("absent", "sum"),
                                    days=("refund", "sum"))
    fee = Decimal(str(settings.meal_fee or 0))
    g["amount"] = [money(fee * int(d)) for d in g["days"]]
    return g.reset_index()


def monthly_refunds(long: pd.DataFrame, settings: Settings) -> pd.Series:
    """Fen refunded per month: each child's refund rounded as in refunds(), summed, for all months at once."""
    flagged = long[long["due"] & refundable(long, settings)]
    days = flagged.groupby(["month", "child_id"]).size()
    fee = Decimal(str(settings.meal_fee or 0))
    fen = {d: int(money(fee * int(d)) * 100) for d in days.unique()}
    return days.map(fen).groupby(level="month").sum().astype("int64")
