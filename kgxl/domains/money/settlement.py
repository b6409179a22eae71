"""学期结算 (多退少补): per child, what was prepaid against what was used, up to a day.

Meals: the 伙食费 paid (receipts less refunds already paid, 收费记录) minus what the child's days cost under
基本信息's refund rule: every 应出勤 day up to the report day's month end × 标准, less the refunds the one refund
ledger owes the child (the same amounts 伙食费退费 lists, month by month). A blank day (未登记, or not yet come)
is charged, not refunded, and counted as 待核实; a child who left is settled to the leaving date.
代收代办 items: what the child paid minus its share of the item's actual cost, where the cost is
recorded in 收支明细 (expenditure rows whose 预算科目 is a 代收代办 item of 学期预算 whose name contains
the fee item's name, e.g. 园服费代付 for 园服费); the cost is shared in proportion to what each child
paid, in whole fen that add up to the cost. Items without a recorded cost are left as paid.
Positive = refund (退), negative = due (补). All in integer fen, so the totals reconcile exactly.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from kgxl.core.money import money, split, to_fen
from kgxl.domains.attendance.shared import COUNTED, child_refunds, refund_ledger
from kgxl.domains.money.meal_account import meal_items


@dataclass
class Settlement:
    rows: pd.DataFrame  # per child: child_id, name, class_name, meal_paid, days, refund_days, pending, refund,
    #                     meal_used, <item>_paid, <item>_used, balance
    agency: dict[str, int | None]  # 代收代办 item -> recorded cost (fen), None when not recorded
    as_of: dt.date


def settle(fee_records: pd.DataFrame, fee_items: pd.DataFrame, child_days: pd.DataFrame | None,
           roster: pd.DataFrame, ledger: pd.DataFrame | None, budget: pd.DataFrame | None, settings,
           as_of: dt.date) -> Settlement:
    fees = fee_records.dropna(subset=["date", "child_id", "item", "amount"])
    fees = fees[(fees["date"] >= settings.term_start) & (fees["date"] <= as_of)]
    fees = fees.assign(fen=to_fen(fees["amount"]))
    paid = fees.groupby(["child_id", "item"])["fen"].sum().unstack(fill_value=0)
    meals = meal_items(fee_items)
    agency_items = [i for i, a in zip(fee_items["item"], fee_items["agency"]) if a == "是" and isinstance(i, str)]
    ids = list(dict.fromkeys([*paid.index]))
    days = pending = refund_days = refund = pd.Series(0, index=ids, dtype="int64")
    if child_days is not None and not child_days.empty:
        cd = child_days[child_days["day"] <= as_of]
        charged = cd[cd["school"] & cd["enrolled"] & (cd["mark"].isin(COUNTED) | cd["mark"].isna())]
        days = charged.groupby("child_id").size().astype("int64")
        pending = charged[charged["mark"].isna()].groupby("child_id").size().astype("int64")
        refund = child_refunds(cd, settings)
        refund_days = refund_ledger(cd, settings).groupby("child_id").size().astype("int64")
        ids = list(dict.fromkeys([*ids, *days[days > 0].index]))
    fee_fen = int(money(settings.meal_fee or 0) * 100)
    info = roster.dropna(subset=["child_id"]).drop_duplicates("child_id").set_index("child_id")
    out = pd.DataFrame({"child_id": ids, "name": [info["name"].get(i) for i in ids],
                        "class_name": [info["class_name"].get(i) for i in ids]})
    paid = paid.reindex(ids, fill_value=0)
    out["meal_paid"] = paid[[c for c in paid.columns if c in meals]].sum(axis=1).to_numpy(dtype="int64")
    for key, s in (("days", days), ("refund_days", refund_days), ("pending", pending), ("refund", refund)):
        out[key] = s.reindex(ids, fill_value=0).to_numpy(dtype="int64")
    out["meal_used"] = out["days"] * fee_fen - out["refund"]
    balance = out["meal_paid"] - out["meal_used"]
    costs = _agency_costs(ledger, budget, agency_items, settings.term_start, as_of)
    for item in agency_items:
        p = paid[item].to_numpy(dtype="int64") if item in paid.columns else [0] * len(ids)
        out[f"{item}_paid"] = p
        cost = costs[item]
        out[f"{item}_used"] = split(cost, [max(int(x), 0) for x in p]) if cost is not None else p
        balance = balance + out[f"{item}_paid"] - out[f"{item}_used"]
    out["balance"] = balance
    return Settlement(out, costs, as_of)


def _agency_costs(ledger, budget, items: list[str], start: dt.date, as_of: dt.date) -> dict[str, int | None]:
    if ledger is None or budget is None:
        return {i: None for i in items}
    agency_budget = set(budget.loc[budget["category"] == "代收代办", "budget_item"].dropna())
    led = ledger.dropna(subset=["date", "budget_item", "amount"])
    led = led[(led["direction"] == "支出") & (led["date"] >= start) & (led["date"] <= as_of)
              & led["budget_item"].isin(agency_budget)]
    out = {}
    for item in items:
        rows = led[led["budget_item"].str.contains(item, regex=False)]
        out[item] = int(to_fen(rows["amount"]).sum()) if len(rows) else None
    return out
