"""队伍与安全 worked by hand on a small staff list: every figure of 教职工资质 (with the staffing ratios),
培训统计, 月考核汇总 and 安全工作台账, and the bad input each located."""
import datetime as dt

import pytest

from kgxl.app.books import book_bytes
from kgxl.app.pipeline import ACTIONS, validate_book
from kgxl.domains.staff.safety import holidays
from kgxl.io.filebook import FileBook

D = dt.date
TODAY = D(2026, 10, 31)
SETTINGS = {"kindergarten_name": "测试园", "term_label": "2026-2027学年第一学期", "term_start": D(2026, 9, 1),
            "term_end": D(2027, 1, 22), "meal_fee": 8.0, "refund_rule": "不退", "balance_period": "月",
            "principal": "园长", "accountant": "会计", "health_teacher": "保健", "current_month": "2026-10",
            "planned_drills": "火灾疏散、地震"}


def person(pid, name, role, cls=None, qual=None, expiry=None, end=None):
    return {"staff_id": pid, "name": name, "role": role, "class_name": cls, "start_date": D(2020, 8, 15),
            "end_date": end, "qualification": qual, "health_cert_expiry": expiry}


STAFF = [person("T1", "甲", "保健老师", qual="护士执业证书", expiry=D(2027, 6, 1)),
         person("T2", "乙", "厨师", qual="中式烹调师", expiry=D(2026, 11, 15)),   # 15 days left on 10-31: yellow
         person("T3", "丙", "营养员", qual="公共营养师", expiry=D(2027, 5, 1)),
         person("T4", "丁", "保育员", "小一班", "保育员初级", D(2027, 3, 1)),
         person("T5", "戊", "保育员", "小一班", None, D(2027, 3, 1)),
         person("T6", "己", "保安", qual="保安员证", expiry=D(2027, 6, 1), end=D(2026, 9, 30))]  # left in September


def training(day, topic, category, pid, hours):
    return {"date": day, "topic": topic, "category": category, "staff_id": pid, "hours": hours, "result": "合格"}


TRAININGS = [training(D(2026, 9, 9), "业务一", "保育员业务", p, 1.5) for p in ("T4", "T5")] + [
    training(D(2026, 9, 23), "业务二", "保育员业务", "T4", 1.5)] + [
    training(D(2026, 10, 10), "安全", "安全", p, 1.0) for p in ("T1", "T2", "T3", "T4", "T5")] + [
    training(D(2026, 10, 21), "业务三", "保育员业务", p, 1.5) for p in ("T4", "T5")]
ITEMS = [{"role": "保育员", "item": "卫生", "max_score": 60}, {"role": "保育员", "item": "照料", "max_score": 40}]


def score(month, pid, item, value):
    return {"month": month, "staff_id": pid, "item": item, "score": value}


SCORES = [score("2026-09", "T4", "卫生", 50), score("2026-09", "T4", "照料", 40),
          score("2026-09", "T5", "卫生", 60), score("2026-09", "T5", "照料", 40),
          score("2026-10", "T4", "卫生", 55), score("2026-10", "T4", "照料", 40),
          score("2026-10", "T5", "卫生", 62)]                                         # over 60, 照料 missing
DRILLS = [{"date": D(2026, 9, 20), "kind": "火灾疏散", "children": 150, "staff_count": 6, "seconds": 120},
          {"date": D(2026, 10, 15), "kind": "其他", "children": 100, "staff_count": 5, "seconds": 90}]
PLEDGES = [{"staff_id": p, "date": D(2026, 9, 1)} for p in ("T1", "T2", "T4")]


