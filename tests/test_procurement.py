"""食品采购与验收 (#47) worked by hand on a small book (two suppliers, a third only in 食品出入库, seven deliveries of
October 2026, one rejected, a rice batch that expires mid-month and is still drawn on, one request chain): every
figure of 供应商与证照, 进货验收台账, 库存保质期 (FIFO) and 采购审批情况, the rules located, the bad input in Chinese,
what a new term carries and what an older workbook without 进货验收 reads."""
import datetime as dt

import pytest

from kgxl.app.books import book_bytes
from kgxl.app.pipeline import ACTIONS, validate_book
from kgxl.domains.procurement import licence, shelf
from kgxl.io.filebook import FileBook

D = dt.date
TODAY = D(2026, 11, 5)  # the October reports are stated as of 10-31
SETTINGS = {"kindergarten_name": "测试园", "term_label": "2026-2027学年第一学期", "term_start": D(2026, 9, 1),
            "term_end": D(2027, 1, 22), "meal_fee": 8.0, "refund_rule": "不退", "balance_period": "月",
            "principal": "园长", "accountant": "会计", "health_teacher": "保健", "current_month": "2026-10",
            "near_expiry_days": 5, "licence_notice_days": 30, "approval_above": 1000.0}
GOOD, BAD = "91350100M000100Y43", "91350100M000100Y44"  # GB 32100's own example; its check character changed
SUPPLIERS = [  # rows 2, 3
    {"name": "甲粮油店", "credit_code": GOOD, "licence_kind": "食品经营许可证", "licence_no": "JY1", "licence_until": D(2026, 11, 20),
     "goods": "粮油奶", "designated": "是"},
    {"name": "乙肉店", "credit_code": BAD, "licence_kind": "食品经营许可证", "licence_no": "JY2", "licence_until": D(2026, 10, 15),
     "goods": "肉", "designated": "否"}]


def delivery(day, supplier, food, category, qty, produced=None, life=None, **more):
    return {"date": D(2026, 10, day), "supplier": supplier, "food": food, "category": category, "produced": produced,
            "shelf_life": life, "qty_kg": qty, "sensory": "合格", "certificate": "是" if produced else None,
            "inspector": "厨师、保健", **more}


DELIVERIES = [  # rows 2-8
    delivery(8, "甲粮油店", "大米", "粮食", 20, D(2025, 10, 15), "12个月", receipt="FP1"),  # good to 10-14
    delivery(8, "甲粮油店", "牛奶", "奶", 10, D(2026, 10, 7), "7天", receipt="FP1"),  # good to 10-13
    delivery(12, "乙肉店", "猪肉", "肉禽蛋", 5, quarantine="是", receipt="FP2"),
    delivery(15, "甲粮油店", "大米", "粮食", 30, D(2026, 9, 1), "12个月", receipt="FP3"),  # good to 2027-08-31
    delivery(19, "乙肉店", "鸡腿", "肉禽蛋", 4, quarantine="否", receipt="FP4"),  # row 6: licence out, no 检疫证明
    {**delivery(19, "甲粮油店", "菠菜", "蔬菜", 3), "sensory": "不合格", "reason": "腐烂，退回"},
    delivery(26, "甲粮油店", "酸奶", "奶", 2, D(2026, 10, 20), "14天", receipt="FP5")]  # row 8: good to 11-02


def stock(day, kind, food, category, qty, price, supplier=None, invoice=None):
    return {"date": D(2026, 10, day), "kind": kind, "food": food, "category": category, "qty_kg": qty,
            "unit_price": price, "amount": round(qty * price, 2), "supplier": supplier, "invoice": invoice,
            "handler": "厨师"}


STOCK = [  # rows 2-16
    stock(8, "入库", "大米", "粮食", 20, 5, "甲粮油店", "是"), stock(8, "入库", "牛奶", "奶", 10, 10, "甲粮油店", "是"),
    stock(9, "出库", "大米", "粮食", 8, 5), stock(9, "出库", "牛奶", "奶", 6, 10),
    stock(12, "入库", "猪肉", "肉禽蛋", 5, 30, "乙肉店", "是"), stock(13, "出库", "大米", "粮食", 6, 5),
    stock(13, "出库", "牛奶", "奶", 3, 10),  # 1 kg of milk left, good to 10-13
    stock(15, "入库", "大米", "粮食", 30, 5, "甲粮油店", "否"),  # row 9: 索证索票 否
    stock(16, "出库", "大米", "粮食", 10, 5),  # row 10: 6 kg from the 10-08 batch, past its date since 10-15
    stock(19, "入库", "鸡腿", "肉禽蛋", 3.5, 20, "乙肉店", "是"),  # row 11: 4 kg accepted
    stock(20, "入库", "面粉", "粮食", 5, 4, "丙超市", "是"),  # row 12: no delivery
    stock(22, "出库", "大米", "粮食", 5, 5), stock(26, "出库", "猪肉", "肉禽蛋", 2, 30),
    stock(26, "入库", "酸奶", "奶", 2, 15, "甲粮油店", "是"),
    stock(30, "盘点", "大米", "粮食", 20.5, 5)]  # half a kilo short of the book's 21
