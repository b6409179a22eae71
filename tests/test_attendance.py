"""Attendance on a small month computed by hand, and on the sample against a direct count."""
import datetime as dt
import re
from decimal import Decimal

import openpyxl
import pytest

from kgxl.app.books import book_bytes
from kgxl.app.pipeline import ACTIONS
from kgxl.io.filebook import FileBook

run_attendance = ACTIONS["attendance"].run

D = dt.date
# October 2026 school days: 1-7 National Day, 10 (Sat) a make-up workday, 16 园所停课 (our own row)
OCT = [D(2026, 10, d) for d in (8, 9, 10, 12, 13, 14, 15, 19, 20, 21, 22, 23, 26, 27, 28, 29, 30)]


def marks(default, **special):
    """{day: mark} over OCT: default everywhere, then d8='病' style overrides (None = blank)."""
    out = {d: default for d in OCT}
    for key, mark in special.items():
        out[D(2026, 10, int(key[1:]))] = mark
    return out


def small_book(path, rule="连续缺勤满N天退", n=2, register=None, extra_roster=(), later=None):
    settings = {"kindergarten_name": "测试幼儿园", "term_label": "2026-2027学年第一学期",
                "term_start": D(2026, 9, 1), "term_end": D(2027, 1, 22), "meal_fee": 13.5, "refund_rule": rule,
                "refund_min_days": n, "balance_period": "月", "principal": "园长", "accountant": "会计",
                "health_teacher": "保健", "sick_alert_same_day": 2, "sick_alert_window_count": 2,
                "sick_alert_window_days": 3}
    classes = [{"class_name": "小一班", "age_group": "小班", "head_teacher": "甲老师"},
               {"class_name": "中一班", "age_group": "中班", "head_teacher": "乙老师"}]
    kid = {"sex": "男", "birth_date": D(2022, 5, 1)}
    roster = [{"child_id": "A001", "name": "甲", "class_name": "小一班", "entry_date": D(2026, 9, 1), **kid},
              {"child_id": "A002", "name": "乙", "class_name": "小一班", "entry_date": D(2026, 10, 14), **kid},
              {"child_id": "B001", "name": "丙", "class_name": "中一班", "entry_date": D(2025, 9, 1),
               "leave_date": D(2026, 10, 20), **kid},
              {"child_id": "B002", "name": "丁", "class_name": "中一班", "entry_date": D(2025, 9, 1), **kid},
              *extra_roster]
    rows = register or [
        {"child_id": "A001", "name": "甲", "class_name": "小一班", "note": "10/8起发热",
         "marks": marks("√", d8="病", d9="病", d10="病", d12="病", d20="事", d27="缺")},
        {"child_id": "A002", "name": "乙", "class_name": "小一班", "note": None,
         "marks": marks("√", d8="—", d9="—", d10="—", d12="—", d13="—", d14="病", d15="病")},
        {"child_id": "B001", "name": "丙", "class_name": "中一班", "note": "10/13 腹泻",
         "marks": marks("—", d8="√", d9="√", d10="√", d12="√", d13="病", d14="√", d15="√", d19="√", d20="√")},
        {"child_id": "B002", "name": "丁", "class_name": "中一班", "note": "10/8起咳嗽；10/13起咳嗽",
         "marks": marks("√", d8="病", d9="缺", d13="病", d30=None)},
    ]
    data = {"settings": settings, "classes": classes, "roster": roster,
            "holiday_overrides": [{"date": D(2026, 10, 16), "kind": "园所停课", "note": "演练"}]}
    path.write_bytes(book_bytes(data, {"2026-10": {"days": OCT, "rows": rows}, **(later or {})}))
    return path


def sheet_rows(path, name):
    return [list(r) for r in openpyxl.load_workbook(path)[name].iter_rows(values_only=True)]


def block(rows, title):
    """The data rows under a block title, up to the next blank row."""
    start = next(i for i, r in enumerate(rows) if r[0] == title) + 2
    out = []
    for r in rows[start:]:
        if all(v is None for v in r):
            break
        out.append(r)
    return out


@pytest.fixture
def small(tmp_path):
    return small_book(tmp_path / "small.xlsx")


def run(path, **kw):
    book = FileBook(path)
    result = run_attendance(book, month="2026-10", today=D(2026, 10, 31), **kw)
    book.write(result.outputs)
    return result


def test_small_month_by_hand(small):
    result = run(small)
    found = [(p.cell, p.code) for p in result.problems if p.code != "missing_sheet"]
    assert found == [("T5", "unregistered")]  # 丁, 10/30 left blank
    rows = block(sheet_rows(small, "出勤汇总"), "一、各班每月出勤")
    # 月份 班级 在册 应出勤天数 应出勤人次 实际 出勤率 病 事 缺 未登记 因病缺勤率
    assert rows == [["2026年10月", "小一班", 2, 17, 29, 21, 72.4, 6, 1, 1, 0, 20.7],
                    ["2026年10月", "中一班", 2, 17, 26, 21, 80.8, 3, 0, 1, 1, 11.5],
                    ["2026年10月", "全园合计", 4, 17, 55, 42, 76.4, 9, 1, 2, 1, 16.4]]


