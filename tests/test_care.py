"""卫生保健登记 worked by hand on a small book (two classes of five, October 2026): every figure of 留样检查,
传染病统计, 伤害统计 and 卫生保健月报, the cross-checks with the registers, and the bad input each located."""
import datetime as dt

import openpyxl
import pytest

from kgxl.app.books import book_bytes
from kgxl.app.pipeline import ACTIONS, validate_book
from kgxl.core.calendar import school_days
from kgxl.core.money import percent
from kgxl.domains.care.shipped import diseases
from kgxl.io.filebook import FileBook

D, T = dt.date, dt.time
TODAY = D(2026, 10, 31)
SETTINGS = {"kindergarten_name": "测试园", "term_label": "2026-2027学年第一学期", "term_start": D(2026, 9, 1),
            "term_end": D(2027, 1, 22), "meal_fee": 8.0, "refund_rule": "不退", "balance_period": "月",
            "principal": "园长", "accountant": "会计", "health_teacher": "保健", "current_month": "2026-10"}
OCTOBER = [d for d in school_days(D(2026, 9, 1), D(2027, 1, 22)) if d.month == 10]


def child(cid, cls, entry=D(2026, 9, 1), leave=None):
    return {"child_id": cid, "name": f"童{cid}", "sex": "女", "birth_date": D(2022, 3, 1), "class_name": cls,
            "entry_date": entry, "leave_date": leave}


ROSTER = [child(f"C0{i}", "小一班") for i in range(1, 6)] + [child(f"C0{i}", "小二班") for i in range(6, 9)] + [
    child("C09", "小二班", entry=D(2026, 10, 12)), child("C10", "小二班", leave=D(2026, 10, 15))]
SICK = {"C01": ([D(2026, 10, 12), D(2026, 10, 13)], "10/12起手足口"),  # registered below (an alias)
        "C02": ([D(2026, 10, 19)], "10/19起流感"),                     # 流行性感冒, 丙类: not registered
        "C03": ([D(2026, 10, 20)], "10/20起水痘")}                     # 其他: not checked


def register():
    rows = []
    for c in ROSTER:
        sick, note = SICK.get(c["child_id"], ([], None))
        marks = {d: "病" if d in sick else "√" if c["entry_date"] <= d and (not c["leave_date"] or d <= c["leave_date"])
                 else "—" for d in OCTOBER}
        rows.append({"child_id": c["child_id"], "name": c["name"], "class_name": c["class_name"], "marks": marks,
                     "note": note})
    return {"days": OCTOBER, "rows": rows}


def menu(day, meal, dish):
    return {"date": day, "meal": meal, "dish": dish, "food": "稻米", "grams": 50.0}


MENU = [menu(D(2026, 10, 12), "早餐", "小米粥"), menu(D(2026, 10, 12), "午餐", "米饭"), menu(D(2026, 10, 12), "午餐", "番茄炒蛋"),
        menu(D(2026, 10, 12), "午餐", "番茄炒蛋"),  # the same dish, a second food: one sample
        menu(D(2026, 10, 13), "早餐", "小米粥"), menu(D(2026, 10, 13), "午餐", "米饭"), menu(D(2026, 10, 13), "午餐", "番茄炒蛋"),
        menu(D(2026, 10, 30), "午餐", "米饭")]


def sample(day, meal, dish, grams, taken, gone=None, at=None):
    return {"date": day, "meal": meal, "dish": dish, "grams": grams, "taken": taken, "discard_date": gone,
            "discard_time": at, "keeper": "厨"}


SAMPLES = [sample(D(2026, 10, 12), "早餐", "小米粥", 125.0, T(8, 0), D(2026, 10, 14), T(8, 30)),      # 48.5 h
           sample(D(2026, 10, 12), "午餐", "米饭", 130.0, T(11, 20), D(2026, 10, 14), T(11, 20)),    # 48 h exactly
           sample(D(2026, 10, 12), "午餐", "番茄炒蛋", 100.0, T(11, 20), D(2026, 10, 14), T(12, 0)),  # row 4: light
           sample(D(2026, 10, 13), "早餐", "小米粥", 125.0, T(8, 0), D(2026, 10, 14), T(20, 0)),     # row 5: 36 h
           sample(D(2026, 10, 13), "午餐", "番茄炒蛋", 150.0, T(11, 30)),                           # row 6: no 销毁
           sample(D(2026, 10, 13), "午餐", "西红柿炒蛋", 125.0, T(11, 30), D(2026, 10, 15), T(12, 0)),  # row 7: stray
           sample(D(2026, 10, 30), "午餐", "米饭", 125.0, T(11, 20))]                               # still kept
