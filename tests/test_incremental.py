"""刷新汇总 keeps what did not change (#39). After each kind of edit a user makes, an incremental refresh leaves every
sheet as a --full refresh of the same edited book does: values, number formats, fills, merges, links and notes. A
refresh right after a refresh computes nothing; a deleted or damaged record only costs a full refresh."""
import datetime as dt
import shutil

import openpyxl
import pytest
from conftest import SAMPLE
from helpers import parts, replace_part, set_cells, ten_marks, ten_marks_model
from python_calamine import CalamineWorkbook

import kgxl.app.pipeline as pipeline
from kgxl.app.build import RECORD_SHEET, read_record
from kgxl.app.run_log import LOG_SHEET
from kgxl.app.session import run_on_file
from kgxl.io.filebook import FileBook
from kgxl.io.package import workbook_sheets

pytestmark = pytest.mark.slow  # whole refreshes of the sample
TODAY = dt.date(2026, 11, 30)


def refresh(path, **params) -> str:
    (run, _), = run_on_file("refresh", path, {"today": TODAY} | params)
    return run.result.summary


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    path = tmp_path_factory.mktemp("base") / "Logistics.xlsm"
    shutil.copy2(SAMPLE, path)
    refresh(path)
    return path


def _settings(label, value):
    def edit(path):
        rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("基本信息").to_python()
        row = next(i for i, r in enumerate(rows, start=1) if r and r[0] == label)
        set_cells(path, "基本信息", {f"B{row}": value})
    return edit


def _append(sheet, values):
    def edit(path):
        rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()
        last = max(i for i, r in enumerate(rows, start=1) if any(v not in ("", None) for v in r))
        set_cells(path, sheet, {f"{openpyxl.utils.get_column_letter(c + 1)}{last + 1}": v
                                for c, v in enumerate(values) if v is not None})
    return edit


def _date_as_text(path):
    """A date retyped as the same date in text: its value reads the same, its 警告 is new."""
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("体检记录").to_python()
    r, value = next((r, row[1]) for r, row in enumerate(rows, start=1) if isinstance(row[1], dt.date))
    set_cells(path, "体检记录", {f"B{r}": value.strftime("%Y-%m-%d")})


def _record_deleted(path):
    wb_parts = parts(path)
    part = next(e.part for e in workbook_sheets(wb_parts) if e.name == RECORD_SHEET)
    replace_part(path, part, wb_parts[part].replace("月份".encode(), "月分".encode()))  # the header no longer reads


EDITS = {
    "register marks": lambda p: ten_marks(p, TODAY),
    "a menu quantity": lambda p: set_cells(p, "带量食谱", {"E2": 55}),
    "伙食费标准": _settings("伙食费标准(元/人/天)", 9),
    "退费规则": _settings("伙食费退费规则", "不退"),
    "a 体检记录 row": _append("体检记录", ["2026001", dt.date(2026, 11, 25), 101.5, 16.2, 118, None]),
    "a new asset": _append("固定资产", ["ZC9999", "电视机", "电气设备", "55寸", "台", 1, 3000, 3000,
                                      dt.date(2026, 11, 20), "财政拨款", "小一班", "张老师", "在用"]),
    "a date retyped as text": _date_as_text,
    "a report cell the user overwrote": lambda p: set_cells(p, "出勤汇总", {"B5": 99}),
    "the record damaged": _record_deleted,
}


def facts(path) -> dict:
    """Every sheet but the log: values, and for each cell its number format, fill, link and note; merges. Of the
    build record, its reports' rows (the fingerprints it keeps of the sheets it has read differ by run)."""
    wb = openpyxl.load_workbook(path, keep_vba=True)
    out = {RECORD_SHEET: read_record(FileBook(path)).entries}
    for ws in wb.worksheets:
        if ws.title in (LOG_SHEET, RECORD_SHEET):
            continue
        cells = {c.coordinate: (c.value, c.number_format, c.fill.fgColor.rgb if c.fill.fill_type else None,
                                c.hyperlink.location if c.hyperlink else None, c.comment.text if c.comment else None)
                 for row in ws.iter_rows() for c in row if c.value is not None or c.comment is not None}
        out[ws.title] = (cells, sorted(str(m) for m in ws.merged_cells.ranges), ws.sheet_state)
    return out


