"""The one refund ledger, worked by hand: a run of absences across a month end is refunded once, in the
month its run qualifies; a closed month never changes; 学期结算 charges what the rule does not refund."""
import datetime as dt

import pandas as pd
import pytest
from helpers import table

from kgxl.core.calendar import SchoolCalendar
from kgxl.core.settings import Settings
from kgxl.domains.attendance.days import child_days
from kgxl.domains.attendance.refunds import ledger, monthly_refunds, refunds
from kgxl.domains.money.settlement import settle

D = dt.date
# school days of 2026-09-21 .. 10-16: Mid-Autumn (9-25) and National Day (10-1..7) off, Saturday 10-10 a make-up day
CAL = SchoolCalendar(D(2026, 9, 21), D(2026, 10, 16))
SEP = [d for d in CAL.days if d.month == 9]  # 21 22 23 24 28 29 30
OCT = [d for d in CAL.days if d.month == 10]  # 8 9 10 12 13 14 15 16
TODAY = D(2026, 10, 16)
MARKS = {  # A: 病 9-29 and 9-30, then 事 10-8, the next school day; U: a blank 10-9 and one 缺 on 10-12; P present
    "A": {D(2026, 9, 29): "病", D(2026, 9, 30): "病", D(2026, 10, 8): "事"},
    "U": {D(2026, 10, 9): None, D(2026, 10, 12): "缺"},
    "P": {},
}


def roster():
    rows = [{"child_id": c, "name": f"童{c}", "sex": "女", "birth_date": D(2022, 3, 1), "class_name": "小一班",
             "entry_date": D(2026, 9, 1)} for c in MARKS]
    return table("roster", rows)[0].frame


def registers(upto: str):
    out = []
    for month, days in (("2026-09", SEP), ("2026-10", OCT)):
        if month > upto:
            continue
        rows = [{"child_id": c, "class_name": "小一班", **{d: marks.get(d, "√") for d in days}} for c, marks in MARKS.items()]
        out.append(table("register", rows, month=month, days=days)[0])
    return out


def long(upto: str) -> pd.DataFrame:
    return child_days(registers(upto), roster(), CAL, TODAY)


def rule(n=None, name="连续缺勤满N天退"):
    return Settings(meal_fee=8.0, refund_rule=name, refund_min_days=n, term_start=CAL.term_start,
                    term_end=CAL.term_end)


@pytest.mark.parametrize("n, sept, october", [
    (2, ["9/30"], ["10/8"]),        # the run of 3 reaches 2 on 9-30: 9-30 in September, 10-8 in its own month
    (3, [], ["9/30", "10/8"]),      # it reaches 3 only on 10-8: 9-30 is owed in October, listed with its date
    (4, [], []),                    # a run of 3 never reaches 4
])
def test_a_run_across_the_month_end_is_refunded_once_in_the_month_it_qualifies(n, sept, october):
    s = rule(n)
    sep_alone = refunds(long("2026-09"), s, "2026-09").set_index("child_id")  # September's report, before October
    oct_report = refunds(long("2026-10"), s, "2026-10").set_index("child_id")
    dates = lambda df: df.loc["A", "dates"].split("、") if df.loc["A", "dates"] else []  # noqa: E731
    assert dates(sep_alone) == sept and dates(oct_report) == october
    assert sep_alone.loc["A", "amount"] == 8 * len(sept) and oct_report.loc["A", "amount"] == 8 * len(october)
    led = ledger(long("2026-10"), s)
    assert len(led) == len(sept) + len(october) and not led["day"].duplicated().any()  # each day once
    # 伙食费核算's 应退 for September is the same in the September and the October report
    assert monthly_refunds(long("2026-09"), s).get("2026-09", 0) == monthly_refunds(long("2026-10"), s).get("2026-09", 0)
    assert monthly_refunds(long("2026-10"), s).get("2026-10", 0) == 800 * len(october)


def test_every_absent_day_rule_refunds_each_day_in_its_own_month():
    s = rule(name="按缺勤天数退")
    led = ledger(long("2026-10"), s)
    assert sorted((r.child_id, r.day, r.owed) for r in led.itertuples()) == [
        ("A", D(2026, 9, 29), "2026-09"), ("A", D(2026, 9, 30), "2026-09"), ("A", D(2026, 10, 8), "2026-10"),
        ("U", D(2026, 10, 12), "2026-10")]  # U's blank 10-9 is 未登记, not an absence


