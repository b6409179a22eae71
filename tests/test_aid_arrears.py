"""#48 worked by hand: 8 children of one class, two fee items (保育教育费 1,000.00 a month, 伙食费 10.00 a day), one
资助 child (C3, 保育教育费 "50%"), one receipt book SF0001–SF0050 with a void, two children in arrears (C7 skipped
October; C8 paid 600.00 of September's 保育教育费 and nothing of October's). Every figure of 学期结算 (多退少补 and
多退少不补), 欠费明细, a 催费通知, 资助情况 and 票据使用情况; what a new term carries.

September has 22 school days, October 18 (first on 10-08). C2 was sick 9/14-15 (按缺勤天数退: 20.00 owed in
September, refunded on 10-08); C5 was away 10/9 (10.00 owed in October, not refunded yet).
Owed to 10-31: meals 220 + 180 (C2 200 + 180, C5 220 + 170); 保育教育费 2 × 1,000 (C3 2 × 500 after 资助).
Paid: everyone 保育教育费 and meals both months but C3 (500 a month), C7 (September only) and C8 (保育教育费 600 in
September only, meals both months). So: C5 +10.00; C7 −180.00 meals −1,000.00 保育教育费 = −1,180.00, late since
10-08 (its September payments cover September); C8 −1,400.00 since 09-01 (September itself is 400.00 short).
"""
import datetime as dt

import openpyxl
import pytest
from test_attendance import block, sheet_rows

from kgxl.app.books import book_bytes
from kgxl.app.pipeline import validate_book
from kgxl.core.calendar import school_days
from kgxl.front.cli import main
from kgxl.io.filebook import FileBook

D = dt.date
TODAY = ["--today", "2026-10-31"]
SEP, OCT = school_days(D(2026, 9, 1), D(2026, 9, 30)), school_days(D(2026, 10, 1), D(2026, 10, 31))
KIDS = [f"C{i}" for i in range(1, 9)]


def book(path, rule="多退少补", aid_standard="50%", **changes):
    settings = {"kindergarten_name": "测试园", "term_label": "2026-2027学年第一学期", "term_start": D(2026, 9, 1),
                "term_end": D(2027, 1, 22), "meal_fee": 10.0, "refund_rule": "按缺勤天数退", "balance_period": "学期",
                "principal": "园长", "accountant": "会计", "health_teacher": "保健", "phone": "0000-1234",
                "current_month": "2026-10", "settle_rule": rule}
    items = [{"item": "保育教育费", "category": "保教费", "price": 1000.0, "unit": "月", "basis": "测价1号", "agency": "否"},
             {"item": "伙食费", "category": "伙食费", "price": 10.0, "unit": "天", "basis": "测价1号", "agency": "否"}]
    fees, n = [], 0

    def pay(day, child, item, amount):
        nonlocal n
        n += 1
        n += n == 17  # SF0017 was voided
        fees.append({"date": day, "child_id": child, "item": item, "amount": amount, "receipt": f"SF{n:04d}"})

    for c in KIDS:
        pay(D(2026, 9, 1), c, "保育教育费", {"C3": 500.0, "C8": 600.0}.get(c, 1000.0))
    for c in KIDS:
        pay(D(2026, 9, 1), c, "伙食费", 220.0)
    for c in KIDS[:6]:
        pay(D(2026, 10, 8), c, "保育教育费", 500.0 if c == "C3" else 1000.0)
    for c in KIDS:
        if c != "C7":
            pay(D(2026, 10, 8), c, "伙食费", 180.0)
    fees.append({"date": D(2026, 10, 8), "child_id": "C2", "item": "伙食费", "amount": -20.0, "receipt": None,
                 "note": "9月病假2天退费"})

    def led(day, n, direction, item, amount):
        return {"date": day, "voucher": f"记{n}", "direction": direction, "budget_item": item, "summary": item,
                "amount": amount, "handler": "会计"}
    ledger = [led(D(2026, 9, 1), 1, "收入", "保育教育费收入", 7100.0), led(D(2026, 9, 1), 2, "收入", "保育教育费收入", 500.0),
              led(D(2026, 9, 1), 3, "收入", "伙食费收入", 1760.0), led(D(2026, 10, 8), 4, "收入", "保育教育费收入", 5500.0),
              led(D(2026, 10, 8), 5, "收入", "保育教育费收入", 500.0),
              led(D(2026, 10, 8), 6, "收入", "伙食费收入", 1250.0),  # 1,240.00 received net: booked 10.00 too much
              led(D(2026, 9, 1), 7, "支出", "幼儿资助", 500.0), led(D(2026, 10, 8), 8, "支出", "幼儿资助", 500.0)]

    def register(days, away):
        return {"days": days, "rows": [{"child_id": c, "name": f"童{c}", "class_name": "小一班", "note": None,
                                        "marks": {d: away.get((c, d), "√") for d in days}} for c in KIDS]}
    rows = {"settings": settings, "classes": [{"class_name": "小一班", "age_group": "小班", "head_teacher": "某"}],
            "roster": [{"child_id": c, "name": f"童{c}", "sex": "女", "birth_date": D(2022, 3, 1), "class_name": "小一班",
                        "entry_date": D(2026, 9, 1)} for c in KIDS],
            "holiday_overrides": [], "fee_items": items, "fee_records": fees, "ledger": ledger,
            "aid": [{"child_id": "C3", "category": "家庭经济困难", "basis": "低保证", "recognized": D(2026, 9, 1),
                     "item": "保育教育费", "standard": aid_standard, "source": "本园事业收入"}],
            "opening_arrears": [],
            "receipt_books": [{"kind": "收款收据", "prefix": "SF", "first": 1, "last": 50, "issued": D(2026, 9, 1),
                               "holder": "会计"}],
            "receipt_voids": [{"receipt": "SF0017", "date": D(2026, 10, 8), "reason": "金额写错"}], **changes}
    away = {("C2", D(2026, 9, 14)): "病", ("C2", D(2026, 9, 15)): "病", ("C5", D(2026, 10, 9)): "事"}
    path.write_bytes(book_bytes(rows, {"2026-09": register(SEP, away), "2026-10": register(OCT, away)}))
    return path


