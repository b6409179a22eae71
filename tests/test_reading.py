"""Hand-typed sheets: each oddity is reported at its cell, never crashed on."""
import datetime as dt

import openpyxl
import pytest
from helpers import parts, replace_part, write_table

from kgxl.core.cells import parse_date, parse_number
from kgxl.core.reading import read_table
from kgxl.core.schema import load_schemas
from kgxl.core.validation import check_table
from kgxl.io.filebook import FileBook

CLASSES = load_schemas()["classes"]


def read(path, key="classes"):
    s = load_schemas()[key]
    table, problems = read_table(s, FileBook(path).read(s.sheet))
    return table, problems + check_table(table, problems)


def found(problems):
    return {(p.cell, p.code) for p in problems}


@pytest.mark.parametrize("text,expected,code", [
    ("2026年9月3日", dt.date(2026, 9, 3), "date_as_text"),
    ("2026.9.3", dt.date(2026, 9, 3), "date_as_text"),
    ("2026-09-03", dt.date(2026, 9, 3), "date_as_text"),
    ("２０２６年９月３日", dt.date(2026, 9, 3), "date_as_text"),
    ("9/3", None, "date_without_year"),
    ("2026-02-30", None, "bad_date"),
    ("明天", None, "not_date"),
])
def test_text_dates(text, expected, code):
    value, issue = parse_date(text)
    assert value == expected and issue[0] == code


def test_numbers_typed_oddly():
    assert parse_number("１２.５") == (12.5, parse_number("１２.５")[1])
    assert parse_number("１２.５")[1][0] == "fullwidth_number"
    assert parse_number("12")[1][0] == "number_as_text"
    assert parse_number("十二")[0] is None and parse_number("十二")[1][0] == "not_number"


def test_header_found_by_name_not_position(tmp_path):
    header = ["保育员", "班主任", "年龄段", "班级"]  # reversed, under two title rows
    path = write_table(tmp_path / "b.xlsx", "classes", [["周老师", "王老师", "小班", "小一班"]], header=header,
                       before=[["班级设置"], []])
    table, problems = read(path)
    assert problems == []
    assert table.frame.loc[4, "class_name"] == "小一班"
    assert table.cell(4, "class_name") == "D4"


def test_trailing_empty_rows_ignored_middle_empty_row_reported(tmp_path):
    rows = [["小一班", "小班", "王", None], [None] * 4, ["小二班", "小班", "李", None], [None] * 4, [None] * 4]
    table, problems = read(write_table(tmp_path / "b.xlsx", "classes", rows))
    assert found(problems) == {("A3", "empty_row")}
    assert list(table.frame.index) == [2, 4]


def test_missing_column_and_wrong_values(tmp_path):
    rows = [["小一班", "幼儿班"], ["小一班", "小班"]]
    table, problems = read(write_table(tmp_path / "b.xlsx", "classes", rows, header=["班级", "年龄段"]))
    assert {(p.column, p.code, p.severity) for p in problems if p.code == "missing_column"} == {
        ("班主任", "missing_column", "错误"), ("保育员", "missing_column", "警告")}
    assert ("B2", "allowed") in found(problems)
    assert ("A3", "duplicate") in found(problems)


def test_merged_cells_reported(tmp_path):
    rows = [["小一班", "小班", "王", "赵"], [None, "小班", "李", "钱"]]
    table, problems = read(write_table(tmp_path / "b.xlsx", "classes", rows, merge="A2:A3"))
    assert ("A2", "merged_cell") in found(problems)


def test_formula_errors_reported(tmp_path):
    path = write_table(tmp_path / "b.xlsx", "classes", [["小一班", "小班", "王", None], ["小二班", "小班", "李", None]])
    sheet = parts(path)["xl/worksheets/sheet1.xml"].decode()
    sheet = sheet.replace('<c r="C2" t="inlineStr"><is><t>王</t></is></c>', '<c r="C2" t="e"><f>VLOOKUP(1,X,2)</f><v>#N/A</v></c>')
    sheet = sheet.replace('<c r="C3" t="inlineStr"><is><t>李</t></is></c>', '<c r="C3" t="e"><v>#REF!</v></c>')
    replace_part(path, "xl/worksheets/sheet1.xml", sheet.encode())
    table, problems = read(path)
    errs = {(p.cell, p.code, p.value) for p in problems}
    assert ("C2", "formula_error", "#N/A") in errs and ("C3", "formula_error", "#REF!") in errs
    assert not any(p.cell in ("C2", "C3") and p.code == "required" for p in problems)


def test_text_in_number_column_and_fullwidth(tmp_path):
    rows = [[dt.date(2026, 9, 1), "午餐", "米饭", "稻米（代表值）", "五十", None],
            [dt.date(2026, 9, 1), "午餐", "米饭", "稻米（代表值）", "５０", None],
            ["2026.9.2", "午餐", "米饭", "稻米（代表值）", 600, None]]
    table, problems = read(write_table(tmp_path / "m.xlsx", "menu", rows), "menu")
    assert {("E2", "not_number"), ("E3", "fullwidth_number"), ("A4", "date_as_text"), ("E4", "above_max")} <= found(problems)
    assert table.frame.loc[3, "grams"] == 50.0
    assert table.frame.loc[4, "date"] == dt.date(2026, 9, 2)


def test_tail_agrees_with_a_full_read(tmp_path):
    """FileBook.tail reads only the end of the sheet XML; it must say what a full read says."""
    def full(book, name):
        rows = book.read(name).rows
        last = max((i + 1 for i, r in enumerate(rows) if any(v not in (None, "") for v in r)), default=0)
        return last, (rows[last - 1][0] if last and rows[last - 1] and rows[last - 1][0] != "" else None)

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "数字"
    ws.append(["序号", "说明"])
    ws.append([1, "a&b <c>"])
    ws.append([2.0, "x"])
    ws.row_dimensions[9].height = 30  # formatting below the last value
    ws["D9"].number_format = "0.00"
    for title, rows in [("文字", [["甲", 1], ["乙 & <丙>", 2]]), ("A列空", [[1, 2], [None, 3]]), ("空表", [])]:
        s = wb.create_sheet(title)
        for r in rows:
            s.append(r)
    path = tmp_path / "t.xlsx"
    wb.save(path)
    book = FileBook(path)
    expected = {"数字": (3, 2), "文字": (2, "乙 & <丙>"), "A列空": (2, None), "空表": (0, None)}
    for name, want in expected.items():
        assert book.tail(name) == want == full(book, name), name
    # the same sheet with its text as shared strings (as Excel saves it)
    xml = parts(path)["xl/worksheets/sheet2.xml"].decode()
    xml = xml.replace('<c r="A2" t="inlineStr"><is><t>乙 &amp; &lt;丙&gt;</t></is></c>', '<c r="A2" t="s"><v>0</v></c>')
    replace_part(path, "xl/worksheets/sheet2.xml", xml.encode())
    sst = ('<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
           'count="1" uniqueCount="1"><si><t>共享</t></si></sst>')
    replace_part(path, "xl/sharedStrings.xml", sst.encode())
    book = FileBook(path)
    assert book.tail("文字") == (2, "共享") == full(book, "文字")
