"""What each child owes per 收费项目, month by month, up to a day (before 资助): the one table 学期结算, 欠费明细,
催费通知 and 资助情况 read.

- 伙食费 (the meal items): every 应出勤 day of the month (a blank day is charged: not yet come or 未登记) × 标准,
  less the refunds the refund ledger owes the child in that month (the same amounts as 伙食费退费).
- other items by 天: the month's 应出勤 days × 收费标准 (no refund rule: kgxl cannot read a 退费办法 typed as text).
- by 月: the 收费标准 for every month in which the child is enrolled on at least one school day of the term.
- by 学期: the 收费标准 once, in the child's first month of the term.
- a 保教费 item the kindergarten waives for the child's age group (公办, 国办发〔2025〕27号) is not owed.
- by 次, and 代收代办 items, are not owed by the calendar: 学期结算 settles them on what was paid (代收代办 against
  the recorded cost).
A month's fee is due from its first school day the child is enrolled (its `since`). Amounts are integer fen.
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from kgxl.core.calendar import month_bounds, months_between
from kgxl.core.money import money, to_fen
from kgxl.domains.attendance.shared import COUNTED, absences, refund_ledger
from kgxl.domains.money.fees import WAIVED, meal_items, waiver

COLUMNS = ["child_id", "item", "month", "due", "since"]
BY_CALENDAR = ("天", "月", "学期")
NEVER = dt.date.max.toordinal()  # no 离园日期


def owed_items(fee_items: pd.DataFrame) -> list[str]:
    """The items owed by the calendar (not 代收代办, not by 次), in 收费项目's order; the meal item first."""
    meals = meal_items(fee_items)
    rest = [r.item for r in fee_items.dropna(subset=["item"]).itertuples()
            if r.item not in meals and r.agency != "是" and r.unit in BY_CALENDAR]
    return [*meals[:1], *rest]  # the meal fund is one: every meal item is paid into the first


def agency_items(fee_items: pd.DataFrame) -> list[str]:
    return [i for i, a in zip(fee_items["item"], fee_items["agency"]) if a == "是" and isinstance(i, str)]


def charged_days(child_days: pd.DataFrame | None, as_of: dt.date) -> pd.DataFrame:
    """The 应出勤 child-days up to as_of that a fee by the day is charged for: child_id, month, day, blank."""
    if child_days is None or child_days.empty:
        return pd.DataFrame(columns=["child_id", "month", "day", "ord", "blank"])
    cd, mark = child_days, child_days["mark"]
    keep = (cd["ord"] <= as_of.toordinal()) & cd["school"] & cd["enrolled"] & (mark.isin(COUNTED) | mark.isna())
    c = cd.loc[keep.to_numpy(), ["child_id", "month", "day", "ord", "mark"]]  # five columns of twenty
    return pd.DataFrame({"child_id": c["child_id"], "month": c["month"], "day": c["day"], "ord": c["ord"],
                         "blank": c["mark"].isna()})


def charged(child_days: pd.DataFrame | None, as_of: dt.date) -> pd.DataFrame:
    """charged_days counted per child and month (index child_id, month, sorted): days, blank (of them, left blank),
    first (the first one's ordinal). A term's is the concatenation of its months'."""
    c = charged_days(child_days, as_of)
    return c.assign(blank=c["blank"].astype("int64")).groupby(["child_id", "month"]).agg(
        days=("ord", "size"), blank=("blank", "sum"), first=("ord", "min"))


def meal_refunds(child_days: pd.DataFrame | None, settings, as_of: dt.date, away: pd.DataFrame | None = None) \
        -> pd.DataFrame:
    """Per child and month owed: days refunded and fen (each child-month rounded once, as 伙食费退费). away:
    absences(child_days), when the caller keeps them (attendance.shared.absent_rows)."""
    if child_days is None or child_days.empty:
        return pd.DataFrame(columns=["child_id", "month", "days", "fen"])
    away = absences(child_days) if away is None else away
    led = refund_ledger(away[away["ord"] <= as_of.toordinal()], settings)
    g = led.groupby(["child_id", "owed"]).size().rename("days").reset_index().rename(columns={"owed": "month"})
    fee = settings.meal_fee or 0
    g["fen"] = to_fen(g["days"] * fee)
    return g


