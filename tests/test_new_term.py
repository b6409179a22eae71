"""`kgxl new-term` (#24): the next term's workbook from the sample's. Counts of children carried, moved up and left
are checked against a plain count of the sample's own sheets; 期初 stock against a plain running balance of its
食品出入库; the new workbook validates with only what was true of last term (the sample's planted expired 健康证)."""
import datetime as dt
from collections import defaultdict

import pytest
from conftest import SAMPLE
from python_calamine import CalamineWorkbook

from kgxl.app.pipeline import validate_book
from kgxl.front.cli import main
from kgxl.io.filebook import FileBook

pytestmark = pytest.mark.slow  # whole workbooks built


def _table(path, sheet) -> list[dict]:
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()
    return [dict(zip(rows[0], r)) for r in rows[1:] if any(v not in ("", None) for v in r)]


def _day(v):
    return v.date() if isinstance(v, dt.datetime) else v


def plain_closing_stock(path, last_day: dt.date) -> dict[str, tuple[float, float]]:
    """Per food (children's meals only): qty and value after the term's last booking, 盘点 setting the balance."""
    order = {"期初": 0, "入库": 1, "出库": 2, "盘点": 3}
    rows = [r for r in _table(path, "食品出入库") if r["用途"] != "教职工" and _day(r["日期"]) <= last_day]
    rows.sort(key=lambda r: (_day(r["日期"]), order[r["类型"]]))
    bal = defaultdict(lambda: [0.0, 0.0])
    for r in rows:
        q, a = float(r["数量(千克)"]), round(float(r["金额(元)"]), 2)
        if r["类型"] == "盘点":
            bal[r["食物名称"]] = [q, a]
        else:
            sign = -1 if r["类型"] == "出库" else 1
            bal[r["食物名称"]][0] += sign * q
            bal[r["食物名称"]][1] += sign * a
    return {f: (round(q, 2), round(a, 2)) for f, (q, a) in bal.items() if q > 1e-9}


def _expected(promote: bool):
    classes = {r["班级"]: r["年龄段"] for r in _table(SAMPLE, "班级")}
    start = dt.date(2027, 9, 1) if promote else dt.date(2027, 2, 22)
    kids = _table(SAMPLE, "幼儿名册")
    left = [k for k in kids if k["离园日期"] not in ("", None) and _day(k["离园日期"]) < start]
    staying = [k for k in kids if k not in left]
    graduating = [k for k in staying if promote and classes[k["班级"]] == "大班"]
    return len(staying) - len(graduating), len(graduating), len(left)