@pytest.mark.parametrize("settings, refunded", [
    # A: 3 absent days; U: one 缺 (a run of 1) and a blank day; P: present every day
    (rule(name="按缺勤天数退"), {"A": 2400, "U": 800, "P": 0}),
    (rule(2), {"A": 1600, "U": 0, "P": 0}),    # 满2天退1天 per run: A's run of 3 gives 9-30 and 10-8
    (rule(3), {"A": 1600, "U": 0, "P": 0}),    # the same two days, both owed in October
    (rule(4), {"A": 0, "U": 0, "P": 0}),
    (rule(name="不退"), {"A": 0, "U": 0, "P": 0}),
])
def test_settlement_follows_the_rule(settings, refunded):
    # each child prepaid all 15 school days at 8.00 = 120.00; every school day is due (the blank one too), so
    # the meals charged are 120.00 less the refund, and the balance to return is exactly the refund
    fees = table("fee_records", [{"date": D(2026, 9, 21), "child_id": c, "item": "伙食费", "amount": 120.0} for c in MARKS])
    items = table("fee_items", [{"item": "伙食费", "price": 8.0, "unit": "天", "basis": "批文", "agency": "否"}])
    s = settle(fee_records=fees[0].frame, fee_items=items[0].frame, roster=roster(), classes=None,
               child_days=long("2026-10"), school=None, ledger=None, budget=None, aid=None, opening=None,
               settings=settings, as_of=D(2026, 10, 16))
    rows = s.rows.set_index("child_id")
    assert dict(rows["days"]) == {"A": 15, "U": 15, "P": 15}
    assert dict(rows["pending"]) == {"A": 0, "U": 1, "P": 0}  # U's blank 10-9: charged, listed as 待核实
    assert dict(rows["refund"]) == refunded
    assert dict(rows["meal_used"]) == {c: 12000 - f for c, f in refunded.items()}
    assert dict(rows["balance"]) == refunded
    # the meals part of 学期结算 is what 伙食费退费 lists over the months
    sheets = sum(int(refunds(long(m), settings, m)["amount"].sum() * 100) for m in ("2026-09", "2026-10"))
    assert sheets == sum(refunded.values())


RULES = [rule(name="按缺勤天数退"), *(rule(n) for n in (2, 3, 4, 5)), rule(name="不退")]


def reconcile(path, today: D) -> list[tuple]:
    """For every rule and every month of the term with a register: the term's refunds as 伙食费退费 lists them
    month by month, as 伙食费核算 owes them, and as 学期结算 settles them (fen)."""

    from kgxl.app.pipeline import validate_book
    from kgxl.core.calendar import month_end_in_term
    from kgxl.domains.attendance.shared import child_days as days_of
    from kgxl.domains.attendance.shared import registers
    from kgxl.domains.money.meal_account import accounts
    from kgxl.domains.money.shared import stock_ledger
    from kgxl.io.filebook import FileBook

    v = validate_book(FileBook(path), today)
    t, cd = v.tables, days_of(v)
    months = sorted(r.month for r in registers(v))
    out = []
    for r in RULES:
        s = v.settings.replace(refund_rule=r.refund_rule, refund_min_days=r.refund_min_days)
        for m in months:
            known = cd[cd["month"] <= m]
            sheets = sum(int(refunds(known, s, x)["amount"].sum() * 100) for x in months if x <= m)
            account = sum(a.refunds for a in accounts(stock_ledger(v), t["fee_records"].frame, t["fee_items"].frame,
                                                      cd, s, m) if a.refunds_from == "出勤表")
            settled = settle(fee_records=t["fee_records"].frame, fee_items=t["fee_items"].frame, roster=t["roster"].frame,
                             classes=None, child_days=cd, school=None, ledger=None, budget=None, aid=None, opening=None,
                             settings=s, as_of=month_end_in_term(m, s.term_end)).rows["refund"].sum()
            out.append((r.refund_rule, r.refund_min_days, m, sheets, account, int(settled)))
    return out


@pytest.mark.slow
def test_the_sample_reconciles_under_every_rule():
    from conftest import SAMPLE

    rows = reconcile(SAMPLE, D(2026, 12, 31))
    assert len(rows) == len(RULES) * 4
    for rule_name, n, month, sheets, account, settled in rows:
        assert sheets == account == settled, (rule_name, n, month, sheets, account, settled)
    assert any(r[3] for r in rows)  # there is something to refund
