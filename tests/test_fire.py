"""消防月报 worked by hand on a small book (October 2026): every figure, each extinguisher's 有效期 by GB 50444-2008
(kgxl/data/fire_extinguishers.csv), the fire cases at their cells, a past month as of its last day, the new term's
carry."""
import datetime as dt

import pytest

from kgxl.app.books import book_bytes
from kgxl.app.pipeline import ACTIONS, validate_book
from kgxl.io.filebook import FileBook

D = dt.date
TODAY = D(2026, 10, 31)
SETTINGS = {"kindergarten_name": "测试园", "term_label": "2026-2027学年第一学期", "term_start": D(2026, 9, 1),
            "term_end": D(2027, 1, 22), "meal_fee": 8.0, "refund_rule": "不退", "balance_period": "月",
            "principal": "园长", "accountant": "会计", "health_teacher": "保健", "current_month": "2026-10",
            "safety_officer": "安全员甲"}


def item(code, kind, count=1, made=None, serviced=None, until=None):
    return {"item_id": code, "kind": kind, "place": "走廊", "count": count, "made": made, "serviced": serviced, "until": until}


EQUIPMENT = [item("E1", "干粉灭火器", made=D(2020, 3, 1)),                              # row 2: first service 2025-03-01
             item("E2", "干粉灭火器", made=D(2020, 3, 1), serviced=D(2025, 2, 20)),     # next service 2027-02-20
             item("E3", "二氧化碳灭火器", made=D(2016, 11, 15), serviced=D(2025, 6, 1)),  # 2027-06-01; scrap 2028-11-15
             item("E4", "水基型灭火器", made=D(2023, 11, 20)),                           # row 5: first service 2026-11-20
             item("E5", "水基型灭火器"),                                                 # row 6: no date
             item("E6", "应急照明灯", count=10, until=D(2026, 10, 20)),                  # row 7: past its label
             item("E7", "消火栓", count=4),                                              # row 8: no period
             item("E8", "干粉灭火器", made=D(2016, 10, 10), serviced=D(2026, 1, 5))]    # row 9: scrap 2026-10-10


def check(day, code, result="正常", problem=None, fixed=None, fix=None):
    return {"date": day, "item_id": code, "result": result, "problem": problem, "fixed": fixed, "fix": fix}


CHECKS = [check(D(2026, 9, 1), c) for c in ("E1", "E2", "E3", "E4", "E5", "E6", "E8")] + [  # E7 not in September
    check(D(2026, 10, 8), "E1"), check(D(2026, 10, 8), "E2", "压力不足", "指针红区", D(2026, 10, 10), "已充装"),
    check(D(2026, 10, 8), "E4"), check(D(2026, 10, 8), "E5"), check(D(2026, 10, 8), "E6", "损坏", "不亮"),
    check(D(2026, 10, 8), "E7"), check(D(2026, 10, 8), "E8"),
    check(D(2026, 10, 20), "E1", "缺失", "被挪走", D(2026, 11, 2), "已放回")]            # E3 not checked in October
PLAN = [{"item": "消防器材", "category": "消防", "frequency": "每月1日", "owner": "甲"},
        {"item": "厨房卫生", "category": "卫生", "frequency": "每周一", "owner": "乙"}]
LOG = [{"date": D(2026, 10, 8), "item": "消防器材", "inspector": "甲", "result": "合格"},
       {"date": D(2026, 10, 9), "item": "厨房卫生", "inspector": "乙", "result": "合格"},
       {"date": D(2026, 10, 15), "item": "消防器材", "inspector": "甲", "result": "不合格", "problem": "通道堆物",
        "action": "清理", "fixed_date": D(2026, 10, 16)}]
DRILLS = [{"date": D(2026, 10, 15), "kind": "火灾疏散", "children": 150, "staff_count": 6, "seconds": 120},
          {"date": D(2026, 9, 20), "kind": "地震", "children": 140, "staff_count": 6, "seconds": 100}]


def book(path, **changes):
    rows = {"settings": SETTINGS, "fire_equipment": EQUIPMENT, "fire_checks": CHECKS, "inspection_plan": PLAN,
            "inspection_log": LOG, "drills": DRILLS, **changes}
    path.write_bytes(book_bytes(rows, {}))
    return path


def fire_sheet(path, month, today=TODAY):
    return next(o for o in ACTIONS["fire"].run(FileBook(path), month=month, today=today).outputs if o.name == "消防月报")


