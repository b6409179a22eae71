"""票据 control (#48, the receipt books) worked by hand on a small book: two books (SF00001–SF00010 in use, 100–104
used up and 核销), October's payments with a number used twice, one outside every book, one missing, one typed
"NO.ＳＦ０００９", one unreadable, a refund repeating its payment's number, a void and a void of a used number:
every figure of 票据使用情况, each problem at its cell, and what a new term carries."""
import datetime as dt

import pytest

from kgxl.app.books import book_bytes
from kgxl.app.pipeline import ACTIONS, validate_book
from kgxl.io.filebook import FileBook

D = dt.date
TODAY = D(2026, 11, 5)
SETTINGS = {"kindergarten_name": "测试园", "term_label": "2026-2027学年第一学期", "term_start": D(2026, 9, 1),
            "term_end": D(2027, 1, 22), "meal_fee": 8.0, "refund_rule": "不退", "balance_period": "月",
            "principal": "园长", "accountant": "会计", "health_teacher": "保健", "current_month": "2026-10"}
ITEMS = [{"item": i, "category": c, "price": p, "unit": u, "basis": "示例", "agency": a}
         for i, c, p, u, a in (("保育教育费", "保教费", 1200.0, "月", "否"), ("伙食费", "伙食费", 8.0, "天", "否"),
                               ("园服费", "代收费", 180.0, "次", "是"))]
BOOKS = [{"kind": "收款收据", "prefix": "SF", "first": 1, "last": 10, "issued": D(2026, 9, 1), "holder": "会计"},  # row 2
         {"kind": "收款收据", "prefix": None, "first": 100, "last": 104, "issued": D(2026, 9, 1), "holder": "会计",
          "closed": D(2026, 10, 20)}]


def paid(month, day, child, item, amount, receipt):
    return {"date": D(2026, month, day), "child_id": child, "item": item, "amount": amount, "receipt": receipt}


RECORDS = [paid(10, 8, "C01", "保育教育费", 1200.0, "SF00001"), paid(10, 8, "C02", "保育教育费", 1200.0, "SF00002"),
           paid(10, 8, "C03", "保育教育费", 1200.0, "SF00003"), paid(10, 9, "C01", "伙食费", 160.0, "SF00005"),
           paid(10, 9, "C02", "伙食费", 160.0, "SF00005"),  # row 6: used twice
           paid(10, 9, "C03", "伙食费", 160.0, "SF00008"),  # 6 and 7 skipped
           paid(10, 10, "C01", "伙食费", -16.0, "SF00005"),  # a refund may repeat its payment's number
           paid(10, 12, "C02", "园服费", 180.0, "SF00020"),  # row 9: in no book
           paid(10, 12, "C03", "园服费", 180.0, None),  # row 10: no number
           paid(10, 13, "C01", "园服费", 180.0, "NO.ＳＦ０００９"),  # row 11: read as SF00009
           paid(10, 14, "C02", "园服费", 180.0, "收据九"),  # row 12: unreadable
           paid(10, 15, "C03", "保育教育费", 100.0, "100"),
           *(paid(9, 10, "C01", "伙食费", 50.0, str(n)) for n in range(101, 105))]
VOIDS = [{"receipt": "SF00004", "date": D(2026, 10, 9), "reason": "写错"},
         {"receipt": "SF00002", "date": D(2026, 10, 10), "reason": "重复"}]  # row 3: a used number


def book(path, **changes):
    rows = {"settings": SETTINGS, "classes": [{"class_name": "小一班", "age_group": "小班", "head_teacher": "某"}],
            "roster": [{"child_id": c, "name": f"童{c}", "sex": "女", "birth_date": D(2022, 3, 1), "class_name": "小一班",
                        "entry_date": D(2026, 9, 1)} for c in ("C01", "C02", "C03")],
            "fee_items": ITEMS, "fee_records": RECORDS, "receipt_books": BOOKS, "receipt_voids": VOIDS, **changes}
    path.write_bytes(book_bytes(rows, {}))
    return path


