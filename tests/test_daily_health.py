"""每日保健 (#45) worked by hand on a small book (two classes of three, the week of 12-16 October 2026): every figure of
晨午检统计, 服药登记核对 and 消毒记录汇总, the 入园体检 items of 体检统计 and the new lines of 卫生保健月报, the cross-checks with the registers and 传染病登记 located, and the bad
input each located in Chinese."""
import datetime as dt

import pytest
from helpers import set_cells

from kgxl.app.books import book_bytes
from kgxl.app.pipeline import ACTIONS, validate_book
from kgxl.core.calendar import school_days
from kgxl.domains.care.shipped import diseases
from kgxl.io.filebook import FileBook

D, T = dt.date, dt.time
TODAY = D(2026, 10, 16)
WEEK = [D(2026, 10, d) for d in range(12, 17)]
SETTINGS = {"kindergarten_name": "测试园", "term_label": "2026-2027学年第一学期", "term_start": D(2026, 9, 1),
            "term_end": D(2027, 1, 22), "meal_fee": 8.0, "refund_rule": "不退", "balance_period": "月",
            "principal": "园长", "accountant": "会计", "health_teacher": "保健", "current_month": "2026-10"}
OCTOBER = [d for d in school_days(D(2026, 9, 1), D(2027, 1, 22)) if d.month == 10]


def child(cid, cls, entry=D(2026, 9, 1)):
    return {"child_id": cid, "name": f"童{cid}", "sex": "女", "birth_date": D(2022, 3, 1), "class_name": cls,
            "entry_date": entry, "leave_date": None}


ROSTER = [child("C01", "小一班"), child("C02", "小一班"), child("C03", "小一班"), child("C04", "小二班"),
          child("C05", "小二班"), child("C06", "小二班", entry=D(2026, 10, 14))]
# the week's marks, Monday to Friday (before the week: √; after today: not yet typed)
MARKS = {"C01": "√病病√√", "C02": "√√√√√", "C03": "√√事√√", "C04": "√√√√√", "C05": "√√√√√", "C06": "——√√√"}


def register():
    rows = []
    for c in ROSTER:
        week = dict(zip(WEEK, MARKS[c["child_id"]]))
        marks = {d: week.get(d, "—" if d < c["entry_date"] else "√") for d in OCTOBER if d <= TODAY}
        rows.append({"child_id": c["child_id"], "name": c["name"], "class_name": c["class_name"], "marks": marks,
                     "note": None})
    return {"days": OCTOBER, "rows": rows}


def check(day, cls, morning, noon):
    return {"date": D(2026, 10, day), "class_name": cls, "morning": morning, "noon": noon, "checker": "保健"}


# 小一班 present 3, 2, 1, 3, 3 (no row on the 15th); 小二班 present 2, 2, 3, 3, 3 (3 checked on the 12th: row 6)
CHECKS = [check(12, "小一班", 3, 3), check(13, "小一班", 2, 2), check(14, "小一班", 1, 1), check(16, "小一班", 3, None),
          check(12, "小二班", 3, 2), check(13, "小二班", 2, 2), check(14, "小二班", 3, 3), check(15, "小二班", 3, 3),
          check(16, "小二班", 3, 3)]


def finding(day, session, cid, temp, symptom, action, symptom2=None, followup=None):
    return {"date": D(2026, 10, day), "session": session, "child_id": cid, "temperature": temp, "symptom": symptom,
            "symptom2": symptom2, "action": action, "followup": followup, "checker": "保健"}


FINDINGS = [finding(12, "午检", "C01", 38.5, "发热", "离园就医"),          # next day 病
            finding(14, "午检", "C02", 38.2, "发热", "离园就医"),          # row 3: next day √, nothing written
            finding(15, "晨检", "C03", 37.0, "手足口疱疹", "隔离", followup="诊断手足口病"),  # row 4: no case
            finding(13, "晨检", "C04", 37.9, "皮疹", "通知家长", symptom2="发热")]        # its case on the 14th
INFECTIONS = [{"found": D(2026, 10, 14), "child_id": "C04", "disease": "手足口病", "isolated": D(2026, 10, 14)}]
REQUESTS = [{"date": D(2026, 10, 12), "child_id": "C05", "drug": "氨溴索口服溶液", "dose": "5毫升", "per_day": 2,
             "start": D(2026, 10, 12), "end": D(2026, 10, 14), "signed": "是"},
            {"date": D(2026, 10, 13), "child_id": "C04", "drug": "蒲地蓝", "dose": "10毫升", "per_day": 1,
             "start": D(2026, 10, 13), "end": D(2026, 10, 16), "signed": "否"}]  # row 3: not signed


def dose(day, time, cid, drug):
    return {"date": D(2026, 10, day), "time": T(*time), "child_id": cid, "drug": drug, "given_by": "老师", "checked_by": "保健"}


