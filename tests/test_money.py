"""The money reports on a two-month scenario worked by hand, bad amounts, and the sample's months."""
import datetime as dt

import openpyxl
import pandas as pd
import pytest
from test_attendance import block, sheet_rows

from kgxl.app.books import book_bytes
from kgxl.core.calendar import school_days
from kgxl.front.cli import main

D = dt.date
SEP = school_days(D(2026, 9, 1), D(2026, 9, 30))  # 22 school days (中秋 25th off, Sunday 20th a make-up day)
OCT = school_days(D(2026, 10, 1), D(2026, 10, 31))  # 18 school days after 国庆
SICK = (D(2026, 9, 14), D(2026, 9, 15))
TODAY = ["--today", "2026-11-05"]


def stock_row(day, kind, food, category, kg, price, amount, **extra):
    return {"date": day, "kind": kind, "food": food, "category": category, "qty_kg": kg, "unit_price": price,
            "amount": amount, "handler": "厨师", **extra}


STOCK = [
    stock_row(D(2026, 9, 1), "期初", "大米", "粮食", 10, 5, 50.0),
    stock_row(D(2026, 9, 1), "入库", "大米", "粮食", 40, 5, 200.0),
    stock_row(D(2026, 9, 1), "入库", "猪肉", "肉禽蛋", 8, 30, 240.0),
    stock_row(D(2026, 9, 15), "出库", "大米", "粮食", 35, 5, 175.0),
    stock_row(D(2026, 9, 15), "出库", "猪肉", "肉禽蛋", 8, 30, 240.0),
    stock_row(D(2026, 10, 9), "入库", "青菜", "蔬菜", 40, 4, 160.0),
    stock_row(D(2026, 10, 9), "入库", "猪肉", "肉禽蛋", 6, 32.5, 195.0),
    stock_row(D(2026, 10, 20), "出库", "大米", "粮食", 10, 5, 50.0),
    stock_row(D(2026, 10, 20), "出库", "青菜", "蔬菜", 35, 4, 140.0),
    stock_row(D(2026, 10, 20), "出库", "猪肉", "肉禽蛋", 6, 32.5, 195.0),
    stock_row(D(2026, 10, 30), "盘点", "大米", "粮食", 4.8, 5, 24.0),  # the book says 5 kg: 1.00 元 盘亏
    stock_row(D(2026, 10, 30), "盘点", "青菜", "蔬菜", 5, 4, 20.0),
]


def fee(day, child, item, amount, note=None):
    return {"date": day, "child_id": child, "item": item, "amount": amount, "note": note}


def money_book(path, stock=STOCK, fees=None, ledger=None, budget=None, period="月"):
    settings = {"kindergarten_name": "测试幼儿园", "term_label": "2026-2027学年第一学期", "term_start": D(2026, 9, 1),
                "term_end": D(2027, 1, 22), "meal_fee": 10.0, "refund_rule": "按缺勤天数退", "balance_period": period,
                "principal": "园长甲", "accountant": "会计乙", "health_teacher": "保健丙", "phone": "0000-1234"}
    kid = {"sex": "女", "birth_date": D(2022, 3, 1), "entry_date": D(2026, 9, 1)}
    roster = [{"child_id": "A001", "name": "甲", "class_name": "小一班", **kid},
              {"child_id": "A002", "name": "乙", "class_name": "小一班", **kid}]
    items = [{"item": "伙食费", "price": 10.0, "unit": "天", "basis": "测价〔2026〕1号", "refund_rule": "按缺勤天数退",
              "agency": "否"},
             {"item": "园服费", "price": 150.0, "unit": "次", "basis": "家长自愿", "refund_rule": "多退少补", "agency": "是"}]
    fees = fees if fees is not None else [
        fee(D(2026, 9, 1), "A001", "伙食费", 220.0), fee(D(2026, 9, 1), "A002", "伙食费", 220.0),
        fee(D(2026, 9, 1), "A001", "园服费", 150.0), fee(D(2026, 9, 1), "A002", "园服费", 150.0),
        fee(D(2026, 10, 8), "A001", "伙食费", 180.0), fee(D(2026, 10, 8), "A002", "伙食费", 180.0),
        fee(D(2026, 10, 8), "A001", "伙食费", -20.0, "9月病假2天退费")]
    budget = budget if budget is not None else [
        {"budget_item": "伙食费收入", "category": "伙食", "direction": "收入", "amount": 1000.0},
        {"budget_item": "办公费", "category": "公用经费", "direction": "支出", "amount": 100.0},
        {"budget_item": "园服费代付", "category": "代收代办", "direction": "支出", "amount": 300.0}]
    ledger = ledger if ledger is not None else [
        {"date": D(2026, 9, 1), "voucher": "记1", "direction": "收入", "budget_item": "伙食费收入", "summary": "9月伙食费",
         "amount": 440.0, "handler": "会计乙"},
        {"date": D(2026, 9, 20), "voucher": "记2", "direction": "支出", "budget_item": "园服费代付", "summary": "园服",
         "amount": 290.01, "handler": "会计乙"},
        {"date": D(2026, 10, 9), "voucher": "记3", "direction": "支出", "budget_item": "办公费", "summary": "纸张",
         "amount": 120.0, "handler": "会计乙"},
        {"date": D(2026, 10, 9), "voucher": "记4", "direction": "支出", "budget_item": "杂费", "summary": "未列预算",
         "amount": 50.0, "handler": "会计乙"},
        {"date": D(2026, 11, 2), "voucher": "记5", "direction": "支出", "budget_item": "办公费", "summary": "11月",
         "amount": 9.0, "handler": "会计乙"}]

    def register(days, sick=()):
        rows = [{"child_id": c, "name": n, "class_name": "小一班", "note": None,
                 "marks": {d: "病" if c == "A001" and d in sick else "√" for d in days}}
                for c, n in (("A001", "甲"), ("A002", "乙"))]
        return {"days": days, "rows": rows}

    data = {"settings": settings, "classes": [{"class_name": "小一班", "age_group": "小班", "head_teacher": "老师"}],
            "roster": roster, "holiday_overrides": [], "stock": stock, "fee_items": items, "fee_records": fees,
            "ledger": ledger, "budget": budget}
    path.write_bytes(book_bytes(data, {"2026-09": register(SEP, SICK), "2026-10": register(OCT)}))
    return path


