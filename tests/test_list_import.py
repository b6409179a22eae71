"""`kgxl import` (#24): lists a kindergarten already keeps, appended to 幼儿名册 / 教职工. Columns by header name and
its variants; 居民身份证 numbers checked (GB 11643 check digit) and turned into 出生日期 and 性别; every problem at its
row and column of the file; nothing written while one remains (unless --skip-bad); rows already there untouched."""
import datetime as dt

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from kgxl.app.list_import import ID_CHECK, ID_WEIGHTS, id_facts
from kgxl.front.cli import main


def id_number(birth: dt.date, seq: int, sex: str, area: str = "110101") -> str:
    """A well-formed 居民身份证 number (GB 11643-1999: the check digit over the first 17)."""
    s = f"{area}{birth:%Y%m%d}{seq:02d}{1 if sex == '男' else 2}"
    return s + ID_CHECK[sum(int(d) * w for d, w in zip(s, ID_WEIGHTS)) % 11]


def wrong_check(number: str) -> str:
    return number[:-1] + ("1" if number[-1] != "1" else "2")


def test_a_resident_id_gives_birth_and_sex_and_its_check_digit_is_checked():
    assert id_facts("11010519491231002X") == (dt.date(1949, 12, 31), "女", "")  # the standard's own example
    n = id_number(dt.date(2023, 5, 1), 3, "男")
    assert id_facts(n)[:2] == (dt.date(2023, 5, 1), "男") and id_facts(n.lower())[2] == ""
    assert "校验位" in id_facts(wrong_check(n))[2]
    assert "18位" in id_facts("1101012023")[2]
    bad_day = "110101" + "20230231" + "123"
    bad_day += ID_CHECK[sum(int(d) * w for d, w in zip(bad_day, ID_WEIGHTS)) % 11]
    assert "出生日期无效" in id_facts(bad_day)[2]


KIDS = [("王小明", dt.date(2023, 5, 1), "男", "小一班"), ("李小红", dt.date(2023, 7, 9), "女", "小一班"),
        ("赵一", dt.date(2022, 3, 3), "男", "中一班")]


