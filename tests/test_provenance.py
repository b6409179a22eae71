"""Nothing stale is handed out (#23): a report computed from other data than the input sheets hold now, or a
workbook with 错误, is not exported (exit 1, the sheets named); export --refresh computes first; a 刷新汇总
stopped by 错误 marks the reports already there 已过期 and does not log them as written."""
import shutil

import openpyxl
import pytest
from conftest import SAMPLE
from python_calamine import CalamineWorkbook

from kgxl.app.pipeline import STALE
from kgxl.app.run_log import HEADER
from kgxl.front.cli import main

pytestmark = pytest.mark.slow  # whole refreshes of the sample
TODAY = ["--today", "2026-11-30"]
REPORTS = ("出勤汇总", "卫生保健月报", "2026年11月检查")


@pytest.fixture
def book(tmp_path):
    path = tmp_path / "Logistics.xlsm"
    shutil.copy2(SAMPLE, path)
    assert main(["refresh", str(path), *TODAY]) == 0
    return path


def _type(path, sheet, cell, value):
    wb = openpyxl.load_workbook(path, keep_vba=True)
    wb[sheet][cell] = value
    wb.save(path)


def _exports(folder):
    return sorted(p.name for p in folder.glob("*_月度上报_*"))


def test_a_report_from_other_data_is_not_exported_until_refreshed(book, capsys):
    out = book.parent / "out"
    out.mkdir()
    assert main(["export", str(book), "--out", str(out), *TODAY]) == 0  # computed from the data as they are
    (out / _exports(out)[0]).unlink()
    _type(book, "出勤-2026-11", "E5", "病")  # a mark changed after 刷新汇总
    assert main(["export", str(book), "--out", str(out), *TODAY]) == 1
    text = capsys.readouterr().out
    assert "不是按当前数据计算的，未导出" in text and all(name in text for name in REPORTS)
    assert _exports(out) == []
    assert main(["export", str(book), "--out", str(out), "--refresh", *TODAY]) == 0
    text = capsys.readouterr().out
    assert "已刷新 2026年11月" in text and "已导出 14 张表" in text and len(_exports(out)) == 1


def test_a_workbook_with_errors_is_not_exported(book, capsys):
    _type(book, "幼儿名册", "C5", "未知")
    assert main(["export", str(book), *TODAY]) == 1
    assert "幼儿名册 有 1 个错误，未导出" in capsys.readouterr().out and _exports(book.parent) == []


def test_a_stopped_refresh_marks_the_reports_out_of_date(book, capsys):
    _type(book, "幼儿名册", "C5", "未知")
    assert main(["refresh", str(book), *TODAY]) == 1
    out = capsys.readouterr().out
    assert "已过期" in out and "出勤统计（幼儿名册 有 1 个错误）" in out
    wb = CalamineWorkbook.from_path(str(book))
    title = {name: wb.get_sheet_by_name(name).to_python()[0][0] for name in REPORTS}
    # what reads 幼儿名册 is marked, not computed; the inspection tab does not read it and is computed as usual
    assert title["出勤汇总"].startswith(STALE) and title["卫生保健月报"].startswith(STALE)
    assert not title["2026年11月检查"].startswith(STALE)
    written = wb.get_sheet_by_name("运行日志").to_python()[-1][HEADER.index("写入")].split("、")
    assert "校验结果" in written and not {"出勤汇总", "卫生保健月报"} & set(written)  # the marked ones were not computed
    _type(book, "幼儿名册", "C5", "男")
    assert main(["refresh", str(book), *TODAY]) == 0
    wb = CalamineWorkbook.from_path(str(book))
    assert not any(wb.get_sheet_by_name(n).to_python()[0][0].startswith(STALE) for n in REPORTS)
    assert main(["export", str(book), *TODAY]) == 0