def book(path, staff=STAFF, **extra):
    kid = {"sex": "女", "birth_date": D(2022, 3, 1), "class_name": "小一班", "entry_date": D(2026, 9, 1)}
    roster = [{"child_id": f"C{i:03d}", "name": f"童{i}", **kid} for i in range(151)]  # 151 children
    days = holidays(D(2026, 9, 1), D(2027, 1, 22), {})
    duty = [{"date": d, "staff_id": "T1", "shift": "全天"} for d in days if d != D(2026, 10, 2)]
    duty.append({"date": D(2026, 11, 1), "staff_id": None, "shift": "全天"})
    rows = {"settings": SETTINGS, "classes": [{"class_name": "小一班", "age_group": "小班", "head_teacher": "某"}],
            "roster": roster, "staff": staff, "trainings": TRAININGS, "appraisal_items": ITEMS, "appraisals": SCORES,
            "drills": DRILLS, "pledges": PLEDGES, "duty": duty, **extra}
    path.write_bytes(book_bytes(rows, {}))
    return path


@pytest.fixture(scope="module")
def sheets(tmp_path_factory):
    path = book(tmp_path_factory.mktemp("staff") / "s.xlsx")
    out = {}
    for action in ("staff", "safety"):
        result = ACTIONS[action].run(FileBook(path), month="2026-10", today=TODAY)
        out |= {o.name: o for o in result.outputs}
    return out


def test_qualifications_and_ratios(sheets):
    q = sheets["教职工资质"]
    people, by_role, ratios = (b.rows for b in q.blocks)
    assert [r[0] for r in people] == ["T4", "T5", "T2", "T3", "T1"]  # T6 left in September; 岗位 order
    states = {r[0]: r[7] for r in people}
    assert states == {"T4": "有效", "T5": "有效", "T2": "即将到期", "T3": "有效", "T1": "有效"}  # every role holds one
    assert q.blocks[0].row_styles == {2: "warning"}
    assert by_role == [["保育员", 2, 1, 50.0, 2, 100.0], ["厨师", 1, 1, 100.0, 1, 100.0],
                       ["营养员", 1, 1, 100.0, 1, 100.0], ["保健老师", 1, 1, 100.0, 1, 100.0]]
    assert "第十九条" in q.titles[1] and "30天内到期的标黄" in q.titles[1]
    # 151 children: 保健 ceil(151 / 150) = 2, 炊事 ceil(151 / 45) = 4
    assert [r[:7] for r in ratios] == [["卫生保健人员", "保健老师", 151, "每150名幼儿至少1名", 2, 1, "不达标"],
                                       ["炊事人员", "厨师、营养员", 151, "每45名幼儿至少1名", 4, 2, "不达标"]]
    assert "第十二条" in ratios[0][7] and "40～45" in ratios[1][7]


def test_training(sheets):
    sessions, rhythm, people = (b.rows for b in sheets["培训统计"].blocks)
    assert [r[:6] for r in sessions] == [[D(2026, 9, 9), "业务一", "保育员业务", None, 2, 1.5],
                                         [D(2026, 9, 23), "业务二", "保育员业务", None, 1, 1.5],
                                         [D(2026, 10, 10), "安全", "安全", None, 5, 1.0],
                                         [D(2026, 10, 21), "业务三", "保育员业务", None, 2, 1.5]]
    # 14-day windows from 9-1: 9/1-9/14 held, 9/15-9/28 held, 9/29-10/12 not, 10/13-10/26 held, 10/27-10/31 not
    # 10/27-11/09 is still running on 10-31 with nothing held yet: not judged (it read 未开展)
    assert [r[3] for r in rhythm] == ["已开展", "已开展", "未开展", "已开展", "进行中"]
    assert "3/4 个周期已开展" in sheets["培训统计"].blocks[1].title
    # in service on 10-31 (T6 left): sessions, hours, business sessions missed (保育员 only) and their dates
    assert [r[:7] for r in people] == [["T1", "甲", "保健老师", 1, 1.0, 0, None], ["T2", "乙", "厨师", 1, 1.0, 0, None],
                                       ["T3", "丙", "营养员", 1, 1.0, 0, None], ["T4", "丁", "保育员", 4, 5.5, 0, None],
                                       ["T5", "戊", "保育员", 3, 4.0, 1, "9/23"]]


