"""`kgxl validate` on the sample: clean exits 0; planted errors are each found at their cell."""
import datetime as dt
import json
import shutil
import subprocess
import sys

import openpyxl
import pytest
from conftest import SAMPLE

from kgxl.app.pipeline import ACTIONS
from kgxl.front.cli import main

KGXL = [sys.executable, "-m", "kgxl"]


def run(*args):
    return subprocess.run([*KGXL, *map(str, args)], capture_output=True, text=True, timeout=120)


# the sample's planted 警告 as of its 当前月份's end: a score above its 满分 (月考核汇总 flags it), three food-sample
# gaps (留样检查), a month without a meal committee meeting, a 手足口病 episode missing from 传染病登记, a 手足口病 case
# registered twice, a visitor never signed out, two 水基型 extinguishers due for service within 30 days, a child sent
# home with 发热 and back the next day with nothing in 复查追踪, a medicine request with a dose not recorded, a
# class-day without its 消毒记录 row, a 消毒液 concentration below its range
SAMPLE_WARNINGS = {("传染病登记", "A35", "repeat_case"), ("月考核", "D98", "score_above_max"), ("带量食谱", "C605", "sample_missing"),
                   ("留样登记", "D363", "sample_light"), ("留样登记", "F383", "sample_short"),
                   ("膳食委员会", "", "committee_missing"), ("出勤-2026-11", "E8", "infection_unregistered"),
                   ("来访登记", "I48", "visit_open"), ("消防器材", "E36", "fire_soon"), ("消防器材", "E37", "fire_soon"),
                   ("晨午检异常", "G52", "sent_home_no_sick"), ("服药委托", "E22", "request_incomplete"),
                   ("消毒记录", "M244", "concentration_out"), ("消毒记录", "A361", "disinfect_missing"),
                   ("供应商", "E7", "licence_due"), ("供应商", "I4", "not_designated"), ("供应商", "I6", "not_designated"),
                   ("请购单", "G4", "approved_late"), ("进货验收", "G454", "near_expiry")}
TODAY = ("--today", "2026-11-30")


@pytest.mark.slow
def test_clean_sample_validates_with_exit_0():
    r = run("validate", SAMPLE, "--json", *TODAY)
    assert r.returncode == 0, r.stdout + r.stderr
    found = {(p["sheet"], p["cell"], p["code"]) for p in json.loads(r.stdout)["problems"]}
    assert found == SAMPLE_WARNINGS


PLANTED = {  # (sheet, cell): (new value, expected code)
    ("幼儿名册", "C5"): ("未知", "allowed"),
    ("幼儿名册", "E6"): ("火星班", "unknown_ref"),
    ("幼儿名册", "D7"): ("2022年3月5日", "date_as_text"),
    ("幼儿名册", "F8"): ("9/3", "date_without_year"),
    ("幼儿名册", "B9"): (None, "required"),
    ("班级", "B3"): ("幼儿班", "allowed"),
    ("带量食谱", "E10"): ("５０", "fullwidth_number"),
    ("带量食谱", "D11"): ("龙肉", "unknown_ref"),
    ("带量食谱", "E12"): ("很多", "not_number"),
    ("食品出入库", "B5"): ("借出", "allowed"),
    ("收支明细", "D4"): ("旅游费", "unknown_ref"),
    ("检查记录", "D6"): ("还行", "allowed"),
    ("体检记录", "C7"): (400, "above_max"),
    ("基本信息", "B5"): ("2026-08-01", "date_order"),
    ("出勤-2026-10", "E3"): ("X", "unknown_mark"),
    ("出勤-2026-10", "E4"): ("✓", "mark_variant"),
}


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    path = tmp_path_factory.mktemp("planted") / "Logistics.xlsm"
    wb = openpyxl.load_workbook(SAMPLE, keep_vba=True)
    for (sheet, cell), (value, _) in PLANTED.items():
        wb[sheet][cell] = dt.date.fromisoformat(value) if sheet == "基本信息" else value
    wb.save(path)
    return path


@pytest.mark.slow
def test_planted_errors_each_found_at_their_cell(planted):
    r = run("validate", planted, "--json", *TODAY)
    assert r.returncode == 1, r.stderr
    report = json.loads(r.stdout)
    found = {(p["sheet"], p["cell"], p["code"]) for p in report["problems"]}
    for (sheet, cell), (_, code) in PLANTED.items():
        assert (sheet, cell, code) in found, (sheet, cell, code)
    # the 入库 row planted unreadable (食品出入库!B5) leaves its accepted delivery with no 入库
    unexpected = {f for f in found if (f[0], f[1]) not in PLANTED} - SAMPLE_WARNINGS - {("进货验收", "C5", "delivery_unstocked")}
    assert unexpected == set(), unexpected
    for p in report["problems"]:
        assert p["message"] and p["severity"] in ("错误", "警告") and p["address"].startswith(p["sheet"])


