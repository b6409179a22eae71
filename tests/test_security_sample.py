"""The sample's 门卫、接送、班车、消防 (#46): its planted 警告 found at their cells, its size, and the 错误 cases planted
in copies (never in the shipped sample): each at its cell, each stopping only what reads its sheets."""
import datetime as dt

import pytest
from conftest import SAMPLE
from helpers import set_cells

from kgxl.app.pipeline import validate_book
from kgxl.front.cli import main
from kgxl.io.filebook import FileBook

TODAY = dt.date(2026, 11, 30)
SECURITY = ("来访登记", "接送授权", "接送异常登记", "班车车辆", "班车人员", "乘车路线", "出车记录", "乘车点名", "消防器材", "消防检查")


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    path = tmp_path_factory.mktemp("security_sample") / "Logistics.xlsm"
    path.write_bytes(SAMPLE.read_bytes())
    return path


def rows(path, sheet):
    return FileBook(path).read(sheet).rows


def test_the_planted_warnings_are_found_at_their_cells(book):
    visits = rows(book, "来访登记")
    open_row = next(i for i, r in enumerate(visits) if i and r[0] and (len(r) < 9 or r[8] in (None, ""))) + 1
    found = sorted((p.sheet, p.cell, p.code, p.severity) for p in validate_book(FileBook(book), TODAY).problems
                   if p.sheet in SECURITY)
    assert found == [("来访登记", f"I{open_row}", "visit_open", "警告"),
                     ("消防器材", "E36", "fire_soon", "警告"), ("消防器材", "E37", "fire_soon", "警告")]


def test_the_sample_has_the_size_the_issue_asks(book):
    equipment = [r for r in rows(book, "消防器材")[1:] if r[0]]
    assert 30 <= sum(1 for r in equipment if str(r[1]).endswith("灭火器")) <= 40
    children = {r[0] for r in rows(book, "幼儿名册")[1:] if r[0]}
    assert {r[0] for r in rows(book, "接送授权")[1:] if r[0]} == children  # every child authorised
    events = [r for r in rows(book, "接送异常登记")[1:] if r[0]]
    assert sum(1 for r in events if r[2] == "晚接") >= 5
    routes = [r for r in rows(book, "乘车路线")[1:] if r[0]]
    assert {r[0] for r in routes} == {"东线", "西线"} and all(20 <= sum(1 for r in routes if r[0] == x) <= 30 for x in ("东线", "西线"))


def test_errors_planted_in_a_copy_are_located_and_stop_only_what_reads_them(tmp_path, capsys):
    path = tmp_path / "Logistics.xlsm"
    path.write_bytes(SAMPLE.read_bytes())
    roll = rows(path, "乘车点名")
    boarded = next(i for i, r in enumerate(roll) if i and r[4] == "是") + 1
    events = rows(path, "接送异常登记")
    late = next(i for i, r in enumerate(events) if i and r[2] == "晚接") + 1
    set_cells(path, "乘车点名", {f"F{boarded}": "否"})          # a child boarded and not counted off
    set_cells(path, "班车车辆", {"C2": 10})                      # 东线's vehicle: fewer seats than its riders
    set_cells(path, "接送异常登记", {f"D{late}": "陌生人"})     # taken by someone not authorised, unconfirmed
    set_cells(path, "来访登记", {"C2": "否"})                    # let in without papers checked
    found = {(p.sheet, p.cell, p.code) for p in validate_book(FileBook(path), TODAY).problems if p.severity == "错误"}
    assert {("乘车点名", f"F{boarded}", "not_alighted"), ("接送异常登记", f"D{late}", "pickup_unauthorised"),
            ("来访登记", "C2", "visit_unchecked")} <= found
    assert any(c == "overloaded" and s == "出车记录" for s, _, c in found)
    assert {s for s, _, _ in found} == {"乘车点名", "出车记录", "接送异常登记", "来访登记"}
    main(["refresh", str(path), "--today", "2026-11-30"])
    out = capsys.readouterr().out
    names = FileBook(path).sheet_names()
    assert "以下汇总未计算" in out
    for title in ("门卫与接送", "班车统计", "安全台账"):  # 安全台账 (安全工作台账) reads every register
        assert f"{title}（" in out
    assert not {"门卫与接送", "班车统计", "乘车情况统计", "安全工作台账"} & set(names)
    assert {"消防月报", "卫生保健月报", "出勤汇总", "校验结果"} <= set(names)
