"""Meal-fee refunds (伙食费退费): one ledger of refundable child-days, from the registers and 基本信息's rule.

Rules: 按缺勤天数退 refunds every absent school day (病, 事, 缺); 连续缺勤满N天退 refunds, in each run of at
least N consecutive absent school days (counted across month ends), every day but the first (满N天退N-1天);
不退. Every refundable day is owed exactly once, in one month: its own month, or, for a day of a run that
reaches N only in a later month, the month in which the run reaches N (listed with its date). So a month's
refunds never change once the month's registers are in, whatever later months bring. 伙食费退费,
伙食费核算 and 学期结算 all read this ledger. Money: days × 标准, rounded half up to the fen once per
child-month; totals are sums.
"""
from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd

from kgxl.core.calendar import short_days
from kgxl.core.money import money
from kgxl.core.settings import Settings
from kgxl.domains.attendance.days import ABSENT, LEAVE, SICK

RULES = ("按缺勤天数退", "连续缺勤满N天退", "不退")
COLUMNS = ["child_id", "name", "class_name", "day", "month", "owed"]


def rule_text(settings: Settings) -> str:
    if settings.refund_rule == "连续缺勤满N天退":
        n = settings.refund_min_days
        return (f"连续缺勤满{n}个在园日的，除第一天外退还（满{n}天退{n - 1}天）；跨月的连续缺勤在满{n}天的那个月一并退还"
                if n else "连续缺勤满N天退（N 未填写）")
    return {"按缺勤天数退": "每个缺勤在园日（病假、事假、未请假缺勤）都退还", "不退": "缺勤不退伙食费"}.get(
        settings.refund_rule or "", "未设置")


def absences(long: pd.DataFrame) -> pd.DataFrame:
    """The due child-days marked 病, 事 or 缺: all the ledger reads of the registers (a caller may hand it these
    few rows instead of the whole table)."""
    return long[long["due"] & long["mark"].isin((SICK, LEAVE, ABSENT))]


def ledger(long: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """One row per refundable child-day of the registers given: child_id, name, class_name, day, month
    (the day's) and owed (the YYYY-MM it is refunded in)."""
    absent = absences(long)
    if settings.refund_rule == "按缺勤天数退":
        return absent.assign(owed=absent["month"])[COLUMNS].reset_index(drop=True)
    n = settings.refund_min_days
    if settings.refund_rule != "连续缺勤满N天退" or not n or absent.empty:
        return pd.DataFrame(columns=COLUMNS)
    a = absent.sort_values(["child_id", "idx"])
    idx = a["idx"].astype(int)
    run = ((a["child_id"] != a["child_id"].shift()) | (idx - idx.shift() != 1)).cumsum().to_numpy()
    position = a.groupby(run).cumcount().to_numpy()  # 0 for a run's first day
    size = pd.Series(run).map(pd.Series(run).value_counts()).to_numpy()
    months = a["month"].to_numpy()
    # the month of each run's N-th day: when the run qualifies
    qualifies = pd.Series(months[position == n - 1], index=run[position == n - 1])
    ok = (size >= n) & (position > 0)
    kept = a[ok]
    reached = qualifies.reindex(run[ok]).to_numpy()
    return kept.assign(owed=np.maximum(kept["month"].to_numpy(), reached))[COLUMNS].reset_index(drop=True)


def _amounts(days: pd.Series, settings: Settings) -> pd.Series:
    """Decimal yuan for a count of days, each count rounded half up to the fen once."""
    fee = Decimal(str(settings.meal_fee or 0))
    return days.map(lambda d: money(fee * int(d)))


def blank_notes(m: pd.DataFrame, settings: Settings) -> pd.Series:
    """Per child, the month's due days left blank, said on the refund row: a blank day is refunded never, and one
    between two absent days splits a run of 连续缺勤 (fewer days refunded than the run would give)."""
    due = m.sort_values(["child_id", "idx"])
    away = due["mark"].isin((SICK, LEAVE, ABSENT))
    by_child = away.groupby(due["child_id"])
    inside = by_child.shift(1, fill_value=False) & by_child.shift(-1, fill_value=False)
    blank = due["unregistered"].astype(bool)
    split = settings.refund_rule == "连续缺勤满N天退"
    notes = {}
    for child, g in due[blank].groupby("child_id", sort=False):
        days = short_days(g["day"])
        cut = [f"{d.month}/{d.day}" for d, i in zip(g["day"], inside[g.index]) if i]
        text = f"{days} 未登记，不计退费"
        if split and cut:
            text += f"；{'、'.join(cut)} 前后都是缺勤，连续缺勤在此中断，可退天数可能因此减少：请补登后重新生成"
        notes[child] = text
    return pd.Series(notes, dtype=object)


def refunds(long: pd.DataFrame, settings: Settings, month: str) -> pd.DataFrame:
    """Per child due in the month or owed a refund in it: child_id, name, class_name, due, sick, leave,
    absent (the month's counts), days (refunded in the month), dates (those days, M/D, earlier months'
    included), amount (Decimal) and note (the month's blank days, blank_notes)."""
    led = ledger(long[long["month"] <= month], settings)
    owed = led[led["owed"] == month].sort_values("day")
    m = long[long["due"] & (long["month"] == month)]
    g = m.assign(sick=m["mark"] == SICK, leave=m["mark"] == LEAVE, absent=m["mark"] == ABSENT).groupby(
        "child_id", sort=False).agg(name=("name", "first"), class_name=("class_name", "first"), due=("day", "size"),
                                    sick=("sick", "sum"), leave=("leave", "sum"), absent=("absent", "sum"))
    per = owed.groupby("child_id", sort=False).agg(
        name=("name", "first"), class_name=("class_name", "first"), days=("day", "size"),
        dates=("day", lambda d: "、".join(f"{x.month}/{x.day}" for x in d)))
    g = g.join(per[["days", "dates"]], how="outer")
    g["name"] = g["name"].fillna(per["name"])
    g["class_name"] = g["class_name"].fillna(per["class_name"])
    g = g.fillna({"due": 0, "sick": 0, "leave": 0, "absent": 0, "days": 0, "dates": ""})
    g["amount"] = _amounts(g["days"], settings)
    g["note"] = blank_notes(m, settings).reindex(g.index).fillna("")
    return g.rename_axis("child_id").reset_index()


def monthly_refunds(long: pd.DataFrame, settings: Settings) -> pd.Series:
    """Fen refunded per month (the month owed), each child-month rounded as in refunds()."""
    led = ledger(long, settings)
    days = led.groupby(["owed", "child_id"]).size()
    fen = _amounts(days, settings).map(lambda d: int(d * 100))
    return fen.groupby(level="owed").sum().astype("int64").rename_axis("month")


def child_refunds(long: pd.DataFrame, settings: Settings) -> pd.Series:
    """Fen refunded per child over all the months given, each child-month rounded as in refunds()."""
    led = ledger(long, settings)
    days = led.groupby(["child_id", "owed"]).size()
    fen = _amounts(days, settings).map(lambda d: int(d * 100))
    return fen.groupby(level="child_id").sum().astype("int64")