@pytest.mark.parametrize("edit", list(EDITS))
def test_an_incremental_refresh_equals_a_full_one(edit, base, tmp_path):
    incremental, full = tmp_path / "a" / "Logistics.xlsm", tmp_path / "b" / "Logistics.xlsm"
    for p in (incremental, full):
        p.parent.mkdir()
        shutil.copy2(base, p)
        EDITS[edit](p)
    said = refresh(incremental)
    refresh(full, full=True)
    assert facts(incremental) == facts(full), edit
    if edit != "the record damaged":
        assert "沿用" in said  # something was kept: the point of it
    if edit == "a date retyped as text":  # the same value, another input: its 警告 is there (both runs share a process)
        codes = [r[-1] for r in CalamineWorkbook.from_path(str(incremental)).get_sheet_by_name("校验结果").to_python()]
        assert "date_as_text" in codes


def test_a_second_refresh_keeps_everything_and_the_month_or_build_changes_it(base, tmp_path, monkeypatch):
    path = tmp_path / "Logistics.xlsm"
    shutil.copy2(base, path)
    said = refresh(path)
    assert "全部沿用（49 张）" in said, said
    assert "已刷新 2026年10月" in refresh(path, month="2026-10")  # another month: its reports computed
    full = tmp_path / "full.xlsm"
    shutil.copy2(path, full)
    refresh(full, full=True, month="2026-10")
    assert facts(path) == facts(full)
    monkeypatch.setattr(pipeline, "build", lambda: "another build")
    said = refresh(path, month="2026-10")
    assert "沿用" not in said  # another build of kgxl: everything computed again
    assert {e.version for e in read_record(FileBook(path)).entries.values()} == {"another build"}


def _model_cell(sheet, row, col, value):
    def edit(sheets):
        next(s for s in sheets if s.name == sheet).values[(row, col)] = value
    return edit


EXCEL_EDITS = {"register marks": lambda sheets: ten_marks_model(sheets, TODAY),
               "a report cell the user overwrote": _model_cell("出勤汇总", 4, 1, 99)}


@pytest.mark.parametrize("edit", list(EXCEL_EDITS))
def test_on_the_excel_path_an_incremental_refresh_equals_a_full_one(edit, tmp_path):
    """The ribbon's 刷新汇总 on xlwings' remote engine, clicked again after an edit: the sheets Excel shows after the
    incremental refresh are those after a --full one (values, formats, fills, merges, widths, links, charts), and
    it sends fewer operations (a report whose sheet only changed in values is one write)."""
    import copy

    import xlwings as xw
    from remote_excel import apply, payload, resent

    from kgxl.excel import run

    def click(sent, start, **options):
        book = xw.Book(json=copy.deepcopy(sent))
        run("refresh", book=book, today=TODAY, snapshot=SAMPLE, out=tmp_path, **options)
        actions = book.json()["actions"]
        return apply(sent, actions, start)[0], actions

    sent = payload(SAMPLE)
    first, _ = click(sent, None)
    EXCEL_EDITS[edit](first)
    edited = resent(first, SAMPLE.name)
    (incremental, sent_incremental), (full, sent_full) = click(edited, first), click(edited, first, full=True)
    assert [s.name for s in incremental] == [s.name for s in full]
    for a, b in zip(incremental, full):
        if a.name != LOG_SHEET:
            assert (a.grid(), a.formats, a.fills, a.bold, sorted(a.merged), a.widths, a.links, a.charts, a.rules,
                    a.hidden) == (b.grid(), b.formats, b.fills, b.bold, sorted(b.merged), b.widths, b.links, b.charts,
                                  b.rules, b.hidden), a.name
    assert len(sent_incremental) < len(sent_full) / 2