def settled(path, rule="多退少补"):
    assert main(["settle", str(path), "--month", "2026-10", *TODAY]) == 0
    return sheet_rows(path, "学期结算")


def test_the_book_is_clean_and_the_50_percent_is_read(tmp_path):
    problems = validate_book(FileBook(book(tmp_path / "b.xlsx")), D(2026, 10, 31)).problems
    assert [p for p in problems if p.severity == "错误"] == []
    assert not [p for p in problems if p.code.startswith(("aid", "receipt"))]


def test_settlement_under_both_rules(tmp_path):
    rows = settled(book(tmp_path / "b.xlsx"))
    body = block(rows, "一、各幼儿结算")
    assert body[0][3:] == [400, 40, 0, 0, 0, 400, 2000, 0, 2000, 0, "已结清"]  # C1
    by = {r[0]: r[3:] for r in body}
    assert by["C2"] == [380, 40, 0, 2, 20, 380, 2000, 0, 2000, 0, "已结清"]
    assert by["C3"] == [400, 40, 0, 0, 0, 400, 2000, 1000, 1000, 0, "已结清"]  # 资助 50 % of each month
    assert by["C5"] == [400, 40, 0, 1, 10, 390, 2000, 0, 2000, 10, "退 10.00 元"]
    assert by["C7"] == [220, 40, 0, 0, 0, 400, 2000, 0, 1000, -1180, "补 1,180.00 元"]
    assert by["C8"] == [400, 40, 0, 0, 0, 400, 2000, 0, 600, -1400, "补 1,400.00 元"]
    assert body[-1][1:] == ["全园合计", None, 3000, 320, 0, 3, 30, 3170, 16000, 1000, 12600, -2570,
                            "应退 10.00 元，应补 2,580.00 元"]
    assert "全园已缴 15,600.00 元 − 应缴 18,170.00 元 ＝ 应退 10.00 元 − 应补 2,580.00 元 ＝ -2,570.00 元" in rows[1][0]
    # 收费 + 资助 − 退费 against 收支明细: 伙食费 booked 10.00 too much in October, listed
    assert [r[:8] for r in block(rows, "二、收费与收支明细核对（本学期截至 2026-10-31）")] == [
        ["保育教育费", 12600, 0, 1000, 13600, 13600, 0, "一致"],
        ["伙食费", 3020, 20, 0, 3000, 3010, 10, "10月 +10.00"]]

    keep = book(tmp_path / "k.xlsx", rule="多退少不补")
    rows = settled(keep)
    by = {r[0]: r[3:] for r in block(rows, "一、各幼儿结算")}
    # C7's meals (used, not paid: 180.00) are waived; its 保育教育费 is still owed. C8 owes no meals: nothing waived
    assert by["C7"] == [220, 40, 0, 0, 0, 400, 2000, 0, 1000, -1180, 180, "补 1,000.00 元（减免 180.00 元）"]
    assert by["C8"][-2:] == [0, "补 1,400.00 元"]
    assert "多退少不补" in rows[0][0] and "其中减免 180.00 元，结算后应补 2,400.00 元" in rows[1][0]