DOSES = [dose(12, (11, 30), "C05", "氨溴索口服溶液"), dose(12, (14, 30), "C05", "氨溴索 口服溶液"),  # spaces ignored
         dose(13, (11, 30), "C05", "氨溴索口服溶液"), dose(13, (14, 30), "C05", "氨溴索口服溶液"),
         dose(14, (11, 30), "C05", "氨溴索口服溶液"),  # the 14th's second dose missing
         *(dose(d, (11, 30), "C04", "蒲地蓝") for d in (13, 14, 15, 16))]


RULES = [{"item": "餐桌", "frequency": "每日", "low": 250, "high": 500}, {"item": "玩具", "frequency": "每周", "times": 2},
         {"item": "被褥", "frequency": "每月"}, {"item": "空气"}]  # row 5: 空气's 频次 not set


def wiped(day, cls, tables=True, tested=None, concentration=None, **ticks):
    return {"date": D(2026, 10, day), "class_name": cls, "tables": "√" if tables else None, "tested": tested,
            "concentration": concentration, **ticks}


# 小一班 rows 2-5 (the 13th ticked ✓; no 餐桌 on the 14th; 600 mg/L on the 15th: row 5), 小二班 rows 6-10
LOG = [wiped(12, "小一班", tested="餐桌", concentration=300), {**wiped(13, "小一班"), "tables": "✓"},
       wiped(14, "小一班", False, toys="√"),
       wiped(15, "小一班", tested="餐桌", concentration=600), *(wiped(d, "小二班") for d in range(12, 17))]


EDUCATION = [{"date": D(2026, 9, 20), "audience": "儿童", "form": "宣传专栏", "topic": "洗手"},
             {"date": D(2026, 10, 13), "audience": "儿童", "form": "讲座", "topic": "护牙"},
             {"date": D(2026, 10, 14), "audience": "家长", "form": "资料", "topic": "近视预防"},
             {"date": D(2026, 10, 20), "audience": "保教人员", "form": "培训", "topic": "消毒"}]  # after the report day


def examined(cid, day, **items):
    return {"child_id": cid, "date": day, "height_cm": 105.0, "weight_kg": 17.0, **items}


# all six entered this term (9-1, C06 10-14); the latest check up to the 16th with the item counts
CHECKS_HEALTH = [examined("C01", D(2026, 9, 10), vision_low="否", caries=2, hearing="正常", vaccination="是"),
                 examined("C02", D(2026, 9, 10), vision_low="是", caries=0, vaccination="补种"),
                 examined("C03", D(2026, 9, 10)),
                 examined("C04", D(2025, 9, 10), vision_low="是", caries=3),
                 examined("C04", D(2026, 9, 10), vision_low="否", caries=0),
                 examined("C06", D(2026, 10, 13), caries=1, hearing="异常", vaccination="是")]


def book(path, **changes):
    rows = {"settings": {**SETTINGS, "education_children": 4}, "health_education": EDUCATION,
            "health_checks": CHECKS_HEALTH, "roster": ROSTER, "diseases": diseases(), "infections": INFECTIONS,
            "classes": [{"class_name": c, "age_group": "小班", "head_teacher": "某"} for c in ("小一班", "小二班")],
            "morning_checks": CHECKS, "check_findings": FINDINGS, "medicine_requests": REQUESTS,
            "medicine_doses": DOSES, "disinfection_rules": RULES, "disinfection_log": LOG, **changes}
    path.write_bytes(book_bytes(rows, {"2026-10": register()}))
    return path


@pytest.fixture(scope="module")
def path(tmp_path_factory):
    return book(tmp_path_factory.mktemp("daily") / "d.xlsx")


@pytest.fixture(scope="module")
def sheets(path):
    out = {}
    for action in ("checks", "medicine", "disinfection", "healthreport", "health"):
        result = ACTIONS[action].run(FileBook(path), month="2026-10", today=TODAY)
        out |= {o.name: o for o in result.outputs}
    return out