REQUESTS = [  # rows 2, 3
    {"date": D(2026, 10, 10), "item": "消毒柜", "quantity": "1台", "estimate": 1800.0, "requester": "会计", "approver": "园长",
     "approved": D(2026, 10, 13), "bought": D(2026, 10, 12), "amount": 1750.0, "voucher": "记0009"},
    {"date": D(2026, 10, 20), "item": "拖把", "quantity": "10把", "estimate": 200.0, "requester": "会计", "approver": "园长",
     "approved": D(2026, 10, 20), "bought": D(2026, 10, 21), "amount": 200.0}]
LEDGER = [{"date": D(2026, 10, 12), "voucher": "记0009", "direction": "支出", "budget_item": "设备购置", "summary": "消毒柜",
           "amount": 1750.0, "handler": "会计"}]
BUDGET = [{"budget_item": "设备购置", "category": "公用经费", "direction": "支出", "amount": 5000.0}]


def book(path, **changes):
    rows = {"settings": SETTINGS, "classes": [{"class_name": "小一班", "age_group": "小班", "head_teacher": "某"}],
            "roster": [{"child_id": "C01", "name": "童一", "sex": "女", "birth_date": D(2022, 3, 1), "class_name": "小一班",
                        "entry_date": D(2026, 9, 1)}],
            "suppliers": SUPPLIERS, "deliveries": DELIVERIES, "stock": STOCK, "purchase_requests": REQUESTS,
            "ledger": LEDGER, "budget": BUDGET, **changes}
    path.write_bytes(book_bytes(rows, {}))
    return path


@pytest.fixture(scope="module")
def path(tmp_path_factory):
    return book(tmp_path_factory.mktemp("procurement") / "p.xlsx")


@pytest.fixture(scope="module")
def sheets(path):
    out = {}
    for action in ("suppliers", "deliveries", "shelf", "approvals"):
        result = ACTIONS[action].run(FileBook(path), month="2026-10", today=TODAY)
        out |= {o.name: o for o in result.outputs}
    return out


MINE = {"credit_code_bad", "licence_due", "not_designated", "licence_expired", "no_quarantine", "expired_in_stock",
        "near_expiry", "no_invoice", "no_delivery", "delivery_qty", "delivery_supplier", "delivery_unstocked",
        "expired_used", "bought_before_approval", "approved_late", "not_entered", "entry_amount", "produced_after",
        "shelf_life_unread", "reject_no_reason", "licence_incomplete", "deliveries_not_started"}


def located(path, today=TODAY):
    return sorted((p.address, p.code, p.severity) for p in validate_book(FileBook(path), today).problems if p.code in MINE)


def test_the_rules_at_their_cells(path):
    assert located(path) == [
        ("供应商!B3", "credit_code_bad", "错误"),
        ("供应商!E2", "licence_due", "警告"),  # 15 days left, within 30
        ("供应商!E3", "licence_due", "警告"),  # expired
        ("供应商!I3", "not_designated", "警告"),
        ("请购单!H2", "bought_before_approval", "错误"),  # 1,750 above 1,000, approved the day after
        ("请购单!J3", "not_entered", "警告"),  # bought in October, not entered by November
        ("进货验收!B6", "licence_expired", "错误"),
        ("进货验收!G3", "expired_in_stock", "错误"),  # the milk's last kilo
        ("进货验收!G8", "expired_in_stock", "错误"),  # the yogurt, good to 11-02
        ("进货验收!L6", "no_quarantine", "错误"),
        ("食品出入库!C10", "expired_used", "错误"),
        ("食品出入库!C12", "no_delivery", "警告"),  # a 警告: the meal account goes on
        ("食品出入库!E11", "delivery_qty", "警告"),
        ("食品出入库!I9", "no_invoice", "错误")]
    # on 10-31 the yogurt was near its date, not past it, and the milk already past
    at_month_end = located(path, D(2026, 10, 31))
    assert ("进货验收!G8", "near_expiry", "警告") in at_month_end and ("进货验收!G3", "expired_in_stock", "错误") in at_month_end