def test_two_months_by_hand(tmp_path, capsys):
    path = money_book(tmp_path / "m.xlsx")
    assert main(["meals", str(path), "--month", "2026-10", *TODAY]) == 0
    assert "亏损超过2%" in capsys.readouterr().out  # October overspent, and the summary says so
    rows = sheet_rows(path, "伙食费核算")
    # September: 42 child-days (2 x 22, less 2 sick days), 440 received, 20 owed back -> income 420;
    # food: 50 期初 + 440 bought - 75 left (15 kg rice) = 415; balance 5 = 1.19 %.
    # October: 36 child-days, 360 received, nothing owed (the 20 paid back this month was September's);
    # food: 75 carried over + 355 bought - 44 counted (24 rice after a 1.00 盘亏, 20 greens) = 386;
    # balance -26 = -7.22 %; the term: income 780, balance -21 = -2.69 %.
    assert block(rows, "一、各月收支") == [
        ["2026年9月", 42, 10, 440, 20, 420, 415, 5, 1.19, 420, 5, 1.19, 9.88, "正常", "出勤表", 0],
        ["2026年10月", 36, 10, 360, 0, 360, 386, -26, -7.22, 780, -21, -2.69, 10.72, "亏损超过2%", "出勤表", 20],
        ["本学期累计", 78, 10, 800, 20, 780, 801, -21, -2.69, 780, -21, -2.69, 10.27, "亏损超过2%", None, 20]]
    # by category: opening, bought, issued, closing, cost, stocktake difference
    assert [r[:8] for r in block(rows, "二、各类食品支出（伙食支出＝期初库存＋本月购入－期末库存）")] == [
        ["2026年9月", "粮食", 50, 200, 175, 75, 175, 0], ["2026年9月", "肉禽蛋", 0, 240, 240, 0, 240, 0],
        ["2026年9月", "合计", 50, 440, 415, 75, 415, 0],
        ["2026年10月", "粮食", 75, 0, 50, 24, 51, 1], ["2026年10月", "肉禽蛋", 0, 195, 195, 0, 195, 0],
        ["2026年10月", "蔬菜", 0, 160, 140, 20, 140, 0], ["2026年10月", "合计", 75, 355, 385, 44, 386, 1]]
    ws = openpyxl.load_workbook(path)["伙食费核算"]
    assert ws["D5"].number_format == "¥#,##0.00" and ws["D5"].value == 440

    notice = sheet_rows(path, "伙食账目公示")
    assert notice[0][0] == "测试幼儿园 2026年10月 伙食账目公示"
    assert "本月就餐儿童 36 人日，伙食费标准 10.00 元/人/天，每人日食品成本 10.72 元" in notice[1][0]
    assert "按月核算" in notice[1][0] and "±2%" in notice[1][0]
    assert [r[:2] for r in block(notice, "一、伙食费收入")] == [["伙食费实收", 360], ["减：应退伙食费", 0],
                                                          ["本月伙食费收入", 360]]
    assert [r[:5] for r in block(notice, "二、伙食支出（本月支出＝期初库存＋本月购入－期末库存）")] == [
        ["粮食", 75, 0, 24, 51], ["肉禽蛋", 0, 195, 0, 195], ["蔬菜", 0, 160, 20, 140], ["合计", 75, 355, 44, 386]]
    assert [r[:3] for r in block(notice, "三、收支结余")] == [
        ["伙食费收入(元)", 360, 780], ["伙食支出(元)", 386, 801], ["结余(元)（负数为亏损）", -26, -21],
        ["盈亏率", -0.0722, -0.0269], ["核算结果（按月，±2%以内为正常）", "亏损超过2%", "亏损超过2%"]]
    sheet = openpyxl.load_workbook(path)["伙食账目公示"]
    rate = next(r for r in sheet.iter_rows() if r[0].value == "盈亏率")
    assert rate[1].number_format == rate[2].number_format == "0.00%"  # a number, shown as a percent (#23)
    above = sheet.cell(rate[1].row - 1, 2)
    assert above.number_format == "¥#,##0.00"  # the column's money format stays on the other rows
    at = next(i for i, r in enumerate(notice) if r[0] == "四、签字")
    assert notice[at + 1][:4] == ["园长（签字）", "会计（签字）", "膳食委员会（签字）", "公示日期"]
    assert notice[at + 2][:4] == [None, None, None, "2026年11月5日"]
    # one row to sign on, three lines high (#43: two rows 5 mm high)
    assert sheet.row_dimensions[at + 3].height == 48