def test_arrears_list_and_a_reminder(tmp_path):
    path = book(tmp_path / "b.xlsx")
    assert main(["arrears", str(path), "--month", "2026-10", *TODAY]) == 0
    rows = sheet_rows(path, "欠费明细")
    assert rows[2] == ["班级", "幼儿编号", "姓名", "伙食费欠缴", "保育教育费欠缴", "合计欠费", "欠费起始日期", "逾期天数",
                       "最近缴费日期"]
    assert [r[:6] + [r[6].date() if r[6] else None, r[7], r[8].date() if r[8] else None] for r in rows[3:6]] == [
        ["小一班", "C7", "童C7", 180, 1000, 1180, D(2026, 10, 8), 23, D(2026, 9, 1)],
        ["小一班", "C8", "童C8", 0, 1400, 1400, D(2026, 9, 1), 60, D(2026, 10, 8)],
        ["小一班", "2 人", "小计", 180, 2400, 2580, None, None, None]]
    assert "共 2 名幼儿欠费，合计 2,580.00 元" in rows[1][0]
    slips = sheet_rows(path, "催费通知")
    at = next(i for i, r in enumerate(slips) if r[0] and "童C8" in r[0])
    slip = slips[at:at + 8]
    assert slip[0][0] == "测试园 催费通知　　小一班 童C8 家长："
    assert slip[2:5] == [["伙食费", 400, None, 400, 0], ["保育教育费", 2000, None, 600, 1400],
                         ["合计尚欠", None, None, None, 1400]]
    assert slip[5][:4] == ["欠费起始", "2026-09-01", "逾期天数", 60] and slip[6][4] == "0000-1234"
    assert not any("C7" in str(c) for r in slip for c in r)  # nothing of another child on the slip
    # the settlement and the list agree to the fen, child by child
    owed = {r[1]: r[5] for r in rows[3:] if r[2] not in ("小计", "全园合计") and r[1]}
    body = {r[0]: r[-2] for r in block(settled(path), "一、各幼儿结算") if r[0]}
    assert owed == {c: -b for c, b in body.items() if b < 0}


def test_aid_report_goes_out_without_names(tmp_path):
    path = book(tmp_path / "b.xlsx")
    assert main(["aid", str(path), "--month", "2026-10", *TODAY]) == 0
    rows = sheet_rows(path, "资助情况")
    assert block(rows, "一、按资助类别") == [["家庭经济困难", 1, 1000, 1000, 500], ["孤儿", 0, 0, 0, 0], ["残疾", 0, 0, 0, 0],
                                        ["其他", 0, 0, 0, 0], ["合计", 1, 1000, 1000, 500]]
    assert block(rows, "二、按资金来源")[0] == ["本园事业收入", 1, 1000, 1000, 500]
    third = block(rows, "三、从事业收入中提取资助资金的比例")
    assert [r[:2] for r in third] == [["本学期事业收入（收支明细中保教费等收费收入）", 13600],
                                      ["本园事业收入列支的资助", 1000], ["占事业收入的比例", 0.0735],
                                      ["规定的提取比例", "3%–5%（财教〔2011〕410号，具体比例由各地确定）"], ["结论", "高于 5%"]]
    text = str(rows)
    assert "C3" not in text and "童" not in text


def test_receipt_book_of_the_month(tmp_path):
    path = book(tmp_path / "b.xlsx")
    assert main(["receipts", str(path), "--month", "2026-10", *TODAY]) == 0
    rows = sheet_rows(path, "票据使用情况")
    books = block(rows, "一、各本票据")
    # October: 保育教育费 of C1-C6 (5 × 1,000 + 500) and meals of seven (7 × 180): SF0018–SF0030, void SF0017
    assert [books[0][0], books[0][1], books[0][2].date(), books[0][3]] == ["收款收据", "SF0001–SF0050", D(2026, 9, 1), "会计"]
    assert books[0][4:] == [13, "SF0018–SF0030", 1, 6760, 29, 1, 15620, 20, None, "使用中"]
    voids = block(rows, "二、本月作废")
    assert [(r[0], r[1].date(), r[2]) for r in voids] == [("SF0017", D(2026, 10, 8), "金额写错")]
    assert block(rows, "三、本月有问题的票据号")[0][5] == "本月票据号没有问题"