def test_morning_checks_sheet(sheets):
    classes, symptoms, actions, follow, missed = (b.rows for b in sheets["晨午检统计"].blocks)
    # 小一班: due 5 days, checked 4 (not the 15th); present on the checked days 3+2+1+3 = 9, checked 9; noon 3+2+1
    # 小二班: due 5, checked 5; present 2+2+3+3+3 = 13, checked 3+2+3+3+3 = 14 (107.7 %); noon 2+2+3+3+3 = 13
    assert classes == [["小一班", 5, 4, 1, 9, 9, 100.0, 6, 3, 3], ["小二班", 5, 5, 0, 13, 14, 107.7, 13, 1, 0],
                       ["全园合计", 10, 9, 1, 22, 23, 104.5, 19, 4, 3]]
    assert symptoms == [["发热", 3, 3], ["皮疹", 1, 1], ["手足口疱疹", 1, 1], ["合计", 5, 5]]
    assert actions == [["通知家长", 1, 1], ["离园就医", 2, 2], ["隔离", 1, 1], ["合计", 4, 4]]
    assert follow == [
        [D(2026, 10, 12), "午检", "小一班", "C01", "童C01", "发热", 38.5, "离园就医", "病", None, None],
        [D(2026, 10, 13), "晨检", "小二班", "C04", "童C04", "皮疹伴发热", 37.9, "通知家长", "√", None, None],
        [D(2026, 10, 14), "午检", "小一班", "C02", "童C02", "发热", 38.2, "离园就医", "√", None, "次日未记病假，追踪未写"],
        [D(2026, 10, 15), "晨检", "小一班", "C03", "童C03", "手足口疱疹", 37.0, "隔离", "√", "诊断手足口病",
         "传染病登记中没有病例"]]
    assert missed == [["小一班", 1, "10/15"]]
    assert "应检 10 个班级日，已检 9 个；晨检覆盖率 104.5%；异常 4 人次，离园就医或隔离 3 人次" in sheets["晨午检统计"].titles[1]


def test_medicine_sheet(sheets):
    requests, problems = (b.rows for b in sheets["服药登记核对"].blocks)
    # C05: present 12-14, twice a day = 6 doses, 5 given; C04: present 13-16, once a day = 4, 4 given
    assert requests == [
        [D(2026, 10, 12), "C05", "童C05", "小二班", "氨溴索口服溶液", "5毫升", 2, D(2026, 10, 12), D(2026, 10, 14), 6, 5, "是",
         "次数不足：10/14"],
        [D(2026, 10, 13), "C04", "童C04", "小二班", "蒲地蓝", "10毫升", 1, D(2026, 10, 13), D(2026, 10, 16), 4, 4, "否",
         "已完成；家长未签字"]]
    assert problems == [[None, None, "本月服药记录没有问题"]]


def test_disinfection_sheet(sheets):
    classes, tests, missed = (b.rows for b in sheets["消毒记录汇总"].blocks)
    # due before the 16th from the log's first day (the 12th): 4 school days of 餐桌 a class; the week and the month
    # have not ended; 空气 has no 频次 and is not counted
    assert sheets["消毒记录汇总"].blocks[0].header[1:4] == ["餐桌\n每日", "玩具\n每周2次", "被褥\n每月"]
    assert classes == [["小一班", "3/4", "未满周期", "未满周期", 4, 3, 75.0], ["小二班", "4/4", "未满周期", "未满周期", 4, 4, 100.0],
                       ["全园合计", "7/8", "未满周期", "未满周期", 8, 7, 87.5]]
    assert tests == [[D(2026, 10, 12), "小一班", "餐桌", 300, 250, 500, "合格"],
                     [D(2026, 10, 15), "小一班", "餐桌", 600, 250, 500, "偏高"]]
    assert missed == [["小一班", "餐桌", "每日", "10/14", "0/1"]]
    title = sheets["消毒记录汇总"].titles[1]
    assert "应做 8 次，已做 7 次，消毒完成率 87.5%；浓度检测 2 次，合格 1 次" in title and "空气 的频次未设置" in title


def test_the_monthly_report_lines(sheets):
    rows = {r[0]: r[1:4] for r in sheets["卫生保健月报"].blocks[0].rows}
    assert rows["晨检（人次）/ 晨检覆盖率(%)"] == [23, 104.5, "÷出勤 22 人次；应检 10 个班级日，已检 9 个"]
    assert rows["消毒（次）/ 消毒完成率(%)"] == [7, 87.5, "应做 8 次"]
    assert rows["健康教育（次）"] == [2, None, "本月；儿童 本学期 2 次（计划 4）；家长 本学期 1 次；保教人员 本学期 0 次；形式：宣传专栏 1、讲座 1、资料 1"]


def test_entry_check_items(sheets):
    """体检统计 二: 视力 and 龋齿 by the latest check with the item (C04's 2025 caries and 视力低常 no longer count);
    查验率 over the six new children (C03, C04 and C05 not checked)."""
    items = sheets["体检统计"].blocks[1]
    assert items.header[:4] == ["班级", "视力检查人数", "视力低常人数", "视力低常率(%)"]
    assert items.rows == [["小一班", 2, 1, 50.0, 2, 1, 50.0, 1, 0, 3, 2, 1, 66.7],
                          ["小二班", 1, 0, 0.0, 2, 1, 50.0, 1, 1, 3, 1, 0, 33.3],
                          ["全园合计", 3, 1, 33.3, 4, 2, 50.0, 2, 1, 6, 3, 1, 50.0]]
    rows = {r[0]: r[1:4] for r in sheets["卫生保健月报"].blocks[0].rows}
    assert rows["龋齿（人）/ 龋齿患病率(%)"] == [2, 50.0, "÷检查 4 人"]
    assert rows["视力低常（人）/ 视力低常率(%)"] == [1, 33.3, "÷检查 3 人"]
    assert rows["预防接种证查验（人）/ 查验率(%)"] == [3, 50.0, "÷本学期新入园 6 人；需补种 1 人"]


