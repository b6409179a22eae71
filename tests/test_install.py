"""What a non-programmer's install runs (#24): the scripts themselves cannot run here (no Windows, no macOS), so
every Python step they call is tested, and the scripts are read for what they name: the Python check, the kgxl
commands (each must exist), the files; the PowerShell file carries a BOM (Windows PowerShell 5.1 reads a file
without one in the ANSI code page), the .bat is ASCII; the user guide names only commands, sheets and buttons
that exist."""
import re
import runpy
import subprocess
import sys

import pytest
from conftest import ROOT
from python_calamine import CalamineWorkbook

from kgxl.app.book_buttons import BUTTONS
from kgxl.app.pipeline import ACTIONS
from kgxl.app.provenance import generated
from kgxl.app.registry import current
from kgxl.app.report import RESULT_SHEET
from kgxl.app.run_log import LOG_SHEET
from kgxl.app.todo import TODO_SHEET
from kgxl.front.cli import _parser, main

CHECK = runpy.run_path(str(ROOT / "install" / "check_python.py"))["verdict"]
SCRIPTS = [ROOT / "安装.bat", ROOT / "install" / "install.ps1", ROOT / "安装.command"]
LAUNCHERS = [ROOT / "后勤助手.bat", ROOT / "install" / "start.ps1", ROOT / "后勤助手.command", ROOT / "后勤助手.desktop"]
GUIDE = ROOT / "docs" / "使用说明.md"


def subcommands() -> set[str]:
    sub = next(a for a in _parser()._actions if a.dest == "command")
    return set(sub.choices)


@pytest.mark.parametrize("version,bits,exe,platform,expect", [
    ((3, 12, 1), 64, r"C:\Python312\python.exe", "win32", ""),
    ((3, 11, 0), 64, "/usr/local/bin/python3", "darwin", ""),
    ((3, 9, 6), 64, "/usr/bin/python3", "darwin", "3.9 版"),
    ((3, 12, 1), 32, r"C:\Python312-32\python.exe", "win32", "32 位"),
    ((3, 12, 1), 64, r"C:\Users\a\AppData\Local\Microsoft\WindowsApps\python.exe", "win32", "应用商店"),
])
def test_the_python_check_says_what_to_do(version, bits, exe, platform, expect):
    said = CHECK(version, bits, exe, platform)
    assert (expect in said and said) if expect else said == ""


def test_the_python_check_runs_as_the_scripts_run_it():
    r = subprocess.run([sys.executable, str(ROOT / "install" / "check_python.py")], capture_output=True, text=True)
    assert r.returncode == 0 and r.stdout.strip() == "OK"