# 10-13 午餐 米饭 has no sample: menu row 7 (C7)
INFECTIONS = [{"found": D(2026, 10, 12), "child_id": "C01", "disease": "手足口", "isolated": D(2026, 10, 12),
               "returned": D(2026, 10, 19), "certificate": "有"},
              {"found": D(2026, 9, 20), "child_id": "C04", "disease": "水痘", "isolated": D(2026, 9, 20),
               "returned": D(2026, 9, 28), "certificate": "无"},                                    # row 3: no certificate
              {"found": D(2026, 10, 20), "child_id": "C06", "disease": "流行性腮腺炎", "isolated": D(2026, 10, 20)}]


def injury(day, cid, place, kind, severity, hospital="否"):
    return {"date": day, "time": T(10, 0), "place": place, "child_id": cid, "kind": kind, "severity": severity,
            "hospital": hospital}


INJURIES = [injury(D(2026, 9, 15), "C01", "户外场地", "跌倒摔伤", "轻"),
            injury(D(2026, 10, 8), "C02", "户外场地", "碰撞", "中", "是"),
            injury(D(2026, 10, 20), "C07", "活动室", "夹伤", "轻"),
            injury(D(2026, 10, 26), "C09", "户外场地", "跌倒摔伤", "重", "是")]


def book(path, **changes):
    rows = {"settings": SETTINGS, "roster": ROSTER, "menu": MENU, "diseases": diseases(), "infections": INFECTIONS,
            "injuries": INJURIES, "food_samples": SAMPLES,
            "classes": [{"class_name": c, "age_group": "小班", "head_teacher": "某"} for c in ("小一班", "小二班")],
            "meal_committee": [{"date": D(2026, 9, 25), "topics": "食谱"}], **changes}
    path.write_bytes(book_bytes(rows, {"2026-10": register()}))
    return path


@pytest.fixture(scope="module")
def path(tmp_path_factory):
    return book(tmp_path_factory.mktemp("care") / "c.xlsx")


@pytest.fixture(scope="module")
def sheets(path):
    out = {}
    for action in ("samples", "infections", "injuries", "healthreport"):
        result = ACTIONS[action].run(FileBook(path), month="2026-10", today=TODAY)
        out |= {o.name: o for o in result.outputs}
    return out


def test_samples_sheet(sheets):
    days, faults, stray = (b.rows for b in sheets["留样检查"].blocks)
    assert days == [[D(2026, 10, 12), "一", 3, 2, 66.7, "午餐“番茄炒蛋”留样量不足"],
                    [D(2026, 10, 13), "二", 3, 1, 33.3, "早餐“小米粥”留样时间不足；午餐“米饭”未留样"],
                    [D(2026, 10, 30), "五", 1, 1, 100.0, None]]
    assert faults == [[D(2026, 10, 12), "午餐", "番茄炒蛋", 100.0, 49, "留样量不足"],
                      [D(2026, 10, 13), "早餐", "小米粥", 125.0, 36, "留样时间不足"],
                      [D(2026, 10, 13), "午餐", "米饭", None, None, "未留样"]]  # 番茄炒蛋 not destroyed: still kept
    assert stray == [[D(2026, 10, 13), "午餐", "西红柿炒蛋"]]
    assert "应留样 7 个菜次，合格 4 个（57.1%）" in sheets["留样检查"].titles[1]


