"""Each domain's pure computations on small inline tables, worked by hand (no workbook, no file):
the fast inner loop's view of the core."""
import datetime as dt
from decimal import Decimal

import pandas as pd
from helpers import table

from kgxl.core.calendar import SchoolCalendar, month_bounds
from kgxl.core.money import percent, split
from kgxl.core.rules import cross_sheet_problems
from kgxl.core.settings import Settings
from kgxl.domains.attendance.days import child_days, class_summary
from kgxl.domains.attendance.refunds import refunds
from kgxl.domains.attendance.rules import register_problems
from kgxl.domains.attendance.sickness import alerts, episodes
from kgxl.domains.money.budget_execution import execution
from kgxl.domains.money.meal_account import stock_month
from kgxl.domains.money.rules import stock_problems
from kgxl.domains.money.stock import ledger
from kgxl.domains.nutrition.intake import Period, analyse

D = dt.date
WEEK = [D(2026, 9, 7), D(2026, 9, 8), D(2026, 9, 9), D(2026, 9, 10), D(2026, 9, 11)]  # Monday to Friday
CAL = SchoolCalendar(D(2026, 9, 7), D(2026, 9, 11))


def roster(*ids):
    rows = [{"child_id": i, "name": f"童{i}", "sex": "女", "birth_date": D(2022, 3, 1), "class_name": "小一班",
             "entry_date": D(2026, 9, 1)} for i in ids]
    return table("roster", rows)[0].frame


def register(marks: dict[str, list]):
    rows = [{"child_id": cid, "class_name": "小一班", **dict(zip(WEEK, m))} for cid, m in marks.items()]
    return table("register", rows, month="2026-09", days=WEEK)


def test_attendance_counts_and_rates():
    reg, _ = register({"A": ["√", "√", "病", "病", "√"], "B": ["√", "事", "缺", "√", None]})
    long = child_days([reg], roster("A", "B"), CAL, D(2026, 9, 11))
    total = class_summary(long, ["2026-09"], ["小一班"]).set_index("class_name").loc["全园合计"]
    # A: 5 due, 3 present, 2 sick; B: 5 due (the blank past day is 未登记), 2 present, 1 事, 1 缺
    assert (total["due"], total["present"], total["sick"], total["leave"], total["absent"], total["unregistered"]) == (
        10, 5, 2, 1, 1, 1)
    assert (total["rate"], total["sick_rate"]) == (50.0, 20.0)
    assert percent(1, 3) == 33.3 and percent(1, 8) == 12.5 and percent(1, 0) is None


def test_refunds_by_rule():
    reg, _ = register({"A": ["√", "√", "病", "病", "√"], "B": ["√", "事", "缺", "√", None]})
    long = child_days([reg], roster("A", "B"), CAL, D(2026, 9, 11))
    each = Settings(meal_fee=8.0, refund_rule="按缺勤天数退")
    got = refunds(long, each, "2026-09").set_index("child_id")
    assert dict(got["amount"]) == {"A": Decimal("16.00"), "B": Decimal("16.00")}  # 2 days each; 未登记 is not refunded
    runs = Settings(meal_fee=8.0, refund_rule="连续缺勤满N天退", refund_min_days=2)
    got = refunds(long, runs, "2026-09").set_index("child_id")
    assert dict(got["days"]) == {"A": 1, "B": 1}  # a run of 2: all days but the first
    assert refunds(long, Settings(meal_fee=8.0, refund_rule="不退"), "2026-09")["amount"].sum() == 0


def test_sickness_episodes_and_same_day_cluster():
    reg, _ = register({"A": ["病", "病", "√", "√", "√"], "B": ["病", "√", "√", "√", "√"], "C": ["病", "√", "√", "√", "√"]})
    long = child_days([reg], roster("A", "B", "C"), CAL, D(2026, 9, 11))
    ep = episodes(long, CAL)
    assert sorted(zip(ep["child_id"], ep["days"])) == [("A", 2), ("B", 1), ("C", 1)]
    al = alerts(long, CAL, Settings(sick_alert_same_day=3, sick_alert_window_count=9, sick_alert_window_days=3),
                ["小一班"])
    assert list(zip(al["kind"], al["start"], al["count"])) == [("同日聚集", D(2026, 9, 7), 3)]


