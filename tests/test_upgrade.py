"""`kgxl upgrade` (#24) on a workbook built by an earlier commit of this repository (tests/fixtures: the committed
workbook of c8d32b1, the release before 园产与物品): every typed input value identical afterwards (every input cell
compared, by position), the sheets and columns this version has present, the VBA project and ribbon this version's,
LibreOffice opens it, and 刷新汇总 passes on it. An older workbook is told, in Chinese, to upgrade. The first two
releases' books (751b6cb, the foundation; 15076a6, attendance: the workbooks committed at those commits) are .xlsm
files without a VBA project: the upgrade gives them one, with the ribbon and xlwings.conf (#43)."""
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook
from test_excel_front import modules_of
from test_libreoffice import SOFFICE, sheets_as_csv

from kgxl.app import ribbon
from kgxl.app.books import CONF
from kgxl.app.pipeline import layout, validate_book
from kgxl.app.registry import current
from kgxl.front.cli import main
from kgxl.io.filebook import FileBook

pytestmark = pytest.mark.slow
OLD = Path(__file__).parent / "fixtures" / "Logistics-c8d32b1.xlsm"
TODAY = ["--today", "2026-11-30"]


@pytest.fixture
def old(tmp_path) -> Path:
    book = tmp_path / "园所.xlsm"
    shutil.copy2(OLD, book)
    return book


def _sheets(path) -> dict[str, list[list]]:
    wb = CalamineWorkbook.from_path(str(path))
    return {n: wb.get_sheet_by_name(n).to_python(skip_empty_area=False) for n in wb.sheet_names}


def test_an_older_workbook_is_told_to_upgrade(old, capsys):
    problems = validate_book(FileBook(old)).problems
    hint = [p for p in problems if p.code == "needs_upgrade"]
    assert len(hint) == 1 and "点“升级工作簿”" in hint[0].message and hint[0].sheet == "基本信息"
    assert "kgxl" not in hint[0].message  # #43: a user of the page or the ribbon is not sent to a command
    assert main(["validate", str(old), *TODAY]) == 0 and "点“升级工作簿”" in capsys.readouterr().out


def test_upgrade_keeps_every_typed_value_and_brings_this_version(old, tmp_path, capsys):
    before = _sheets(old)
    assert main(["upgrade", str(old), *TODAY]) == 0
    said = capsys.readouterr().out
    assert "已升级" in said and "教职工" in said and "已刷新" in said
    after = _sheets(old)
    for name, rows in before.items():  # every cell the old workbook had, compared by position
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value not in ("", None):
                    assert after[name][r][c] == value, (name, r + 1, c + 1)
    inputs = [s for s in current().inputs if not s.monthly]
    assert {s.sheet for s in inputs} <= set(after)
    for s in inputs:
        header = {str(v) for v in after[s.sheet][0]} if s.kind == "table" else {str(r[0]) for r in after[s.sheet]}
        assert {c.header for c in s.fields} <= header, s.sheet
    assert len(after["食物成分"]) == len(before["食物成分"])  # an existing reference sheet stays the user's
    assert len(after["传染病病种"]) > 10  # a new one comes filled
    with zipfile.ZipFile(old) as z:
        assert z.read("customUI/customUI.xml") == ribbon.custom_ui()
    code = modules_of(old)
    assert code["Kgxl"].strip() == ribbon.source("Kgxl.bas").strip()
    assert set(code) >= {"ThisWorkbook", "xlwings", *(f"Sheet{i}" for i in range(1, 34))}  # one per sheet, new ones too
    assert FileBook(old).layout() == layout()
    conf = {r[0]: r[1] for r in after["xlwings.conf"] if r and r[0]}
    assert set(CONF) <= set(conf)  # this version's settings added (USE UDF SERVER, #26) ...
    for r in before["xlwings.conf"]:  # ... the user's own kept as they were
        assert conf[r[0]] == r[1]
    from test_excel_front import assert_project_consistent
    assert_project_consistent(old)  # every sheet, the reports the refresh added included, has its Document module
    assert not [p for p in validate_book(FileBook(old)).problems if p.code == "needs_upgrade"]
    assert main(["refresh", str(old), *TODAY]) == 0
    assert main(["upgrade", str(old)]) == 0 and "无需升级" in capsys.readouterr().out