@pytest.mark.slow
def test_text_report_is_grouped_and_chinese(planted):
    r = run("validate", planted)
    assert r.returncode == 1
    assert "按工作表统计" in r.stdout and "幼儿名册!C5" in r.stdout
    assert r.stdout.index("【错误】") < r.stdout.index("【警告】")


@pytest.mark.slow
def test_write_puts_results_sheet_with_links(planted, tmp_path):
    path = tmp_path / "w.xlsm"
    shutil.copy2(planted, path)
    assert main(["validate", str(path), "--write"]) == 1
    wb = openpyxl.load_workbook(path)
    ws = wb["校验结果"]
    rows = list(ws.iter_rows(min_row=4, values_only=True))
    assert {(r[2], r[3], r[7]) for r in rows} >= {(s, c, code) for (s, c), (_, code) in PLANTED.items()}
    links = {ws.cell(r, 4).hyperlink.location for r in range(4, ws.max_row + 1)}
    assert "'幼儿名册'!C5" in links
    assert ws.print_title_rows == "$1:$3"


@pytest.mark.slow
@pytest.mark.parametrize("make,reason", [
    (lambda p: None, "找不到文件"),
    (lambda p: p.write_text("hello"), "不是 Excel 工作簿"),
    (lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptionInfo".encode("utf-16-le")), "密码"),
    (lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100), ".xls"),
    (lambda p: p.mkdir(), "文件夹"),
])
def test_unreadable_files_exit_2(tmp_path, make, reason):
    path = tmp_path / "x.xlsm"
    make(path)
    r = run("validate", path)
    assert r.returncode == 2 and reason in r.stderr, r.stderr
    assert "Traceback" not in r.stderr


@pytest.mark.slow
def test_open_in_excel_refuses_to_write(sample_copy):
    lock = sample_copy.with_name("~$" + sample_copy.name)
    lock.write_bytes(b"owner")
    before = sample_copy.read_bytes()
    r = run("validate", sample_copy, "--write")
    assert r.returncode == 2 and "正在 Excel 或 WPS 中打开" in r.stderr
    assert sample_copy.read_bytes() == before


def help_of(capsys, *args) -> tuple[int, str, str]:
    """kgxl's help, in process: (exit code, stdout, stderr)."""
    with pytest.raises(SystemExit) as done:
        main([*args, "--help"])
    out = capsys.readouterr()
    return done.value.code, out.out, out.err


def test_help_for_every_command(capsys):
    code, out, err = help_of(capsys)  # help texts with a literal % (±2%) once broke this
    assert code == 0 and all(a in out for a in ACTIONS), err
    for cmd in (*ACTIONS, "build-workbook", "docs"):
        code, out, err = help_of(capsys, cmd)
        assert code == 0 and out, (cmd, err)


def test_argparse_speaks_chinese(capsys):
    code, out, _ = help_of(capsys, "inspect")
    assert code == 0 and out.startswith("用法：kgxl inspect") and "选项" in out and "显示本帮助并退出" in out
    assert "usage" not in out and "positional arguments" not in out and "show this help" not in out
    with pytest.raises(SystemExit) as done:
        main(["month"])
    err = capsys.readouterr().err
    assert done.value.code == 2 and "错误：缺少以下参数：工作簿" in err and "用法：" in err and "required" not in err
    with pytest.raises(SystemExit):
        main(["refresh", "x.xlsm", "--bogus"])
    assert "无法识别的参数：--bogus" in capsys.readouterr().err


@pytest.mark.parametrize("typed", ["2026-11", "2026-1", "2026年11月", "２０２６－１１"])
def test_every_month_taking_command_takes_month_in_both_forms(typed, sample_copy, capsys):
    from kgxl.core.actions import MONTH_OPT, UserError, parse_param

    expected = "2026-01" if typed == "2026-1" else "2026-11"
    assert parse_param(MONTH_OPT, typed) == expected
    with pytest.raises(UserError, match="月份“2026-13”无法识别"):
        parse_param(MONTH_OPT, "2026-13")
    if typed == "2026-11":  # --month on the commands that also take it positionally
        assert main(["inspect", str(sample_copy), "--month", typed, "--today", "2026-11-21"]) == 0
        assert "2026年11月检查" in capsys.readouterr().out


def test_help_reads_no_workbook_library():
    """`kgxl --help` (and a click that fails on its arguments) builds the parser from every domain's declaration
    without importing pandas, pandera, numpy or openpyxl: those cost most of a cold start (#30)."""
    code = ("import sys, contextlib, io\nsys.argv = ['kgxl', '--help']\nfrom kgxl.front.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n    try:\n        main(['--help'])\n"
            "    except SystemExit:\n        pass\n"
            "print(sorted(m for m in ('pandas', 'pandera', 'numpy', 'openpyxl') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr
