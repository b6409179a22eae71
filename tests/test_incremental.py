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


class OnFile:
    """A book file as the edits see it: its sheets' rows (as calamine reads them) and cells typed into it."""

    def __init__(self, path):
        self.path = path

    def rows(self, sheet) -> list[list]:
        return _rows(self.path, sheet)

    def type(self, sheet, cells: dict) -> None:
        set_cells(self.path, sheet, cells)

    def marks(self, today):
        ten_marks(self.path, today)

    def record(self, damage: bool) -> None:
        """The build record damaged (its header no longer reads) or emptied (no record at all)."""
        wb_parts = parts(self.path)
        part = next(e.part for e in workbook_sheets(wb_parts) if e.name == RECORD_SHEET)
        replace_part(self.path, part, wb_parts[part].replace("月份".encode(), "月分".encode()) if damage
                     else EMPTY_SHEET)


class InExcel:
    """What Excel holds, as the tests' model of it (remote_excel.SheetModel): the same edits on the same cells."""

    def __init__(self, sheets):
        self.sheets = {s.name: s for s in sheets}

    def rows(self, sheet) -> list[list]:
        return [[_shown(v) for v in row] for row in self.sheets[sheet].grid()]

    def type(self, sheet, cells: dict) -> None:
        for ref, value in cells.items():
            row, col = openpyxl.utils.cell.coordinate_to_tuple(ref)
            self.sheets[sheet].values[(row - 1, col - 1)] = value

    def marks(self, today):
        ten_marks_model(list(self.sheets.values()), today)

    def record(self, damage: bool) -> None:
        values = self.sheets[RECORD_SHEET].values
        for key, v in list(values.items()):
            if not damage:
                del values[key]
            elif v == "月份":
                values[key] = "月分"


def _shown(v):
    """A cell of the model as calamine reads it from a file: a date sent by the client (ISO with a Z) is a date."""
    if isinstance(v, str) and v.endswith("T00:00:00.000Z"):
        return dt.date.fromisoformat(v[:10])
    return v


def _first(book, sheet, header):
    """The first value of a column (the book's own child, class), so an edit fits either book."""
    rows = book.rows(sheet)
    c = rows[0].index(header)
    return next(r[c] for r in rows[1:] if r[c] not in ("", None))


def _settings(label, value):
    def edit(book, today):
        row = next(i for i, r in enumerate(book.rows("基本信息"), start=1) if r and r[0] == label)
        book.type("基本信息", {f"B{row}": value})
    return edit


def _append(sheet, values):
    def edit(book, today):
        rows = book.rows(sheet)
        last = max(i for i, r in enumerate(rows, start=1) if any(v not in ("", None) for v in r))
        row = [v(book) if callable(v) else v for v in values]
        book.type(sheet, {f"{openpyxl.utils.get_column_letter(c + 1)}{last + 1}": v
                          for c, v in enumerate(row) if v is not None})
    return edit


def _date_as_text(book, today):
    """A date retyped as the same date in text: its value reads the same, its 警告 is new."""
    rows = book.rows("体检记录")
    r, value = next((r, row[1]) for r, row in enumerate(rows, start=1) if isinstance(row[1], dt.date))
    book.type("体检记录", {f"B{r}": value.strftime("%Y-%m-%d")})


def _child(book):
    return _first(book, "幼儿名册", "幼儿编号")


def _class(book):
    return _first(book, "班级", "班级")


EDITS = {  # each on OnFile or InExcel
    "register marks": lambda b, today: b.marks(today),
    "a menu quantity": lambda b, today: b.type("带量食谱", {"E2": 55}),
    "伙食费标准": _settings("伙食费标准(元/人/天)", 9),
    "退费规则": _settings("伙食费退费规则", "不退"),
    "a 体检记录 row": lambda b, today: _append("体检记录", [_child, today - dt.timedelta(days=5), 101.5, 16.2, 118,
                                                            None])(b, today),
    "a new asset": lambda b, today: _append("固定资产", ["ZC9999", "电视机", "电气设备", "55寸", "台", 1, 3000, 3000,
                                                      today - dt.timedelta(days=10), "财政拨款", _class, "张老师",
                                                      "在用"])(b, today),
    "a date retyped as text": _date_as_text,
    "a report cell the user overwrote": lambda b, today: b.type("出勤汇总", {"B5": 99}),
    "the record damaged": lambda b, today: b.record(damage=True),
    "the record deleted": lambda b, today: b.record(damage=False),
    "the month changed": lambda b, today: None,  # refreshed for another month (below)
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
        EDITS[edit](OnFile(p), today)
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


EXCEL_EDITS = [*EDITS, "kgxl's version changed"]  # on the Excel path: the file's edits, and a new build of kgxl


@pytest.mark.parametrize("edit", EXCEL_EDITS)
@pytest.mark.parametrize("book", list(BOOKS))
def test_on_the_excel_path_an_incremental_refresh_equals_a_full_one(book, edit, bases, tmp_path, monkeypatch):
    """The ribbon's 刷新汇总 on xlwings' remote engine, clicked again after an edit: the sheets Excel shows after the
    incremental refresh are those after a --full one (values, formats, fills, merges, widths, links, charts), and
    it says what it kept."""
    import copy

    import xlwings as xw
    from remote_excel import apply, payload, resent

    from kgxl.excel import run

    today, other_month = BOOKS[book]
    path = bases(book)
    month = {"month": other_month} if edit == "the month changed" else {}

    def click(sent, start, **options):
        remote = xw.Book(json=copy.deepcopy(sent))
        run("refresh", book=remote, today=today, snapshot=path, out=tmp_path, **options)
        actions = remote.json()["actions"]
        sheets, alerts = apply(sent, actions, start)
        said.append(alerts[-1]["prompt"])  # the message box the user reads at the end
        return sheets, actions

    said = []
    first, _ = click(payload(path), None, full=True)  # every sheet written, with its formats
    if edit == "kgxl's version changed":
        monkeypatch.setattr(pipeline, "build", lambda: "another build")
    else:
        EDITS[edit](InExcel(first), today)
    edited = resent(first, path.name)
    (incremental, sent_incremental), (full, sent_full) = click(edited, first, **month), \
        click(edited, first, full=True, **month)
    assert [s.name for s in incremental] == [s.name for s in full]
    for a, b in zip(incremental, full):
        if a.name != LOG_SHEET:
            assert (a.grid(), a.formats, a.fills, a.bold, sorted(a.merged), a.widths, a.links, a.charts, a.rules,
                    a.hidden) == (b.grid(), b.formats, b.fills, b.bold, sorted(b.merged), b.widths, b.links, b.charts,
                                  b.rules, b.hidden), (edit, a.name)
    assert "沿用" not in said[2], said  # --full keeps nothing
    if edit not in ("kgxl's version changed", "a report cell the user overwrote") and not edit.startswith("the record"):
        assert any(a.grid() != b.grid() for a, b in zip(full, first) if not is_input(a.name) and a.name != LOG_SHEET), \
            edit  # the edit reached a report
    if edit in ("register marks", "a report cell the user overwrote"):  # most reports kept: few operations
        assert "沿用" in said[1] and len(sent_incremental) < len(sent_full) / 2, said
    elif edit == "kgxl's version changed" or edit.startswith("the record") or month:
        assert "沿用" not in said[1], said  # everything computed again


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
