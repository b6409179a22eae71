"""门卫与接送 worked by hand on a small book (October 2026, today 10-31): every figure of the sheet, the gate's and
pick-up's cases at their cells, 刷新汇总 going on without 门卫与接送 when they are 错误, and the new term's carry."""
import datetime as dt

import pytest

from kgxl.app.books import book_bytes
from kgxl.app.pipeline import ACTIONS, validate_book
from kgxl.front.cli import main
from kgxl.io.filebook import FileBook

D, T = dt.date, dt.time
TODAY = D(2026, 10, 31)
SETTINGS = {"kindergarten_name": "测试园", "term_label": "2026-2027学年第一学期", "term_start": D(2026, 9, 1),
            "term_end": D(2027, 1, 22), "meal_fee": 8.0, "refund_rule": "不退", "balance_period": "月",
            "principal": "园长", "accountant": "会计", "health_teacher": "保健", "current_month": "2026-10",
            "class_start": T(8, 30), "class_end": T(16, 30), "late_after": T(17, 30)}


def child(cid, cls, leave=None):
    return {"child_id": cid, "name": f"童{cid}", "sex": "女", "birth_date": D(2022, 3, 1), "class_name": cls,
            "entry_date": D(2026, 9, 1), "leave_date": leave}


ROSTER = [child("C01", "小一班"), child("C02", "小一班"), child("C03", "小二班"), child("C04", "小二班", leave=D(2026, 10, 14)),
          child("C05", "小二班")]
STAFF = [{"staff_id": "T1", "name": "王老师", "role": "教师", "start_date": D(2020, 8, 15), "health_cert_expiry": D(2027, 8, 1)},
         {"staff_id": "T2", "name": "李园长", "role": "行政", "start_date": D(2020, 8, 15), "health_cert_expiry": D(2027, 8, 1)}]


def visit(day, who, area, enter, leave, host=None, checked="是"):
    return {"date": day, "visitor": who, "id_checked": checked, "purpose": "事", "host": host, "area": area,
            "enter": enter, "leave": leave}


VISITS = [visit(D(2026, 10, 12), "张三", "厨房食堂", T(9, 0), T(9, 30), "王老师"),
          visit(D(2026, 10, 12), "李四", "班级活动区", T(10, 0), T(10, 40)),            # row 3: class hours, no host
          visit(D(2026, 10, 13), "王五", "户外场地", T(14, 0), None, "李园长"),          # row 4: never signed out
          visit(D(2026, 10, 20), "赵六", "班级活动区", T(17, 0), T(17, 20)),             # after class hours
          visit(D(2026, 9, 28), "钱七", "行政办公区", T(9, 0), T(10, 0), "李园长"),       # September
          visit(D(2026, 10, 31), "孙八", "行政办公区", T(15, 0), None, "李园长")]         # today: still here
AUTH = [{"child_id": "C01", "adult": "童父一", "relation": "父亲", "card": "K1"},
        {"child_id": "C01", "adult": "童母一", "relation": "母亲", "card": "K2"},
        {"child_id": "C01", "adult": "童奶一", "relation": "祖母", "card": "K3", "until": D(2026, 10, 10)},
        {"child_id": "C02", "adult": "童母二", "relation": "母亲", "card": "K4"},
        {"child_id": "C03", "adult": "童父三", "relation": "父亲", "card": "K5", "until": D(2026, 9, 30)},
        {"child_id": "C04", "adult": "童父四", "relation": "父亲", "card": "K6"}]


def event(day, cid, kind, adult, time, confirmed=None):
    return {"date": day, "child_id": cid, "kind": kind, "adult": adult, "time": time, "confirmed": confirmed,
            "handling": "处理"}