def test_suppliers_sheet(sheets):
    rows = sheets["供应商与证照"].blocks[0].rows
    # 甲: deliveries 10-08 ×2, 10-15, 10-19 (rejected), 10-26; 入库 100 + 100 + 150 + 30; 乙: 150 + 70; 丙 only in 食品出入库
    assert rows == [
        ["甲粮油店", GOOD, "正确", "食品经营许可证", "JY1", D(2026, 11, 20), "20 天后到期", "是", "粮油奶", 5, 1, 380.0, 5, 380.0],
        ["乙肉店", BAD, "有误", "食品经营许可证", "JY2", D(2026, 10, 15), "已过期", "否", "肉", 2, 0, 220.0, 2, 220.0],
        ["丙超市", None, None, None, None, None, "不在供应商名录", None, None, 0, 0, 20.0, 0, 20.0],
        ["合计", None, None, None, None, None, None, None, None, 7, 1, 620.0, 7, 620.0]]
    assert sheets["供应商与证照"].blocks[0].row_styles == {0: "warning", 1: "error", 2: "error", 3: "total"}
    assert "供应商 2 家，定点 1 家；许可证已过期 1 家，即将到期 1 家；本月进货验收 7 次，入库金额 620.00 元" in sheets["供应商与证照"].titles[1]


def test_delivery_ledger(sheets):
    ledger, unmatched = (b.rows for b in sheets["进货验收台账"].blocks)
    who = "厨师、保健"
    assert ledger == [
        [D(2026, 10, 8), "甲粮油店", "大米", "粮食", None, D(2025, 10, 15), D(2026, 10, 14), 20.0, "合格", "是", None, "FP1", who, "一致", None],
        [None, None, "牛奶", "奶", None, D(2026, 10, 7), D(2026, 10, 13), 10.0, "合格", "是", None, "FP1", who, "一致", None],
        [D(2026, 10, 12), "乙肉店", "猪肉", "肉禽蛋", None, None, None, 5.0, "合格", None, "是", "FP2", who, "一致", None],
        [D(2026, 10, 15), "甲粮油店", "大米", "粮食", None, D(2026, 9, 1), D(2027, 8, 31), 30.0, "合格", "是", None, "FP3", who, "一致", None],
        [D(2026, 10, 19), "乙肉店", "鸡腿", "肉禽蛋", None, None, None, 4.0, "合格", None, "否", "FP4", who, "数量不符（入库 3.5）",
         "许可证已过期；无检疫证明"],
        [D(2026, 10, 19), "甲粮油店", "菠菜", "蔬菜", None, None, None, 3.0, "不合格", None, None, None, who, "拒收：腐烂，退回", None],
        [D(2026, 10, 26), "甲粮油店", "酸奶", "奶", None, D(2026, 10, 20), D(2026, 11, 2), 2.0, "合格", "是", None, "FP5", who, "一致", None]]
    assert sheets["进货验收台账"].blocks[0].row_styles == {4: "error"}
    assert unmatched == [[D(2026, 10, 19), "鸡腿", "乙肉店", 3.5, 4.0, "数量与验收不符"],
                         [D(2026, 10, 20), "面粉", "丙超市", 5.0, 0.0, "没有验收记录"]]
    assert "本月验收 7 批（合格 6，拒收 1），供应商 2 家；有问题的 1 批；入库没有对应验收或不符的 2 笔" in sheets["进货验收台账"].titles[1]


