"""行事历与目标 (#49) worked by hand: a 行事历 whose every status is known (on time, late, open, not yet due, done
early, done after the report day) gives 行事历执行's counts and 工作计划完成率; each 目标达成 value is the figure the
sheet it names shows (出勤汇总, 卫生保健月报, 留样检查, 能耗统计, 伙食费核算); the bad input is located; the
next term takes the calendar forward; the 检查 tab lists the month's items among its 工作要点."""
import datetime as dt
import json
import re
import shutil

import openpyxl
import pytest

from kgxl.app.registry import current
from kgxl.core.schema import load_schemas
from kgxl.domains.planning.measures import MEASURES
from kgxl.front.cli import main

D = dt.date
TODAY = ["--today", "2026-11-30"]
# (月份, 事项, 类别, 计划完成日期, 完成日期) and what each is on 2026-11-30
PLAN = [("2026-09", "甲", "保健", D(2026, 9, 10), D(2026, 9, 8)),     # 按时完成
        ("2026-09", "乙", "检查", None, D(2026, 10, 3)),               # 逾期完成 (due 9-30)
        ("2026-10", "丙", "财务", D(2026, 10, 20), None),              # 逾期未完成
        ("2026-11", "丁", "膳食", D(2026, 11, 30), None),              # 未到期 (due today)
        ("2026-11", "戊", "其他", D(2026, 11, 12), D(2026, 11, 12)),   # 按时完成
        ("2026-12", "己", "保健", D(2026, 12, 10), D(2026, 11, 28)),   # 已提前完成: counted when due
        ("2026-11", "庚", "出勤", D(2026, 11, 5), D(2026, 12, 2))]     # done after the report day: open on 11-30
TARGETS = [[m, "不低于", 0, None] for m in MEASURES]


def _sheet(wb, name: str, rows: list[list]) -> None:
    ws = wb[name]
    ws.delete_rows(2, ws.max_row)
    for r in rows:
        ws.append(r)


@pytest.fixture
def book(tmp_path, sample_copy):
    wb = openpyxl.load_workbook(sample_copy, keep_vba=True)
    _sheet(wb, "行事历", [[m, None, item, cat, "张三", planned, done, None] for m, item, cat, planned, done in PLAN])
    _sheet(wb, "学期目标", TARGETS)
    wb.save(sample_copy)
    return sample_copy


def _rows(path, sheet: str) -> list[list]:
    return [list(r) for r in openpyxl.load_workbook(path, data_only=True)[sheet].iter_rows(values_only=True)]


def _block(rows: list[list], title: str) -> list[list]:
    start = next(i for i, r in enumerate(rows) if r[0] == title) + 2
    end = next((i for i in range(start, len(rows)) if all(x is None for x in rows[i])), len(rows))
    return rows[start:end]


@pytest.mark.slow
def test_progress_and_goals_against_the_sheets_they_come_from(book, tmp_path, capsys):
    assert main(["refresh", str(book), *TODAY]) == 0
    rows = _rows(book, "行事历执行")
    months = {r[0]: r[1:7] for r in _block(rows, "一、各月执行情况")}
    # planned, on time, late, open, not yet due (done early included), rate
    assert months["2026年9月"] == [2, 1, 1, 0, 0, 100.0]
    assert months["2026年10月"] == [1, 0, 0, 1, 0, 0.0]
    assert months["2026年11月"] == [3, 1, 0, 1, 1, 50.0]
    assert months["2026年12月"] == [1, 0, 0, 0, 1, None]
    assert months["2027年1月"] == [0, 0, 0, 0, 0, None]
    assert months["本学期合计"] == [7, 2, 1, 2, 2, 60.0]  # 3 done of the 5 due by 11-30
    assert "工作计划完成率 60%" in rows[1][0]
    now = {r[1]: r[5] for r in _block(rows, "二、2026年11月事项")}
    assert now == {"丁": "未到期", "戊": "按时完成", "庚": "逾期未完成"}
    assert [r[1] for r in _block(rows, "三、往月未完成事项")] == ["丙"]
    goals = {r[1]: r[4] for r in _block(rows, "四、目标达成（学期目标）")}
    assert set(goals) == set(MEASURES)

    term = next(r for r in _rows(book, "出勤汇总") if r[0] == "学期累计" and r[1] == "全园合计")
    assert (goals["出勤率(%)"], goals["因病缺勤率(%)"]) == (term[6], term[11])
    monthly = {r[0]: r[2] for r in _rows(book, "卫生保健月报") if r[0]}
    assert goals["体检率(%)"] == monthly["体检（人）/ 体检率(%)"]
    assert goals["能量占参考摄入量(%)"] == monthly["能量占参考摄入量(%)"]
    assert goals["蛋白质占参考摄入量(%)"] == monthly["蛋白质占参考摄入量(%)"]
    assert goals["伤害发生率(‰)"] == monthly["儿童伤害（人次）/ 发生率(‰)"]
    use = {r[1]: r[6] for r in _rows(book, "能耗统计") if r[0] == "2026年11月"}
    assert [goals["用水(吨/人日)"], goals["用电(千瓦时/人日)"], goals["燃气(立方米/人日)"]] == [use["水"], use["电"], use["燃气"]]
    meal = next(r for r in _rows(book, "伙食费核算") if r[0] == "本学期累计")
    assert goals["膳食费盈亏率(%)"] == meal[11]
    assert goals["工作计划完成率(%)"] == 60.0
    # 留样合格率 over the term: the months' 留样检查 added up
    due = good = 0
    for month in ("2026-09", "2026-10", "2026-11"):
        copy = shutil.copy2(book, tmp_path / f"{month}.xlsm")
        assert main(["samples", str(copy), "--month", month, *TODAY]) == 0
        found = re.search(r"应留样 (\d+) 个菜次，合格 (\d+) 个", _rows(copy, "留样检查")[1][0])
        if found:
            due, good = due + int(found[1]), good + int(found[2])
    assert due > 180 and goals["留样合格率(%)"] == round(100 * good / due, 1)