EVENTS = [event(D(2026, 10, 12), "C01", "晚接", "童父一", T(17, 50)),
          event(D(2026, 10, 13), "C01", "晚接", "童母一", T(18, 10)),
          event(D(2026, 10, 15), "C02", "晚接", "童 母二", T(17, 40)),                 # a space typed in the name
          event(D(2026, 10, 16), "C01", "他人代接", "童奶一", T(16, 30)),               # row 5: card past 10-10
          event(D(2026, 10, 19), "C02", "他人代接", "邻居甲", T(16, 40), confirmed="是"),
          event(D(2026, 10, 20), "C03", "拒绝陌生人接走", "陌生人", T(16, 35)),
          event(D(2026, 10, 21), "C02", "其他", "童母二", T(17, 45)),                   # late by its time
          event(D(2026, 9, 30), "C01", "晚接", "童父一", T(17, 50))]                    # September


def book(path, **changes):
    rows = {"settings": SETTINGS, "roster": ROSTER, "staff": STAFF, "visits": VISITS, "pickup_auth": AUTH,
            "pickup_events": EVENTS,
            "classes": [{"class_name": c, "age_group": "小班", "head_teacher": "某"} for c in ("小一班", "小二班")],
            **changes}
    path.write_bytes(book_bytes(rows, {}))
    return path


@pytest.fixture(scope="module")
def sheet(tmp_path_factory):
    p = book(tmp_path_factory.mktemp("gate") / "g.xlsx")
    found = {(x.sheet, x.cell, x.code, x.severity) for x in validate_book(FileBook(p), TODAY).problems
             if x.sheet in ("来访登记", "接送授权", "接送异常登记")}
    assert found == {("来访登记", "F3", "visit_unhosted", "警告"), ("来访登记", "I4", "visit_open", "警告"),
                     ("接送异常登记", "D5", "pickup_card_expired", "警告")}
    return gate_sheet(p, "2026-10")


def gate_sheet(path, month):
    return next(o for o in ACTIONS["gate"].run(FileBook(path), month=month, today=TODAY).outputs if o.name == "门卫与接送")


def test_the_months_figures(sheet):
    summary, open_, events, late, no_card = sheet.blocks
    # October: rows 2, 3, 4, 5 and 7 (10-31); none unchecked; 王五 open (孙八 is today, not yet over); 李四 in class
    # hours without a host (赵六 came after 16:30); 7 events, none unauthorised unconfirmed; late: 3 晚接 + 其他 17:45;
    # no valid card on 10-31: C03 (expired 9-30), C05 (none); C04 left on 10-14
    assert summary.rows == [[5, 0, 1, 1, 7, 0, 4, 2]]
    assert open_.rows == [[D(2026, 10, 13), "王五", None, "事", "李园长", "户外场地", "14:00"]]
    assert [(r[0], r[1], r[4], r[6], r[7]) for r in events.rows] == [
        (D(2026, 10, 12), "C01", "晚接", "已授权", "17:50"), (D(2026, 10, 13), "C01", "晚接", "已授权", "18:10"),
        (D(2026, 10, 15), "C02", "晚接", "已授权", "17:40"), (D(2026, 10, 16), "C01", "他人代接", "接送卡已过期", "16:30"),
        (D(2026, 10, 19), "C02", "他人代接", "未授权", "16:40"), (D(2026, 10, 20), "C03", "拒绝陌生人接走", "未授权", "16:35"),
        (D(2026, 10, 21), "C02", "其他", "已授权", "17:45")]
    assert events.rows[0][2:4] == ["童C01", "小一班"]
    assert late.rows == [["C01", "童C01", "小一班", 2, "10/12、10/13"], ["C02", "童C02", "小一班", 2, "10/15、10/21"]]
    assert no_card.rows == [["C03", "童C03", "小二班", "已过期"], ["C05", "童C05", "小二班", "未办理"]]
    assert "17:30" in sheet.titles[1] and "08:30–16:30" in summary.title


def test_the_safety_ledger_has_a_line_per_register(tmp_path):
    out = next(o for o in ACTIONS["safety"].run(FileBook(book(tmp_path / "l.xlsx")), month="2026-10", today=TODAY).outputs
               if o.name == "安全工作台账")
    assert out.blocks[-1].rows == [["来访登记", "5 人次；未查验证件 0，未登记离开 1"],
                                   ["接送异常登记", "7 起；未授权接走 0，晚接 4 人次"]]


