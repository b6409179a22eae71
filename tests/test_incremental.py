"""刷新汇总 keeps what did not change (#39). After each kind of edit a user makes, an incremental refresh leaves every
sheet as a --full refresh of the same edited book does: values, number formats, fills, merges, links and notes. A
refresh right after a refresh computes nothing; a deleted or damaged record only costs a full refresh."""
import datetime as dt
import shutil
import zipfile

import openpyxl
import pytest
from conftest import SAMPLE
from helpers import parts, replace_part, set_cells, ten_marks, ten_marks_model
from python_calamine import CalamineWorkbook

import kgxl.app.pipeline as pipeline
from kgxl.app.books import build_bytes
from kgxl.app.build import RECORD_SHEET, read_record
from kgxl.app.run_log import LOG_SHEET
from kgxl.app.session import run_on_file
from kgxl.core.schema import load_schemas
from kgxl.io.filebook import FileBook
from kgxl.io.package import workbook_sheets
from kgxl.sample.data import Sample, scaled_classes

pytestmark = pytest.mark.slow  # whole refreshes of the sample and of a 600-child book
# each book, as of a day of its term, and another month of it
BOOKS = {"sample": (dt.date(2026, 11, 30), "2026-10"), "600 children": (dt.date(2027, 6, 30), "2027-05")}
TODAY = BOOKS["sample"][0]
EMPTY_SHEET = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
               b'spreadsheetml/2006/main"><sheetData/></worksheet>')


def refresh(path, today=TODAY, **params) -> str:
    (run, _), = run_on_file("refresh", path, {"today": today} | params)
    return run.result.summary


@pytest.fixture(scope="module")
def bases(tmp_path_factory):
    """Each book refreshed once, built on first use: the sample, and a school year of 20 classes (600 children)."""
    made = {}

    def base(name):
        if name not in made:
            path = tmp_path_factory.mktemp("base") / "Logistics.xlsm"
            if name == "sample":
                shutil.copy2(SAMPLE, path)
            else:
                path.write_bytes(build_bytes(Sample.school_year(scaled_classes(7)[:20])))
            refresh(path, BOOKS[name][0])
            made[name] = path
        return made[name]
    return base


def _rows(path, sheet):
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()


def _first(path, sheet, header):
    """The first value of a column (the book's own child, class), so an edit fits either book."""
    rows = _rows(path, sheet)
    c = rows[0].index(header)
    return next(r[c] for r in rows[1:] if r[c] not in ("", None))


def _settings(label, value):
    def edit(path, today):
        row = next(i for i, r in enumerate(_rows(path, "基本信息"), start=1) if r and r[0] == label)
        set_cells(path, "基本信息", {f"B{row}": value})
    return edit


def _append(sheet, values):
    def edit(path, today):
        rows = _rows(path, sheet)
        last = max(i for i, r in enumerate(rows, start=1) if any(v not in ("", None) for v in r))
        row = [v(path) if callable(v) else v for v in values]
        set_cells(path, sheet, {f"{openpyxl.utils.get_column_letter(c + 1)}{last + 1}": v
                                for c, v in enumerate(row) if v is not None})
    return edit


def _date_as_text(path, today):
    """A date retyped as the same date in text: its value reads the same, its 警告 is new."""
    rows = _rows(path, "体检记录")
    r, value = next((r, row[1]) for r, row in enumerate(rows, start=1) if isinstance(row[1], dt.date))
    set_cells(path, "体检记录", {f"B{r}": value.strftime("%Y-%m-%d")})


def _record_damaged(path, today):
    wb_parts = parts(path)
    part = next(e.part for e in workbook_sheets(wb_parts) if e.name == RECORD_SHEET)
    replace_part(path, part, wb_parts[part].replace("月份".encode(), "月分".encode()))  # the header no longer reads


def _record_deleted(path, today):
    wb_parts = parts(path)
    part = next(e.part for e in workbook_sheets(wb_parts) if e.name == RECORD_SHEET)
    replace_part(path, part, EMPTY_SHEET)  # emptied: no record at all


def _child(path):
    return _first(path, "幼儿名册", "幼儿编号")


def _class(path):
    return _first(path, "班级", "班级")


EDITS = {
    "register marks": lambda p, today: ten_marks(p, today),
    "a menu quantity": lambda p, today: set_cells(p, "带量食谱", {"E2": 55}),
    "伙食费标准": _settings("伙食费标准(元/人/天)", 9),
    "退费规则": _settings("伙食费退费规则", "不退"),
    "a 体检记录 row": lambda p, today: _append("体检记录", [_child, today - dt.timedelta(days=5), 101.5, 16.2, 118,
                                                            None])(p, today),
    "a new asset": lambda p, today: _append("固定资产", ["ZC9999", "电视机", "电气设备", "55寸", "台", 1, 3000, 3000,
                                                      today - dt.timedelta(days=10), "财政拨款", _class, "张老师",
                                                      "在用"])(p, today),
    "a date retyped as text": _date_as_text,
    "a report cell the user overwrote": lambda p, today: set_cells(p, "出勤汇总", {"B5": 99}),
    "the record damaged": _record_damaged,
    "the record deleted": _record_deleted,
    "the month changed": lambda p, today: None,  # refreshed for another month (below)
}


