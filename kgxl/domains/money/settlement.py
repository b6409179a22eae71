"""学期结算: per child, what was paid against what was owed, up to a day; the one computation 学期结算, 欠费明细 and
催费通知 print, so they agree to the fen.

Owed (dues.py, less 资助, aid.py): 伙食费 by the 应出勤 days and the refund rule; items by 天, 月, 学期 by the
calendar; 上学期欠费 carried in. 代收代办 items: what the child paid minus its share of the item's actual cost, where
the cost is recorded in 收支明细 (expenditure rows whose 预算科目 is a 代收代办 item of 学期预算 whose name contains the
fee item's name, e.g. 园服费代付 for 园服费), shared in proportion to what each child paid, in whole fen that add up
to the cost; without a recorded cost, as paid. Items by 次 are settled as paid.
Balance: positive = refund (退), negative = due (补). 多退少补 or 多退少不补 (基本信息): under 多退少不补 the shortfall on
the items settled by use (伙食费, 代收代办) is waived and shown as 减免; what is owed on items by the calendar is
always owed. All in integer fen, so the totals reconcile exactly.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from kgxl.core.calendar import months_of
from kgxl.core.money import split, to_fen
from kgxl.domains.attendance.shared import absent_rows, child_days, month_days, registers
from kgxl.domains.money import aid as aid_rules
from kgxl.domains.money.dues import agency_items, charged, dues, meal_refunds, owed_items
from kgxl.domains.money.fees import meal_items

KEEP_SHORT = "多退少不补"


@dataclass
class Settlement:
    rows: pd.DataFrame  # per child: child_id, name, class_name, carried, meal_paid, days, pending, refund_days, refund,
    #  meal_aid, meal_used, <item>_due/_aid/_paid, <agency>_paid/_used, usage, balance, waived, final, since, last_paid
    meal: str | None  # the meal item (all meal items are paid into it)
    items: list[str]  # the other items owed by the calendar
    agency: dict[str, int | None]  # 代收代办 item -> recorded cost (fen), None when not recorded
    credits: pd.DataFrame  # aid.credits
    rule: str  # 多退少补 | 多退少不补
    as_of: dt.date


def settle(*, fee_records: pd.DataFrame, fee_items: pd.DataFrame, roster: pd.DataFrame, classes: pd.DataFrame | None,
           child_days: pd.DataFrame | None, school: list[dt.date] | None, ledger: pd.DataFrame | None,
           budget: pd.DataFrame | None, aid: pd.DataFrame | None, opening: pd.DataFrame | None, settings,
           as_of: dt.date, counted: tuple | None = None) -> Settlement:
    """counted: (dues.charged, dues.meal_refunds) of child_days up to as_of, when the caller keeps them."""
    fees = fee_records.dropna(subset=["date", "child_id", "item", "amount"])
    fees = fees[(fees["date"] >= settings.term_start) & (fees["date"] <= as_of)]
    fees = fees.assign(fen=to_fen(fees["amount"]))
    paid = fees.groupby(["child_id", "item"])["fen"].sum().unstack(fill_value=0)
    meals = meal_items(fee_items)
    owed_list = owed_items(fee_items)
    meal = meals[0] if meals else None
    items = [i for i in owed_list if i != meal]
    agency = agency_items(fee_items)
    days, refunds = counted or (charged(child_days, as_of), meal_refunds(child_days, settings, as_of))
    owed = dues(fee_items, roster, classes, child_days, school, settings, as_of, counted=(days, refunds))
    cr = aid_rules.credits(owed, aid) if aid is not None and len(aid) else pd.DataFrame(columns=aid_rules.CREDIT_COLUMNS)
    got = cr.groupby(["child_id", "item", "month"])["aid"].sum()
    owed["aid"] = got.reindex(pd.MultiIndex.from_frame(owed[["child_id", "item", "month"]]), fill_value=0).to_numpy(
        dtype="int64") if len(owed) else pd.Series(dtype="int64")
    carried = pd.Series(dtype="int64")
    if opening is not None and len(opening):
        o = opening.dropna(subset=["child_id", "amount"])
        carried = o.assign(fen=to_fen(o["amount"])).groupby("child_id")["fen"].sum()
    ids = list(dict.fromkeys([*paid.index, *owed["child_id"], *carried.index]))
    info = roster.dropna(subset=["child_id"]).drop_duplicates("child_id").set_index("child_id")
    out = pd.DataFrame({"child_id": ids, "name": [info["name"].get(i) for i in ids],
                        "class_name": [info["class_name"].get(i) for i in ids]})
    out["carried"] = carried.reindex(ids, fill_value=0).to_numpy(dtype="int64")
    paid = paid.reindex(ids, fill_value=0)
    by_item = owed.groupby(["child_id", "item"])[["due", "aid"]].sum()

    def item_sum(item, col):
        if not len(by_item) or item not in by_item.index.get_level_values(1):
            return pd.Series(0, index=range(len(ids)), dtype="int64").to_numpy()
        return by_item[col].xs(item, level="item").reindex(ids, fill_value=0).to_numpy(dtype="int64")

    out["meal_paid"] = paid[[c for c in paid.columns if c in meals]].sum(axis=1).to_numpy(dtype="int64")
    per_child = days.groupby(level="child_id")[["days", "blank"]].sum()
    for key, s in (("days", per_child["days"]), ("pending", per_child["blank"]),
                   ("refund_days", refunds.groupby("child_id")["days"].sum()),
                   ("refund", refunds.groupby("child_id")["fen"].sum())):
        out[key] = s.reindex(ids, fill_value=0).to_numpy(dtype="int64")
    out["meal_aid"] = item_sum(meal, "aid") if meal else 0
    out["meal_used"] = (item_sum(meal, "due") if meal else 0) - out["meal_aid"]
    usage = out["meal_paid"] - out["meal_used"]
    fixed = pd.Series(0, index=out.index, dtype="int64")
    for item in items:
        out[f"{item}_due"], out[f"{item}_aid"] = item_sum(item, "due"), item_sum(item, "aid")
        out[f"{item}_paid"] = paid[item].to_numpy(dtype="int64") if item in paid.columns else 0
        fixed = fixed + out[f"{item}_paid"] - out[f"{item}_due"] + out[f"{item}_aid"]
    costs = _agency_costs(ledger, budget, agency, settings.term_start, as_of)
    for item in agency:
        p = paid[item].to_numpy(dtype="int64") if item in paid.columns else [0] * len(ids)
        out[f"{item}_paid"] = p
        cost = costs[item]
        out[f"{item}_used"] = split(cost, [max(int(x), 0) for x in p]) if cost is not None else p
        usage = usage + out[f"{item}_paid"] - out[f"{item}_used"]
    rule = settings.settle_rule or "多退少补"
    out["usage"] = usage
    out["balance"] = usage + fixed - out["carried"]
    short = (-out["usage"]).clip(lower=0).combine((-out["balance"]).clip(lower=0), min)
    out["waived"] = short if rule == KEEP_SHORT else 0
    out["final"] = out["balance"] + out["waived"]
    out["since"] = _since(out, owed, meal, items, rule, settings.term_start)
    last = fees[fees["fen"] > 0].groupby("child_id")["date"].max()
    out["last_paid"] = [last.get(i) for i in ids]
    return Settlement(out, meal, items, costs, cr, rule, as_of)


def _since(out: pd.DataFrame, owed: pd.DataFrame, meal, items, rule, term_start) -> list:
    """Per child owing: the day the oldest unpaid fee fell due (paid amounts settle the earliest months first);
    上学期欠费 is due from the term's first day."""
    paid_col = {meal: "meal_paid", **{i: f"{i}_paid" for i in items}}
    counted = [i for i in [meal, *items] if i and (i != meal or rule != KEEP_SHORT)]
    net = owed[owed["item"].isin(counted)].sort_values("month", kind="stable")
    net = net.assign(net=(net["due"] - net["aid"]).astype("int64"))  # an empty owed has object columns
    paid = {(c, i): p for i in counted for c, p in zip(out["child_id"], out[paid_col[i]])}
    cum = net.groupby(["child_id", "item"], sort=False)["net"].cumsum().to_numpy()
    limit = [paid[k] for k in zip(net["child_id"], net["item"])]
    late = net[cum > limit].drop_duplicates(["child_id", "item"])  # each item's first month not covered
    unpaid: dict = {}
    for c, d in zip(late["child_id"], late["since"]):
        unpaid.setdefault(c, []).append(d)
    return [None if f >= 0 else min([*([term_start] if carried else []), *unpaid.get(c, [])], default=None)
            for c, f, carried in zip(out["child_id"], out["final"], out["carried"])]


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


