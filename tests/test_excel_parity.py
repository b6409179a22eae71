"""Every ribbon entry point on xlwings' remote engine (the payload an Excel client sends, built from
the sample workbook) gives the same generated sheets as the headless run: values, number formats,
fills, merged titles and links. And the number of Excel operations does not grow with the rows."""
import collections
import copy
import datetime as dt
import shutil

import openpyxl
import pytest
import xlwings as xw
from conftest import SAMPLE
from python_calamine import CalamineWorkbook
from remote_excel import apply, payload

import kgxl.io.excelbook
from kgxl.app.books import build_bytes
from kgxl.app.build import HEADER, RECORD_SHEET, SHEETS_HEADER
from kgxl.app.pipeline import ACTIONS
from kgxl.app.run_log import LOG_SHEET
from kgxl.app.runner import perform
from kgxl.core.port import Block, Link
from kgxl.excel import run
from kgxl.io.excelbook import fill_plan
from kgxl.io.filebook import FileBook
from kgxl.sample.data import Sample, scaled_classes

pytestmark = pytest.mark.slow  # xlwings' remote engine on whole workbooks

TODAY = dt.date(2026, 11, 20)


def remote_run(action_id: str, path, tmp_path, sent=None):
    """Run the entry point on a remote book made from path; (sheets after, alerts, actions, message)."""
    sent = sent or payload(path)
    book = xw.Book(json=copy.deepcopy(sent))
    out = tmp_path / "excel-files"
    out.mkdir(exist_ok=True)
    text = run(action_id, book=book, today=TODAY, snapshot=path, out=out)
    actions = book.json()["actions"]
    sheets, alerts = apply(sent, actions)
    return {s.name: s for s in sheets}, alerts, actions, text


def trimmed(rows: list[list]) -> list[list]:
    rows = [list(r) for r in rows]
    while rows and all(v in ("", None) for v in rows[-1]):
        rows.pop()
    width = max((max((i + 1 for i, v in enumerate(r) if v not in ("", None)), default=0) for r in rows), default=0)
    return [[("" if v is None else v) for v in (r + [""] * width)[:width]] for r in rows]


def file_facts(ws):
    """What the headless result shows on a sheet (openpyxl's): fills, number formats of data, merges, links."""
    fills, formats, links = {}, {}, {}
    for row in ws.iter_rows():
        for c in row:
            key = (c.row - 1, c.column - 1)
            if c.fill is not None and c.fill.fill_type == "solid":
                fills[key] = c.fill.fgColor.rgb[2:]
            if c.number_format != "General":
                formats[key] = c.number_format
            if c.hyperlink is not None:
                links[key] = c.hyperlink.location
    merged = sorted(((m.min_row - 1, m.min_col - 1), (m.max_row - 1, m.max_col - 1)) for m in ws.merged_cells.ranges)
    return fills, formats, merged, links


def visible(fills: dict, merged: list) -> dict:
    """The fills a user sees: a cell a merge covers (all but its top-left) shows the top-left's, whatever it holds
    (openpyxl reads such a cell as a MergedCell without a fill; Excel keeps the one it had)."""
    covered = {(r, c) for (r0, c0), (r1, c1) in merged for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)
               if (r, c) != (r0, c0)}
    return {k: v for k, v in fills.items() if k not in covered}


@pytest.fixture(scope="module")
def refreshed(tmp_path_factory):
    """The sample after a headless 刷新汇总: its reports exist (导出上报 copies them) and so does its log."""
    path = tmp_path_factory.mktemp("refreshed") / "Logistics.xlsm"
    shutil.copy2(SAMPLE, path)
    book = FileBook(path)
    perform(ACTIONS["refresh"], book, {"today": TODAY}).commit(book)
    return path


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """A small generated kindergarten (4 children a class), as built and after 刷新汇总."""
    folder = tmp_path_factory.mktemp("small")
    built, done = folder / "Logistics.xlsm", folder / "refreshed" / "Logistics.xlsm"
    built.write_bytes(build_bytes(Sample(children_per_class=4)))
    done.parent.mkdir()
    shutil.copy2(built, done)
    book = FileBook(done)
    perform(ACTIONS["refresh"], book, {"today": TODAY}).commit(book)
    return built, done


@pytest.mark.parametrize("action_id", list(ACTIONS))
def test_entry_point_matches_headless(action_id, tmp_path, small):
    """Every entry point on a small generated book."""
    built, refreshed = small
    parity(action_id, refreshed if action_id == "export" else built, tmp_path)


def test_refresh_matches_headless_on_the_sample(tmp_path):
    parity("refresh", SAMPLE, tmp_path)