def test_a_window_cluster_counts_the_children_it_names():
    """A run of overlapping windows names every child sick in it; the count is of those (it was the largest single
    window's, 3 beside 4 names); two children of one name are told apart by 幼儿编号."""
    reg, _ = register({"A": ["病", "√", "√", "√", "√"], "B": ["√", "病", "√", "√", "√"], "C": ["√", "√", "病", "√", "√"],
                       "D": ["√", "√", "√", "病", "√"]})
    people = roster("A", "B", "C", "D")
    people.loc[people["child_id"].isin(["B", "C"]), "name"] = "林佳怡"
    long = child_days([reg], people, CAL, D(2026, 9, 11))
    al = alerts(long, CAL, Settings(sick_alert_same_day=9, sick_alert_window_count=2, sick_alert_window_days=3),
                ["小一班"])
    assert list(al["count"]) == [4]
    assert al["children"][0] == "童A、林佳怡（B）、林佳怡（C）、童D"


def test_same_day_alerts_follow_the_class_order():
    """中二班 sorts before 小一班 by character code; the alerts follow 班级's order (小一班 first)."""
    reg, _ = register({k: ["病", "√", "√", "√", "√"] for k in "ABCD"})
    reg.frame.loc[reg.frame["child_id"].isin(["A", "B"]), "class_name"] = "中二班"
    people = roster("A", "B", "C", "D")
    people.loc[people["child_id"].isin(["A", "B"]), "class_name"] = "中二班"
    long = child_days([reg], people, CAL, D(2026, 9, 11))
    al = alerts(long, CAL, Settings(sick_alert_same_day=2, sick_alert_window_count=9, sick_alert_window_days=3),
                ["小一班", "中二班"])
    assert list(zip(al["class_name"], al["start"])) == [("小一班", D(2026, 9, 7)), ("中二班", D(2026, 9, 7))]


def test_register_rules_locate_marks():
    reg, read = register({"A": ["X", "✓", "√", "√", "√"]})
    long = child_days([reg], roster("A"), CAL, D(2026, 9, 11))
    found = {(p.cell, p.code) for p in register_problems([reg], long, roster("A"), CAL, D(2026, 9, 11), set())}
    assert {("D2", "unknown_mark"), ("E2", "mark_variant")} <= found and not read


def stock_rows():
    base = {"food": "大米", "category": "粮食", "handler": "王"}
    return [{**base, "date": D(2026, 9, 1), "kind": "期初", "qty_kg": 10, "unit_price": 10, "amount": 100},
            {**base, "date": D(2026, 9, 2), "kind": "入库", "qty_kg": 5, "unit_price": 10, "amount": 50},
            {**base, "date": D(2026, 9, 3), "kind": "出库", "qty_kg": 12, "unit_price": 10, "amount": 120},
            {**base, "date": D(2026, 9, 30), "kind": "盘点", "qty_kg": 2.5, "unit_price": 10, "amount": 25},
            {**base, "date": D(2026, 9, 30), "kind": "入库", "qty_kg": 2, "unit_price": 10, "amount": 21}]


def test_stock_month_cost_is_opening_plus_purchases_minus_count():
    t, _ = table("stock", stock_rows()[:4])
    s = stock_month(ledger(t.frame), "2026-09").loc["粮食"]
    # 期初 100 + 入库 50 − 盘点 25 = 125 元 of food used; 120 issued, so 5 元 盘亏
    assert (s["opening"], s["purchases"], s["issued"], s["closing"], s["cost"], s["adjust"]) == (
        10000, 5000, 12000, 2500, 12500, 500)


def test_stock_amount_is_checked_by_the_schema_rule():
    t, _ = table("stock", stock_rows())
    assert stock_problems(t, ledger(t.frame)) == []
    found = {(p.cell, p.code) for p in cross_sheet_problems({"stock": t}, Settings(), [])}
    assert found == {("G6", "amount_mismatch")}  # 2 kg × 10 元 is 20, not 21


def test_budget_execution_flags_over_and_unbudgeted():
    budget, _ = table("budget", [{"budget_item": "办公费", "category": "公用经费", "direction": "支出", "amount": 1000}])
    led, _ = table("ledger", [
        {"date": D(2026, 9, 5), "voucher": "1", "direction": "支出", "budget_item": "办公费", "summary": "纸", "amount": 1200,
         "handler": "王"},
        {"date": D(2026, 9, 6), "voucher": "2", "direction": "支出", "budget_item": "杂费", "summary": "x", "amount": 30.5,
         "handler": "王"}])
    df = execution(budget.frame, led.frame, D(2026, 9, 1), D(2026, 9, 30)).set_index("budget_item")
    assert (df.loc["办公费", "budget"], df.loc["办公费", "actual"]) == (100000, 120000)
    assert (bool(df.loc["杂费", "budgeted"]), df.loc["杂费", "actual"], df.loc["杂费", "category"]) == (False, 3050, "预算外")