def test_stock_by_batch(sheets):
    """大米: batches [0, 20) of 10-08 and [20, 50) of 10-15; consumed 8, 14, then 24 by 10-16 (6 kg of the first batch,
    past its date since 10-15), 29 by 10-22 and 29.5 after the 盘点: 20.5 left of the second. 牛奶: 1 of 10 left.
    鸡腿's day disagrees with its delivery: the ledger's 3.5 kg, no dates."""
    held, draws = (b.rows for b in sheets["库存保质期"].blocks)
    assert held == [
        ["牛奶", "奶", D(2026, 10, 8), "甲粮油店", D(2026, 10, 7), D(2026, 10, 13), -18, 1.0, "已过期"],
        ["酸奶", "奶", D(2026, 10, 26), "甲粮油店", D(2026, 10, 20), D(2026, 11, 2), 2, 2.0, "临期"],
        ["大米", "粮食", D(2026, 10, 15), "甲粮油店", D(2026, 9, 1), D(2027, 8, 31), 304, 20.5, "正常"],
        ["猪肉", "肉禽蛋", D(2026, 10, 12), "乙肉店", None, None, None, 3.0, "保质期未填"],
        ["面粉", "粮食", D(2026, 10, 20), "丙超市", None, None, None, 5.0, "保质期未填"],
        ["鸡腿", "肉禽蛋", D(2026, 10, 19), "乙肉店", None, None, None, 3.5, "保质期未填"]]
    assert draws == [[D(2026, 10, 16), "大米", 6.0, D(2026, 10, 8), D(2026, 10, 14)]]
    assert sheets["库存保质期"].blocks[0].row_styles == {0: "error", 1: "warning"}
    assert "库存 6 批，已过期 1 批，临期 1 批，保质期未填 3 批；本月从过期批次出库 1 次" in sheets["库存保质期"].titles[1]


def test_request_chain(sheets):
    """As of 10-31 the 拖把 bought on 10-21 is still within its month: not yet a missing entry (it is on 11-05)."""
    rows = sheets["采购审批情况"].blocks[0].rows
    assert rows == [
        [D(2026, 10, 10), "消毒柜", "1台", 1800.0, "会计", "园长", D(2026, 10, 13), D(2026, 10, 12), 1750.0, "记0009", "已入账",
         "审批（2026-10-13）在购买（2026-10-12）之后"],
        [D(2026, 10, 20), "拖把", "10把", 200.0, "会计", "园长", D(2026, 10, 20), D(2026, 10, 21), 200.0, None, "已购买", None]]
    assert sheets["采购审批情况"].blocks[0].row_styles == {0: "error"}
    assert "请购 2 份，已购买 2 份，已入账 1 份；没有事先审批的 1 份，有问题的 1 份。超过 1,000.00 元的采购须先审批" in sheets["采购审批情况"].titles[1]


def test_codes_and_shelf_life_as_typed():
    assert licence.credit_code_problem(GOOD) is None
    assert licence.credit_code_problem("９１３５０１００Ｍ０００１００Ｙ４３") is None  # full-width, as typed in some forms
    assert "应为 3" in licence.credit_code_problem(BAD)
    assert "18位" in licence.credit_code_problem("9135010")
    assert shelf.parse("6个月") == ((6, "month"), None) and shelf.parse("180 天") == ((180, "day"), None)
    assert shelf.parse("１年")[0] == (1, "year")
    assert "没有单位" in shelf.parse("180")[1] and "读不出" in shelf.parse("常温")[1]
    assert shelf.last_good(D(2026, 12, 1), "7天", None) == D(2026, 12, 7)
    assert shelf.last_good(D(2026, 3, 31), "6个月", None) == D(2026, 9, 29)
    assert shelf.last_good(D(2026, 3, 1), "7天", D(2026, 3, 5)) == D(2026, 3, 5)  # 保质期至 as printed wins


def test_bad_input_located_in_chinese(tmp_path):
    bad = [{**DELIVERIES[0], "shelf_life": "180"}, {**DELIVERIES[1], "produced": D(2026, 10, 9)},
           {**DELIVERIES[2], "sensory": "不合格", "reason": None}, *DELIVERIES[3:]]
    p = book(tmp_path / "bad.xlsx", deliveries=bad)
    problems = {p.address: p for p in validate_book(FileBook(p), TODAY).problems}
    assert problems["进货验收!G2"].code == "shelf_life_unread" and problems["进货验收!G2"].severity == "警告"
    assert "“180”没有单位" in problems["进货验收!G2"].message
    assert problems["进货验收!F3"].code == "produced_after" and "2026-10-09" in problems["进货验收!F3"].message
    assert problems["进货验收!O4"].code == "reject_no_reason"
    # the rejected pork has no accepted delivery now: its 入库 is located
    assert problems["食品出入库!C6"].code == "no_delivery"
    code = problems["供应商!B3"]
    assert code.code == "credit_code_bad" and "末位校验码" in code.message and code.value == BAD


