"""`kgxl new`: a kindergarten's own blank master workbook (#24, a first part): every input sheet, the reference
sheets filled, the ribbon and VBA project, no invented person; validation points at the cells still to fill; a few
rows typed in make 刷新汇总 work; an existing file is never overwritten."""
import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from kgxl.app.pipeline import validate_book
from kgxl.app.registry import current
from kgxl.front.cli import main
from kgxl.io.filebook import FileBook

pytestmark = pytest.mark.slow  # whole workbooks built and refreshed


@pytest.fixture
def book(tmp_path):
    path = tmp_path / "阳光.xlsm"
    assert main(["new", str(path), "--name", "示例县阳光幼儿园", "--term-start", "2027-02-22",
                 "--term-end", "2027-07-09"]) == 0
    return path


def test_a_new_workbook_holds_every_input_sheet_and_no_one(book):
    wb = CalamineWorkbook.from_path(str(book))
    inputs = [s.sheet for s in current().inputs if not s.monthly]
    assert set(inputs) <= set(wb.sheet_names) and "xlwings.conf" in wb.sheet_names
    for sheet in ("幼儿名册", "教职工", "班级", "收费记录", "传染病登记", "留样登记"):
        assert len([r for r in wb.get_sheet_by_name(sheet).to_python() if any(v not in ("", None) for v in r)]) == 1
    assert len(wb.get_sheet_by_name("食物成分").to_python()) > 1000
    assert len(wb.get_sheet_by_name("传染病病种").to_python()) > 10
    with zipfile.ZipFile(book) as z:
        assert {"xl/vbaProject.bin", "customUI/customUI.xml"} <= set(z.namelist())
    settings = {r[0]: r[1] for r in wb.get_sheet_by_name("基本信息").to_python()}
    assert settings["园所名称"] == "示例县阳光幼儿园" and settings["学年学期"] == "2026-2027学年第二学期"


def test_validation_points_at_what_is_still_to_fill(book):
    problems = validate_book(FileBook(book), dt.date(2027, 2, 23)).problems
    assert {p.severity for p in problems} == {"警告"}  # nothing is wrong yet: only still to fill
    assert {p.sheet for p in problems} == {"基本信息", "班级", "幼儿名册", "体检标准", "消毒要求"}
    assert {p.code for p in problems if p.sheet not in ("体检标准", "消毒要求")} == {"fill_in"}
    assert all(p.cell.startswith("B") for p in problems if p.sheet == "基本信息")
    assert {p.cell for p in problems if p.sheet in ("班级", "幼儿名册")} == {"A2"}
    assert {p.code for p in problems if p.sheet == "体检标准"} == {"recheck_unset"}  # no cited interval: local rule
    guide = (Path(__file__).parent.parent / "docs" / "使用说明.md").read_text(encoding="utf-8")
    assert "复查间隔未设置" in guide  # #43: the guide says a new book lists these too, and what to do
    assert {p.code for p in problems if p.sheet == "消毒要求"} == {"disinfect_unset"} and "频次未设置" in guide  # #45


def test_once_started_a_blank_item_is_an_error_again(book):
    wb = openpyxl.load_workbook(book, keep_vba=True)
    wb["班级"].append(["小一班", "小班", "丁", "戊"])
    wb.save(book)
    problems = validate_book(FileBook(book), dt.date(2027, 2, 23)).problems
    assert {p.code for p in problems if p.sheet == "基本信息"} == {"required"}
    assert {p.severity for p in problems if p.sheet == "基本信息"} == {"错误"}
    # the roster is still empty: still said (#42: it disappeared once 班级 had a row)
    assert [(p.cell, p.code, p.severity) for p in problems if p.sheet == "幼儿名册"] == [("A2", "fill_in", "警告")]


def test_a_few_rows_typed_in_make_the_reports(book, capsys):
    wb = openpyxl.load_workbook(book, keep_vba=True)
    ws = wb["基本信息"]
    values = {"伙食费标准(元/人/天)": 8, "伙食费退费规则": "不退", "盈亏核算周期": "月", "园长": "甲", "会计": "乙",
              "保健老师": "丙"}
    for row in ws.iter_rows(min_row=2):
        if row[0].value in values:
            row[1].value = values[row[0].value]
    wb["班级"].append(["小一班", "小班", "丁", "戊"])
    for i in range(1, 4):
        wb["幼儿名册"].append([f"2027{i:03d}", f"童{i}", "女", dt.date(2023, 5, i), "小一班", dt.date(2027, 2, 22)])
    wb.save(book)
    assert main(["month", str(book), "--month", "2027-03", "--today", "2027-03-01"]) == 0
    assert main(["refresh", str(book), "--month", "2027-03", "--today", "2027-03-31"]) == 0
    assert "出勤汇总" in CalamineWorkbook.from_path(str(book)).sheet_names


def test_an_existing_file_is_never_replaced(book, capsys):
    before = book.read_bytes()
    assert main(["new", str(book), "--name", "别的园"]) == 2
    assert "已存在，未覆盖" in capsys.readouterr().err and book.read_bytes() == before