def test_infection_statistics(sheets):
    cases, diseases_, classes, follow = (b.rows for b in sheets["传染病统计"].blocks)
    assert [(r[0], r[1], r[4], r[5]) for r in cases] == [(D(2026, 10, 12), "C01", "手足口病", "丙类"),
                                                         (D(2026, 10, 20), "C06", "流行性腮腺炎", "丙类")]
    # October: all 10 children enrolled on some day (C09 from 10-12, C10 until 10-15): 1 case = 10.0 %
    by = {r[0]: r[1:] for r in diseases_}
    assert by["手足口病"] == ["丙类", 0, 1, 1, 10.0] and by["流行性腮腺炎"] == ["丙类", 0, 1, 1, 10.0]
    assert by["水痘"] == ["其他", 1, 0, 1, 0.0] and by["合计"] == [None, 1, 2, 3, 20.0]
    assert classes == [["小一班", 5, 1, 20.0, 2], ["小二班", 5, 1, 20.0, 1]]
    assert [(r[1], r[3], r[5]) for r in follow] == [("返园无证明", "C04", "水痘"), ("病假未登记", "C02", "流行性感冒")]


def test_injury_statistics(sheets):
    months, kinds, places = (b.rows for b in sheets["伤害统计"].blocks)
    # September: 9 enrolled (C09 came in October), 1 injury = 111.1 ‰; October: 10 enrolled, 3 injuries = 300 ‰
    assert months == [["2026年9月", 9, 1, 1, 0, 0, 0, 111.1], ["2026年10月", 10, 3, 1, 1, 1, 2, 300.0],
                      ["学期合计", None, 4, 2, 1, 1, 2, None]]
    assert kinds == [["跌倒摔伤", 1, 2], ["夹伤", 1, 1], ["碰撞", 1, 1]]
    assert places == [["户外场地", 2, 3, "重复发生"], ["活动室", 1, 1, None]]


def test_monthly_report(sheets):
    rows = {r[0]: r[1:4] for r in sheets["卫生保健月报"].blocks[0].rows}
    n = len(OCTOBER)
    due = 8 * n + sum(d >= D(2026, 10, 12) for d in OCTOBER) + sum(d <= D(2026, 10, 15) for d in OCTOBER)
    assert rows["在册幼儿（人）"][0] == 10
    assert rows["应出勤（人次）"][0] == due
    assert rows["实际出勤（人次）/ 出勤率(%)"][:2] == [due - 4, percent(due - 4, due)]
    assert rows["因病缺勤（人次）/ 因病缺勤率(%)"][:2] == [4, percent(4, due)]
    assert rows["传染病新发病例（例）/ 发病率(%)"] == [2, 20.0, "手足口病 1 例、流行性腮腺炎 1 例"]
    assert rows["儿童伤害（人次）/ 发生率(‰)"] == [3, 300.0, "程度：轻 1、中 1、重 1"]
    assert rows["留样合格（菜次）/ 合格率(%)"] == [4, 57.1, "应留样 7 个菜次"]  # a sample still kept is not a fault (was 3, 42.9)
    assert rows["膳食委员会会议（次）"][0] == 0
    assert rows["体检（人）/ 体检率(%)"][2] == "本工作簿没有体检记录"
    assert rows["能量、蛋白质占参考摄入量(%)"][2] == "本月没有带量食谱或缺少食物成分表"


def test_cross_checks_are_located(path):
    found = {(p.sheet, p.cell, p.code) for p in validate_book(FileBook(path), TODAY).problems
             if p.code.startswith(("sample", "infection", "no_return", "committee"))}
    col = _letters(path)
    assert found == {("留样登记", "D4", "sample_light"), ("留样登记", "F5", "sample_short"),
                     ("带量食谱", "C7", "sample_missing"),
                     ("留样登记", "C7", "sample_not_on_menu"), ("传染病登记", "H3", "no_return_certificate"),
                     ("出勤-2026-10", f"{col[D(2026, 10, 19)]}3", "infection_unregistered")}


def _letters(path) -> dict:
    """Day -> the register's column letter, as the workbook has it."""
    from kgxl.core.cells import col_letter, parse_date

    header = FileBook(path).read("出勤-2026-10").rows[0]
    return {parse_date(v)[0]: col_letter(i) for i, v in enumerate(header) if v is not None and parse_date(v)[0]}


def test_a_month_without_meeting_warns_once_it_is_over(path):
    problems = validate_book(FileBook(path), D(2026, 11, 1)).problems
    assert [(p.sheet, p.cell, p.message[:8]) for p in problems if p.code == "committee_missing"] == [
        ("膳食委员会", "", "2026年10月")]