def test_an_older_workbook_reads_with_one_warning(tmp_path):
    """No 进货验收 rows yet (an upgraded workbook): its 食品出入库 stays valid, the tie is one 警告."""
    p = book(tmp_path / "old.xlsx", deliveries=[], suppliers=[], purchase_requests=[],
             stock=[{**r, "invoice": r["invoice"] and "是"} for r in STOCK])
    assert located(p) == [("进货验收!A2", "deliveries_not_started", "警告")]
    assert "“食品出入库”有 7 笔入库" in next(x.message for x in validate_book(FileBook(p), TODAY).problems
                                       if x.code == "deliveries_not_started")


def test_a_new_term_carries_suppliers_and_open_batches(path):
    from kgxl.app.new_term import carry

    rows = carry(validate_book(FileBook(path), D(2027, 1, 25)), D(2027, 2, 20), D(2027, 7, 10), {}).rows
    assert [s["name"] for s in rows["suppliers"]] == ["甲粮油店", "乙肉店"]
    start = D(2027, 2, 20)
    carried = {(r["food"], r["qty_kg"], r["use_by"], r["date"]) for r in rows["deliveries"]}
    # the batches still held at the term's end with their dates (the ledger's own batches have none and stay with 期初)
    assert carried == {("牛奶", 1.0, D(2026, 10, 13), start), ("酸奶", 2.0, D(2026, 11, 2), start),
                       ("大米", 20.5, D(2027, 8, 31), start), ("猪肉", 3.0, None, start)}
    opening = {(r["food"], r["qty_kg"]) for r in rows["stock"]}
    assert {("牛奶", 1.0), ("酸奶", 2.0), ("大米", 20.5), ("猪肉", 3.0)} <= opening


@pytest.fixture(scope="module")
def refreshed(tmp_path_factory):
    """The committed sample after 刷新汇总 as of its 当前月份's end."""
    from conftest import SAMPLE

    from kgxl.front.cli import main

    p = tmp_path_factory.mktemp("procurement_sample") / "Logistics.xlsm"
    p.write_bytes(SAMPLE.read_bytes())
    assert main(["refresh", str(p), "--today", "2026-11-30"]) == 0
    return p


def test_the_sample_has_its_planted_cases(refreshed):
    assert located(refreshed, D(2026, 11, 30)) == [
        ("供应商!E7", "licence_due", "警告"),  # 光华乳业配送站, to 12-20 (milk from 晨光乳品公司 after)
        ("供应商!I4", "not_designated", "警告"), ("供应商!I6", "not_designated", "警告"),  # 水产, 水果
        ("请购单!G4", "approved_late", "警告"),  # 3,817 below 5,000, approved two days after
        ("进货验收!G454", "near_expiry", "警告")]  # 11-30's first rice batch, good to 12-03
    book = FileBook(refreshed)
    names = book.sheet_names()
    assert {"供应商与证照", "进货验收台账", "库存保质期", "采购审批情况"} <= set(names)
    shelf_rows = book.read("库存保质期").rows
    near = next(r for r in shelf_rows if r and r[-1] == "临期")
    assert near[0] == "稻米（代表值）" and near[6] == 3
    # every 入库 of the term so far ties to its deliveries: nothing in the ledger's second table
    ledger = book.read("进货验收台账").rows
    assert ["本月食品出入库的入库都有对应的验收记录"] == [x for x in ledger[ledger.index(next(
        r for r in ledger if r and r[0] == "日期" and r[1] == "食物名称")) + 1] if x]


@pytest.mark.slow
def test_an_upgraded_workbook_keeps_its_stock_valid(tmp_path):
    """`kgxl upgrade` on the release before 园产与物品 (tests/fixtures): the procurement sheets come, and its
    食品出入库 of a term of 入库 stays free of 错误: the tie is one 警告 until 进货验收 has rows."""
    import shutil

    from test_upgrade import OLD

    from kgxl.front.cli import main

    p = tmp_path / "园所.xlsm"
    shutil.copy2(OLD, p)
    assert main(["upgrade", str(p), "--today", "2026-11-30"]) == 0
    assert {"供应商", "进货验收", "请购单"} <= set(FileBook(p).sheet_names())
    problems = validate_book(FileBook(p), D(2026, 11, 30)).problems
    assert [(x.address, x.severity) for x in problems if x.code in MINE] == [("进货验收!A2", "警告")]
    assert not [x for x in problems if x.sheet == "食品出入库" and x.severity == "错误"]