def test_split_shares_to_the_fen():
    assert split(1000, [1, 1, 1]) == [334, 333, 333] and sum(split(99999, [3, 5, 7])) == 99999


def test_cross_sheet_reference_with_suggestion():
    classes, _ = table("classes", [{"class_name": "小一班", "age_group": "小班", "head_teacher": "李"}])
    kids, _ = table("roster", [{"child_id": "A", "name": "童", "sex": "女", "birth_date": D(2022, 3, 1),
                                "class_name": "小1班", "entry_date": D(2021, 9, 1)}])
    found = cross_sheet_problems({"classes": classes, "roster": kids}, Settings(), [])
    assert {(p.cell, p.code) for p in found} == {("E2", "unknown_ref"), ("F2", "date_order")}
    assert "是否为“小一班”" in next(p.message for p in found if p.code == "unknown_ref")


def test_nutrition_intake_of_one_day():
    foods, _ = table("foods", [
        {"food_name": "稻米", "category": "谷类", "edible_pct": 100, "energy_kcal": 346, "protein_g": 7.9, "fat_g": 0.9,
         "carb_g": 77.2, "quality_protein": "否", "source": "自定义"},
        {"food_name": "鸡蛋", "category": "蛋类", "edible_pct": 87, "energy_kcal": 139, "protein_g": 13.1, "fat_g": 8.6,
         "carb_g": 2.4, "quality_protein": "是", "source": "自定义"}])
    menu, _ = table("menu", [
        {"date": D(2026, 9, 7), "meal": "午餐", "dish": "米饭", "food": "稻米", "grams": 50},
        {"date": D(2026, 9, 7), "meal": "早餐", "dish": "蒸蛋", "food": "鸡蛋", "grams": 40}])
    a = analyse(menu.frame, foods.frame, Period("2026年9月", *month_bounds("2026-09")))
    # 50 g rice: 173 kcal, 3.95 g protein; 40 g egg at 87 % edible = 34.8 g: 48.372 kcal, 4.5588 g protein
    assert round(a.per_day["energy_kcal"], 3) == 221.372 and round(a.per_day["protein_g"], 4) == 8.5088
    assert round(a.protein["动物性食物"], 4) == 4.5588 and round(a.groups.loc["蛋类", "edible_g"], 1) == 34.8
    assert a.days == [D(2026, 9, 7)] and set(a.served) == {"早餐（含早点）", "午餐（含午点）"}
    assert isinstance(a.meals, pd.Series) and round(a.meals["早餐（含早点）"], 3) == 48.372


def test_nutrition_sheet_rounds_half_up():
    from kgxl.domains.nutrition.norms import norms
    from kgxl.domains.nutrition.reference import reference
    from kgxl.domains.nutrition.sheets import nutrition_sheet

    foods, _ = table("foods", [{"food_name": "稻米", "category": "谷类", "edible_pct": 100, "energy_kcal": 346,
                                "protein_g": 7.9, "fat_g": 0.9, "carb_g": 77.2, "quality_protein": "否", "source": "自定义"}])
    menu, _ = table("menu", [{"date": D(2026, 9, 7), "meal": "午餐", "dish": "米饭", "food": "稻米", "grams": 168.25}])
    a = analyse(menu.frame, foods.frame, Period("2026年9月", *month_bounds("2026-09")))
    classes, _ = table("classes", [{"class_name": "小一班", "age_group": "小班", "head_teacher": "李"}])
    ref = reference(roster("A"), classes.frame, D(2026, 9, 7))
    sheet = nutrition_sheet(a, ref, norms(None, False), Settings(meal_fee=8.0), cost=6.0279, cost_note="")
    foods_block, money_block = sheet.blocks[0], sheet.blocks[5]
    assert foods_block.rows[0][:2] == ["谷类", 168.3]  # half up, where Python's round gives 168.2
    # the food cost shows rounded, and its share of the fee is of the unrounded cost: 6.0279 / 8 = 75.35 % (6.03 / 8
    # would give 75.4)
    assert money_block.rows[1][1] == 6.03 and money_block.rows[2][1] == 75.3