def test_settlement_and_budget_by_hand(tmp_path):
    path = money_book(tmp_path / "m.xlsx")
    assert main(["settle", str(path), "--month", "2026-10", *TODAY]) == 0
    rows = sheet_rows(path, "学期结算")
    body = block(rows, "一、各幼儿结算")
    # 甲 paid 220 + 180 - 20 = 380 for 40 days due less its 2 sick days refunded (按缺勤天数退: 20.00);
    # 乙 400 for 40 days: meals are square. 园服费: 290.01 spent, shared by what each paid (150 each): 145.01 and
    # 145.00 -> 4.99 and 5.00 back.
    assert body[0] == ["A001", "甲", "小一班", 380, 40, 0, 2, 20, 380, 150, 145.01, 4.99, "退 4.99 元"]
    assert body[1] == ["A002", "乙", "小一班", 400, 40, 0, 0, 0, 400, 150, 145, 5, "退 5.00 元"]
    assert body[2][:12] == [None, "全园合计", None, 780, 80, 0, 2, 20, 780, 300, 290.01, 9.99]
    assert body[2][12] == "应退 9.99 元，应补 0.00 元"  # amounts in words carry their unit (#23)
    assert "应退 9.99 元 − 应补 0.00 元 ＝ 9.99 元" in rows[1][0] and "全园已缴 1,080.00 元" in rows[1][0]

    assert main(["budget", str(path), "--month", "2026-10", *TODAY]) == 0
    rows = sheet_rows(path, "预算执行")
    expected = round(61 / 144 * 100 + 1e-9, 2)  # 1 Sep - 31 Oct of a 1 Sep - 22 Jan term
    assert block(rows, "一、收入") == [["伙食费收入", "伙食", 1000, 440, 560, 44, expected, "正常"],
                                    ["收入合计", None, 1000, 440, 560, 44, expected, None]]
    # 办公费 over its budget (the November row is after the month), 杂费 not in the budget at all
    spend = block(rows, "二、支出")
    assert spend == [["办公费", "公用经费", 100, 120, -20, 120, expected, "超预算"],
                     ["园服费代付", "代收代办", 300, 290.01, 9.99, 96.67, expected, "正常"],
                     ["杂费", "预算外", 0, 50, -50, None, expected, "预算外"],
                     ["支出合计", None, 400, 460.01, -60.01, 115, expected, None]]
    ws = openpyxl.load_workbook(path)["预算执行"]
    red = {ws.cell(r, 1).value for r in range(1, ws.max_row + 1) if ws.cell(r, 1).fill.fgColor.rgb not in (None, "00000000")}
    assert {"办公费", "杂费"} <= red and "园服费代付" not in red