def test_bad_input_is_located(tmp_path):
    samples = [*SAMPLES, sample(D(2026, 10, 30), "早餐", "粥", 0.125, T(8, 0)),                       # row 9: 千克
               sample(D(2026, 10, 30), "午点", "水果", 125.0, T(15, 0), D(2026, 10, 30), T(9, 0))]   # row 10
    infections = [*INFECTIONS, {"found": D(2026, 10, 20), "child_id": "C10", "disease": "水痘"},       # row 5: left
                  {"found": D(2026, 10, 21), "child_id": "C99", "disease": "水痘"},                     # row 6
                  {"found": D(2026, 10, 21), "child_id": "C05", "disease": "水痘", "isolated": D(2026, 10, 21),
                   "returned": D(2026, 10, 18)}]                                                       # row 7
    injuries = [*INJURIES, injury(D(2026, 10, 9), "C09", "楼梯", "碰撞", "轻")]                         # row 6: not yet
    p = book(tmp_path / "b.xlsx", food_samples=samples, infections=infections, injuries=injuries)
    problems = validate_book(FileBook(p), TODAY).problems
    found = {(x.sheet, x.cell, x.code) for x in problems if x.severity == "错误"}
    assert found == {("留样登记", "D9", "below_min"), ("留样登记", "G10", "date_order"),
                     ("传染病登记", "A5", "record_not_enrolled"), ("传染病登记", "B6", "unknown_ref"),
                     ("传染病登记", "G7", "date_order"), ("儿童伤害登记", "A6", "record_not_enrolled")}
    kg = next(x for x in problems if x.cell == "D9" and x.sheet == "留样登记")
    assert "千克" in kg.message and "125" in kg.message


@pytest.fixture(scope="module")
def refreshed(tmp_path_factory):
    """The committed sample after 刷新汇总 as of its 当前月份's end."""
    from conftest import SAMPLE

    from kgxl.front.cli import main

    path = tmp_path_factory.mktemp("care_sample") / "Logistics.xlsm"
    path.write_bytes(SAMPLE.read_bytes())
    assert main(["refresh", str(path), "--today", "2026-11-30"]) == 0
    return path


def test_the_sample_has_its_planted_cases(refreshed):
    problems = validate_book(FileBook(refreshed), D(2026, 11, 30)).problems
    codes = sorted((p.code, p.sheet) for p in problems if p.sheet not in ("月考核", "来访登记", "消防器材", "晨午检异常", "服药委托", "消毒记录",
                                                                                 "供应商", "进货验收", "请购单"))
    # (the security domain's: tests/test_security_sample.py; daily_health's: tests/test_daily_health.py; procurement's:
    # tests/test_procurement.py)
    assert codes == [("committee_missing", "膳食委员会"), ("infection_unregistered", "出勤-2026-11"),
                     ("repeat_case", "传染病登记"), ("sample_light", "留样登记"), ("sample_missing", "带量食谱"),
                     ("sample_short", "留样登记")]
    book = FileBook(refreshed)
    light = next(p for p in problems if p.code == "sample_light")
    assert "100 克" in light.message
    short = next(p for p in problems if p.code == "sample_short")
    assert "40 小时" in short.message
    # the other 手足口病 episodes of the registers up to today all have their case
    sheet = book.read("传染病登记").rows
    assert sum(r[2] == "手足口病" for r in sheet[1:]) > 1
    assert len(book.read("儿童伤害登记").rows) == 5  # header and four injuries
    meetings = [r[0] for r in book.read("膳食委员会").rows[1:]]
    assert sorted(d.month for d in meetings) == [9, 11]  # to 当前月份 (November), October's left out