@pytest.mark.parametrize("commit", ["751b6cb", "15076a6"])
def test_the_first_releases_books_get_the_buttons(commit, tmp_path, capsys):
    book = tmp_path / "园所.xlsm"
    shutil.copy2(Path(__file__).parent / "fixtures" / f"Logistics-{commit}.xlsm", book)
    with zipfile.ZipFile(book) as z:
        assert "xl/vbaProject.bin" not in z.namelist() and "customUI/customUI.xml" not in z.namelist()
    before = _sheets(book)
    main(["upgrade", str(book), *TODAY])  # 1: the old sample's own 错误 (a free-text refund rule) are reported
    said = capsys.readouterr().out
    assert "已添加后勤助手按钮和宏（原工作簿没有）" in said and "xlwings.conf" not in said.split("\n")[1]
    after = _sheets(book)
    kept = 0
    for name, rows in before.items():
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value not in ("", None):
                    assert after[name][r][c] == value, (name, r + 1, c + 1)
                    kept += 1
    assert kept > 70_000
    with zipfile.ZipFile(book) as z:
        assert z.read("customUI/customUI.xml") == ribbon.custom_ui()
        assert 'codeName="ThisWorkbook"' in z.read("xl/workbook.xml").decode()
        assert "customUI/customUI.xml" in z.read("_rels/.rels").decode()
    code = modules_of(book)
    assert code["Kgxl"].strip() == ribbon.source("Kgxl.bas").strip() and "xlwings" in code
    from test_excel_front import assert_project_consistent
    assert_project_consistent(book)
    wb = openpyxl.load_workbook(book, keep_vba=True)
    assert wb["xlwings.conf"].sheet_state == "hidden"
    assert {r[0]: r[1] for r in after["xlwings.conf"] if r and r[0]} == CONF
    assert FileBook(book).layout() == layout()
    assert main(["upgrade", str(book)]) == 0 and "无需升级" in capsys.readouterr().out


def test_a_new_column_goes_after_the_users_own_and_notes_and_formats_come_along(old, tmp_path):
    wb = openpyxl.load_workbook(old, keep_vba=True)
    wb["收费项目"]["G1"] = "我的备注"  # a column the user added
    wb["收费项目"]["G2"] = "自己写的"
    wb.save(old)
    assert main(["upgrade", str(old), *TODAY]) == 0
    wb = openpyxl.load_workbook(old, keep_vba=True)
    ws = wb["收费项目"]
    assert [c.value for c in ws[1]][6:8] == ["我的备注", "收费类别"] and ws["G2"].value == "自己写的"
    assert ws["H1"].font.b  # the header's own format
    new = wb["传染病登记"]
    assert new["A1"].comment is not None and new["A1"].font.b  # header notes and formats moved in
    assert any(dv.sqref for dv in new.data_validations.dataValidation)


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice not installed (run `make test`)")
@pytest.mark.parametrize("commit", ["c8d32b1", "15076a6"])
def test_libreoffice_opens_the_upgraded_workbook(commit, tmp_path):
    fixture = Path(__file__).parent / "fixtures" / f"Logistics-{commit}.xlsm"
    old = tmp_path / "园所.xlsm"
    shutil.copy2(fixture, old)
    main(["upgrade", str(old), *TODAY])  # 15076a6's own sample has 错误 the refresh reports (exit 1)
    sheets = sheets_as_csv(old, tmp_path / "lo")
    assert sheets["传染病登记"][0] == [c.header for c in current().inputs[[s.key for s in current().inputs].index(
        "infections")].columns]
    assert sheets["幼儿名册"][1][1] == _sheets(fixture)["幼儿名册"][1][1]