def test_refunds_by_hand(small):
    run(small)
    assert " 元/人/天" in sheet_rows(small, "伙食费退费")[1][0]
    assert re.search(r"伙食费标准 \d+\.\d\d 元/人/天", sheet_rows(small, "伙食费退费")[1][0])  # yuan to the fen (#23)
    rows = sheet_rows(small, "伙食费退费")[3:]
    got = {r[0] or r[1]: (r[7], Decimal(str(r[8]))) for r in rows}
    # 满2天退1天: 甲 8-12 病 (4 days) -> 3, 20 and 27 single; 乙 14-15 -> 1; 丙 13 single; 丁 8 病 + 9 缺 -> 1
    assert got == {"A001": (3, Decimal("40.5")), "A002": (1, Decimal("13.5")), "B001": (0, Decimal("0")),
                   "B002": (1, Decimal("13.5")), "小一班 小计": (4, Decimal("54")), "中一班 小计": (1, Decimal("13.5")),
                   "全园合计": (5, Decimal("67.5"))}


def test_refund_every_absent_day(tmp_path):
    path = small_book(tmp_path / "b.xlsx", rule="按缺勤天数退")
    run(path)
    total = sheet_rows(path, "伙食费退费")[-1]
    assert total[1] == "全园合计" and total[7] == 12 and total[8] == 162.0  # 12 absent days x 13.5


def test_sickness_by_hand(small):
    run(small)
    rows = sheet_rows(small, "因病缺勤追踪")
    alerts = [r[:6] for r in block(rows, rows[2][0])]
    dt_ = lambda d: dt.datetime(2026, 10, d)  # noqa: E731
    assert alerts == [["中一班", "3日内聚集", dt_(10), dt_(15), 5, 2], ["小一班", "3日内聚集", dt_(12), dt_(14), 3, 2],
                      ["中一班", "同日聚集", dt_(13), dt_(13), 1, 2]]
    cases = next(r[0] for r in rows if str(r[0]).startswith("二、因病缺勤病例"))
    episodes = [(r[0], r[3].day, r[4].day, r[5], r[6], r[7]) for r in block(rows, cases)]
    assert episodes == [("A001", 8, 12, 4, 4, "10/8起发热"), ("A002", 14, 15, 2, 2, ""), ("B001", 13, 13, 1, 1, "10/13 腹泻"),
                        ("B002", 8, 8, 1, 1, "10/8起咳嗽"), ("B002", 13, 13, 1, 1, "10/13起咳嗽")]
    daily = sheet_rows(small, "因病缺勤日报")[3:]  # its own sheet: two title rows, the header
    assert len(daily) == 2 * len(OCT)
    by = {(r[0].day, r[2]): (r[3], r[4], r[5], r[6], r[8]) for r in daily}
    assert by[(8, "小一班")] == (1, 0, 1, 0, "病假 1 人")
    assert by[(13, "中一班")] == (2, 0, 2, 0, "预警")
    assert by[(22, "中一班")] == (1, 1, 0, 0, "零报告")
    assert by[(30, "中一班")] == (1, None, 0, 1, "未登记")  # 丁, its only child due, left blank: was 实到 0, 零报告


def test_errors_in_register_stop_the_computation(tmp_path):
    reg = [{"child_id": "A001", "name": "甲", "class_name": "小一班", "note": None, "marks": marks("√", d21="—")},
           {"child_id": "A002", "name": "乙", "class_name": "小一班", "note": None, "marks": marks("√")},
           {"child_id": "B002", "name": "丁", "class_name": "中一班", "note": None, "marks": marks("√", d9="X")}]
    path = small_book(tmp_path / "bad.xlsx", register=reg)
    result = run(path)
    got = {(p.cell, p.code) for p in result.problems}
    assert {("M2", "away_while_enrolled"), ("D3", "not_enrolled"), ("E4", "unknown_mark")} <= got
    assert ("", "missing_child") in got  # 丙 was enrolled in October but has no row
    assert [o.name for o in result.outputs] == ["校验结果"]
    assert "未计算" in result.summary