def test_a_past_month_is_read_as_of_its_last_day(tmp_path):
    out = gate_sheet(book(tmp_path / "p.xlsx"), "2026-09")
    summary, open_, events, late, no_card = out.blocks
    assert summary.rows == [[1, 0, 0, 0, 1, 0, 1, 1]]  # on 9-30 C03's card is still valid (to 9-30); C05 has none
    assert [r[0] for r in no_card.rows] == ["C05"] and late.rows[0][:4] == ["C01", "童C01", "小一班", 1]


def test_the_gate_and_pick_up_cases_are_located(tmp_path):
    visits = [*VISITS, visit(D(2026, 10, 14), "周九", "厨房食堂", T(9, 0), T(9, 20), "王老师", checked="否"),  # row 8
              visit(D(2026, 10, 15), "吴十", "户外场地", "8.30", T(9, 0)),                               # row 9
              visit(D(2026, 10, 15), "郑一", "户外场地", "8点半", T(9, 0))]                              # row 10
    events = [*EVENTS, event(D(2026, 10, 22), "C01", "他人代接", "陌生丙", T(16, 30)),    # row 10: unauthorised
              event(D(2026, 10, 23), "C02", "他人代接", None, T(16, 30)),                # row 11: nobody named
              event(D(2026, 10, 20), "C04", "晚接", "童父四", T(18, 0)),                 # row 12: left 10-14
              event(D(2026, 10, 26), "C01", "晚接", "童父一", T(17, 20)),                # row 13: not after 17:30
              event(D(2026, 10, 27), "C09", "晚接", "童父一", T(18, 0))]                 # row 14: no such child
    path = book(tmp_path / "e.xlsx", visits=visits, pickup_events=events)
    problems = validate_book(FileBook(path), TODAY).problems
    found = {(p.sheet, p.cell, p.code, p.severity) for p in problems if p.sheet in ("来访登记", "接送异常登记")}
    assert {("来访登记", "C8", "visit_unchecked", "错误"),
            ("接送异常登记", "D10", "pickup_unauthorised", "错误"), ("接送异常登记", "D11", "pickup_unauthorised", "错误"),
            ("接送异常登记", "B12", "pickup_not_enrolled", "错误"), ("接送异常登记", "E13", "late_before_time", "警告")} <= found
    cells = {(p.sheet, p.cell) for p in problems if p.severity == "错误"}
    assert {("来访登记", "H9"), ("来访登记", "H10"), ("接送异常登记", "B14")} <= cells
    assert all(p.message and p.cell for p in problems if p.sheet in ("来访登记", "接送异常登记"))


def test_gate_errors_stop_only_what_reads_the_gate_sheets(tmp_path, capsys):
    events = [*EVENTS, event(D(2026, 10, 22), "C01", "他人代接", "陌生丙", T(16, 30))]
    injury = {"date": D(2026, 10, 12), "time": T(10, 0), "place": "户外场地", "child_id": "C01", "kind": "跌倒摔伤",
              "severity": "轻", "hospital": "否"}
    path = book(tmp_path / "s.xlsx", pickup_events=events, injuries=[injury])
    main(["refresh", str(path), "--today", "2026-10-31", "--month", "2026-10"])
    assert "门卫与接送" in capsys.readouterr().out
    names = FileBook(path).sheet_names()
    assert "门卫与接送" not in names and "伤害统计" in names and "校验结果" in names


def test_a_new_term_carries_the_authorisations_of_kept_children(tmp_path):
    from kgxl.app.new_term import carry

    v = validate_book(FileBook(book(tmp_path / "t.xlsx")), TODAY)
    rows = carry(v, D(2027, 2, 22), D(2027, 7, 9), {}).rows
    # C03's card ran out on 9-30, C01's grandmother's on 10-10; C04 left
    assert [(r["child_id"], r["adult"]) for r in rows["pickup_auth"]] == [("C01", "童父一"), ("C01", "童母一"), ("C02", "童母二")]
    assert rows["visits"] == [] and rows["pickup_events"] == []