def parity(action_id, source, tmp_path):
    action = ACTIONS[action_id]
    excel, alerts, actions, text = remote_run(action_id, source, tmp_path)
    assert len(alerts) == 1 and alerts[0]["prompt"] == text and alerts[0]["mode"] == ""  # one message box, no error
    assert action.label in alerts[0]["title"]
    # the same action, headless, on a copy of the file
    copy_path = tmp_path / "Logistics.xlsm"
    shutil.copy2(source, copy_path)
    book = FileBook(copy_path)
    out = tmp_path / "file-files"
    out.mkdir()
    params = {"today": TODAY} | ({"out": out} if action_id == "export" else {})
    done = perform(action, book, params, write=True)
    done.commit(book)
    assert done.result.summary in text
    written = [o.name for o in done.outputs]
    assert written, action_id
    before = set(CalamineWorkbook.from_path(str(source)).sheet_names)
    assert set(excel) == before | set(written)  # the same sheets were added, nothing else
    headless = CalamineWorkbook.from_path(str(copy_path))
    styled = openpyxl.load_workbook(copy_path, keep_vba=True)  # once: loading the sample takes seconds
    for name in written:
        model = excel[name]
        if name == LOG_SHEET:  # a run's own row (time, user, duration) differs; its shape does not
            assert len(model.grid()) == len(headless.get_sheet_by_name(name).to_python())
            continue
        if name == RECORD_SHEET:  # hidden, values only in Excel; a sheet's form is the adapter's own (build.form)
            assert model.hidden and _formless(model.grid()) == _formless(headless.get_sheet_by_name(name).to_python())
            continue
        assert trimmed(model.grid()) == trimmed(headless.get_sheet_by_name(name).to_python()), name
        fills, formats, merged, links = file_facts(styled[name])
        assert visible(model.fills, model.merged) == visible(fills, merged), name
        assert {k: v for k, v in model.formats.items() if k in formats} == formats, name
        assert sorted(model.merged) == merged, name
        assert model.links == links, name
    # files (导出上报) are the same files with the same sheets and values
    excel_files = sorted(p.name for p in (tmp_path / "excel-files").iterdir())
    assert excel_files == sorted(p.name for p in out.iterdir())
    for name in excel_files:
        a = CalamineWorkbook.from_path(str(tmp_path / "excel-files" / name))
        b = CalamineWorkbook.from_path(str(out / name))
        assert a.sheet_names == b.sheet_names
        for s in a.sheet_names:
            assert a.get_sheet_by_name(s).to_python() == b.get_sheet_by_name(s).to_python()


def _formless(rows: list[list]) -> list[list]:
    """The record's rows of reports, but their forms (the file's reader has fingerprints to keep, Excel none)."""
    rows = trimmed(rows)
    end = next((i for i, r in enumerate(rows) if r[:len(SHEETS_HEADER)] == SHEETS_HEADER), len(rows))
    column = HEADER.index("输出摘要")
    return [r[:column] + r[column + 1:] for r in rows[:end]]


def test_run_appends_its_row_to_an_existing_log(tmp_path, refreshed):
    excel, alerts, actions, _ = remote_run("validate", refreshed, tmp_path)
    log = excel[LOG_SHEET].grid()
    assert [r[0] for r in log[3:]] == [1, 2]  # the earlier run's row, then this one
    assert log[4][2] == "校验数据" and alerts[0]["mode"] == ""
    writes = [a for a in actions if a["func"] == "setValues" and a["sheet_position"] == list(excel).index(LOG_SHEET)]
    assert [(w["start_row"], w["row_count"]) for w in writes] == [(4, 1)]  # one row, below the old one
    assert not [a for a in actions if a["func"] == "sheetClear" and a["sheet_position"] == list(excel).index(LOG_SHEET)]


def test_user_error_is_a_message_not_a_traceback(tmp_path):
    sent = payload(SAMPLE)
    settings = next(s for s in sent["sheets"] if s["name"] == "基本信息")
    month_row = next(r for r in settings["values"] if r[0] == "当前月份")
    month_row[1] = "2030-01"  # outside the term
    _, alerts, actions, text = remote_run("attendance", SAMPLE, tmp_path, sent)
    assert alerts == [{"prompt": text, "title": "后勤助手 · 出勤统计", "mode": "critical"}]
    assert "2030-01 不在本学期" in text and "Traceback" not in text
    assert not [a for a in actions if a["func"] in ("addSheet", "setValues")]  # nothing written