def test_below_the_band_and_bad_aid_rows(tmp_path):
    rows = [{"child_id": "C3", "category": "家庭经济困难", "basis": "低保证", "recognized": D(2026, 9, 1),
             "item": "保育教育费", "standard": s, "source": "社会捐助"} for s in ("５０％", "三成", "120%", "6000")]
    rows.append({"child_id": "C9", "category": "其他", "basis": "x", "recognized": D(2026, 9, 1), "item": "伙食费",
                 "standard": "100", "source": "其他"})
    problems = validate_book(FileBook(book(tmp_path / "b.xlsx", aid=rows)), D(2026, 10, 31)).problems
    got = sorted((p.address, p.code) for p in problems if p.sheet == "资助对象")
    # row 2 "５０％" is read (50 %); the later rows for C3's 保育教育费 overlap it; 6000.00 is more than its 5 months
    assert got == [("资助对象!A6", "unknown_ref"), ("资助对象!E3", "aid_twice"), ("资助对象!E4", "aid_twice"),
                   ("资助对象!E5", "aid_twice"), ("资助对象!F3", "aid_standard"), ("资助对象!F4", "aid_beyond_fee"),
                   ("资助对象!F5", "aid_beyond_fee")]
    band = [p for p in problems if p.code == "aid_below_band"]  # nothing from own funds: 0 % of 13,600.00
    assert len(band) == 1 and band[0].sheet == "基本信息" and "低于规定的 3%" in band[0].message


def test_a_new_term_carries_aid_books_and_arrears(tmp_path):
    path = book(tmp_path / "b.xlsx")
    new = tmp_path / "下学期.xlsm"
    assert main(["new-term", str(path), str(new), "--term-start", "2027-02-24", "--term-end", "2027-07-09"]) == 0
    wb = openpyxl.load_workbook(new)
    aid = [r for r in wb["资助对象"].iter_rows(min_row=2, values_only=True) if any(r)]
    assert [(r[0], r[5]) for r in aid] == [("C3", "50%")]
    assert [r[:4] for r in wb["票据领用"].iter_rows(min_row=2, values_only=True) if any(r)] == [("收款收据", "SF", 1, 50)]
    carried = {r[0]: r[1] for r in wb["上学期欠费"].iter_rows(min_row=2, values_only=True) if any(r)}
    # the old term settled to its last day: November to January's 保育教育费 unpaid by everyone (3 × 1,000; C3 500),
    # besides October's arrears and C5's refund
    assert carried == {"C1": 3000, "C2": 3000, "C3": 1500, "C4": 3000, "C5": 2990, "C6": 3000, "C7": 4180,
                       "C8": 4400}
    assert main(["settle", str(new), "--month", "2027-02", "--today", "2027-02-24"]) == 0
    body = {r[0]: r for r in block(sheet_rows(new, "学期结算"), "一、各幼儿结算") if r[0]}
    assert body["C8"][3] == 4400  # 上学期欠费, owed on in the new term


@pytest.mark.parametrize("typed", ["NO.SF0012", "ＳＦ００１２"])
def test_a_receipt_typed_otherwise_is_read(tmp_path, typed):
    path = book(tmp_path / "b.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["收费记录"]
    ws["E13"] = typed  # SF0012 as typed on the 9-01 meal payment of C4
    wb.save(path)
    problems = validate_book(FileBook(path), D(2026, 10, 31)).problems
    assert [(p.address, p.code) for p in problems if p.code.startswith("receipt")] == [("收费记录!E13", "receipt_typed")]


@pytest.mark.slow
def test_on_the_sample_the_settlement_and_the_arrears_agree(sample_copy):
    """Every child: 学期结算's balance is minus the 欠费明细 amount (or a refund owed); the fee income ties out with
    收支明细 (the sample books each month's 资助 as fee income); the 资助 share is in the band."""
    day = ["--month", "2026-11", "--today", "2026-11-30"]
    assert main(["settle", str(sample_copy), *day]) == 0 and main(["arrears", str(sample_copy), *day]) == 0
    settle = block(sheet_rows(sample_copy, "学期结算"), "一、各幼儿结算")
    balance = {r[0]: round(r[-2] * 100) for r in settle if r[0]}
    arrears = sheet_rows(sample_copy, "欠费明细")
    header = arrears[2]
    owed = {r[1]: round(r[header.index("合计欠费")] * 100) for r in arrears[3:]
            if r[2] not in ("小计", "全园合计") and r[1]}
    assert owed and owed == {c: -b for c, b in balance.items() if b < 0}
    assert max(owed.values()) == 240000  # the child two months behind: 2 × 1,200.00
    tie = block(sheet_rows(sample_copy, "学期结算"), "二、收费与收支明细核对（本学期截至 2026-11-30）")
    assert [(r[0], r[7]) for r in tie] == [("保育教育费", "一致"), ("伙食费", "一致"), ("园服费", "一致")]
    slips = sheet_rows(sample_copy, "催费通知")
    assert sum(1 for r in slips if r[0] and "家长：" in str(r[0])) == len(owed)