def dues(fee_items: pd.DataFrame, roster: pd.DataFrame, classes: pd.DataFrame, child_days: pd.DataFrame | None,
         school: list[dt.date] | None, settings, as_of: dt.date, counted: tuple | None = None) -> pd.DataFrame:
    """One row per child, item and month owed up to as_of: child_id, item, month, due (fen), since (date).
    counted: (charged, meal_refunds) of these child_days and day, when the caller has them already."""
    items = fee_items.dropna(subset=["item"]).drop_duplicates("item").set_index("item")
    meals = set(meal_items(fee_items))
    days, refunds = counted or (charged(child_days, as_of), None)
    parts = []
    first_day = days["first"].map(dt.date.fromordinal)  # int min: no date objects
    n_days = days["days"]
    for item in owed_items(fee_items):
        r = items.loc[item]
        if item in meals:
            fee = int(money(settings.meal_fee or 0) * 100)
            if refunds is None:
                refunds = meal_refunds(child_days, settings, as_of)
            refunds = refunds.set_index(["child_id", "month"])["fen"]
            keys = n_days.index.union(refunds.index)
            due = n_days.reindex(keys, fill_value=0) * fee - refunds.reindex(keys, fill_value=0)
            since = first_day.reindex(keys)
            parts.append(_frame(item, due, since))
        elif r.unit == "天":
            parts.append(_frame(item, n_days * int(money(r.price) * 100), first_day))
        else:
            parts.append(_calendar_item(item, r, roster, classes, school, settings, as_of))
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame(columns=COLUMNS)
    out = pd.concat(parts, ignore_index=True)
    out["due"] = out["due"].astype("int64")
    return out.sort_values(["child_id", "item", "month"], kind="stable", ignore_index=True)


def _frame(item: str, due: pd.Series, since: pd.Series) -> pd.DataFrame:
    if due.empty:
        return pd.DataFrame(columns=COLUMNS)
    idx = due.index
    return pd.DataFrame({"child_id": idx.get_level_values(0), "item": item, "month": idx.get_level_values(1),
                         "due": due.to_numpy(dtype="int64"), "since": since.reindex(idx).to_numpy()})


def _calendar_item(item, r, roster, classes, school, settings, as_of) -> pd.DataFrame:
    """An item by 月 or 学期: owed for each month (once a term) the child is enrolled on a school day. Every child
    against every month at once, as day ordinals (a month is owed from its first such day)."""
    fen = int(money(r.price) * 100)
    w = waiver(settings) if r.category == WAIVED and settings.ownership == "公办" else None
    group_of = dict(zip(classes["class_name"], classes["age_group"])) if classes is not None else {}
    start, end = settings.term_start, min(settings.term_end, as_of)
    kids = roster.dropna(subset=["child_id", "entry_date"]).drop_duplicates("child_id")
    months = months_between(start, end)
    if not len(kids) or not months:
        return pd.DataFrame(columns=COLUMNS)
    bounds = [month_bounds(m) for m in months]
    first = np.array([a.toordinal() for a, _ in bounds])[None, :]
    entry = np.array([d.toordinal() for d in kids["entry_date"]])[:, None]
    leave = np.array([d.toordinal() if isinstance(d, dt.date) else NEVER for d in kids["leave_date"]])[:, None]
    lo = np.maximum(np.maximum(first, start.toordinal()), entry)  # children x months
    hi = np.minimum(np.minimum(np.array([b.toordinal() for _, b in bounds])[None, :], end.toordinal()), leave)
    ok = lo <= hi
    if school is not None:  # from the first school day in [lo, hi]; none: not owed
        days = np.array([d.toordinal() for d in school], dtype="int64")
        k = np.searchsorted(days, lo, side="left")
        at = days[np.minimum(k, len(days) - 1)] if len(days) else lo
        ok &= (k < len(days)) & (at <= hi)
        lo = np.where(k < len(days), at, lo)
    if w is not None:
        waived = np.array([group_of.get(c) in w[0] for c in kids["class_name"]])[:, None]
        ok &= ~(waived & (first >= w[1].toordinal()))
    if r.unit == "学期":
        ok &= np.cumsum(ok, axis=1) == 1  # the first month owed only
    child, month = np.nonzero(ok)  # child by child, month by month
    return pd.DataFrame({"child_id": kids["child_id"].to_numpy()[child], "item": item,
                         "month": [months[j] for j in month], "due": fen,
                         "since": [dt.date.fromordinal(int(x)) for x in lo[child, month]]}, columns=COLUMNS)