def test_appraisal(sheets):
    rows = sheets["月考核汇总"].blocks[0].rows
    # T4: 55 + 40 = 95 of 100, September 90: average 92.5; T5: 62 (over 60, 照料 missing), September 100: 81.0
    assert rows[0][:9] == ["保育员", 1, "T4", "丁", 95, 100, 95.0, 92.5, "评优候选"]
    assert rows[1][:9] == ["保育员", 2, "T5", "戊", 62, 100, 62.0, 81.0, None]
    assert rows[1][9] == "缺考核项：照料；超过满分：卫生"


def test_safety(sheets):
    drills, pledges, gaps, registers = (b.rows for b in sheets["安全工作台账"].blocks)
    assert registers == []  # no gate, pick-up, bus or fire rows in this book (tests/test_gate.py has them)
    assert drills == [["火灾疏散", "是", "9/20", 120, 150, "已开展"], ["地震", "是", "—", None, 0, "未开展"],
                      ["其他", "计划外", "10/15", 90, 100, "已开展"]]
    assert pledges == [["已签订", 3, None], ["未签订", 2, "丙（T3）、戊（T5）"]]
    assert gaps == [[D(2026, 10, 2), "国庆节", "节假日无人值班"], [D(2026, 11, 1), "值班安排", "值班人未填写"]]


def test_bad_input_is_located(tmp_path):
    staff = [*STAFF[:5], person("T6", "己", "保安", qual="保安员证", expiry=D(2027, 6, 1), end=D(2026, 9, 30)),
             person("T7", "庚", "厨师", expiry=D(2026, 10, 9)),     # row 8: expired, still working from 10-12
             person("T8", "辛", "保育员", expiry=D(2027, 6, 1)),    # row 9: no class
             person("T9", "壬", "保育员", "小一班", expiry=D(2026, 10, 15)),  # row 10: expired, any role
             person("T10", "癸", "厨师"),                               # row 11: no certificate at all
             person("T11", "子", "教师", "小一班", expiry=D(2026, 11, 20))]  # row 12: 20 days left (警告)
    trainings = [*TRAININGS, training(D(2026, 10, 10), "安全", "安全", "T6", 1.0)]  # row 12: T6 had left
    path = book(tmp_path / "b.xlsx", staff=staff, trainings=trainings,
                appraisals=[*SCORES, score("2026-10", "T4", "唱歌", 10), score("2026-10", "T5", "照料", -1)])
    found = {(p.sheet, p.cell, p.code) for p in validate_book(FileBook(path), TODAY).problems
             if p.sheet in ("教职工", "培训记录", "月考核")}
    assert found == {("教职工", "J8", "health_cert_expired"), ("教职工", "D9", "carer_without_class"),
                     ("教职工", "J10", "health_cert_expired"), ("教职工", "J11", "health_cert_missing"),
                     ("教职工", "J12", "health_cert_soon"), ("教职工", "J3", "health_cert_soon"),
                     ("培训记录", "E12", "staff_left"), ("月考核", "D8", "score_above_max"),
                     ("月考核", "C9", "unknown_appraisal_item"), ("月考核", "D10", "below_min")}


def test_the_best_unflagged_person_is_the_candidate(tmp_path):
    # T5 scores highest but over 满分: the candidate is the best person without a flag, T4
    scores = [score("2026-10", "T4", "卫生", 50), score("2026-10", "T4", "照料", 40),
              score("2026-10", "T5", "卫生", 61), score("2026-10", "T5", "照料", 40)]
    path = book(tmp_path / "c.xlsx", appraisals=scores)
    rows = next(o for o in ACTIONS["staff"].run(FileBook(path), month="2026-10", today=TODAY).outputs
                if o.name == "月考核汇总").blocks[0].rows
    assert [(r[2], r[1], r[8]) for r in rows] == [("T5", 1, None), ("T4", 2, "评优候选")]


