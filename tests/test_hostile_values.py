"""Every numeric parse is total (#23): a pasted serial number, Infinity, European decimals, a number typed as
text get a located answer, and a value typed as text still gets the column's own checks."""
import datetime as dt

from kgxl.core.port import RawSheet
from kgxl.core.reading import read_table
from kgxl.core.schema import load_schemas
from kgxl.core.validation import check_table


def problems_of(key: str, rows: list[list]) -> set[tuple]:
    s = load_schemas()[key]
    t, found = read_table(s, RawSheet(s.sheet, [[c.header for c in s.columns], *rows]))
    found += check_table(t, found)
    return {(p.cell, p.code, p.severity) for p in found}


def test_numbers_typed_as_text_get_the_column_checks():
    # 身高 '1.05' (metres) and 体重 '15000' (grams) typed as text: the 警告 that they are text, and the range 错误
    found = problems_of("health_checks", [["K1", dt.date(2026, 9, 1), "1.05", "15000", None, None]])
    assert {("C2", "number_as_text", "警告"), ("C2", "below_min", "错误"), ("D2", "number_as_text", "警告"),
            ("D2", "above_max", "错误")} <= found


def test_huge_infinite_and_european_amounts():
    rows = [[dt.date(2026, 9, 1), "A001", "伙食费", 1e20, None, None],          # a pasted serial number
            [dt.date(2026, 9, 1), "A001", "伙食费", "Infinity", None, None],
            [dt.date(2026, 9, 1), "A001", "伙食费", "1.234,50", None, None],    # European: 1234.50
            [dt.date(2026, 9, 1), "A001", "伙食费", "12,34", None, None]]       # neither convention
    found = problems_of("fee_records", rows)
    assert ("D2", "number_too_large", "错误") in found and ("D3", "not_number", "错误") in found
    assert ("D4", "fullwidth_number", "警告") in found and not any(c == "D4" and sev == "错误" for c, _, sev in found)
    assert ("D5", "not_number", "错误") in found


def test_a_future_date_typed_as_text_is_still_an_error(tmp_path):
    from test_health import check, health_book

    from kgxl.app.pipeline import validate_book
    from kgxl.io.filebook import FileBook

    path = health_book(tmp_path / "h.xlsx", [check("K1", "2026-12-01", 110.0, 18.0)])
    found = {(p.cell, p.code) for p in validate_book(FileBook(path), dt.date(2026, 11, 20)).problems
             if p.sheet == "体检记录"}
    assert {("B2", "date_as_text"), ("B2", "future_date")} <= found


def test_a_renamed_header_is_one_problem_at_the_header_with_the_likely_column():
    s = load_schemas()["stock"]
    header = ["分类" if c.header == "类别" else c.header for c in s.columns]
    rows = [[dt.date(2026, 9, 1), "入库", "大米", None, 10.0, 5.0, 50.0]] * 30
    t, found = read_table(s, RawSheet(s.sheet, [header, *rows]))
    found += check_table(t, found)
    missing = [p for p in found if p.code == "missing_column"]
    letter = "ABCDEFGHIJ"[header.index("分类")]
    assert [(p.cell, p.severity) for p in missing] == [(f"{letter}1", "错误")] and "“分类”是否就是它" in missing[0].message
    assert not [p for p in found if p.code == "required" and p.column == "类别"]  # not once per row


def _with_stray(path, cell):
    """The sample with one value typed far from 幼儿名册's table, as a user's slip would put it."""
    import re
    import shutil
    import zipfile

    from conftest import SAMPLE
    from helpers import parts

    from kgxl.io.package import workbook_sheets

    shutil.copy2(SAMPLE, path)
    files = parts(path)
    part = next(e.part for e in workbook_sheets(files) if e.name == "幼儿名册")
    row = re.search(r"\d+", cell).group(0)
    files[part] = files[part].replace(b"</sheetData>", f'<row r="{row}"><c r="{cell}" t="inlineStr"><is><t>误输入</t>'
                                                       '</is></c></row></sheetData>'.encode())
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, b in files.items():
            z.writestr(n, b)
    return path


def test_a_value_far_from_the_table_is_a_located_warning_and_costs_nothing(tmp_path):
    """XFD1048576 made the reader allocate the whole grid (about 550 GB: an abort); A1048576 took 28 s. Now each is a
    警告 at its cell and the workbook validates in about the sample's time (the benchmark measures; here: it ends)."""
    from kgxl.app.pipeline import validate_book
    from kgxl.io.filebook import FileBook

    for cell in ("XFD1048576", "A1048576", "AAA7"):
        path = _with_stray(tmp_path / f"{cell}.xlsm", cell)
        problems = validate_book(FileBook(path), dt.date(2026, 11, 30)).problems
        stray = [(p.sheet, p.cell, p.severity) for p in problems if p.code == "stray_cell"]
        assert stray == [("幼儿名册", cell, "警告")], cell
        assert not [p for p in problems if p.severity == "错误"]
        assert len(FileBook(path).read("幼儿名册").rows) < 1000