def test_bad_input_is_located(book, capsys):
    wb = openpyxl.load_workbook(book, keep_vba=True)
    ws = wb["行事历"]
    ws.append(["2027-03", None, "不在本学期", "保健", None, None, None, None])              # row 9
    ws.append(["2026-11", None, "提前做完", "检查", None, None, D(2026, 10, 20), None])      # row 10
    ws.append(["2026-11", None, "类别不对", "教学", None, None, None, None])                 # row 11
    ws.append(["2026-11", None, "日期不在该月", "其他", None, D(2026, 12, 3), None, None])    # row 12
    wb["学期目标"].append(["幼儿满意度(%)", "不低于", 90, None])                              # row 14
    wb.save(book)
    assert main(["validate", str(book), *TODAY, "--json"]) == 1
    found = {(p["sheet"], p["cell"], p["code"], p["severity"]) for p in json.loads(capsys.readouterr().out)["problems"]
             if p["sheet"] in ("行事历", "学期目标")}
    assert ("行事历", "A9", "plan_month_outside", "错误") in found
    assert ("行事历", "G10", "plan_done_early", "警告") in found
    assert ("行事历", "F12", "plan_date_outside", "警告") in found
    assert any(s == "行事历" and c == "D11" and sev == "错误" for s, c, _, sev in found)
    assert any(s == "学期目标" and c == "A14" and sev == "错误" for s, c, _, sev in found)


def test_the_dropdowns_are_what_kgxl_knows():
    """学期目标's 指标 are the measures planning computes; 行事历's 类别 are the ribbon's groups of work and 其他."""
    s = load_schemas()
    assert list(s["term_targets"].column("measure").allowed) == list(MEASURES)
    groups = {d.group for d in current().domains} - {"数据", "计划"}
    assert set(s["calendar_plan"].column("category").allowed) == groups | {"其他"}


@pytest.mark.slow
def test_the_next_term_takes_the_calendar_forward(book, tmp_path, capsys):
    out = tmp_path / "下学期.xlsm"
    assert main(["new-term", str(book), str(out), "--term-start", "2027-02-22", "--term-end", "2027-07-09"]) == 0
    rows = [r for r in _rows(out, "行事历")[1:] if r[0]]
    # Sep..Jan of the autumn term -> Feb..Jun of the spring term, in place; nothing done yet
    assert [(r[0], r[2], r[5], r[6]) for r in rows][:3] == [
        ("2027-02", "甲", dt.datetime(2027, 2, 10), None), ("2027-02", "乙", None, None), ("2027-03", "丙", dt.datetime(2027, 3, 20), None)]
    assert all(r[6] is None for r in rows) and all("顺延" in r[7] for r in rows)
    assert {r[2] for r in rows} == {p[1] for p in PLAN}
    assert [r[0] for r in _rows(out, "学期目标")[1:] if r[0]] == list(MEASURES)


def test_the_inspection_tab_lists_the_months_calendar(book, capsys):
    assert main(["inspect", str(book), "2026-11", *TODAY]) == 0
    rows = _rows(book, "2026年11月检查")
    listed = {r[2]: r[11] for r in _block(rows, next(r[0] for r in rows if r[0] and str(r[0]).startswith("二、本月工作要点")))
              if r[5] == "行事历"}
    assert listed == {"丁": "未到期", "戊": "按时完成", "庚": "逾期未完成"}



def test_refresh_makes_no_progress_sheet_from_an_empty_calendar(sample_copy):
    """A 行事历 with no items (a new workbook's): 刷新汇总 leaves 行事历执行 out — a sheet of zeros is not a plan."""
    from kgxl.app.pipeline import ACTIONS
    from kgxl.io.filebook import FileBook

    wb = openpyxl.load_workbook(sample_copy, keep_vba=True)
    _sheet(wb, "行事历", [])
    wb.save(sample_copy)
    result = ACTIONS["refresh"].run(FileBook(sample_copy), today=dt.date(2026, 11, 30))
    names = {o.name for o in result.outputs}
    assert "行事历执行" not in names and "晨午检统计" in names
