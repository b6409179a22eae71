"""月检查表: due dates of every 频次 form, the sample's October tab, typed 签字 kept, printing."""
import datetime as dt
import json
import subprocess
import sys

import openpyxl
import pandas as pd
import pytest
from conftest import need

from kgxl.core.calendar import SchoolCalendar
from kgxl.domains.inspections.checks import due_checks
from kgxl.domains.inspections.frequency import parse

D = dt.date
KGXL = [sys.executable, "-m", "kgxl"]
# the sample's term; October 2026 has the National Day holiday (1-7) and a make-up Saturday (10th)
CAL = SchoolCalendar(D(2026, 9, 1), D(2027, 1, 22), {D(2026, 11, 13): "园所停课", D(2027, 1, 1): "放假"})


def dues(freq: str, month: str = "2026-10") -> list[tuple]:
    plan = pd.DataFrame([{"item": "x", "category": "安全", "frequency": freq, "owner": "甲", "points": ""}])
    return [(r.due.day, r.start, r.end) for r in due_checks(plan, month, CAL).itertuples()]


def days(freq: str, month: str = "2026-10") -> list[int]:
    return [d for d, _, _ in dues(freq, month)]


def test_due_dates_of_each_form_in_a_month_with_holiday_and_makeup_day():
    oct_school = [8, 9, 10, 12, 13, 14, 15, 16, 19, 20, 21, 22, 23, 26, 27, 28, 29, 30]
    assert days("每日") == oct_school  # 10/10 (Saturday) is a make-up workday; 1-7 are holidays
    assert days("每日(含节假日)") == list(range(1, 32))
    # 每周一: Monday 10/5 is a holiday -> the week's first school day, 10/8; window is the week; optional (#42)
    assert dues("每周一")[0] == (8, D(2026, 10, 5), D(2026, 10, 11))
    assert days("每周一") == [8, 12, 19, 26]
    # 每周五: Friday 10/2 is a holiday and nothing follows in its week -> Wednesday 9/30 (September)
    assert days("每周五") == [9, 16, 23, 30] and 30 in days("每周五", "2026-09")
    assert days("每周六") == [10, 16, 23, 30]  # the make-up Saturday counts; other weeks fall back to Friday
    # 每两周周四, fortnights from the term's first week (8/31): 9/28-10/11, 10/12-25, 10/26-11/8
    assert dues("每两周周四") == [(8, D(2026, 9, 28), D(2026, 10, 11)), (15, D(2026, 10, 12), D(2026, 10, 25)),
                                 (29, D(2026, 10, 26), D(2026, 11, 8))]
    assert days("每月1日") == [8] and days("每月10日") == [10] and days("每月31日") == [30]
    assert days("每月第2个周三") == [14] and days("每月第1个周一") == [8]  # 10/5 holiday -> next school day
    assert days("每月最后一个工作日") == [30]
    assert days("每季度") == [8] and days("每季度", "2026-11") == []
    assert days("指定月份:10月") == [8] and days("指定月份:9月") == []
    assert days("期初/期中/期末", "2026-09") == [1] and days("期末", "2027-01") == [11]
    mid = [m for m in ("2026-10", "2026-11", "2026-12") if days("期中", m)]
    assert len(mid) == 1
    for bad in ("每周八", "每月32日", "每三天", "指定月份:13月", "每年"):
        assert parse(bad) is None, bad


def kgxl(*args):
    return subprocess.run([*KGXL, *map(str, args)], capture_output=True, text=True, timeout=120)


def detail_header(rows) -> int:
    """0-based row of the month's checks' header (the last table of the tab, after the summaries)."""
    return next(i for i, r in enumerate(rows) if r[0] == "日期" and "签字" in r)


def tab(path, name="2026年10月检查"):
    rows = [list(r) for r in openpyxl.load_workbook(path)[name].iter_rows(values_only=True)]
    detail = []
    for r in rows[detail_header(rows) + 1:]:
        if all(v is None for v in r):
            break
        detail.append(r)
    return rows, detail