def roster_file(path, extra: list[list] = ()) -> None:
    """A class list as kindergartens keep it: a title line, the system's header names, an ID number, no 编号."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["阳光幼儿园 幼儿名单"])
    ws.append(["序号", "幼儿姓名", "身份证号码", "所在班级", "入园时间", "家长电话"])
    for i, (name, birth, sex, cls) in enumerate(KIDS, 1):
        ws.append([i, name, id_number(birth, i, sex), cls, dt.date(2027, 2, 22), "13800000000"])
    for row in extra:
        ws.append(row)
    wb.save(path)


def _roster(path) -> list[list]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name("幼儿名册").to_python()


@pytest.mark.slow
def test_two_bad_numbers_are_reported_at_their_rows_and_nothing_is_written(tmp_path, sample_copy, capsys):
    lst = tmp_path / "名单.xlsx"
    roster_file(lst, [[4, "孙三", wrong_check(id_number(dt.date(2023, 2, 2), 4, "男")), "小一班", dt.date(2027, 2, 22)],
                      [5, "周四", "1101012023", "小一班", dt.date(2027, 2, 22)]])
    book = sample_copy
    before = book.read_bytes()
    assert main(["import", str(book), "--roster", str(lst), "--json"]) == 1
    import json
    out = json.loads(capsys.readouterr().out)
    assert {(p["cell"], p["code"]) for p in out["problems"] if p["severity"] == "错误"} == {
        ("C6", "bad_id_number"), ("C7", "bad_id_number")}
    assert not out["written"] and book.read_bytes() == before
    assert main(["import", str(book), "--roster", str(lst), "--skip-bad"]) == 0
    rows = _roster(book)
    old = _roster(tmp_path / "Logistics.backup.xlsm")
    assert rows[:len(old)] == old  # the rows that were there are untouched
    new = rows[len(old):]
    assert [(r[1], r[2], r[3], r[4]) for r in new] == [(n, s, b, c) for n, b, s, c in KIDS]
    assert len({r[0] for r in rows}) == len(rows)  # 编号 given in sequence after the sample's own


@pytest.mark.slow
def test_unknown_class_duplicate_child_and_a_clash_with_the_number_are_located(tmp_path, sample_copy, capsys):
    book = sample_copy
    wb = openpyxl.load_workbook(book, read_only=True)
    first = next(wb["幼儿名册"].iter_rows(min_row=2, max_row=2, values_only=True))
    lst = tmp_path / "名单.csv"
    n = id_number(dt.date(2023, 1, 2), 7, "女")
    lst.write_bytes(("姓名,性别,出生年月,班级,身份证号\r\n"
                     f"{first[1]},{first[2]},{first[3]:%Y-%m-%d},{first[4]},\r\n"
                     f"钱二,男,2023-01-02,小一班,{n}\r\n"
                     "孙五,女,2023/3/4,火星班,\r\n").encode("gb18030"))  # what Chinese Excel writes for csv
    before = book.read_bytes()
    assert main(["import", str(book), "--roster", str(lst)]) == 1
    err = capsys.readouterr().out
    assert "名单.csv!A2" in err and "已在名册中" in err
    assert "名单.csv!B3" in err and "与身份证号不一致" in err
    assert "名单.csv!D4" in err and "火星班" in err
    assert book.read_bytes() == before


@pytest.mark.slow
def test_staff_lists_come_in_the_same_way(tmp_path, sample_copy, capsys):
    book = sample_copy
    lst = tmp_path / "教职工.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["教职工姓名", "岗位", "入职时间", "手机号"])
    wb.active.append(["新保育员", "保育员", dt.date(2026, 8, 20), "13900000000"])
    wb.active.append(["新园丁", "园丁", dt.date(2026, 8, 20), ""])
    wb.save(lst)
    assert main(["import", str(book), "--staff", str(lst)]) == 1
    assert "教职工.xlsx!B3" in capsys.readouterr().out
    assert main(["import", str(book), "--staff", str(lst), "--skip-bad"]) == 0
    staff = CalamineWorkbook.from_path(str(book)).get_sheet_by_name("教职工").to_python()
    assert staff[-1][1:3] == ["新保育员", "保育员"] and staff[-1][0]


def test_a_file_that_is_not_a_list_is_refused_in_chinese(tmp_path, sample_copy, capsys):
    junk = tmp_path / "名单.xlsx"
    junk.write_bytes(b"not a spreadsheet")
    assert main(["import", str(sample_copy), "--roster", str(junk)]) == 2
    assert "无法读取 名单.xlsx" in capsys.readouterr().err
    other = tmp_path / "x.docx"
    other.write_bytes(b"")
    assert main(["import", str(sample_copy), "--roster", str(other)]) == 2
    assert main(["import", str(sample_copy)]) == 2


def test_a_list_without_entry_dates_is_told_how_to_give_them():
    """#43: a roster without 入园日期 into a book whose 学期开始日期 is blank: each row said “缺少入园日期” at column A
    with no word of the fix; now it says to add the column or fill 学期开始日期. With the date filled: a 警告."""
    from kgxl.app.list_import import import_list
    from kgxl.core.schema import load_schemas
    from kgxl.core.settings import Settings

    rows = [["姓名", "性别", "出生日期", "班级"], ["王小明", "男", dt.date(2023, 5, 1), "小一班"]]
    imp = import_list(load_schemas()["roster"], rows, "名单.csv", [], {"小一班"}, Settings())
    assert [(p.cell, p.severity) for p in imp.problems] == [("A2", "错误")]
    assert "名单中没有“入园日期”列" in imp.problems[0].message and "学期开始日期" in imp.problems[0].message
    dated = Settings(term_start=dt.date(2027, 2, 22))
    imp = import_list(load_schemas()["roster"], rows, "名单.csv", [], {"小一班"}, dated)
    assert [(p.code, p.severity) for p in imp.problems] == [("entry_date_assumed", "警告")]