def tieout(fee_records: pd.DataFrame, fee_items: pd.DataFrame, credits: pd.DataFrame, ledger: pd.DataFrame | None,
           start: dt.date, as_of: dt.date) -> pd.DataFrame:
    """Per 收费项目 and month: 收费 + 资助 − 退费 (收费记录 and 资助, what the fee income should be) against the income
    rows of 收支明细 whose 预算科目 names the item (保育教育费收入 for 保育教育费): item, month, received, refunded,
    aid, expected, booked (None when 收支明细 has no such 科目), diff."""
    f = fee_records.dropna(subset=["date", "item", "amount"])
    f = f[(f["date"] >= start) & (f["date"] <= as_of)]
    f = f.assign(fen=to_fen(f["amount"]), month=months_of(f["date"]))
    led = pd.DataFrame(columns=["budget_item", "fen", "month"])
    if ledger is not None:
        g = ledger.dropna(subset=["date", "budget_item", "amount"])
        g = g[(g["direction"] == "收入") & (g["date"] >= start) & (g["date"] <= as_of)]
        led = g.assign(fen=to_fen(g["amount"]), month=months_of(g["date"]))
    rows = []
    for item in fee_items["item"].dropna().drop_duplicates():
        mine = f[f["item"] == item]
        booked_rows = led[led["budget_item"].map(lambda b: str(item) in str(b)).astype(bool)] if len(led) else led
        has = len(booked_rows) > 0
        aid = credits[credits["item"] == item]
        received_in = mine["fen"].clip(lower=0).groupby(mine["month"]).sum()
        refunded_in = (-mine["fen"].clip(upper=0)).groupby(mine["month"]).sum()
        aid_in, booked_in = aid.groupby("month")["aid"].sum(), booked_rows.groupby("month")["fen"].sum()
        for m in sorted(set(mine["month"]) | set(booked_rows["month"]) | set(aid["month"])):
            received, refunded = int(received_in.get(m, 0)), int(refunded_in.get(m, 0))
            a = int(aid_in.get(m, 0))
            expected = received - refunded + a
            booked = int(booked_in.get(m, 0)) if has else None
            rows.append({"item": item, "month": m, "received": received, "refunded": refunded, "aid": a,
                         "expected": expected, "booked": booked, "diff": None if booked is None else booked - expected})
    return pd.DataFrame(rows, columns=["item", "month", "received", "refunded", "aid", "expected", "booked", "diff"])


def of_book(v, as_of) -> Settlement:
    """学期结算 up to as_of (settle over the book's sheets), computed once per validation."""
    t = v.tables

    def frame(key):
        return t[key].frame if key in t else None

    def run():
        aid, days = frame("aid"), child_days(v)
        counted = None
        if days is not None:  # what each month charges, kept per register: a mark typed in June leaves May's
            months = [v.shared(("money.charged", r.month, as_of), lambda m=r.month: charged(month_days(v, m), as_of))
                      for r in registers(v)]
            months = [m for m in months if len(m)]
            counted = (pd.concat(months).sort_index() if months else charged(days, as_of),
                       meal_refunds(days, v.settings, as_of, away=absent_rows(v)))
        return settle(fee_records=t["fee_records"].frame, fee_items=t["fee_items"].frame, roster=t["roster"].frame,
                      classes=frame("classes"), child_days=days, school=v.calendar.days if v.calendar else None,
                      ledger=frame("ledger"), budget=frame("budget"),
                      aid=aid_rules.usable(aid) if aid is not None else None, opening=frame("opening_arrears"), settings=v.settings, as_of=as_of, counted=counted)
    return v.shared(("money.settlement", as_of), run)