@pytest.mark.slow
def test_sample_october_tab(sample_copy):
    r = kgxl("inspect", sample_copy, "2026-10", "--today", "2026-11-20")
    assert r.returncode == 0, r.stdout + r.stderr
    rows, detail = tab(sample_copy)
    status = {(d[0].date(), d[2]): d[11] for d in detail}
    count = {}
    for (_, item) in status:
        count[item] = count.get(item, 0) + 1
    # 大型玩具 每周一 and 水电线路 每两周周四: no school on Monday 10/5 nor Thursday 10/1, nothing logged then, so
    # those weeks are not due (#42)
    assert count == {"门卫登记": 31, "留样 48 小时": 18, "消毒记录": 18, "食堂卫生": 4, "大型玩具": 3, "消防器材": 1,
                     "水电线路": 2}
    # planted: 消防器材 not done in October; 留样 on 10/21 missed; 食堂卫生's week of 10/12 skipped;
    # a failed 食堂卫生 on 10/19 still open; a failed 水电线路 on 10/15 fixed on 10/17
    assert status[(D(2026, 10, 8), "消防器材")] == "未检查"
    assert status[(D(2026, 10, 21), "留样 48 小时")] == "未检查"
    assert status[(D(2026, 10, 16), "食堂卫生")] == "未检查"
    assert status[(D(2026, 10, 23), "食堂卫生")] == "不合格待整改"
    assert status[(D(2026, 10, 15), "水电线路")] == "已整改"
    row = next(d for d in detail if d[0].date() == D(2026, 10, 15) and d[2] == "水电线路")
    assert row[8] == "插座面板破损" and row[10].date() == D(2026, 10, 17)
    # every other status agrees with the log read directly
    log = [r for r in openpyxl.load_workbook(sample_copy)["检查记录"].iter_rows(min_row=2, values_only=True)]
    for d in detail:
        if d[2] in ("门卫登记", "留样 48 小时", "消毒记录"):  # daily: done iff logged that day
            logged = any(x[0].date() == d[0].date() and x[1] == d[2] for x in log)
            assert (d[11] != "未检查") == logged, d
    start = [i for i, r in enumerate(rows) if r[0] == "三、往月未完成整改"][0] + 2
    carried = rows[start:next(i for i in range(start, len(rows)) if all(v is None for v in rows[i]))]
    assert carried and all(c[11] in ("待整改", "本月已整改") and c[0].date() < D(2026, 10, 1) for c in carried if c[0])
    open_before = sum(1 for c in carried if c[11] == "待整改")
    assert open_before >= 1 and f"待整改 {open_before + 1}（含往月 {open_before}）" in rows[1][0]
    assert "其后没有上学日的，提前到本周期内此前的最后一个上学日" in rows[1][0]  # the holiday rule, where it applies
    assert "该周这一天不上学（节假日）的，该周不要求检查" in rows[1][0]
    # #43: the lower tables reuse the detail's columns with no empty header cell: each header spans its columns
    ws = openpyxl.load_workbook(sample_copy)["2026年10月检查"]
    merged = {str(m) for m in ws.merged_cells.ranges}
    plan_head = next(r[0].row for r in ws.iter_rows() if r[0].value == "应完成")
    carry_head = next(r[0].row for r in ws.iter_rows() if r[0].value == "检查日期" and r[5].value == "发现问题")
    assert f"G{plan_head}:K{plan_head}" in merged and f"G{plan_head + 1}:K{plan_head + 1}" in merged
    assert {f"F{carry_head}:H{carry_head}", f"I{carry_head}:J{carry_head}", f"L{carry_head}:M{carry_head}"} <= merged


@pytest.mark.slow
def test_rerun_keeps_typed_signatures(sample_copy):
    assert kgxl("inspect", sample_copy, "2026-10", "--today", "2026-11-20").returncode == 0
    wb = openpyxl.load_workbook(sample_copy, keep_vba=True)
    ws = wb["2026年10月检查"]
    first = detail_header([[c.value for c in r] for r in ws.iter_rows()]) + 2  # 1-based row of the first check
    ws[f"M{first}"], ws[f"N{first}"] = "苏芳", "已复核"
    ws[f"M{first + 16}"] = "唐燕"
    signed = {(ws[f"A{r}"].value.date(), ws[f"C{r}"].value): (ws[f"M{r}"].value, ws[f"N{r}"].value)
              for r in (first, first + 16)}
    wb["检查记录"].append([dt.datetime(2026, 10, 21), "留样 48 小时", "唐燕", "合格"])  # a late entry
    wb.save(sample_copy)
    r = kgxl("inspect", sample_copy, "2026-10", "--today", "2026-11-20", "--json")
    assert r.returncode == 0 and "保留" in json.loads(r.stdout)["summary"]
    _, detail = tab(sample_copy)
    got = {(d[0].date(), d[2]): (d[12], d[13]) for d in detail if d[12] or d[13]}
    assert got == signed
    assert next(d for d in detail if d[0].date() == D(2026, 10, 21) and d[2] == "留样 48 小时")[11] == "已完成"


@pytest.mark.slow
def test_unknown_frequency_is_located(sample_copy):
    wb = openpyxl.load_workbook(sample_copy, keep_vba=True)
    wb["检查计划"]["C3"] = "每三天"
    wb.save(sample_copy)
    r = kgxl("validate", sample_copy, "--json")
    found = [p for p in json.loads(r.stdout)["problems"] if p["code"] == "bad_frequency"]
    assert [(p["sheet"], p["cell"]) for p in found] == [("检查计划", "C3")] and "每月第2个周三" in found[0]["message"]
    assert kgxl("inspect", sample_copy, "2026-10").returncode == 1  # stops before computing