@pytest.mark.parametrize("row, cell, code", [
    (stock_row(D(2026, 9, 16), "出库", "猪肉", "肉禽蛋", 1, 30, 30.0), "E", "stock_negative"),
    (stock_row(D(2026, 9, 16), "入库", "鸡蛋", "肉禽蛋", 3, 9.9, 30.0), "G", "amount_mismatch"),
    (stock_row(D(2026, 9, 16), "入库", "鸡蛋", "肉禽蛋", 3, 10, 30.0, diner="教职工"), "J", "staff_meal"),
    (stock_row(D(2026, 9, 16), "入库", "鸡蛋", "肉禽蛋", 3, "十元", 30.0), "F", "not_number"),  # typed in afterwards
    (stock_row(D(2026, 9, 16), "入库", "鸡蛋", "肉禽蛋", 3, 10, -30.0), "G", "below_min"),
])
def test_bad_stock_rows_are_errors_naming_the_cell(tmp_path, capsys, row, cell, code):
    typed = {k: v for k, v in row.items() if isinstance(v, str) and k == "unit_price"}
    path = money_book(tmp_path / "m.xlsx", stock=[*STOCK, {**row, **{k: 10 for k in typed}}])
    if typed:  # text where a number belongs, as a user types it
        wb = openpyxl.load_workbook(path)
        wb["食品出入库"][f"F{len(STOCK) + 2}"] = typed["unit_price"]
        wb.save(path)
    before = path.read_bytes()
    assert main(["meals", str(path), "--month", "2026-10", *TODAY, "--json"]) == 1
    out = capsys.readouterr().out
    assert f'"cell": "{cell}{len(STOCK) + 2}"' in out and f'"code": "{code}"' in out
    assert "伙食费核算" not in openpyxl.load_workbook(path).sheetnames
    assert path.read_bytes() != before  # 校验结果 was written; the typed rows are as they were
    assert openpyxl.load_workbook(path)["食品出入库"][f"{cell}{len(STOCK) + 2}"].value == row[
        {"E": "qty_kg", "F": "unit_price", "G": "amount", "J": "diner"}[cell]]


@pytest.mark.slow
def test_sample_months_within_two_percent_and_a_planted_overspend(sample_copy, capsys):
    assert main(["meals", str(sample_copy), "--month", "2026-12", "--today", "2026-12-31"]) == 0
    rows = block(sheet_rows(sample_copy, "伙食费核算"), "一、各月收支")
    assert [r[0] for r in rows] == ["2026年9月", "2026年10月", "2026年11月", "2026年12月", "本学期累计"]
    assert all(abs(r[8]) <= 2 for r in rows), rows
    # plant: 300 kg of beef issued in November (bought and used up the same day)
    wb = openpyxl.load_workbook(sample_copy, keep_vba=True)
    ws = wb["食品出入库"]
    for kind in ("入库", "出库"):
        ws.append([D(2026, 11, 18), kind, "牛肉", "肉禽蛋", 300, 60, 18000, None, None, None, "厨师"])
    wb.save(sample_copy)
    capsys.readouterr()
    assert main(["meals", str(sample_copy), "--month", "2026-12", "--today", "2026-12-31"]) == 0
    assert "请注意：2026年11月" in capsys.readouterr().out
    rows = block(sheet_rows(sample_copy, "伙食费核算"), "一、各月收支")
    flagged = {r[0]: r[13] for r in rows[:-1] if r[13] != "正常"}
    assert list(flagged) == ["2026年11月"] and flagged["2026年11月"] == "亏损超过2%"


@pytest.mark.slow
def test_nutrition_shows_the_months_food_cost_from_the_account(sample_copy):
    assert main(["refresh", str(sample_copy), "--month", "2026-09", "--today", "2026-11-21"]) == 0
    september = block(sheet_rows(sample_copy, "伙食费核算"), "一、各月收支")[0]
    fee = block(sheet_rows(sample_copy, "营养分析"), "六、膳食费使用")
    assert [r[:2] for r in fee] == [["伙食费标准(元/人/天)", 8], ["每人每日食品成本(元)", september[12]],
                                    ["食品成本占伙食费标准(%)", round(100 * september[12] / 8 + 1e-9, 1)]]
    assert main(["nutrition", str(sample_copy), "--week", "2026-W38", "--today", "2026-11-21"]) == 0
    assert block(sheet_rows(sample_copy, "营养分析"), "六、膳食费使用")[1][:2] == ["每人每日食品成本(元)", "按月分析时显示"]


def test_the_notice_says_what_the_month_s_food_cost_rests_on(tmp_path, capsys):
    """#42: a month without a 盘点 and with 出库 on fewer days than school had: the notice parents read says so (its
    cost is too low and its surplus too high); a month with a 盘点 says nothing of the kind."""
    path = money_book(tmp_path / "m.xlsx")
    assert main(["meals", str(path), "--month", "2026-09", *TODAY]) == 0
    out = capsys.readouterr().out
    notice = sheet_rows(path, "伙食账目公示")[1][0]
    stock = pd.read_excel(path, sheet_name="食品出入库", engine="openpyxl")
    sep = stock[(stock.iloc[:, 1] == "出库") & (pd.to_datetime(stock.iloc[:, 0]).dt.month == 9)]
    said = f"出库只登记了 {sep.iloc[:, 0].nunique()} 天（本月上学 {len(SEP)} 天）"
    assert "本月没有盘点，期末库存按账面结存" in notice and said in notice and "结余偏高" in notice
    assert said in out
    assert main(["meals", str(path), "--month", "2026-10", *TODAY]) == 0
    assert "盘点" not in sheet_rows(path, "伙食账目公示")[1][0]
