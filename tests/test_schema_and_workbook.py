"""The schemas are the single source: the committed workbook and the docs must agree with them."""
import zipfile

import openpyxl
import pytest
from conftest import ROOT, SAMPLE
from python_calamine import CalamineWorkbook

from kgxl.app.books import build_bytes
from kgxl.app.registry import current
from kgxl.core.schema import load_schemas
from kgxl.front.docs import render_docs

SHEET_ORDER = tuple(s.key for s in current().inputs if not s.monthly)


@pytest.fixture(scope="module")
def book():
    return openpyxl.load_workbook(SAMPLE, keep_vba=True)


def test_every_reference_resolves_and_keys_are_unique():
    schemas = load_schemas()
    # every schema is an input sheet, or a domain's items of 基本信息 (merged into its schema, never read alone)
    assert set(SHEET_ORDER) | {"register"} == {k for k, s in schemas.items() if not s.fragment}
    assert {i.key for s in schemas.values() if s.fragment for i in s.items} <= {i.key for i in schemas["settings"].items}
    for s in schemas.values():
        keys = [c.key for c in s.fields]
        assert len(keys) == len(set(keys)), s.key
        headers = [c.header for c in s.fields]
        assert len(headers) == len(set(headers)), s.key


def test_workbook_headers_match_schemas(book):
    schemas = load_schemas()
    for key in SHEET_ORDER:
        s = schemas[key]
        ws = book[s.sheet]
        if s.kind == "keyvalue":
            assert [ws.cell(1, i + 1).value for i in range(len(s.columns))] == [c.header for c in s.columns]
            assert [ws.cell(r + 2, 1).value for r in range(len(s.items))] == [i.header for i in s.items]
            continue
        assert [c.value for c in ws[1]][:len(s.columns)] == [c.header for c in s.columns], s.sheet


def test_workbook_layout_follows_schemas(book):
    """Widths, number formats, dropdowns and header notes come from the schema of each column."""
    schemas = load_schemas()
    for key in SHEET_ORDER:
        s = schemas[key]
        if s.kind == "keyvalue":
            continue
        ws = book[s.sheet]
        dv_columns = {}
        for dv in ws.data_validations.dataValidation:
            for rng in dv.sqref.ranges:
                dv_columns[rng.min_col] = dv.formula1
        for i, c in enumerate(s.columns, start=1):
            letter = openpyxl.utils.get_column_letter(i)
            assert ws.column_dimensions[letter].width == pytest.approx(c.width), (s.sheet, c.header)
            assert ws.cell(1, i).comment is not None and c.help in ws.cell(1, i).comment.text
            if c.allowed:
                assert dv_columns[i] == '"' + ",".join(c.allowed) + '"', (s.sheet, c.header)
            elif c.ref:
                target = schemas[c.ref[0]]
                assert f"'{target.sheet}'!" in dv_columns[i]
            if ws.max_row >= 2 and ws.cell(2, i).value is not None:
                fmt = ws.cell(2, i).number_format
                if c.type == "date":
                    assert fmt == "yyyy-mm-dd"
                elif c.format:
                    assert fmt == c.format, (s.sheet, c.header)


def test_registers_have_day_columns_and_mark_dropdowns(book):
    s = load_schemas()["register"]
    names = [n for n in book.sheetnames if s.matches(n)]
    assert names == ["出勤-2026-09", "出勤-2026-10", "出勤-2026-11", "出勤-2026-12"]
    ws = book[names[0]]
    marks = ",".join(s.day_columns.marks)
    assert any(dv.formula1 == f'"{marks}"' for dv in ws.data_validations.dataValidation)


def test_committed_workbook_equals_a_rebuild():
    """Deterministic builder: every part of a fresh build equals the committed file."""
    import io

    fresh = zipfile.ZipFile(io.BytesIO(build_bytes()))
    with zipfile.ZipFile(SAMPLE) as committed:
        assert fresh.namelist() == committed.namelist()
        for name in committed.namelist():
            assert fresh.read(name) == committed.read(name), f"{name} differs: run `make workbook`"


def test_workbook_is_macro_enabled():
    with zipfile.ZipFile(SAMPLE) as z:
        assert b"application/vnd.ms-excel.sheet.macroEnabled.main+xml" in z.read("[Content_Types].xml")


def test_docs_are_current():
    assert (ROOT / "docs" / "sheets.md").read_text(encoding="utf-8") == render_docs(), "run `make docs`"


def test_sample_size_and_people_are_invented():
    wb = CalamineWorkbook.from_path(str(SAMPLE))
    roster = wb.get_sheet_by_name("幼儿名册").to_python()
    assert 170 <= len(roster) - 1 <= 190
    classes = wb.get_sheet_by_name("班级").to_python()
    assert len(classes) - 1 == 6
    settings = dict((r[0], r[1]) for r in wb.get_sheet_by_name("基本信息").to_python()[1:])
    assert "示例" in settings["园所名称"]