def test_the_scripts_name_only_what_exists():
    assert SCRIPTS[0].read_bytes().isascii() and b"install\\install.ps1" in SCRIPTS[0].read_bytes()
    assert SCRIPTS[1].read_bytes().startswith(b"\xef\xbb\xbf")
    commands = subcommands()
    for script in SCRIPTS[1:]:
        text = script.read_text(encoding="utf-8-sig")
        assert "check_python.py" in text
        used = set(re.findall(r'\$kgxl"? (\w[\w-]*)|kgxl/bin/kgxl" (\w[\w-]*)', text))
        named = {a or b for a, b in used}
        assert named == {"new", "setup-excel"} and named <= commands, named
    r = subprocess.run(["bash", "-n", str(SCRIPTS[2])], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


def test_the_launchers_start_the_web_page():
    assert LAUNCHERS[0].read_bytes().isascii() and b"install\\start.ps1" in LAUNCHERS[0].read_bytes()
    assert LAUNCHERS[1].read_bytes().startswith(b"\xef\xbb\xbf")
    assert "ui" in subcommands()
    for launcher in LAUNCHERS[1:]:
        text = launcher.read_text(encoding="utf-8-sig")
        assert re.search(r'kgxl"? ui\b', text), launcher.name
    assert subprocess.run(["bash", "-n", str(LAUNCHERS[2])]).returncode == 0
    desktop = dict(line.split("=", 1) for line in LAUNCHERS[3].read_text(encoding="utf-8").splitlines() if "=" in line)
    assert desktop["Type"] == "Application" and desktop["Terminal"] == "true" and desktop["Name"] == "幼儿园后勤助手"


def test_setup_excel_points_the_buttons_at_this_python(sample_copy, capsys):
    from kgxl.app.excel_setup import setup_excel

    win = r"C:\Users\张老师\AppData\Local\kgxl\Scripts\python.exe"
    setup_excel(sample_copy, win, "win32")
    setup_excel(sample_copy, "/Users/zhang/kgxl/bin/python", "darwin")
    conf = dict(r[:2] for r in CalamineWorkbook.from_path(str(sample_copy)).get_sheet_by_name("xlwings.conf").to_python())
    assert conf["Interpreter_Win"] == win and conf["Interpreter_Mac"] == "/Users/zhang/kgxl/bin/python"
    assert conf["Show Console"] == "False"
    assert sample_copy.with_name("Logistics.backup.xlsm").exists()
    before = sample_copy.read_bytes()
    assert main(["setup-excel", str(sample_copy)]) == 2  # here, Linux: no Excel buttons to point
    assert "Windows 和 macOS" in capsys.readouterr().err and sample_copy.read_bytes() == before


def test_the_guide_names_only_commands_sheets_and_buttons_that_exist():
    text = GUIDE.read_text(encoding="utf-8")
    commands = subcommands()
    named = set(re.findall(r'kgxl"? ([a-z][\w-]*)', text))
    assert named and named <= commands, named - commands
    sheets = {s.sheet for s in current().inputs if not s.monthly} | {RESULT_SHEET, LOG_SHEET, TODO_SHEET}
    typed = set(re.findall(r"“([^”]+)”表", text))
    assert typed and all(n in sheets or generated(n) for n in typed), typed - sheets
    labels = {a.label for a in [*ACTIONS.values(), *BUTTONS.values()]}
    buttons = set(re.findall(r"【([^】]+)】", text))
    assert buttons == labels  # every button explained, none invented
    table = [line.split("|")[3] for line in text.splitlines() if line.startswith("| ") and "【" in line]
    written = {n for cell in table for n in re.findall(r"“([^”]+)”", cell)}
    register = next(s for s in current().inputs if s.monthly)
    assert all(generated(n) or register.matches(n) or n in (RESULT_SHEET, TODO_SHEET) for n in written), written
    assert "文档\\后勤" in text and "不要放在后勤助手的程序文件夹里" in text


def test_the_guide_needs_no_command_before_its_appendix():
    """#43: the daily, monthly and term routines name buttons and page controls only; commands live in one appendix
    for automation; every page control the guide names is on the page."""
    text = GUIDE.read_text(encoding="utf-8")
    user, appendix = text.split("## 附录：命令行（自动化用）")
    assert "```" not in user and "命令提示符" not in user and "终端" not in user
    assert not re.findall(r"`kgxl|kgxl\"? [a-z-]+|--[a-z]", user)
    page = (ROOT / "kgxl" / "front" / "web" / "templates" / "page.html").read_text(encoding="utf-8")
    controls = set(re.findall(r"〔([^〕]+)〕", user))
    labels = {a.label for a in [*ACTIONS.values(), *BUTTONS.values()]}
    assert {"新建工作簿", "导入名单", "新学期", "升级工作簿", "设置 Excel 按钮", "区县汇总"} <= controls
    assert all(c in labels or f">{c}<" in page or f'"{c}"' in page for c in controls), controls
    for section in ("安装", "第一个工作簿", "每天和每月的工作", "每学期的工作", "升级后勤助手", "遇到问题"):
        assert f"、{section}" in user
    assert "受保护的视图" in user and "LibreOffice" in user and "杀毒软件" in user
    assert "pypi.tuna.tsinghua.edu.cn" in appendix and "%USERPROFILE%\\Documents" in appendix
    assert {"new", "import", "new-term", "upgrade", "setup-excel", "collect", "ui"} <= set(
        re.findall(r"`kgxl ([a-z-]+)", appendix))


def test_readme_sends_users_to_the_guide_and_keeps_their_data_out_of_the_program_folder():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docs/使用说明.md" in readme.split("\n\n")[1]
    assert "pip install -e C:" not in readme and "workbook\\Logistics.xlsm`, then" not in readme
    assert "make demo" in readme and "make test" in readme
