"""待办事项 (#49): one list of what is due, each domain answering for its own through its `due` hook. On the sample as
of 2026-11-30 the sheet lists what each domain has due, every item pointing at a sheet and cell that exist; a
throw-away domain's hook is on it with no other edit; a summary sheet computed before its inputs changed is listed
until 刷新汇总; 刷新汇总 makes the list and keeps it when nothing changed."""
import datetime as dt

import openpyxl
import pytest
from openpyxl.utils.cell import coordinate_from_string

from kgxl.app import registry
from kgxl.app.pipeline import validate_book
from kgxl.app.todo import TODO_SHEET
from kgxl.core.domain import Domain
from kgxl.core.due import HORIZON_DAYS, DueItem, ordered, when
from kgxl.front.cli import main
from kgxl.io.filebook import FileBook

TODAY = dt.date(2026, 11, 30)
# what the sample has due on 2026-11-30, by the domains' titles (the others have nothing due then: every register
# marked, every dish of the day sampled, the month's 膳食委员会 held, no 健康证 within its reminder days, every class's
# 晨午检 and every dose of the day recorded: tests/test_daily_health.py lists that hook's items)
EXPECTED = {"保健", "检查", "园产与物品", "门卫、接送、班车、消防", "行事历与目标", "食品采购与验收"}


def _listed(path) -> list[list]:
    rows = [list(r) for r in openpyxl.load_workbook(path)[TODO_SHEET].iter_rows(values_only=True)]
    start = rows.index(["序号", "时间", "期限", "事项", "责任人/涉及", "类别", "工作表", "单元格"]) + 1
    return [r for r in rows[start:] if r[0] is not None]


def test_the_sample_lists_what_each_domain_has_due(sample_copy, capsys):
    assert main(["todo", str(sample_copy), "--today", TODAY.isoformat()]) == 0
    assert "已生成待办事项" in capsys.readouterr().out
    listed = _listed(sample_copy)
    categories = {r[5] for r in listed}
    assert categories == EXPECTED, categories
    # each domain's hook, asked directly, has items due within the horizon exactly when it is on the list
    v = validate_book(FileBook(sample_copy), TODAY)
    for hook, reads, title in registry.current().dues:
        mine = ordered([(title, x) for x in hook(v.view(reads, title), TODAY)], TODAY)
        assert bool(mine) == (title in categories), title
        assert len(mine) == sum(r[5] == title for r in listed), title
    wb = openpyxl.load_workbook(sample_copy)
    for r in listed:  # where to act exists, and the cell is linked
        assert r[6] in wb.sheetnames, r
        coordinate_from_string(r[7])
    links = {c.hyperlink.location for row in wb[TODO_SHEET].iter_rows() for c in row if c.hyperlink}
    assert len(links) >= len({(r[6], r[7]) for r in listed})
    # by date, overdue first; the groups as the list's own words
    dates = [r[2] for r in listed]
    assert dates == sorted(dates) and listed[0][1] == "已逾期"
    assert all(r[2].date() <= TODAY + dt.timedelta(days=HORIZON_DAYS) for r in listed)
    kinds = {r[3].split("：")[0] for r in listed}
    assert {"体弱儿复查", "行事历"} <= kinds
    assert any(r[3].startswith("紧急维修未完成") for r in listed)
    assert any(r[3].startswith("消防器材 MHQ-35") for r in listed)


def test_a_new_domain_answers_for_its_own(sample_copy, capsys):
    def due(v, today):
        return [DueItem("检查玩具柜", today + dt.timedelta(days=2), "基本信息", "B2", "保育员"),
                DueItem("明年的事", today + dt.timedelta(days=HORIZON_DAYS + 1), "基本信息", "B3")]

    toys = Domain(name="toys_due", title="玩具", group="玩具", due=due, due_inputs=("settings",))
    registry.register(toys)
    try:
        assert main(["todo", str(sample_copy), "--today", TODAY.isoformat()]) == 0
    finally:
        registry.unregister(toys)
    mine = [r for r in _listed(sample_copy) if r[5] == "玩具"]
    assert [r[1:5] + r[6:] for r in mine] == [["本周内", dt.datetime(2026, 12, 2), "检查玩具柜", "保育员", "基本信息", "B2"]]