@pytest.mark.parametrize("row, col, cell", [(29_999, 0, "A30000"), (6, 704, "AAC7")])
def test_a_value_far_from_the_table_is_a_warning_on_the_excel_path(tmp_path, row, col, cell):
    """#23: a value typed far below or right of 幼儿名册's table: Excel's used range reaches it, and the reader must
    not ask Excel for the grid up to it (XFD1048576 would be 17 billion cells). The table is read in bands up to
    the first long gap, within column ZZ, and the value is a located 警告, as on the file path."""
    sent = payload(SAMPLE)
    values = next(s for s in sent["sheets"] if s["name"] == "幼儿名册")["values"]
    width = max(len(values[0]), col + 1)
    for r in values:
        r.extend([""] * (width - len(r)))
    values.extend([""] * width for _ in range(row + 1 - len(values)))
    values[row][col] = "误输入"
    excel, alerts, _, text = remote_run("validate", SAMPLE, tmp_path, sent)
    assert alerts[0]["mode"] == "" and "错误 0 个" in text, text
    found = [r for r in excel["校验结果"].grid() if cell in r]
    assert len(found) == 1 and "远离表格" in "".join(map(str, found[0])) and "误输入" in found[0], found


def test_the_register_gets_its_header_notes_on_the_excel_path(tmp_path):
    """#23: 生成本月出勤表 from the ribbon puts back the register's header notes, as the file path does (xlwings'
    remote engine adds notes for an Office.js client only, so the payload says it is one). Reading the user's own
    notes needs a desktop engine (docs/excel-checklist.md)."""
    sent = payload(SAMPLE, client="Office.js")
    excel, alerts, _, text = remote_run("month", SAMPLE, tmp_path, sent)
    assert alerts[0]["mode"] == "", text
    register = excel["出勤-2026-11"]
    copy_path = tmp_path / "Logistics.xlsm"
    shutil.copy2(SAMPLE, copy_path)
    book = FileBook(copy_path)
    perform(ACTIONS["month"], book, {"today": TODAY}, write=True).commit(book)
    ws = openpyxl.load_workbook(copy_path)["出勤-2026-11"]
    headless = {c.coordinate: c.comment.text for row in ws.iter_rows() for c in row if c.comment is not None}
    assert len(headless) == 5 and register.notes == headless


def action_counts(path, tmp_path, monkeypatch) -> dict[str, tuple[collections.Counter, int]]:
    """Per entry point: the xlwings actions by kind, and how many (block, style) pairs had row fills
    (each must have cost one fill or one conditional format)."""
    sent = payload(path)
    counts = {}
    for action_id in ACTIONS:
        styled = []

        def plan(b, width):
            steps = fill_plan(b, width)
            styled.append((len({s for s, _, _ in steps}), len(steps)))
            return steps
        monkeypatch.setattr(kgxl.io.excelbook, "fill_plan", plan)
        book = xw.Book(json=copy.deepcopy(sent))
        run(action_id, book=book, today=TODAY, snapshot=path, out=tmp_path)
        assert all(styles == steps for styles, steps in styled), action_id  # one call per style, whatever the rows
        counts[action_id] = collections.Counter(a["func"] for a in book.json()["actions"]), sum(n for n, _ in styled)
    return counts


def test_excel_operations_do_not_grow_with_rows(tmp_path, refreshed, monkeypatch):
    """Per entry point, exactly the same xlwings actions for the sample and for ten times its
    children (both refreshed first, so 导出上报 has reports to copy), but for the count sheet's page per room, and
    催费通知's slips (a block per child who owes: a few slips get direct fills, many get one conditional format per
    style, so the count changes with them but never grows beyond the few-slip case). Row fills cost one call per style
    shown in a block, whatever its rows."""
    big = tmp_path / "big" / "Logistics.xlsm"
    big.parent.mkdir()
    big.write_bytes(build_bytes(Sample(classes=scaled_classes(20))))  # 60 classes instead of 6
    book = FileBook(big)
    perform(ACTIONS["refresh"], book, {"today": TODAY}).commit(book)
    small, large = action_counts(refreshed, tmp_path, monkeypatch), action_counts(big, tmp_path, monkeypatch)
    print("xlwings actions per entry point (sample, 10x):",
          {k: (sum(small[k][0].values()), sum(large[k][0].values())) for k in small})
    # 资产清点表 prints one room per page, a block each: it grows with the rooms (60 class rooms against 6), by the
    # same actions for every extra room, and nothing else does
    rooms, slips = "assets", "arrears"
    grown = large[rooms][0].copy()
    grown.subtract(small[rooms][0])
    assert all(n % 54 == 0 for n in grown.values()) and large[rooms][1] == small[rooms][1], grown
    assert sum(large[slips][0].values()) <= sum(small[slips][0].values()), (small[slips], large[slips])
    for k in small:
        assert "setRangeColors" not in small[k][0]  # cell by cell on the desktop engines
        if k in (rooms, slips):
            continue
        if k == "refresh":
            assert small[k][0] - small[rooms][0] == large[k][0] - large[rooms][0] and small[k][1] == large[k][1]
            continue
        assert small[k] == large[k], k


