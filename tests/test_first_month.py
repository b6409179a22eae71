"""#42: a blank workbook's first month typed the way people type into Excel — everyday food names on a two-week
menu, a roster from a GB18030 CSV, a register with a blank day inside a sick run, a kitchen that books 出库 only on
menu days and makes no 盘点 — gives no message a user cannot act on, and the sheets say what the figures rest on."""
import datetime as dt

import openpyxl
import pytest

from kgxl.app.pipeline import validate_book
from kgxl.front.cli import main
from kgxl.io.filebook import FileBook

pytestmark = pytest.mark.slow  # a workbook built, imported into and refreshed

D = dt.date
SURN = "王李张刘陈杨黄赵吴周"
FOODS = [("早餐", "牛奶", "牛奶", 200), ("早餐", "馒头", "面粉", 40), ("早点", "鸡蛋", "鸡蛋", 50),
         ("午餐", "米饭", "大米", 60), ("午餐", "西红柿炒蛋", "西红柿", 60), ("午餐", "西红柿炒蛋", "鸡蛋", 30),
         ("午餐", "土豆烧牛肉", "土豆", 50), ("午餐", "土豆烧牛肉", "牛肉", 30), ("午餐", "清炒包菜", "包菜", 60),
         ("午餐", "清炒包菜", "油", 8), ("午点", "南瓜粥", "南瓜", 30), ("午点", "南瓜粥", "大米", 15),
         ("午点", "橘子", "橘子", 80), ("晚餐", "玉米面发糕", "玉米面", 30), ("晚餐", "肉末豆腐", "豆腐", 40),
         ("晚餐", "肉末豆腐", "肉末", 20), ("晚餐", "青菜汤", "青菜", 50)]
MENU_DAYS = [D(2026, 9, d) for d in (1, 2, 3, 4, 7, 8, 9, 10, 11)]


@pytest.fixture(scope="module")
def september(tmp_path_factory):
    folder = tmp_path_factory.mktemp("first")
    book = folder / "春苗.xlsm"
    assert main(["new", str(book), "--name", "春苗幼儿园", "--term-start", "2026-09-01", "--term-end", "2027-01-22"]) == 0
    wb = openpyxl.load_workbook(book, keep_vba=True)
    items = {"伙食费标准(元/人/天)": 9, "伙食费退费规则": "连续缺勤满N天退", "退费连续缺勤天数N": 2, "盈亏核算周期": "月",
             "园长": "李园长", "会计": "王会计", "保健老师": "张医生"}
    for row in wb["基本信息"].iter_rows(min_row=2):
        if row[0].value in items:
            row[1].value = items.pop(row[0].value)
    assert not items
    wb["班级"].append(["小一班", "小班", "赵老师", "钱老师"])
    wb["班级"].append(["中一班", "中班", "孙老师", "周老师"])
    for d in MENU_DAYS:
        for meal, dish, food, grams in FOODS:
            wb["带量食谱"].append([d, meal, dish, food, grams, None, None])
    wb.save(book)
    lines = ["姓名,性别,出生日期,班级,入园日期"]
    for i in range(12):  # 小一班 new this term, 中一班 since 2025 (no record in this workbook)
        small = i < 6
        born = D(2023, 3, 1) + dt.timedelta(days=20 * i) if small else D(2022, 2, 1) + dt.timedelta(days=25 * i)
        lines.append(f"{SURN[i % 10]}{'思彤子涵浩然雨桐一诺梓轩'[i % 10]}{i},{'男女'[i % 2]},{born},"
                     f"{'小一班' if small else '中一班'},{'2026-09-01' if small else '2025-09-01'}")
    csv = folder / "名单.csv"
    csv.write_bytes("\r\n".join(lines).encode("gb18030"))
    assert main(["import", str(book), "--roster", str(csv)]) == 0
    assert main(["month", str(book), "--month", "2026-09", "--today", "2026-09-01"]) == 0
    wb = openpyxl.load_workbook(book, keep_vba=True)
    ws = wb["出勤-2026-09"]
    days = [c.value.date() for c in ws[1][3:] if isinstance(c.value, dt.datetime)]
    for r in range(2, ws.max_row + 1):  # every school day √; 王思0 病 9/15-9/24 with 9/20 (补班 Sunday) blank
        for j, d in enumerate(days):
            sick = r == 2 and D(2026, 9, 15) <= d <= D(2026, 9, 24)
            ws.cell(r, 4 + j).value = (None if d == D(2026, 9, 20) else "病") if sick else "事" if (r, d.day) == (3, 9) else "√"
    stock = wb["食品出入库"]  # bought weekly, 出库 on the menu days only, no 盘点
    foods = (("大米", "粮食", 20, 6), ("猪肉", "肉禽蛋", 5, 30), ("青菜", "蔬菜", 15, 4), ("牛奶", "奶", 30, 8))
    for d in (D(2026, 9, 1), D(2026, 9, 7)):
        for food, cat, kg, price in foods:
            stock.append([d, "入库", food, cat, kg, price, kg * price, "城东粮油店", "是", None, "王会计"])
    for d in MENU_DAYS:
        for food, cat, kg, price in foods:
            stock.append([d, "出库", food, cat, kg / 10, price, round(kg / 10 * price, 2), None, None, "幼儿", "王会计"])
    wb["收费项目"].append(["伙食费", "伙食费", 9, "天", "市发改〔2024〕1号", "连续缺勤满2天退", "否"])
    for i in range(12):
        wb["收费记录"].append([D(2026, 9, 2), f"2026{i + 1:03d}", "伙食费", 198, f"0001{i:02d}", None])
    wb.save(book)
    assert main(["refresh", str(book), "--month", "2026-09", "--today", "2026-09-30"]) == 0
    return book


def rows(book, name):
    return [[c for c in r if c is not None] for r in openpyxl.load_workbook(book)[name].iter_rows(values_only=True)]


def test_every_message_of_the_first_month_names_its_cell_and_the_fix(september):
    problems = validate_book(FileBook(september), D(2026, 9, 30)).problems
    found = sorted((p.severity, p.sheet, p.cell, p.code) for p in problems)
    assert found == [("警告", "体检标准", f"G{r}", "recheck_unset") for r in (10, 21, 22, 8, 9)] + [
        ("警告", "出勤-2026-09", "R2", "unregistered")] + [
        ("警告", "消毒要求", f"B{r}", "disinfect_unset") for r in (10, *range(2, 10))] + [  # #45: the local rule to fill
        ("警告", "进货验收", "A2", "deliveries_not_started")]  # #47: 入库 typed, no delivery registered yet
    for p in problems:
        assert p.message and ("请" in p.message or "未登记" in p.message), p.message


def test_the_first_month_s_sheets_say_what_their_figures_rest_on(september):
    notice = rows(september, "伙食账目公示")[1][0]
    assert "本月没有盘点" in notice and "出库只登记了 9 天（本月上学 22 天）" in notice
    refund = next(r for r in rows(september, "伙食费退费") if r[0] == "2026001")
    assert refund[7:9] == [6, 54.0] and "9/20 未登记" in refund[-1] and "连续缺勤在此中断" in refund[-1]
    reminders = [r for r in rows(september, "体检提醒")[3:] if r]
    assert {r[1] for r in reminders if r[-1] == "无记录"} == {f"2026{i:03d}" for i in range(7, 13)}
    assert {r[1] for r in reminders if "逾期" in r} == {f"2026{i:03d}" for i in range(1, 7)}
    assert "营养分析" in openpyxl.load_workbook(september, read_only=True).sheetnames  # the everyday menu is known