@pytest.fixture(scope="module")
def path(tmp_path_factory):
    return book(tmp_path_factory.mktemp("receipts") / "r.xlsx")


CODES = {"receipt_unread", "receipt_typed", "receipt_reused", "receipt_outside", "receipt_missing", "receipt_gap"}


def test_each_problem_at_its_cell(path):
    problems = validate_book(FileBook(path), TODAY).problems
    assert not [p for p in problems if p.severity == "错误"]  # the meal account and the settlement go on
    assert sorted((p.address, p.code, p.severity) for p in problems if p.code in CODES) == [
        ("收费记录!E10", "receipt_missing", "警告"), ("收费记录!E11", "receipt_typed", "警告"),
        ("收费记录!E12", "receipt_unread", "警告"), ("收费记录!E6", "receipt_reused", "警告"),
        ("收费记录!E9", "receipt_outside", "警告"), ("票据作废!A3", "receipt_reused", "警告"),
        ("票据领用!C2", "receipt_gap", "警告")]
    said = {p.address: p.message for p in problems}
    assert "按 SF0009 读取" in said["收费记录!E11"] and "收费记录”E5" in said["收费记录!E6"]
    assert "SF00006–SF00007" in said["票据领用!C2"]


def test_receipts_sheet(path):
    sheet = next(o for o in ACTIONS["receipts"].run(FileBook(path), month="2026-10", today=TODAY).outputs
                 if o.name == "票据使用情况")
    books, voids, bad = (b.rows for b in sheet.blocks)
    # SF: first uses in October 1, 2, 3, 5, 8, 9 (1200×3 + 160×2 + 180), void 4; numbers taken 1-5, 8, 9: 3 left
    assert books == [
        ["收款收据", "SF00001–SF00010", D(2026, 9, 1), "会计", 6, "SF00001–SF00009", 1, 4100.0, 6, 1, 4100.0, 3,
         "SF00006–SF00007", "使用中"],
        ["收款收据", "100–104", D(2026, 9, 1), "会计", 1, "100", 0, 100.0, 5, 0, 300.0, 0, None, "已核销 2026-10-20"]]
    assert voids == [["SF00004", D(2026, 10, 9), "写错"]]
    assert bad == [[D(2026, 10, 9), "收费", "C02", 160.0, "SF00005", "重复使用"],
                   [D(2026, 10, 12), "收费", "C02", 180.0, "SF00020", "不在领用的号段内"],
                   [D(2026, 10, 14), "收费", "C02", 180.0, "收据九", "读不出"],
                   [D(2026, 10, 10), "作废", None, None, "SF00002", "重复使用"]]
    assert sheet.blocks[0].row_styles == {0: "warning"}
    assert "2 本票据，本月使用 7 张、作废 1 张，收费 4,200.00 元；跳号 1 本，有问题的票据号 4 个" in sheet.titles[1]


def test_a_new_term_carries_the_book_in_use(path):
    from kgxl.app.new_term import carry

    rows = carry(validate_book(FileBook(path), D(2027, 1, 25)), D(2027, 2, 20), D(2027, 7, 10), {}).rows
    assert [(b["prefix"], b["first"], b["last"]) for b in rows["receipt_books"]] == [("SF", 1, 10)]
    assert rows["receipt_voids"] == []  # its voids stay with the term they were made in


def test_the_sample_books_and_its_void():
    from conftest import SAMPLE

    v = validate_book(FileBook(SAMPLE), D(2026, 11, 30))
    assert not [p for p in v.problems if p.code in CODES]
    books = v.tables["receipt_books"].frame
    assert list(books["first"]) == [1, 501, 1001] and books["closed"].notna().tolist() == [True, False, False]
    assert list(v.tables["receipt_voids"].frame["receipt"]) == ["SF00777"]