def test_a_hook_lists_again_only_when_a_sheet_it_reads_changed(sample_copy, capsys):
    """A process that stays up (the web page, Excel) keeps a due hook's items by the digest of the sheets it reads and
    the day: asked again, the hook is not run; after an edit of a sheet it reads, or on another day, it is."""
    asked = []

    def due(v, today):
        asked.append(today)
        return [DueItem(f"验收人 {v.tables['repairs'].frame['checker'].iloc[0]}", today, "维修登记", "J2")]

    repairs = Domain(name="repairs_due", title="验收", group="验收", due=due, due_inputs=("repairs",))
    registry.register(repairs)
    try:
        def todo(today=TODAY) -> list:
            assert main(["todo", str(sample_copy), "--today", today.isoformat()]) == 0
            return [r[3] for r in _listed(sample_copy) if r[5] == "验收"]
        first = todo()
        assert todo() == first and len(asked) == 1  # the same sheets and day: kept
        wb = openpyxl.load_workbook(sample_copy, keep_vba=True)
        wb["班级"]["D2"] = "另一位老师"  # a sheet the hook does not read
        wb.save(sample_copy)
        assert todo() == first and len(asked) == 1
        wb = openpyxl.load_workbook(sample_copy, keep_vba=True)
        wb["维修登记"]["J2"] = "赵六"  # a sheet it reads
        wb.save(sample_copy)
        assert todo() != first and len(asked) == 2
        todo(TODAY + dt.timedelta(days=1))
        assert len(asked) == 3  # another day: asked again
    finally:
        registry.unregister(repairs)


def test_a_report_computed_before_its_inputs_changed_is_listed(sample_copy, capsys):
    assert main(["refresh", str(sample_copy), "--today", TODAY.isoformat()]) == 0
    assert "待办事项" in capsys.readouterr().out
    assert not any(r[5] == "汇总表" for r in _listed(sample_copy))
    wb = openpyxl.load_workbook(sample_copy, keep_vba=True)
    wb["维修登记"]["J2"] = "赵六"  # a 验收人 typed: the two reports that read 维修登记 are now out of date
    wb.save(sample_copy)
    assert main(["todo", str(sample_copy), "--today", TODAY.isoformat()]) == 0
    stale = [r for r in _listed(sample_copy) if r[5] == "汇总表"]
    assert [(r[3], r[6], r[7]) for r in stale] == [
        ("“资产台账汇总、资产清点表”是按改动前的数据计算的：请点“刷新汇总”", "资产台账汇总", "A1"),
        ("“维修情况”是按改动前的数据计算的：请点“刷新汇总”", "维修情况", "A1")]
    assert main(["refresh", str(sample_copy), "--today", TODAY.isoformat()]) == 0
    assert not any(r[5] == "汇总表" for r in _listed(sample_copy))
    # nothing changed since: 刷新汇总 keeps every sheet, the list too
    assert main(["refresh", str(sample_copy), "--today", TODAY.isoformat()]) == 0
    assert "全部沿用" in capsys.readouterr().out


@pytest.mark.parametrize("by,group", [(dt.date(2026, 11, 27), "已逾期"), (TODAY, "今天"), (dt.date(2026, 12, 6), "本周内"),
                                      (dt.date(2026, 12, 31), "30 天内"), (None, "今天")])
def test_the_groups(by, group):
    # 2026-11-30 is a Monday: 本周内 runs to Sunday 12-06; December is another month, so 30 天内
    assert when(DueItem("x", by, "基本信息"), TODAY) == group
    assert when(DueItem("x", dt.date(2026, 12, 20), "基本信息"), dt.date(2026, 12, 1)) == "本月内"
