"""Fast tests of the areas whose end-to-end tests are slow (export, new term, upgrade, provenance): each on a small
workbook the test builds, through the same functions the commands use, so a change there is told in seconds."""
import datetime as dt
import zipfile

import openpyxl
from helpers import parts, replace_part

from kgxl.app.books import book_bytes
from kgxl.app.build import Record, read_inputs, read_record
from kgxl.app.new_term import carry
from kgxl.app.pipeline import validate_book
from kgxl.app.provenance import generated, out_of_date
from kgxl.app.registry import current
from kgxl.app.run_log import DigestBook
from kgxl.app.session import run_on_file
from kgxl.app.upgrade import plan
from kgxl.core.schema import load_schemas
from kgxl.io.export_package import Blank, export_package
from kgxl.io.filebook import FileBook
from kgxl.io.package import workbook_sheets
from kgxl.io.upgrade_package import apply_upgrade

D = dt.date
SETTINGS = {"kindergarten_name": "小园", "term_label": "2026-2027学年第一学期", "term_start": D(2026, 9, 1),
            "term_end": D(2027, 1, 22), "meal_fee": 8.0, "refund_rule": "按缺勤天数退", "balance_period": "月",
            "principal": "甲", "accountant": "乙", "health_teacher": "丙", "current_month": "2026-11"}
CLASSES = [{"class_name": "小一班", "age_group": "小班", "head_teacher": "李一"},
           {"class_name": "大一班", "age_group": "大班", "head_teacher": "王二"}]
ROSTER = [{"child_id": "K1", "name": "张三", "sex": "男", "birth_date": D(2023, 3, 1), "class_name": "小一班",
           "entry_date": D(2026, 9, 1)},
          {"child_id": "K2", "name": "李四", "sex": "女", "birth_date": D(2021, 3, 1), "class_name": "大一班",
           "entry_date": D(2024, 9, 1)},
          {"child_id": "K3", "name": "王五", "sex": "女", "birth_date": D(2023, 5, 1), "class_name": "小一班",
           "entry_date": D(2026, 9, 1), "leave_date": D(2026, 10, 30)}]


def small_book(path, **rows):
    path.write_bytes(book_bytes({"settings": SETTINGS, "classes": CLASSES, "roster": ROSTER, **rows}, {}))
    return path


# -- export ------------------------------------------------------------------------------------------------------
SHEET = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"
 xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><!-- <x:row r="1"/> -->
