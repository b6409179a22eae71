"""The fee categories and the 保教费 waiver: the notice groups and states them, a waived fee charged is an
error at its cell, and the sample's notice prints on one A4 page."""
import datetime as dt
import subprocess

import pytest
from conftest import SAMPLE, need
from helpers import table

from kgxl.core.settings import Settings
from kgxl.domains.money.rules import waived_fees
from kgxl.domains.money.sheets.accounts import fee_notice

D = dt.date
ITEMS = [{"item": "保育教育费", "category": "保教费", "price": 1200.0, "unit": "月", "basis": "某价〔2025〕1号", "agency": "否"},
         {"item": "园服费", "category": "代收费", "price": 180.0, "unit": "次", "basis": "家长自愿", "agency": "否"},
         {"item": "伙食费", "category": "伙食费", "price": 8.0, "unit": "天", "basis": "某价〔2025〕1号", "agency": "否"}]


def frames():
    items = table("fee_items", ITEMS)[0].frame
    classes = table("classes", [{"class_name": "大一班", "age_group": "大班", "head_teacher": "李"},
                                {"class_name": "中一班", "age_group": "中班", "head_teacher": "王"}])[0].frame
    kid = {"sex": "女", "birth_date": D(2021, 3, 1), "entry_date": D(2024, 9, 1)}
    roster = table("roster", [{"child_id": "B1", "name": "甲", "class_name": "大一班", **kid},
                              {"child_id": "M1", "name": "乙", "class_name": "中一班", **kid}])[0].frame
    records = table("fee_records", [
        {"date": D(2026, 9, 1), "child_id": "B1", "item": "保育教育费", "amount": 1200.0},   # row 2: waived
        {"date": D(2026, 9, 1), "child_id": "M1", "item": "保育教育费", "amount": 1200.0},   # row 3: 中班 pays
        {"date": D(2026, 9, 1), "child_id": "B1", "item": "伙食费", "amount": 160.0},        # row 4: not 保教费
        {"date": D(2025, 6, 1), "child_id": "B1", "item": "保育教育费", "amount": 1200.0},   # row 5: before the waiver
        {"date": D(2026, 9, 30), "child_id": "B1", "item": "保育教育费", "amount": -1200.0}])[0]  # row 6: paid back
    return items, classes, roster, records


def test_a_public_kindergarten_charging_its_waived_children_is_an_error_at_the_amount():
    items, classes, roster, records = frames()
    public = Settings(ownership="公办")  # 大班 from 2025-09-01 by default
    found = [(p.cell, p.code, p.severity) for p in waived_fees(records, items, roster, classes, public)]
    assert found == [("D2", "waived_fee", "错误")]
    assert waived_fees(records, items, roster, classes, Settings(ownership="民办", waived_groups="大班")) == []


def test_the_notice_groups_by_category_and_states_the_waiver():
    items = frames()[0]
    out = fee_notice(items, Settings(kindergarten_name="园", ownership="公办", phone="1"), D(2026, 9, 1))
    rows = out.blocks[0].rows
    assert [r[:2] for r in rows] == [["保教费", "保育教育费"], ["伙食费", "伙食费"], ["代收费", "园服费"]]
    assert rows[2][6] == "家长自愿" and rows[0][6] == "否"
    assert "自2025年9月1日起大班幼儿免收保育教育费" in out.titles[1] and "国办发〔2025〕27号" in out.titles[1]
    assert "按下表项目" in out.titles[1]
    private = fee_notice(items, Settings(ownership="普惠性民办", waived_groups="大班"), D(2026, 9, 1))
    assert "相应减免" in private.titles[1]


@pytest.mark.slow
def test_the_sample_notice_prints_on_one_a4_page(tmp_path):
    need("soffice", "pdftotext", "pdfinfo")
    from kgxl.front.cli import main

    book = tmp_path / "Logistics.xlsm"
    book.write_bytes(SAMPLE.read_bytes())
    assert main(["fees", str(book), "--today", "2026-11-21"]) == 0
    assert main(["export", str(book), "--sheets", "收费公示", "--pdf", "--out", str(tmp_path)]) == 0
    pdf = next(tmp_path.glob("*收费公示*.pdf"))
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Pages:           1" in info and "(A4)" in info
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for words in ("收费类别", "保教费", "伙食费", "代收费", "家长自愿", "大班幼儿免收保育教育费", "国办发〔2025〕27号"):
        assert words in text, words


def test_what_the_notice_would_print_unexplained_is_a_warning_at_its_cell():
    """A fee item with no 收费类别 printed “未分类” on 收费公示 and a 代收费 marked 代收代办=否 was silently 家长自愿."""
    from kgxl.domains.money.rules import fee_item_problems

    items = table("fee_items", [*ITEMS, {"item": "兴趣班", "price": 300.0, "unit": "学期", "basis": "无", "agency": "否"}])[0]
    found = [(p.cell, p.code, p.severity) for p in fee_item_problems(items)]
    assert found == [("G3", "voluntary_not_agency", "警告"), ("B5", "fee_category_blank", "警告")]