def test_cross_checks_are_located(path):
    found = {(p.sheet, p.cell, p.code, p.severity) for p in validate_book(FileBook(path), TODAY).problems
             if p.sheet in ("晨午检", "晨午检异常", "服药委托", "服药记录", "消毒要求", "消毒记录")}
    assert found == {("晨午检", "A11", "check_missing", "警告"), ("晨午检", "C6", "check_over_present", "警告"),
                     ("晨午检异常", "G3", "sent_home_no_sick", "警告"), ("晨午检异常", "E4", "sign_unregistered", "警告"),
                     ("服药委托", "I3", "request_unsigned", "警告"), ("服药委托", "E2", "request_incomplete", "警告"),
                     ("消毒要求", "B5", "disinfect_unset", "警告"), ("消毒记录", "M5", "concentration_out", "警告"),
                     ("消毒记录", "A11", "disinfect_missing", "警告")}


def test_bad_input_is_located(tmp_path):
    findings = [*FINDINGS, finding(12, "晨检", "C06", 37.0, "咳嗽", "留园观察"),    # row 6: not enrolled yet
                finding(13, "晨检", "C05", 375, "发热", "通知家长"),                    # row 7: 37.5 without its point
                finding(13, "晨检", "C02", 3.7, "发热", "通知家长")]                    # row 8
    checks = [*CHECKS, check(15, "大九班", 3, 3)]                                       # row 11: no such class
    requests = [*REQUESTS, {"date": D(2026, 10, 14), "child_id": "C03", "drug": "维生素", "dose": "1片", "per_day": 1,
                            "start": D(2026, 10, 14), "end": D(2026, 10, 14), "signed": "是"}]
    doses = [*DOSES, dose(14, (11, 30), "C03", "维生素"),                                # row 11: C03 away (事)
             dose(15, (11, 30), "C06", "布洛芬"),                                        # row 12: no request
             {**dose(16, (11, 30), "C04", "蒲地蓝"), "given_by": None}]                  # row 13: given by nobody
    log = [*LOG, wiped(16, "小一班", tested="餐桌", concentration=500)]                     # row 11: typed with its unit
    p = book(tmp_path / "b.xlsx", check_findings=findings, morning_checks=checks, medicine_requests=requests,
             medicine_doses=doses, disinfection_log=log)
    set_cells(p, "消毒记录", {"M11": "500mg/L"})
    before = p.read_bytes()
    problems = validate_book(FileBook(p), TODAY).problems
    found = {(x.sheet, x.cell, x.code) for x in problems if x.severity == "错误"}
    assert found == {("晨午检异常", "A6", "daily_not_enrolled"), ("晨午检异常", "D7", "above_max"),
                     ("晨午检异常", "D8", "below_min"), ("晨午检", "B11", "unknown_ref"),
                     ("服药记录", "A11", "dose_absent"), ("服药记录", "D12", "dose_no_request"),
                     ("服药记录", "F13", "required"), ("消毒记录", "M11", "not_number")}
    by = {(x.sheet, x.cell): x.message for x in problems}
    assert "小数点" in by[("晨午检异常", "D7")] and "小数点" in by[("晨午检异常", "D8")]
    assert "事" in by[("服药记录", "A11")] and "委托" in by[("服药记录", "D12")]
    assert "单位" in by[("消毒记录", "M11")] and "500" in by[("消毒记录", "M11")]
    assert p.read_bytes() == before  # validation changes nothing the user typed


def test_what_is_due_today(tmp_path):
    """待办事项 on the 15th: 小一班's check (3 present, no row); C04's one dose of the day not yet recorded."""
    from kgxl.app.registry import current

    p = book(tmp_path / "t.xlsx", medicine_doses=[d for d in DOSES if d["date"] != D(2026, 10, 15)])
    v = validate_book(FileBook(p), D(2026, 10, 15))
    hook, keys, _ = next(x for x in current().dues if x[2] == "每日保健")
    items = hook(v.view(keys, "daily_health"), D(2026, 10, 15))
    assert [(x.what, x.by, x.sheet, x.cell) for x in items] == [
        ("小一班今天还没有晨午检记录（出勤 3 人）", D(2026, 10, 15), "晨午检", "A11"),
        ("童C04（小二班）今天服“蒲地蓝”1 次，服药记录未满", D(2026, 10, 15), "服药记录", "A10")]