def facts(path, inputs: bool = True) -> dict:
    """Every sheet but the log: values, and for each cell its number format, fill, link and note; merges. Of the
    build record, its reports' rows (the fingerprints it keeps of the sheets it has read differ by run). Without
    inputs, the input sheets are left out (emptied in a copy read by openpyxl: a large book's registers would take
    it ten times longer; the caller compares their parts byte for byte)."""
    if not inputs:
        path = _without_inputs(path)
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


def input_parts(path) -> dict[str, bytes]:
    """The XML of every input sheet, by sheet name."""
    wb_parts = parts(path)
    return {e.name: wb_parts[e.part] for e in workbook_sheets(wb_parts) if is_input(e.name)}


def is_input(name: str) -> bool:
    return any((s.matches(name) if s.monthly else s.sheet == name) for s in load_schemas().values())


def _without_inputs(path):
    wb_parts = parts(path)
    stripped = path.with_name(path.stem + ".facts" + path.suffix)
    shutil.copy2(path, stripped)
    for e in workbook_sheets(wb_parts):
        if is_input(e.name):
            wb_parts[e.part] = EMPTY_SHEET
    with zipfile.ZipFile(stripped, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for n, b in wb_parts.items():
            z.writestr(n, b)
    return stripped


@pytest.mark.parametrize("edit", list(EDITS))
@pytest.mark.parametrize("book", list(BOOKS))
def test_an_incremental_refresh_equals_a_full_one(book, edit, bases, tmp_path):
    today, other_month = BOOKS[book]
    month = {"month": other_month} if edit == "the month changed" else {}
    incremental, full = tmp_path / "a" / "Logistics.xlsm", tmp_path / "b" / "Logistics.xlsm"
    for p in (incremental, full):
        p.parent.mkdir()
        shutil.copy2(bases(book), p)
        EDITS[edit](p, today)
    said = refresh(incremental, today, **month)
    refresh(full, today, full=True, **month)
    small = book == "sample"  # the sample's input sheets by openpyxl too; the large book's by their bytes
    if not small:
        assert input_parts(incremental) == input_parts(full), edit
    assert facts(incremental, small) == facts(full, small), edit
    if not edit.startswith("the record") and edit != "the month changed":  # those compute every report again
        assert "沿用" in said  # something was kept: the point of it
    if edit == "a date retyped as text":  # the same value, another input: its 警告 is there (both runs share a process)
        codes = [r[-1] for r in CalamineWorkbook.from_path(str(incremental)).get_sheet_by_name("校验结果").to_python()]
        assert "date_as_text" in codes


def test_a_second_refresh_keeps_everything_and_the_build_changes_it(bases, tmp_path, monkeypatch):
    path = tmp_path / "Logistics.xlsm"
    shutil.copy2(bases("sample"), path)
    said = refresh(path)
    assert "全部沿用（49 张）" in said, said
    assert "已刷新 2026年10月" in refresh(path, month="2026-10")  # another month: its reports computed
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
        sheets, alerts = apply(sent, actions, start)
        said.append(alerts[-1]["prompt"])  # the message box the user reads at the end
        return sheets, actions

    said = []

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
    assert "沿用" in said[1] and "沿用" not in said[2], said  # the click says what it kept; --full keeps nothing


def test_every_front_says_what_was_kept(bases, tmp_path, capsys):
    """The summary names what a click kept, on the command line and on the web page (the ribbon's message box:
    above)."""
    from kgxl.front.cli import main as kgxl
    from kgxl.front.web.recent import Recent
    from kgxl.front.web.server import create_app

    path = tmp_path / "cli" / "Logistics.xlsm"
    path.parent.mkdir()
    shutil.copy2(bases("sample"), path)
    assert kgxl(["refresh", str(path), "--today", TODAY.isoformat()]) == 0
    assert "全部沿用（49 张）" in capsys.readouterr().out
    token = "test-token-kept"
    client = create_app(token, Recent(tmp_path / "ui.json")).test_client()
    headers = {"X-Kgxl-Token": token, "Host": "127.0.0.1:5000"}
    assert client.post("/api/open", json={"path": str(path)}, headers=headers).status_code == 200
    client.post("/api/run", json={"action": "refresh"}, headers=headers)  # the page's today: another day, computed
    again = client.post("/api/run", json={"action": "refresh"}, headers=headers).get_json()
    assert "全部沿用" in again["summary"], again["summary"]