def test_the_monthly_report_agrees_with_the_other_sheets(refreshed):
    book = FileBook(refreshed)
    report = {r[0]: r[1:3] for r in book.read("卫生保健月报").rows if r and isinstance(r[0], str)}
    summary = book.read("出勤汇总").rows
    total = next(r for r in summary if r[:2] == ["2026年11月", "全园合计"])
    assert report["应出勤（人次）"][0] == total[4]
    assert report["实际出勤（人次）/ 出勤率(%)"] == [total[5], total[6]]
    assert report["因病缺勤（人次）/ 因病缺勤率(%)"] == [total[7], total[11]]
    nutrition = book.read("营养分析").rows
    assert report["能量占参考摄入量(%)"][1] == next(r for r in nutrition if r[0] == "能量")[4]
    assert report["蛋白质占参考摄入量(%)"][1] == next(r for r in nutrition if r[0] == "蛋白质")[4]
    checks = book.read("体检统计").rows
    assert any(report["体检（人）/ 体检率(%)"][1] in r for r in checks if r)
    # #43: the page said 在册幼儿 181 and, in a note, “在册 180 名”: each head count is a row with its own name
    month_count, day_count = report["在册幼儿（人）"][0], report["11月30日在册幼儿（人）"][0]
    assert (month_count, day_count) == (181, 180)
    assert round(report["体检（人）/ 体检率(%)"][0] / day_count * 100, 1) == report["体检（人）/ 体检率(%)"][1]
    samples = book.read("留样检查").rows
    assert "合格 177 个" in samples[1][0] and report["留样合格（菜次）/ 合格率(%)"] == [177, 98.3]
    # #43: a tall row (its 说明 wraps) keeps its label and figures side by side: every cell at the top
    ws = openpyxl.load_workbook(refreshed)["卫生保健月报"]
    row = next(r for r in ws.iter_rows() if r[0].value == "体检（人）/ 体检率(%)")
    assert {c.alignment.vertical for c in row[:4]} == {"top"}


@pytest.mark.slow
def test_the_monthly_report_prints_on_one_a4_page_and_goes_to_the_bureau(refreshed, tmp_path):
    import subprocess

    from conftest import need

    from kgxl.front.cli import main

    need("soffice", "pdftotext", "pdfinfo")
    assert main(["export", str(refreshed), "--month", "2026-11", "--out", str(tmp_path)]) == 0
    import openpyxl
    assert "卫生保健月报" in openpyxl.load_workbook(next(tmp_path.glob("*.xlsx"))).sheetnames
    (tmp_path / "pdf").mkdir()
    assert main(["export", str(refreshed), "--sheets", "卫生保健月报", "--pdf", "--out", str(tmp_path / "pdf")]) == 0
    pdf = next((tmp_path / "pdf").glob("*.pdf"))
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Pages:           1" in info and "(A4)" in info
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for words in ("出勤率", "因病缺勤率", "传染病新发病例", "伤害", "体检率", "能量占参考摄入量", "留样合格", "膳食委员会",
                  "园长（签字）"):
        assert words in text, words


def test_early_returns_and_repeat_registrations(tmp_path):
    """A return before 传染病病种's 隔离期 and a second registration within a case's course are located 警告s; the
    repeat counts once in 发病率 (it counted twice); a registration after the course ended is a new case."""
    table = [dict(d, isolation_days=14) if d["name"] == "手足口病" else d for d in diseases()]  # a local rule
    infections = [*INFECTIONS,
                  {"found": D(2026, 10, 22), "child_id": "C01", "disease": "手足口病"},      # row 5: C01 again, day 10
                  {"found": D(2026, 10, 26), "child_id": "C04", "disease": "水痘"}]          # row 6: back 9-28: new
    path = book(tmp_path / "r.xlsx", diseases=table, infections=infections)
    found = {(p.cell, p.code) for p in validate_book(FileBook(path), TODAY).problems if p.sheet == "传染病登记"}
    assert found == {("H3", "no_return_certificate"), ("G2", "early_return"), ("A5", "repeat_case")}
    sheet = next(o for o in ACTIONS["infections"].run(FileBook(path), month="2026-10", today=TODAY).outputs
                 if o.name == "传染病统计")
    cases, by_disease, _, follow = (b.rows for b in sheet.blocks)
    assert [(r[1], r[4]) for r in cases] == [("C01", "手足口病"), ("C06", "流行性腮腺炎"), ("C04", "水痘")]
    by = {r[0]: r[1:] for r in by_disease}
    assert by["手足口病"] == ["丙类", 0, 1, 1, 10.0] and by["水痘"] == ["其他", 1, 1, 2, 10.0]
    kinds = {(r[1], r[3]): r for r in follow}
    assert kinds[("隔离期未满返园", "C01")][8] == 7 and kinds[("重复登记", "C01")][6] == D(2026, 10, 12)
    assert "只计一次" in sheet.titles[1]