def test_sample_summary_reconciles_with_registers(sample_copy):
    run_attendance_all = run_attendance(FileBook(sample_copy), month="2026-12", today=D(2026, 12, 31))
    FileBook(sample_copy).write(run_attendance_all.outputs)
    wb = openpyxl.load_workbook(sample_copy)
    # a direct count: every cell of every register, by the class written on its row
    direct = {}
    for name in wb.sheetnames:
        if not name.startswith("出勤-"):
            continue
        month = f"{int(name[3:7])}年{int(name[8:10])}月"
        for row in wb[name].iter_rows(min_row=2, values_only=True):
            for v in row[3:-1]:
                c = direct.setdefault((month, row[2]), {"√": 0, "病": 0, "事": 0, "缺": 0})
                if v in c:
                    c[v] += 1
    summary = [list(r) for r in wb["出勤汇总"].iter_rows(values_only=True)]
    rows = block(summary, "一、各班每月出勤")
    assert len(rows) == 4 * 7
    totals = {}
    for m, cls, _, _, due, present, rate, sick, leave, absent, unregistered, _ in rows:
        assert present + sick + leave + absent + unregistered == due
        assert rate == round(present / due * 100 + 1e-9, 1)
        if cls == "全园合计":
            assert totals[m] == [due, present, sick, leave, absent]
            continue
        c = direct[(m, cls)]
        assert [present, sick, leave, absent, unregistered] == [c["√"], c["病"], c["事"], c["缺"], 0]
        t = totals.setdefault(m, [0] * 5)
        for i, v in enumerate([due, present, sick, leave, absent]):
            t[i] += v
    term = block(summary, "二、本学期累计（截至2026年12月）")
    assert term[-1][4] == sum(v[0] for v in totals.values())
    assert term[-1][5] == sum(v[1] for v in totals.values())
    refunds = [list(r) for r in wb["伙食费退费"].iter_rows(min_row=4, values_only=True)]
    children = [r for r in refunds if r[0]]
    assert Decimal(str(refunds[-1][8])) == sum(Decimal(str(r[8])) for r in children)
    assert refunds[-1][7] == sum(r[4] + r[5] + r[6] for r in children)  # 按缺勤天数退: every absent day


def test_an_episode_over_two_months_is_counted_to_each_months_end(tmp_path):
    """10/29 to 11/5: October's 因病缺勤追踪 shows 2 days (on 10-31 that is all there was), November's the episode's
    6 days so far, of which 4 in November (was 2 and 6 with nothing to tell the months apart)."""
    nov = [D(2026, 11, d) for d in (2, 3, 4, 5, 6)]
    reg = [{"child_id": "A001", "name": "甲", "class_name": "小一班", "note": "10/29起发热",
            "marks": marks("√", d29="病", d30="病")}]
    nov_reg = [{"child_id": "A001", "name": "甲", "class_name": "小一班", "note": None,
                "marks": {d: ("√" if d.day == 6 else "病") for d in nov}}]
    path = small_book(tmp_path / "two.xlsx", register=reg, later={"2026-11": {"days": nov, "rows": nov_reg}})
    for month, today, expected in (("2026-10", D(2026, 10, 31), (29, 30, 2, 2)), ("2026-11", D(2026, 11, 6), (29, 5, 6, 4))):
        book = FileBook(path)
        book.write(run_attendance(book, month=month, today=today).outputs)
        sheet = sheet_rows(path, "因病缺勤追踪")
        cases = next(r[0] for r in sheet if str(r[0]).startswith("二、因病缺勤病例"))
        (case,) = block(sheet, cases)
        assert (case[3].day, case[4].day, case[5], case[6]) == expected


def test_a_blank_day_inside_a_sick_run_is_said_on_the_refund_row(tmp_path):
    """#42: 甲 病 10/12-10/15 with 10/13 left blank: under 满3天退 the run is split (1 + 2 days, nothing refunded
    instead of 3 days); the refund row says which day is blank and what it does. 丁's blank 10/30 is said too."""
    register = [
        {"child_id": "A001", "name": "甲", "class_name": "小一班", "note": None,
         "marks": marks("√", d12="病", d13=None, d14="病", d15="病")},
        {"child_id": "B002", "name": "丁", "class_name": "中一班", "note": None, "marks": marks("√", d30=None)}]
    path = small_book(tmp_path / "b.xlsx", n=3, register=register)
    run(path)
    rows = {r[0]: r for r in sheet_rows(path, "伙食费退费")[3:] if r[0]}
    assert rows["A001"][7] == 0
    assert rows["A001"][10] == ("10/13 未登记，不计退费；10/13 前后都是缺勤，连续缺勤在此中断，可退天数可能因此减少："
                                "请补登后重新生成")
    assert rows["B002"][10] == "10/30 未登记，不计退费"
    register[0]["marks"][D(2026, 10, 13)] = "病"
    path = small_book(tmp_path / "c.xlsx", n=3, register=register)
    run(path)
    rows = {r[0]: r for r in sheet_rows(path, "伙食费退费")[3:] if r[0]}
    assert rows["A001"][7] == 3 and rows["A001"][10] is None


def test_a_rule_typed_with_its_number_is_told_where_the_number_goes(tmp_path):
    """#42: “连续缺勤满3天退” typed as the rule: the message lists the rules and says the 3 goes in the next item."""
    from kgxl.app.pipeline import validate_book

    path = small_book(tmp_path / "b.xlsx", rule="连续缺勤满3天退")
    found = [p for p in validate_book(FileBook(path), D(2026, 10, 31)).problems if p.code == "allowed"]
    assert len(found) == 1 and found[0].sheet == "基本信息" and found[0].severity == "错误"
    assert "应为以下之一：按缺勤天数退、连续缺勤满N天退、不退" in found[0].message
    assert "本项选“连续缺勤满N天退”，天数 3 填在下一项“退费连续缺勤天数N”" in found[0].message