<x:sheetPr codeName='Sheet7'/><x:sheetViews><x:sheetView tabSelected="1" workbookViewId="0"/></x:sheetViews>
<x:sheetData><x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="B1"><x:f>1+2</x:f><x:v>3</x:v></x:c>
<x:c r="C1" t="inlineStr"><x:is><x:t>=SUM(A1)</x:t></x:is></x:c></x:row>
<x:row r="2"><x:c r="A2" t="str"><x:f>"x"</x:f><x:v>x&lt;y</x:v></x:c><x:c r="B2" t="inlineStr"><x:is><x:t>王老师</x:t></x:is></x:c>
<x:c r="C2" t="e"><x:v>#N/A</x:v></x:c></x:row></x:sheetData>
<x:hyperlinks><x:hyperlink ref="A1" location="'留在园里'!A1"/><x:hyperlink ref="A2" location="'报表'!B2"/></x:hyperlinks>
<x:dataValidations count="1"><x:dataValidation sqref="A1"><x:formula1>"a"</x:formula1></x:dataValidation></x:dataValidations>
<x:pageSetup orientation="landscape" r:id="rId9"/></x:worksheet>"""


def test_a_copy_is_values_only_and_read_by_the_parser(tmp_path):
    """A prefixed, commented sheet: formulas go (their values stay), strings inline, text that looks like a formula
    keeps the quote prefix, a link into a sheet that stays home goes, a column naming staff is blanked."""
    src = tmp_path / "src.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "报表"
    wb.create_sheet("留在园里")
    wb.save(src)
    files = parts(src)
    sheet = next(e.part for e in workbook_sheets(files) if e.name == "报表")
    replace_part(src, sheet, SHEET.encode())
    replace_part(src, "xl/sharedStrings.xml", '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                 '<si><t>共享</t></si></sst>'.encode())
    rels = parts(src)["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>", b'<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                             b'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
    replace_part(src, "xl/_rels/workbook.xml.rels", rels)
    data = export_package(src, ["报表"], "小园", "标题", dt.datetime(2026, 11, 30, 9, 0),
                          {"报表": Blank(frozenset({"B"}), 2)})
    out = tmp_path / "out.xlsx"
    out.write_bytes(data)
    copied = openpyxl.load_workbook(out)
    assert copied.sheetnames == ["报表"]
    ws = copied["报表"]
    assert [[c.value for c in r] for r in ws.iter_rows()] == [["共享", 3, "=SUM(A1)"], ["x<y", None, "#N/A"]]
    assert ws["C1"].quotePrefix and not ws["A1"].quotePrefix
    xml = zipfile.ZipFile(out).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<x:f>" not in xml and "codeName" not in xml and "dataValidation" not in xml
    assert "'报表'!B2" in xml and "留在园里" not in xml and "r:id" not in xml and 'tabSelected="1"' in xml


# -- a new term --------------------------------------------------------------------------------------------------
def test_a_new_school_year_carries_by_each_domains_policy(tmp_path):
    staff = [{"staff_id": "T1", "name": "李一", "role": "教师", "class_name": "小一班", "start_date": D(2020, 9, 1)},
             {"staff_id": "T2", "name": "王二", "role": "教师", "class_name": "大一班", "start_date": D(2020, 9, 1)},
             {"staff_id": "T3", "name": "赵六", "role": "保洁", "start_date": D(2020, 9, 1), "end_date": D(2026, 12, 31)}]
    stock = [{"date": D(2026, 9, 1), "kind": "入库", "food": "大米", "category": "粮食", "qty_kg": 10, "unit_price": 6,
              "amount": 60, "handler": "乙"},
             {"date": D(2026, 9, 2), "kind": "出库", "food": "大米", "category": "粮食", "qty_kg": 4, "unit_price": 6,
              "amount": 24, "handler": "乙"}]
    checks = [{"child_id": k, "date": D(2026, 9, 10), "height_cm": 100.0, "weight_kg": 16.0} for k in ("K1", "K2")]
    fees = [{"item": "伙食费", "category": "伙食费", "price": 8.0, "unit": "天"}]
    book = small_book(tmp_path / "old.xlsx", staff=staff, stock=stock, health_checks=checks, fee_items=fees)
    v = validate_book(FileBook(book), D(2027, 1, 22))
    c = carry(v, D(2027, 9, 1), D(2028, 1, 20), {})
    assert c.term.classes == {"小一班": "中一班", "大一班": "离园"} and c.term.restart == {"大一班": "小一班"}
    assert [(r["class_name"], r["age_group"]) for r in c.rows["classes"]] == [("中一班", "中班"), ("小一班", "小班")]
    assert [(r["child_id"], r["class_name"]) for r in c.rows["roster"]] == [("K1", "中一班")]
    assert c.term.counts == {"enrolled": 1, "moved_up": 1, "left_class": 1, "left_before": 1}
    assert [(s["staff_id"], s["class_name"]) for s in c.rows["staff"]] == [("T1", "中一班"), ("T2", "小一班")]
    assert [(r["kind"], r["food"], r["qty_kg"], r["amount"]) for r in c.rows["stock"]] == [("期初", "大米", 6.0, 36.0)]
    assert [r["child_id"] for r in c.rows["health_checks"]] == ["K1"]
    assert [r["item"] for r in c.rows["fee_items"]] == ["伙食费"]  # kept as it is
    assert c.rows["settings"]["term_label"] == "2027-2028学年第一学期" and c.rows["settings"]["meal_fee"] == 8.0
    assert c.rows["fee_records"] == [] and c.rows["menu"] == []  # records start empty
    assert set(c.derived) >= {"settings", "classes", "roster", "staff", "stock", "health_checks"}


# -- upgrade -----------------------------------------------------------------------------------------------------
def test_an_old_layout_gains_what_it_lacks_and_keeps_what_was_typed(tmp_path):
    """A workbook of an older layout: a 基本信息 with three items, a 幼儿名册 without 备注, no other sheet."""
    book = tmp_path / "old.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "基本信息"
    for r in (["项目", "内容", "说明"], ["园所名称", "小园", None], ["学期开始日期", dt.datetime(2026, 9, 1), None],
              ["学期结束日期", dt.datetime(2027, 1, 22), None]):
        ws.append(r)
    roster = wb.create_sheet("幼儿名册")
    headers = [c.header for c in load_schemas()["roster"].columns if c.key != "note"]
    roster.append(headers)
    roster.append(["K1", "张三", "男", dt.datetime(2023, 3, 1), "小一班", dt.datetime(2026, 9, 1)])
    wb.save(book)
    fb = FileBook(book)
    u = plan(fb)
    fb.edit(lambda p: apply_upgrade(p, u))
    after = openpyxl.load_workbook(book)
    wanted = [s.sheet for s in current().inputs if not s.monthly]
    assert [n for n in after.sheetnames if n in wanted] == wanted  # every input sheet, in order
    items = [r[0] for r in after["基本信息"].iter_rows(min_row=2, values_only=True)]
    assert items[:3] == ["园所名称", "学期开始日期", "学期结束日期"]
    assert set(items) == {i.header for i in load_schemas()["settings"].items}
    rows = [list(r) for r in after["幼儿名册"].iter_rows(values_only=True)]
    assert rows[0] == headers + [None] * (len(rows[0]) - len(headers) - 1) + ["备注"]
    assert rows[1][:2] == ["K1", "张三"] and after["基本信息"]["B2"].value == "小园"


# -- provenance --------------------------------------------------------------------------------------------------
def test_a_report_is_current_only_while_its_inputs_and_its_sheet_are_as_recorded(tmp_path):
    assert generated("出勤汇总") and generated("2026年11月检查")
    assert not generated("幼儿名册") and not generated("出勤-2026-11") and not generated("我的表")
    fees = [{"item": "伙食费", "category": "伙食费", "price": 8.0, "unit": "天", "basis": "某价〔2025〕1号", "agency": "否"}]
    book = small_book(tmp_path / "book.xlsx", fee_items=fees)
    assert run_on_file("fees", book, {"today": D(2026, 11, 30)})[-1][0].written[:1] == ["收费公示"]

    def stale() -> list[str]:
        reading = DigestBook(FileBook(book))
        return out_of_date(reading, ["收费公示", "幼儿名册"], read_inputs(reading, Record({}, {}), {}))
    assert stale() == []
    assert read_record(FileBook(book)).entries["fees"].sheets == ("收费公示",)
    wb = openpyxl.load_workbook(book)
    wb["收费公示"]["A30"] = "手写的一行"  # typed into the report: not what was computed
    wb.save(book)
    assert stale() == ["收费公示"]
    run_on_file("fees", book, {"today": D(2026, 11, 30)})
    assert stale() == []
    wb = openpyxl.load_workbook(book)
    wb["收费项目"]["C2"] = 9.0  # an input it reads changed
    wb.save(book)
    assert stale() == ["收费公示"]
    wb["收费项目"]["C2"] = 8.0
    wb["班级"]["C2"] = "周七"  # an input it does not read: still current
    wb.save(book)
    assert stale() == []