def test_unexpected_fault_is_a_short_message_with_the_log_path(tmp_path, monkeypatch):
    import kgxl.app.runner
    from kgxl.io.excelbook import ExcelBook

    def broken(self, outputs):
        raise RuntimeError("disk full")
    monkeypatch.setattr(ExcelBook, "write", broken)
    monkeypatch.setattr(kgxl.app.runner, "LOG_PATH", tmp_path / "kgxl.log")
    _, alerts, _, text = remote_run("fees", SAMPLE, tmp_path)
    assert alerts == [{"prompt": text, "title": "后勤助手 · 收费公示", "mode": "critical"}]
    assert str(tmp_path / "kgxl.log") in text and "disk full" not in text
    assert "RuntimeError: disk full" in (tmp_path / "kgxl.log").read_text()


def test_fill_plan_is_one_call_per_style_when_a_column_tells_the_rows():
    rows = [["C001", "张三", "大一班"], ["", "大一班 小计", "大一班"], ["c002", "李四", "大二班"],
            [None, "大二班 小计", "大二班"], ["", "全园合计", ""]]
    block = Block(["编号", "姓名", "班级"], rows, row_styles={1: "total", 3: "total", 4: "total"})
    assert fill_plan(block, 3) == [("total", "rule", '=INDEX($A:$A,ROW())=""')]  # the empty id
    levels = Block(["级别", "说明"], [["错误", "a"], ["警告", "b"], ["错误", "c"]], links=[Link(0, 1, "A1")],
                   row_styles={0: "error", 1: "warning", 2: "error"})
    assert fill_plan(levels, 2) == [("error", "rule", '=INDEX($A:$A,ROW())="错误"'),
                                    ("warning", "fill", (1, 1))]
    # Excel compares text caselessly, so "a" cannot tell row 0 from row 1; a quote is doubled
    mixed = Block(["x", "y"], [['a"1', "A"], ["b", "a"], ['a"1', "c"]], row_styles={0: "warning", 2: "warning"})
    assert fill_plan(mixed, 2) == [("warning", "rule", '=INDEX($A:$A,ROW())="a""1"')]
    # numbers tell nothing (a number never equals a text) and links are formulas: one fill per run
    numbers = Block(["n", "link"], [[1, "x"], [2, "y"], [1, "x"]], links=[Link(0, 1, "A1"), Link(2, 1, "A1")],
                    row_styles={0: "warning", 2: "warning"})
    assert fill_plan(numbers, 2) == [("warning", "fill", (0, 0)), ("warning", "fill", (2, 2))]


def test_a_python_that_stays_up_gives_the_same_second_click(tmp_path, small):
    """#26: with USE UDF SERVER, xlwings' persistent Python runs every click in one process (this test's, standing in
    for it). Two clicks of 刷新汇总 on the same workbook send exactly the same xlwings actions but the run log's time,
    duration and sequence: nothing of the first run is carried into the second."""
    built, _ = small
    sent = payload(built)
    runs = []
    for _ in range(2):
        book = xw.Book(json=copy.deepcopy(sent))
        run("refresh", book=book, today=TODAY, snapshot=built, out=tmp_path)
        runs.append(book.json()["actions"])
    first, second = runs
    assert len(first) == len(second)
    differing = [(a, b) for a, b in zip(first, second) if a != b]
    assert differing and all(a["func"] == b["func"] == "setValues" for a, b in differing)
    for a, b in differing:  # only the log's row, in its time and duration (the log is new both times: the same 序号)
        assert a["values"][2][:2] == ["序号", "时间"]
        cells = {(r, c) for r, (x, y) in enumerate(zip(a["values"], b["values"])) for c, (u, v) in enumerate(zip(x, y))
                 if u != v}
        assert {c for _, c in cells} <= {1, 8}, cells


def test_a_click_after_kgxl_was_reinstalled_is_refused(tmp_path, small, monkeypatch):
    """#26: the persistent Python keeps the code it started with; once kgxl's files changed on disk, a click says so
    in Chinese (close and reopen Excel) and touches nothing."""
    import kgxl.excel
    built, _ = small
    monkeypatch.setattr(kgxl.excel, "LOADED", kgxl.excel.LOADED[1:])
    excel, alerts, actions, text = remote_run("refresh", built, tmp_path)
    assert text == kgxl.excel.STALE and alerts == [{"prompt": text, "title": "后勤助手 · 刷新汇总", "mode": "critical"}]
    assert [a["func"] for a in actions] == ["alert"]
