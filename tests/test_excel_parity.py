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
from python_calamine import CalamineWorkbook

from conftest import SAMPLE
from kgxl.actions import ACTIONS
from kgxl.excel import run
from kgxl.filebook import FileBook
from kgxl.run_log import LOG_SHEET
from kgxl.runner import perform
from kgxl.sample.build import build_bytes
from kgxl.sample.data import Sample, scaled_classes
from remote_excel import apply, payload

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


def file_facts(path, name):
    """What the headless result shows on a sheet: fills, number formats of data, merges, links."""
    ws = openpyxl.load_workbook(path, keep_vba=True)[name]
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


@pytest.fixture(scope="module")
def refreshed(tmp_path_factory):
    """The sample after a headless 刷新汇总: its reports exist (导出上报 copies them) and so does its log."""
    path = tmp_path_factory.mktemp("refreshed") / "Logistics.xlsm"
    shutil.copy2(SAMPLE, path)
    book = FileBook(path)
    perform(ACTIONS["refresh"], book, {"today": TODAY}).commit(book)
    return path


@pytest.mark.parametrize("action_id", list(ACTIONS))
def test_entry_point_matches_headless(action_id, tmp_path, refreshed):
    action = ACTIONS[action_id]
    source = refreshed if action_id == "export" else SAMPLE
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
    for name in written:
        model = excel[name]
        if name == LOG_SHEET:  # a run's own row (time, user, duration) differs; its shape does not
            assert len(model.grid()) == len(headless.get_sheet_by_name(name).to_python())
            continue
        assert trimmed(model.grid()) == trimmed(headless.get_sheet_by_name(name).to_python()), name
        fills, formats, merged, links = file_facts(copy_path, name)
        assert model.fills == fills, name
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


def action_counts(path, tmp_path) -> dict[str, collections.Counter]:
    sent = payload(path)
    counts = {}
    for action_id in ACTIONS:
        book = xw.Book(json=copy.deepcopy(sent))
        run(action_id, book=book, today=TODAY, snapshot=path, out=tmp_path)
        counts[action_id] = collections.Counter(a["func"] for a in book.json()["actions"])
    return counts


def test_excel_operations_do_not_grow_with_rows(tmp_path, refreshed):
    """Per entry point, the same xlwings actions for the sample and for ten times its children
    (both refreshed first, so 导出上报 has reports to copy). The one allowed difference: fills go in
    blocks of at most 10,000 cells (xlwings' limit per set_colors call)."""
    big = tmp_path / "big" / "Logistics.xlsm"
    big.parent.mkdir()
    big.write_bytes(build_bytes(Sample(classes=scaled_classes(20))))  # 60 classes instead of 6
    book = FileBook(big)
    perform(ACTIONS["refresh"], book, {"today": TODAY}).commit(book)
    small, large = action_counts(refreshed, tmp_path), action_counts(big, tmp_path)
    print("xlwings actions per entry point (sample, 10x):",
          {k: (sum(small[k].values()), sum(large[k].values())) for k in small})
    for k in small:
        fills = "setRangeColors"
        assert small[k] - collections.Counter({fills: small[k][fills]}) == \
            large[k] - collections.Counter({fills: large[k][fills]}), k
        assert small[k][fills] <= large[k][fills] <= small[k][fills] + 5, k


def test_unexpected_fault_is_a_short_message_with_the_log_path(tmp_path, monkeypatch):
    import kgxl.runner
    from kgxl.excelbook import ExcelBook

    def broken(self, outputs):
        raise RuntimeError("disk full")
    monkeypatch.setattr(ExcelBook, "write", broken)
    monkeypatch.setattr(kgxl.runner, "LOG_PATH", tmp_path / "kgxl.log")
    _, alerts, _, text = remote_run("fees", SAMPLE, tmp_path)
    assert alerts == [{"prompt": text, "title": "后勤助手 · 收费公示", "mode": "critical"}]
    assert str(tmp_path / "kgxl.log") in text and "disk full" not in text
    assert "RuntimeError: disk full" in (tmp_path / "kgxl.log").read_text()
