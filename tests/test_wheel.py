"""The built wheel is the product: installed (not editable) into a fresh virtual environment, it runs
kgxl validate and kgxl refresh on a copy of the sample from a folder outside the checkout, with the
schemas, data and VBA sources it carries; and a kindergarten starts its own workbook with it (#24): kgxl new,
a list brought in by kgxl import, a register and a menu typed, 刷新汇总."""
import datetime as dt
import os
import shutil
import subprocess
import sys
import venv

import openpyxl
import pytest
from conftest import ROOT, SAMPLE, building_wheel
from python_calamine import CalamineWorkbook
from test_list_import import id_number, wrong_check

pytestmark = pytest.mark.slow
CLEAN = {"PATH": "/usr/bin:/bin"}  # nothing of the checkout's environment


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("wheel")
    wheels = tmp / "dist"
    with building_wheel():
        subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(ROOT)],
                       check=True, capture_output=True, timeout=300)
    wheel = next(wheels.glob("kgxl-*.whl"))
    env_dir = tmp / "env"
    venv.create(env_dir, with_pip=True)
    keep = {k: v for k, v in os.environ.items() if k.startswith("PIP_")}  # the machine's package index settings
    subprocess.run([str(env_dir / "bin" / "python"), "-m", "pip", "install", "-q", str(wheel)], check=True,
                   capture_output=True, timeout=600, cwd=tmp, env=CLEAN | {"HOME": str(tmp)} | keep)
    return env_dir


def _kgxl(env_dir, work, *args):
    return subprocess.run([str(env_dir / "bin" / "kgxl"), *args], cwd=work, capture_output=True, text=True,
                          timeout=300, env=CLEAN | {"HOME": str(work)})


def test_wheel_installs_and_runs_outside_the_checkout(installed, tmp_path):
    work = tmp_path / "elsewhere"
    work.mkdir()
    book = work / "园所.xlsm"
    shutil.copy2(SAMPLE, book)
    python = installed / "bin" / "python"
    where = subprocess.run([str(python), "-c", "import kgxl.core.paths as p; print(p.SCHEMAS); print(p.DATA)"],
                           cwd=work, capture_output=True, text=True, check=True, env=CLEAN).stdout.split()
    assert all(str(installed) in w for w in where), where  # the wheel's own copies, not the checkout's
    r = _kgxl(installed, work, "validate", book.name, "--today", "2026-11-21")
    assert r.returncode == 0 and "错误 0 个" in r.stdout, r.stdout + r.stderr  # the sample's one planted 警告 only
    r = _kgxl(installed, work, "refresh", book.name, "--today", "2026-11-21")
    assert r.returncode == 0 and "已刷新 2026年11月" in r.stdout and "体检统计" in r.stdout, r.stdout + r.stderr
    assert (work / "园所.backup.xlsm").exists()


def _fill(book, settings: dict, sheets: dict[str, list[list]]) -> None:
    """What the user types in Excel (openpyxl keeps the VBA project)."""
    wb = openpyxl.load_workbook(book, keep_vba=True)
    for row in wb["基本信息"].iter_rows(min_row=2):
        if row[0].value in settings:
            row[1].value = settings[row[0].value]
    for name, rows in sheets.items():
        for r in rows:
            wb[name].append(r)
    wb.save(book)


def test_a_kindergarten_starts_its_own_workbook_with_the_installed_wheel(installed, tmp_path):
    work = tmp_path / "文档" / "后勤"
    work.mkdir(parents=True)
    r = _kgxl(installed, work, "new", "阳光.xlsm", "--name", "示例县阳光幼儿园", "--term-start", "2027-02-22",
              "--term-end", "2027-07-09")
    assert r.returncode == 0, r.stderr
    r = _kgxl(installed, work, "validate", "阳光.xlsm", "--today", "2027-02-23", "--json")
    import json
    found = json.loads(r.stdout)["problems"]
    assert r.returncode == 0 and {p["severity"] for p in found} == {"警告"}  # only what is still to fill
    assert {p["address"] for p in found if p["code"] == "fill_in"} >= {"基本信息!B6", "班级!A2", "幼儿名册!A2"}
    r = _kgxl(installed, work, "refresh", "阳光.xlsm", "--today", "2027-03-31")
    assert r.returncode == 2 and "新工作簿" in r.stderr  # nothing to compute yet: said, not a fault
    book = work / "阳光.xlsm"
    _fill(book, {"伙食费标准(元/人/天)": 8, "伙食费退费规则": "不退", "盈亏核算周期": "月", "园长": "甲", "会计": "乙",
                 "保健老师": "丙"}, {"班级": [["小一班", "小班", "丁", "戊"]]})
    lst = work / "小一班名单.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["序号", "姓名", "身份证号", "班级", "入园日期"])
    kids = [(f"童{i}", id_number(dt.date(2023, 5, i), i, "男" if i % 2 else "女")) for i in range(1, 6)]
    kids[1] = (kids[1][0], wrong_check(kids[1][1]))
    kids[3] = (kids[3][0], kids[3][1][:12])
    for i, (name, number) in enumerate(kids, 1):
        wb.active.append([i, name, number, "小一班", dt.date(2027, 2, 22)])
    wb.save(lst)
    r = _kgxl(installed, work, "import", "阳光.xlsm", "--roster", lst.name)
    assert r.returncode == 1 and "小一班名单.xlsx!C3" in r.stdout and "小一班名单.xlsx!C5" in r.stdout, r.stdout
    r = _kgxl(installed, work, "import", "阳光.xlsm", "--roster", lst.name, "--skip-bad")
    assert r.returncode == 0 and "导入 3 名幼儿" in r.stdout, r.stdout + r.stderr
    r = _kgxl(installed, work, "month", "阳光.xlsm", "--month", "2027-03", "--today", "2027-03-01")
    assert r.returncode == 0, r.stdout + r.stderr
    wb = openpyxl.load_workbook(book, keep_vba=True)
    reg = wb["出勤-2027-03"]
    for row in reg.iter_rows(min_row=2, min_col=4, max_col=reg.max_column - 1):
        for cell in row:
            cell.value = cell.value or "√"
    for day in (1, 2):
        for food, grams in (("稻米", 60), ("鸡蛋", 40)):
            wb["带量食谱"].append([dt.date(2027, 3, day), "午餐", "蛋炒饭", food, grams])
    wb.save(book)
    r = _kgxl(installed, work, "refresh", "阳光.xlsm", "--month", "2027-03", "--today", "2027-03-31")
    assert r.returncode == 0, r.stdout + r.stderr
    names = CalamineWorkbook.from_path(str(book)).sheet_names
    assert {"出勤汇总", "营养分析", "校验结果"} <= set(names), names
