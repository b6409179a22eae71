"""#43: the ribbon's buttons for whole lists and terms (kgxl.app.book_buttons): 导入幼儿名单 / 导入教职工名单 take the
file the user picks in Excel, 新学期 the dates typed there, 升级工作簿 opens the web page. What Kgxl.bas sends is run
by LibreOffice's VBA and by a Python as RunPython runs it; the buttons themselves run on xlwings' remote engine
against the sample and give what the command line gives on a copy of it."""
import copy
import datetime as dt
import json
import os
import re
import shutil
import signal
import subprocess
import time
import urllib.request

import pytest
import xlwings as xw
from conftest import SAMPLE
from python_calamine import CalamineWorkbook
from remote_excel import apply, payload
from test_excel_front import STUB, run_macros

import kgxl.app.page_launch
from kgxl.app import ribbon
from kgxl.app.book_buttons import BUTTONS
from kgxl.app.books import build_bytes
from kgxl.core.actions import parse_param
from kgxl.excel import run
from kgxl.front.cli import main

TODAY = dt.date(2026, 11, 20)
CHOSEN = "C:\\Users\\园长\\文档\\小一班名单（2026）😀.csv"  # a Windows path, Chinese, a character beyond U+FFFF


def test_libreoffice_sends_what_the_user_chose_as_python_does(tmp_path):
    """Kgxl.bas's KgxlArg (run by LibreOffice's VBA) writes the chosen file and dates as kgxl.app.ribbon.argument
    does, and KgxlAsks (generated) names what each button asks."""
    book = tmp_path / "test_build.xlsm"
    book.write_bytes(build_bytes(runtime=STUB))
    calls = [f"xlwings.KgxlPressWith:import_roster|path|{CHOSEN}", "xlwings.KgxlPressWith:new_term|start|2027-02-24",
             *(f"KgxlMessages.KgxlAsks:{i}" for i in BUTTONS)]
    results = run_macros(book, "Kgxl.KgxlCanary", *calls)
    assert results[0] == 42
    assert results[1].rstrip("\n") == ribbon.command("import_roster", ribbon.argument("path", CHOSEN))
    assert results[2].rstrip("\n") == ribbon.command("new_term", ribbon.argument("start", "2027-02-24"))
    assert results[3:] == ["path:file", "path:file", "start:date,end:date", ""]


def test_python_receives_the_file_the_user_chose(tmp_path):
    """The command, run as RunPython runs it (python -c, ASCII), hands kgxl.excel.run the path as chosen."""
    stubs = tmp_path / "stubs"
    (stubs / "kgxl").mkdir(parents=True)
    (stubs / "kgxl" / "__init__.py").write_text("", encoding="utf-8")
    (stubs / "kgxl" / "excel.py").write_text(
        "import json\ndef run(action, **kw):\n    print(json.dumps([action, kw]))\n", encoding="utf-8")
    cmd = ribbon.command("import_roster", ribbon.argument("path", CHOSEN))
    assert cmd.isascii() and '"' not in cmd
    done = subprocess.run(["/usr/bin/python3", "-B", "-c", cmd], capture_output=True, text=True, cwd=tmp_path,
                          env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(stubs)})
    action, kw = json.loads(done.stdout)
    assert action == "import_roster"
    assert str(parse_param(BUTTONS["import_roster"].params[0], kw["path"])) == CHOSEN


def remote(tmp_path, action_id, source=SAMPLE, **options):
    """The button pressed in Excel on a copy of source (saved at its path): the sheets after, alerts, message."""
    sent = payload(source, name=str(source))  # a saved workbook: Excel gives its full name
    book = xw.Book(json=copy.deepcopy(sent))
    out = tmp_path / "excel-files"
    out.mkdir(exist_ok=True)
    text = run(action_id, book=book, today=TODAY, snapshot=source, out=out, **options)
    sheets, alerts = apply(sent, book.json()["actions"])
    return {s.name: s for s in sheets}, alerts, text


def _grid(path, name):
    return [[("" if v is None else v) for v in r] for r in CalamineWorkbook.from_path(str(path))
            .get_sheet_by_name(name).to_python()]


def _shown(v):
    """A model cell as calamine reads the file: the payload's ISO dates as dates."""
    if isinstance(v, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}T00:00:00\.000Z", v):
        return dt.date.fromisoformat(v[:10])
    return v.date() if isinstance(v, dt.datetime) else v


def _rows(model):
    return [[_shown(v) for v in r] for r in model.grid()]


@pytest.mark.slow
def test_importing_a_roster_from_the_ribbon(tmp_path):
    """A GB18030 csv with a wrong check digit: the message box names the file's cell, nothing is written; fixed, the
    rows are appended to 幼儿名册 as `kgxl import` appends them to a copy, with a 运行日志 row."""
    lst = tmp_path / "小一班名单.csv"
    bad = "姓名,性别,出生日期,班级,身份证号\r\n新同学甲,女,2023-04-01,小一班,\r\n新同学乙,男,2023-05-02,小一班,110101202305020012\r\n"
    lst.write_bytes(bad.encode("gb18030"))
    sheets, alerts, text = remote(tmp_path, "import_roster", path=str(lst))
    assert len(alerts) == 1 and alerts[0]["title"] == "后勤助手 · 导入幼儿名单"
    assert "小一班名单.csv!E3" in text and "校验位" in text and "未导入任何内容" in text
    assert _rows(sheets["幼儿名册"]) == _grid(SAMPLE, "幼儿名册")
    lst.write_bytes(bad.replace(",110101202305020012", ",").encode("gb18030"))
    sheets, alerts, text = remote(tmp_path, "import_roster", path=str(lst))
    assert "小一班名单.csv：导入 2 名幼儿到“幼儿名册”" in text and "已写入：幼儿名册、运行日志" in text, text
    copy_path = tmp_path / "Logistics.xlsm"
    shutil.copy2(SAMPLE, copy_path)
    assert main(["import", str(copy_path), "--roster", str(lst)]) == 0
    assert _rows(sheets["幼儿名册"]) == _grid(copy_path, "幼儿名册")
    assert len(_rows(sheets["幼儿名册"])) == len(_grid(SAMPLE, "幼儿名册")) + 2
    log = _rows(sheets["运行日志"])[-1]
    assert log[2] == "导入幼儿名单" and log[3] == f"统计日 2026-11-20；名单文件 {lst}；导出到 {tmp_path / 'excel-files'}"


@pytest.mark.slow
def test_a_new_term_from_the_ribbon(tmp_path):
    """The dates typed in Excel: the next term's workbook beside this one, as `kgxl new-term` makes it; pressed again,
    the file is not overwritten; a date typed wrong is said in Chinese."""
    sheets, alerts, text = remote(tmp_path, "new_term", start="2027-02-24", end="2027-07-09")
    made = list((tmp_path / "excel-files").glob("*.xlsm"))
    assert len(made) == 1 and made[0].name.endswith("（2026-2027学年第二学期）.xlsm"), made
    assert "已新建 2026-2027学年第二学期 的主工作簿" in text and alerts[0]["mode"] == ""
    headless = tmp_path / "headless.xlsm"
    assert main(["new-term", str(SAMPLE), str(headless), "--term-start", "2027-02-24", "--term-end", "2027-07-09"]) == 0
    for name in ("基本信息", "班级", "幼儿名册", "教职工", "固定资产"):
        assert _grid(made[0], name) == _grid(headless, name), name
    assert _rows(sheets["运行日志"])[-1][2] == "新学期"
    before = made[0].read_bytes()
    _, alerts, text = remote(tmp_path, "new_term", start="2027-02-24", end="2027-07-09")
    assert alerts[0]["mode"] == "critical" and "已存在，未覆盖" in text and made[0].read_bytes() == before
    _, alerts, text = remote(tmp_path, "new_term", start="2027-2-30", end="2027-07-09")
    assert alerts[0]["mode"] == "critical" and "日期“2027-2-30”无法识别" in text


def test_the_upgrade_button_opens_the_page_on_this_workbook(tmp_path, monkeypatch):
    """升级工作簿 in Excel: the web page starts on its own (a real `kgxl ui BOOK`) with this workbook in use and first
    in 最近打开, and the message says why the workbook must be closed first."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("BROWSER", "true")  # webbrowser runs `true URL`: no browser window in a test
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(SAMPLE.parents[1]), os.environ.get("PYTHONPATH", "")]))
    started = []
    real = subprocess.Popen
    monkeypatch.setattr(kgxl.app.page_launch.subprocess, "Popen",
                        lambda *a, **k: started.append(real(*a, **k)) or started[-1])
    book = tmp_path / "园A.xlsm"
    shutil.copy2(SAMPLE, book)
    try:
        _, alerts, text = remote(tmp_path, "upgrade_page", source=book)
        assert alerts[0]["mode"] == "" and "正在使用的工作簿是“园A.xlsm”" in text and "请先保存并关闭本工作簿" in text
        log = tmp_path / "cache" / "kgxl" / "ui.log"
        for _ in range(120):
            found = re.search(r"http://127\.0\.0\.1:\d+/\?token=\S+", log.read_text(encoding="utf-8"))
            if found:
                break
            time.sleep(0.5)
        assert found, log.read_text(encoding="utf-8")
        base, token = found.group(0).split("/?token=")
        assert "最近打开" in urllib.request.urlopen(found.group(0), timeout=30).read().decode("utf-8")
        state = json.loads(urllib.request.urlopen(urllib.request.Request(
            f"{base}/api/state", headers={"X-Kgxl-Token": token}), timeout=30).read())
        assert state["book"]["path"] == str(book) and state["recent"][0] == str(book)
    finally:
        for p in started:
            os.killpg(p.pid, signal.SIGTERM)
            p.wait(30)