def test_a_tie_for_the_last_place_lists_everyone_tied(tmp_path):
    """One 评优 place per 岗位 and two 保育员 at 100: both are listed, marked 并列 (only the first row was marked)."""
    scores = [score("2026-10", p, item, v) for p in ("T4", "T5") for item, v in (("卫生", 60), ("照料", 40))]
    path = book(tmp_path / "t.xlsx", appraisals=scores)
    sheet = next(o for o in ACTIONS["staff"].run(FileBook(path), month="2026-10", today=TODAY).outputs
                 if o.name == "月考核汇总")
    assert [(r[2], r[1], r[8]) for r in sheet.blocks[0].rows] == [("T4", 1, "评优候选（并列）"), ("T5", 1, "评优候选（并列）")]
    assert "同分者都列出" in sheet.titles[1]


PLAN = [{"role": "保育员", "min_score": m, "label": n, "factor": f} for m, n, f in ((90, "优秀", 1.2), (60, "合格", 0.8),
                                                                                 (0, "不合格", 0.0))] + [
    {"role": "厨师", "min_score": 90, "amount": 1500.0}, {"role": "厨师", "min_score": 0, "amount": 500.0},
    {"role": "保安", "min_score": 0}]  # row 7: neither 金额 nor 系数
ADJUST = [{"date": D(2026, 10, 12), "staff_id": "T4", "kind": "奖", "amount": 200.0, "reason": "表扬", "approver": "园长"},
          {"date": D(2026, 10, 20), "staff_id": "T5", "kind": "罚", "amount": 50.5, "reason": "迟到", "approver": "园长"},
          {"date": D(2026, 10, 21), "staff_id": "T9", "kind": "奖", "amount": 10.0, "reason": "?", "approver": "园长"},
          {"date": D(2026, 9, 12), "staff_id": "T4", "kind": "奖", "amount": 99.0, "reason": "九月", "approver": "园长"}]


def test_merit_pay_by_band_and_adjustments(tmp_path):
    """10月: T4 95 → 优秀 1.2 × 2,000 = 2,400 + 奖 200; T5 62 → 合格 0.8 × 2,000 = 1,600 − 罚 50.50; T2 (厨师) has no
    月考核: no base, and a 警告 for September and October; T6 (保安, left 9-30) has none for September; T9 is nobody."""
    settings = {**SETTINGS, "merit_base": 2000.0}
    path = book(tmp_path / "m.xlsx", settings=settings, merit_plan=PLAN, merit_adjustments=ADJUST)
    stopped = ACTIONS["merit"].run(FileBook(path), month="2026-10", today=TODAY)
    assert not [o for o in stopped.outputs if o.name == "绩效工资表"]  # its 错误 first
    fixed = book(tmp_path / "ok.xlsx", settings=settings, merit_plan=PLAN[:-1] + [{**PLAN[-1], "amount": 300.0}],
                 merit_adjustments=[a for a in ADJUST if a["staff_id"] != "T9"])
    result = ACTIONS["merit"].run(FileBook(fixed), month="2026-10", today=TODAY)
    sheet = next(o for o in result.outputs if o.name == "绩效工资表")
    assert sheet.blocks[0].rows == [
        ["T2", "乙", "厨师", None, None, 0, 0, 0, 0, None, "本月没有月考核，不发基础绩效，请核实"],
        ["T4", "丁", "保育员", 95.0, "优秀", 2400, 200, 0, 2600, "奖 200.00 元：表扬", None],
        ["T5", "戊", "保育员", 62.0, "合格", 1600, 0, 50.5, 1549.5, "罚 50.50 元：迟到", None],
        [None, "3 人", None, None, None, 4000, 200, 50.5, 4149.5, None, None]]
    assert "不计算基本工资、个人所得税和社会保险" in sheet.titles[1]
    problems = validate_book(FileBook(path), TODAY).problems
    got = sorted((p.address, p.code, p.severity) for p in problems
                 if p.code in ("no_appraisal", "unknown_ref", "merit_band_empty"))
    assert got == [("奖罚登记!B4", "unknown_ref", "错误"), ("教职工!A3", "no_appraisal", "警告"),
                   ("教职工!A7", "no_appraisal", "警告"), ("绩效方案!C7", "merit_band_empty", "错误")]
    said = {p.address: p.message for p in problems}
    assert "2026-09、2026-10 没有月考核" in said["教职工!A3"] and "2026-09 没有月考核" in said["教职工!A7"]