@pytest.mark.slow
def test_tab_prints_a4_landscape_with_repeated_titles(sample_copy, tmp_path):
    need("soffice", "pdftotext", "pdfinfo")
    assert kgxl("inspect", sample_copy, "2026-10", "--today", "2026-11-20").returncode == 0
    wb = openpyxl.load_workbook(sample_copy, keep_vba=True)
    for name in wb.sheetnames:
        if name != "2026年10月检查":
            wb[name].sheet_state = "hidden"
    wb.active = wb.sheetnames.index("2026年10月检查")
    only = tmp_path / "tab.xlsx"
    wb.save(only)
    subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(only)], check=True, capture_output=True,
                   timeout=180)
    pdf = tmp_path / "tab.pdf"
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                           check=True).stdout.split("\f")
    pages = [p for p in pages if p.strip()]
    assert len(pages) >= 2
    for p in pages:
        assert "后勤检查表" in p and "检查项目" in p  # the title and the table header repeat on every page
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    size = next(line for line in info.splitlines() if line.startswith("Page size"))
    w, h = (float(x) for x in size.split(":")[1].split("pts")[0].split(" x "))
    assert round(w) == 842 and round(h) == 595  # A4 landscape


def test_a_check_or_a_fix_after_the_day_is_not_done_yet():
    """检查记录 dated after the tab's day counted as done (the sample's 12-04 log marked 11/26 已完成): a log or a fix
    after it has not happened — 未到期 or 待整改, and a located 警告; a past month's tab is as of its last day."""
    from helpers import table

    from kgxl.domains.inspections.checks import known_on, match_logs
    from kgxl.domains.inspections.rules import log_problems

    plan = pd.DataFrame([{"item": "x", "category": "安全", "frequency": "每周一", "owner": "甲", "points": ""}])
    rows = [{"date": D(2026, 11, 2), "item": "x", "inspector": "甲", "result": "合格"},
            {"date": D(2026, 11, 9), "item": "x", "inspector": "甲", "result": "不合格", "problem": "护栏松动",
             "action": "报修", "fixed_date": D(2026, 12, 5)},
            {"date": D(2026, 11, 23), "item": "x", "inspector": "甲", "result": "合格"}]
    log, _ = table("inspection_log", rows)

    def statuses(day):
        due = due_checks(plan, "2026-11", CAL)
        return list(match_logs(due, known_on(log.frame, min(day, D(2026, 11, 30))), day)["status"])

    # Mondays 11/2, 9, 16, 23, 30: as of 11-20 the 11/23 log and the 12/05 fix have not happened
    assert statuses(D(2026, 11, 20)) == ["已完成", "不合格待整改", "未检查", "未到期", "未到期"]  # was 已完成, 已整改 …
    # November's tab made on 12-10 is as of 11-30: the fix came in December
    assert statuses(D(2026, 11, 30)) == ["已完成", "不合格待整改", "未检查", "已完成", "未检查"]
    found = {(p.cell, p.code, p.severity) for p in log_problems(log, D(2026, 11, 20))}
    assert found == {("G3", "future_log", "警告"), ("A4", "future_log", "警告")}
    # two logs of one item on one day were merged silently: a 警告 at the earlier row
    twice, _ = table("inspection_log", [rows[0], rows[0] | {"inspector": "乙"}])
    assert [(p.cell, p.code) for p in log_problems(twice, D(2026, 11, 20))] == [("B2", "same_day_log")]


def test_a_phase_check_shows_its_window_and_the_rule():
    """#41: 期中's window is 11/6–11/20 while 应完成 says 11/16: the tab says both and the rule that joins them."""
    from conftest import SAMPLE

    from kgxl.app.pipeline import ACTIONS
    from kgxl.domains.inspections.frequency import PHASE_RULE
    from kgxl.io.filebook import FileBook

    out = next(o for o in ACTIONS["inspect"].run(FileBook(SAMPLE), month="2026-11", today=D(2026, 11, 30)).outputs
               if o.name == "2026年11月检查")
    work = out.blocks[1]
    assert PHASE_RULE in work.title
    assert [(r[0], r[2], r[6]) for r in work.rows if r[5] != "行事历"] == [(D(2026, 11, 16), "安全大检查", "期中（11/6–11/20）")]
    assert [r[0] for r in work.rows] == sorted(r[0] for r in work.rows)  # among the month's 行事历 items, by date