@pytest.mark.parametrize("promote", [False, True], ids=["same school year", "new school year"])
def test_a_new_term_carries_children_classes_and_stock(tmp_path, capsys, promote):
    new = tmp_path / "下学期.xlsm"
    start, end = ("2027-09-01", "2028-01-20") if promote else ("2027-02-22", "2027-07-09")
    before = SAMPLE.read_bytes()
    assert main(["new-term", str(SAMPLE), str(new), "--term-start", start, "--term-end", end]) == 0
    assert SAMPLE.read_bytes() == before  # the old workbook is only read
    said = capsys.readouterr().out
    carried, graduated, left = _expected(promote)
    assert f"带入 {carried} 名" in said and f"随班离园（毕业）{graduated} 名" in said and f"未带入 {left} 名" in said
    assert (carried, graduated, left) == ((120, 61, 2) if promote else (181, 0, 2))  # counted by hand once, kept
    assert "新工作簿中需要处理的问题" in said and "教职工!J25" in said  # told at once, not at the first refresh
    roster = _table(new, "幼儿名册")
    assert len(roster) == carried
    old_class = {r["幼儿编号"]: r["班级"] for r in _table(SAMPLE, "幼儿名册")}
    moves = {(old_class[r["幼儿编号"]], r["班级"]) for r in roster}
    assert moves == ({("小一班", "中一班"), ("小二班", "中二班"), ("中一班", "大一班"), ("中二班", "大二班")} if promote
                     else {(c, c) for c in old_class.values()})
    classes = {r["班级"]: r["年龄段"] for r in _table(new, "班级")}
    if promote:  # the 大班 teachers take the new 小班 (循环带班)
        assert classes == {"中一班": "中班", "中二班": "中班", "大一班": "大班", "大二班": "大班", "小一班": "小班",
                           "小二班": "小班"}
    opening = {r["食物名称"]: (r["数量(千克)"], round(r["金额(元)"], 2)) for r in _table(new, "食品出入库")}
    assert {r["类型"] for r in _table(new, "食品出入库")} == {"期初"}
    assert opening == plain_closing_stock(SAMPLE, dt.date(2027, 1, 22)) and len(opening) > 10
    for empty in ("带量食谱", "收费记录", "收支明细", "传染病登记", "留样登记", "月考核", "晨午检", "晨午检异常", "服药委托",
                  "服药记录", "消毒记录", "健康教育"):
        assert _table(new, empty) == []
    # #45: 常见疾病登记 goes on for the children kept, open conditions only; 消毒要求 is kept
    kept = {k["幼儿编号"] for k in roster}
    assert [(r["幼儿编号"], r["疾病"]) for r in _table(new, "常见疾病登记")] == [
        (r["幼儿编号"], r["疾病"]) for r in _table(SAMPLE, "常见疾病登记") if r["转归"] not in ("治愈", "转出")
        and r["幼儿编号"] in kept] and len(_table(new, "常见疾病登记")) >= 1
    assert _table(new, "消毒要求") == _table(SAMPLE, "消毒要求")
    assert len(_table(new, "收费项目")) == len(_table(SAMPLE, "收费项目"))
    assert len(_table(new, "体检记录")) == sum(1 for r in _table(SAMPLE, "体检记录")
                                            if r["幼儿编号"] in {k["幼儿编号"] for k in roster})
    settings = {r["项目"]: r["内容"] for r in _table(new, "基本信息")}
    assert settings["学年学期"] == ("2027-2028学年第一学期" if promote else "2026-2027学年第二学期")
    assert settings["伙食费标准(元/人/天)"] == 8 and settings["当前月份"] == start[:7]
    _assets_carried(new, dt.date.fromisoformat(start))
    problems = validate_book(FileBook(new), dt.date.fromisoformat(start)).problems
    # the sample's last yogurt (12-28, good to 2027-01-17) is still in its books: the new term is told
    assert {(p.sheet, p.code) for p in problems if p.severity == "错误"} == {("教职工", "health_cert_expired"),
                                                                          ("进货验收", "expired_in_stock")}


def _assets_carried(new, start: dt.date):
    """Every card carried, moved and scrapped as 资产变动 left it; no change carried; supplies start from a 盘点 of
    what was left (the loans out counted in) and the loans lent again."""
    old, cards = _table(SAMPLE, "固定资产"), _table(new, "固定资产")
    assert [c["资产编号"] for c in cards] == [c["资产编号"] for c in old] and len(cards) > 400
    moved = {c["资产编号"]: c["新存放地点"] for c in _table(SAMPLE, "资产变动") if c["类型"] == "调拨"}
    room = {c["资产编号"]: c["存放地点"] for c in cards}
    assert moved and all(room[a] == r for a, r in moved.items())
    assert _table(new, "资产变动") == [] and _table(new, "维修登记") == []
    moves = _table(new, "物品出入库")
    assert {_day(m["日期"]) for m in moves} == {start}
    lent = [m for m in moves if m["类型"] == "出借"]
    assert [(m["物品名称"], m["备注"]) for m in lent] == [("便携音箱", "上学期 2026-09-17 借出未还"),
                                                        ("折叠梯", "上学期 2026-11-05 借出未还")]
    assert len(_table(new, "水电气")) == len(_table(SAMPLE, "水电气"))


def test_the_mapping_can_be_edited_and_nothing_is_overwritten(tmp_path, capsys):
    new = tmp_path / "下学期.xlsm"
    assert main(["new-term", str(SAMPLE), str(new), "--term-start", "2027-09-01", "--term-end", "2028-01-20",
                 "--class", "小一班=中三班", "--class", "火星班=大一班"]) == 2
    assert "火星班" in capsys.readouterr().err and not new.exists()
    assert main(["new-term", str(SAMPLE), str(new), "--term-start", "2027-09-01", "--term-end", "2028-01-20",
                 "--class", "小一班=中三班"]) == 0
    assert {r["班级"] for r in _table(new, "幼儿名册")} >= {"中三班"}
    before = new.read_bytes()
    assert main(["new-term", str(SAMPLE), str(new), "--term-start", "2027-09-01", "--term-end", "2028-01-20"]) == 2
    assert "已存在，未覆盖" in capsys.readouterr().err and new.read_bytes() == before
    assert main(["new-term", str(SAMPLE), str(tmp_path / "x.xlsm"), "--term-start", "2027-01-10",
                 "--term-end", "2027-07-09"]) == 2
    assert "之后" in capsys.readouterr().err