@pytest.fixture(scope="module")
def path(tmp_path_factory):
    return book(tmp_path_factory.mktemp("fire") / "f.xlsx")


def test_the_cases_are_located(path):
    found = {(p.sheet, p.cell, p.code, p.severity) for p in validate_book(FileBook(path), TODAY).problems
             if p.sheet in ("消防器材", "消防检查")}
    assert found == {("消防器材", "E2", "fire_expired", "警告"), ("消防器材", "E5", "fire_soon", "警告"),
                     ("消防器材", "E6", "fire_no_date", "警告"), ("消防器材", "G7", "fire_expired", "警告"),
                     ("消防器材", "E9", "fire_expired", "警告"), ("消防器材", "A8", "fire_unchecked", "警告")}


def test_the_months_figures(path):
    kinds, act, plan, drills, sign = fire_sheet(path, "2026-10").blocks
    # by kind: count, items, checked in October, found with a problem (an item's last check of the month),
    # past its date, due within 30 days (E4: 2026-11-20, 20 days after 10-31)
    assert kinds.rows == [["二氧化碳灭火器", 1, 1, 0, 0, 0, 0], ["干粉灭火器", 3, 3, 3, 2, 2, 0], ["应急照明灯", 10, 1, 1, 1, 1, 0],
                          ["水基型灭火器", 2, 2, 2, 0, 0, 1], ["消火栓", 4, 1, 1, 0, 0, 0], ["合计", 20, 8, 7, 3, 3, 1]]
    assert [(r[0], r[3], r[4]) for r in act.rows] == [
        ("E1", "已过期：2025-03-01 到维修期限", "待安排"), ("E4", "即将到期：2026-11-20 到维修期限", "待安排"),
        ("E6", "已过期：有效期至 2026-10-20", "待安排"), ("E8", "已过期：2026-10-10 到报废期限", "待安排"),
        ("E2", "2026-10-08 检查：压力不足，指针红区", "2026-10-10 已充装"), ("E6", "2026-10-08 检查：损坏，不亮", "未整改"),
        ("E1", "2026-10-20 检查：缺失，被挪走", "未整改")]  # fixed on 11-02: after the month's last day
    assert plan.rows == [[D(2026, 10, 8), "消防器材", "合格", None, None],
                         [D(2026, 10, 15), "消防器材", "不合格", "通道堆物", D(2026, 10, 16)]]
    assert drills.rows == [[D(2026, 10, 15), "火灾疏散", 150, 6, 120]]
    assert "安全员甲" in sign.title


def test_the_safety_ledger_has_a_line_for_the_equipment(path):
    from kgxl.domains.security.shared import register_lines

    v = validate_book(FileBook(path), TODAY)
    assert register_lines(v, D(2026, 10, 1), TODAY, TODAY) == [
        ["消防器材", "8 项，本月检查 7 项；已过期 3，即将到期 1，检查发现问题未整改 2"]]


def test_a_past_month_is_read_as_of_its_last_day(path):
    kinds, act, *_ = fire_sheet(path, "2026-09", today=D(2026, 11, 5)).blocks
    # on 9-30: E8 (scrap 10-10) and E6 (10-20) are due within 30 days, E1 past; E4 (11-20) not yet within 30 days
    assert kinds.rows[-1] == ["合计", 20, 8, 7, 0, 1, 2]
    assert [(r[0], r[3][:4]) for r in act.rows] == [("E1", "已过期："), ("E6", "即将到期"), ("E8", "即将到期")]


def test_a_new_term_keeps_the_equipment_not_the_checks(tmp_path):
    from kgxl.app.new_term import carry

    classes = [{"class_name": "小一班", "age_group": "小班", "head_teacher": "某"}]
    roster = [{"child_id": "C01", "name": "童", "sex": "女", "birth_date": D(2022, 3, 1), "class_name": "小一班",
               "entry_date": D(2026, 9, 1)}]
    v = validate_book(FileBook(book(tmp_path / "t.xlsx", classes=classes, roster=roster)), TODAY)
    rows = carry(v, D(2027, 2, 22), D(2027, 7, 9), {}).rows
    assert [r["item_id"] for r in rows["fire_equipment"]] == [f"E{i}" for i in range(1, 9)] and rows["fire_checks"] == []