def test_a_date_typed_as_text_gets_the_date_order_check(tmp_path):
    """#41: a 整改完成日期 or a 离园日期 typed as text escaped the order check a real date gets (its 警告 date_as_text
    hid the 错误): now both are said at the cell."""
    from kgxl.app.books import book_bytes
    from kgxl.app.pipeline import validate_book
    from kgxl.io.filebook import FileBook

    settings = {"kindergarten_name": "测试园", "term_label": "x", "term_start": D(2026, 9, 1), "term_end": D(2027, 1, 22),
                "meal_fee": 8.0, "refund_rule": "不退", "balance_period": "月", "principal": "园长", "accountant": "会计",
                "health_teacher": "保健", "current_month": "2026-10"}
    plan = [{"item": "a", "category": "安全", "frequency": "每月1日", "owner": "甲"}]
    log = [{"date": D(2026, 9, 10), "item": "a", "inspector": "甲", "result": "不合格", "problem": "p", "action": "q",
            "fixed_date": "2026-09-01"}]
    roster = [{"child_id": "C1", "name": "童", "sex": "女", "birth_date": D(2022, 1, 1), "class_name": "小一班",
               "entry_date": D(2026, 9, 10), "leave_date": "2026年9月1日"}]
    path = tmp_path / "t.xlsx"
    path.write_bytes(book_bytes({"settings": settings, "inspection_plan": plan, "inspection_log": log, "roster": roster,
                                 "classes": [{"class_name": "小一班", "age_group": "小班", "head_teacher": "甲"}]}, {}))
    found = {(p.sheet, p.cell, p.code) for p in validate_book(FileBook(path), D(2026, 10, 31)).problems}
    assert {("检查记录", "G2", "date_as_text"), ("检查记录", "G2", "date_order"),
            ("幼儿名册", "G2", "date_as_text"), ("幼儿名册", "G2", "date_order")} <= found


def test_a_log_no_window_counts_is_said_not_dropped():
    """#41: a 每日 check logged on a holiday (10-03) was silently not counted; a 每周一 check logged on Sunday 10-11
    counts (its week is its window) and a 每日(含节假日) check on 10-03 counts too."""
    from helpers import table

    from kgxl.domains.inspections.rules import uncounted_logs

    plan = pd.DataFrame([{"item": "晨检", "category": "卫生", "frequency": "每日", "owner": "甲", "points": ""},
                         {"item": "门卫", "category": "安全", "frequency": "每日(含节假日)", "owner": "甲", "points": ""},
                         {"item": "安全", "category": "安全", "frequency": "每周一", "owner": "甲", "points": ""}])
    rows = [{"date": D(2026, 10, 3), "item": "晨检", "inspector": "甲", "result": "合格"},
            {"date": D(2026, 10, 9), "item": "晨检", "inspector": "甲", "result": "合格"},
            {"date": D(2026, 10, 3), "item": "门卫", "inspector": "甲", "result": "合格"},
            {"date": D(2026, 10, 11), "item": "安全", "inspector": "甲", "result": "合格"}]
    log, _ = table("inspection_log", rows)
    found = [(p.cell, p.code, p.severity) for p in uncounted_logs(plan, log, CAL, D(2026, 10, 31))]
    assert found == [("A2", "log_not_counted", "警告")]


def test_a_weekly_check_whose_weekday_has_no_school_is_not_due_that_week():
    """#42: 安全检查 每周一, logged on every school Monday: the term's first week (Tuesday 9/1) and the National Day
    week (school from Thursday 10/8) have no school Monday, so nothing is due then — 100 %, not 80 % and 75 %; a log
    in such a week still counts."""
    from kgxl.domains.inspections.checks import match_logs

    plan = pd.DataFrame([{"item": "安全", "category": "安全", "frequency": "每周一", "owner": "甲", "points": ""}])
    mondays = [d for d in CAL.days if d.weekday() == 0 and d.month in (9, 10)]
    log = pd.DataFrame([{"date": d, "item": "安全", "inspector": "甲", "result": "合格", "problem": None,
                         "action": None, "fixed_date": None} for d in mondays])
    for month, weeks in (("2026-09", 4), ("2026-10", 3)):
        due = due_checks(plan, month, CAL)
        checks = match_logs(due, log, D(2026, 10, 31))
        assert len(checks) == weeks and set(checks["status"]) == {"已完成"}, month
    assert due_checks(plan, "2026-10", CAL)["optional"].tolist() == [True, False, False, False]
    extra = pd.concat([log, log.head(1).assign(date=D(2026, 10, 9))], ignore_index=True)
    checks = match_logs(due_checks(plan, "2026-10", CAL), extra, D(2026, 10, 31))
    assert len(checks) == 4 and checks["logged"].iloc[0] == "10/9"
