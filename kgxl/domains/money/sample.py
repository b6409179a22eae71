"""The sample kindergarten's money: its fee items, a term of fee payments (保育教育费 monthly but for 大班, 伙食费 for
the month's school days, 园服费 for new children, last month's absences refunded), the kitchen's stock (bought
weekly for the menu), the ledger (收支明细) with wages, utilities and a few purchases, and the term budget."""
from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict

from kgxl.core.calendar import month_bounds

# 资助对象 by the class's position in the sample (position()): (nth child of the class,
# 类别, 认定依据, 认定日期, 资助项目, 资助标准, 资金来源); fees are paid net of them
AID = {0: [(4, "残疾", "残疾证", dt.date(2026, 9, 1), "保育教育费", "全免", "本园事业收入")],
       1: [(3, "孤儿", "孤儿证明（民政）", dt.date(2026, 9, 1), "保育教育费", "全免", "本园事业收入"),
           (3, "孤儿", "孤儿证明（民政）", dt.date(2026, 9, 1), "伙食费", "全免", "财政资助资金")],
       2: [(5, "家庭经济困难", "最低生活保障证", dt.date(2026, 9, 1), "保育教育费", "全免", "本园事业收入")],
       3: [(7, "家庭经济困难", "特困供养证明", dt.date(2026, 10, 15), "保育教育费", "3000", "本园事业收入")],
       4: [(2, "家庭经济困难", "最低生活保障证", dt.date(2026, 9, 1), "伙食费", "50%", "本园事业收入")]}
ARREARS = {0: (6, ("2026-10", "2026-11")), 1: (9, ("2026-11",)), 2: (8, ("2026-11",)), 3: (10, ("2026-11",))}
VOID = (777, "金额写错，已重开")  # the sample's one voided receipt: the number the payment would have taken
BOOK = 500  # numbers per receipt book


def rows(s, got: dict) -> dict:
    stock = s.stock(got["foods"])
    aided = aid(s)
    fees, voids, credits = fee_records(s, aided)
    return {"stock": stock, "fee_items": fee_items(s), "fee_records": fees, "ledger": ledger(s, fees, stock, credits),
            "budget": budget(s), "receipt_books": receipt_books(s, fees, voids), "receipt_voids": voids, "aid": aided, "opening_arrears": [],
            "settings": {"balance_period": "月", "waived_groups": "大班", "waiver_start": dt.date(2025, 9, 1),
                         "waiver_basis": "国办发〔2025〕27号（示例市实施方案同）"}}


def fee_items(s) -> list[dict]:
    # approval numbers are invented for the sample and say so
    return [
        {"item": "保育教育费", "category": "保教费", "price": 1200.0, "unit": "月", "basis": "示例市发改价〔2025〕18号（示例）",
         "refund_rule": "当月缺勤满一个月的，退还当月保育教育费的50%；大班免收", "agency": "否"},
        {"item": "伙食费", "category": "伙食费", "price": s.meal_fee, "unit": "天", "basis": "示例市发改价〔2025〕18号（示例）",
         "refund_rule": "按实际缺勤天数退还，次月结算", "agency": "否"},
        {"item": "园服费", "category": "代收费", "price": 180.0, "unit": "次", "basis": "家长自愿，代收代办（示例）",
         "refund_rule": "未发放的全额退还", "agency": "是"},
    ]


BUDGET = [  # (item, category, direction, amount, note)
    ("保育教育费收入", "其他", "收入", 720_000.0, "小班、中班120人×1200元×5个月；大班免收"),
    ("免收保教费财政补助", "其他", "收入", 360_000.0, "大班60人×1200元×5个月（国办发〔2025〕27号）"),
    ("伙食费收入", "伙食", "收入", 142_000.0, "180人×8元×约99天"),
    ("财政生均补助", "其他", "收入", 270_000.0, "180人×1500元"),
    ("园服费代收", "代收代办", "收入", 10_800.0, "新生60人"),
    ("教职工工资", "人员经费", "支出", 820_000.0, "32人"),
    ("社会保险缴费", "人员经费", "支出", 240_000.0, ""),
    ("伙食支出", "伙食", "支出", 142_000.0, "专款专用"),
    ("水电燃气费", "公用经费", "支出", 48_000.0, ""),
    ("办公费", "公用经费", "支出", 18_000.0, ""),
    ("维修维护费", "公用经费", "支出", 35_000.0, ""),
    ("教玩具购置", "公用经费", "支出", 40_000.0, ""),
    ("培训费", "公用经费", "支出", 12_000.0, ""),
    ("卫生保健支出", "公用经费", "支出", 9_000.0, "消毒用品、药品"),
    ("园服费代付", "代收代办", "支出", 10_800.0, ""),
    ("幼儿资助", "其他", "支出", 21_600.0, "保育教育费收入的3%（财教〔2011〕410号）"),
]


def pick(s, k: int, nth: int) -> dict:
    """The class's nth child (1-based) or the next one who stays the whole term."""
    cls = [c for c, _, _ in s.classes][k]
    mine = [r for r in s.roster if r["class_name"] == cls and not r["leave_date"] and r["entry_date"] <= s.term[0]]
    return mine[(nth - 1) % len(mine)]


def position(s, k: int) -> int:
    """Class k's place in the six-class sample (小一 小二 中一 中二 大一 大二): a bigger sample's classes take their age
    group's places in turn, so its 资助 and arrears are the sample's, ten times over."""
    group = s.classes[k][1]
    nth = [c for c, g, _ in s.classes if g == group].index(s.classes[k][0])
    return {"小班": 0, "中班": 2, "大班": 4}[group] + nth % 2


def aid(s) -> list[dict]:
    rows = []
    for k in range(len(s.classes)):
        for nth, cat, basis, day, item, standard, source in AID.get(position(s, k), []):
            rows.append({"child_id": pick(s, k, nth)["child_id"], "category": cat, "basis": basis, "recognized": day,
                         "item": item, "standard": standard, "start": None, "end": None, "source": source, "note": None})
    return rows


def fee_records(s, aided: list[dict]) -> tuple[list[dict], list[dict], list[dict]]:
    """Each month's payments net of 资助 (a child in arrears skips its 保育教育费), and the 资助 credited by month (the
    ledger books it as fee income, 收支明细 at the gross)."""
    rows, voids, credits, receipt = [], [], [], 0

    def number(day) -> str:
        nonlocal receipt
        receipt += 1
        if receipt == VOID[0]:
            voids.append({"receipt": f"SF{receipt:05d}", "date": day, "reason": VOID[1], "handler": s.accountant})
            receipt += 1
        return f"SF{receipt:05d}"

    def pay(day, child, item, amount, note=None):
        rows.append({"date": day, "child_id": child, "item": item, "amount": round(amount, 2),
                     "receipt": number(day) if amount > 0 else None, "note": note})

    group = {c: g for c, g, _ in s.classes}
    aid_of = {(a["child_id"], a["item"]): a for a in aided}
    owing = {pick(s, k, n)["child_id"]: months for k in range(len(s.classes)) if position(s, k) in ARREARS
             for n, months in [ARREARS[position(s, k)]]}
    left_term = {a["child_id"]: 3000.0 for a in aided if a["standard"] == "3000"}
    absent_prev: dict[str, int] = {}
    for month in s.months:
        first, last = month_bounds(month)
        reg = s.registers[month]
        pay_day = next(d for d in s.days if d >= first)
        for r in reg["rows"]:
            child = r["child_id"]
            enrolled = [d for d, m in r["marks"].items() if m != "—"]
            if not enrolled:
                continue
            present = sum(m == "√" for m in r["marks"].values())
            if group[r["class_name"]] != "大班":  # 大班: no 保育教育费 (国办发〔2025〕27号)
                a = aid_of.get((child, "保育教育费"))
                off = 0.0
                if a and last >= a["recognized"]:
                    off = 1200.0 if a["standard"] == "全免" else min(1200.0, left_term[child])
                    if a["standard"] != "全免":
                        left_term[child] -= off
                    credits.append({"date": pay_day, "item": "保育教育费", "amount": off, "source": a["source"]})
                if off < 1200 and month not in owing.get(child, ()):
                    pay(pay_day, child, "保育教育费", 1200.0 - off)
            a = aid_of.get((child, "伙食费"))
            share = 1.0 if a and a["standard"] == "全免" else 0.5 if a else 0.0
            if a:  # 资助 of the month's meals after refunds: its √ days
                credits.append({"date": pay_day, "item": "伙食费", "amount": round(share * s.meal_fee * present, 2),
                                "source": a["source"]})
            if share < 1:
                pay(pay_day, child, "伙食费", (1 - share) * s.meal_fee * len(enrolled))
            if month == "2026-09" and child.startswith("2026"):
                pay(pay_day, child, "园服费", 180.0, "新生园服")
            if absent_prev.get(child) and share < 1:
                rows.append({"date": pay_day, "child_id": child, "item": "伙食费",
                             "amount": -round((1 - share) * s.meal_fee * absent_prev[child], 2), "receipt": None,
                             "note": "上月缺勤伙食费退费"})
        absent_prev = {r["child_id"]: sum(m in ("病", "事", "缺") for m in r["marks"].values()) for r in reg["rows"]}
    return rows, voids, credits


def receipt_books(s, fees: list[dict], voids: list[dict]) -> list[dict]:
    """The receipt books of BOOK numbers the term's payments used, each taken on its first number's day; one used
    up before 当前月份's end is 核销 three days after its last."""
    used = sorted([(int(f["receipt"][2:]), f["date"]) for f in fees if f["receipt"]]
                  + [(int(x["receipt"][2:]), x["date"]) for x in voids])
    month_end = month_bounds(s.current_month)[1]
    out = []
    for k in range((used[-1][0] - 1) // BOOK + 1):
        mine = [d for n, d in used if k * BOOK < n <= (k + 1) * BOOK]
        done = len(mine) == BOOK and max(mine) + dt.timedelta(days=3) <= month_end
        out.append({"kind": "收款收据", "prefix": "SF", "first": k * BOOK + 1, "last": (k + 1) * BOOK,
                    "issued": min(mine), "holder": s.accountant,
                    "closed": max(mine) + dt.timedelta(days=3) if done else None, "note": None})
    return out


def ledger(s, fees: list[dict], stock: list[dict], credits: list[dict]) -> list[dict]:
    rng, rows, n = s.rng, [], 0
    income = defaultdict(float)
    for f in fees:
        income[(f["date"], f["item"])] += f["amount"]
    item_map = {"保育教育费": "保育教育费收入", "伙食费": "伙食费收入", "园服费": "园服费代收"}

    def add(d, direction, item, summary, amount, who):
        nonlocal n
        n += 1
        rows.append({"date": d, "voucher": f"记{n:04d}", "direction": direction, "budget_item": item,
                     "summary": summary, "amount": round(amount, 2), "handler": who})

    for (d, item), amount in sorted(income.items()):
        add(d, "收入", item_map[item], f"{d.month}月{item}", amount, s.accountant)
    aided, own = defaultdict(float), defaultdict(float)
    for c in credits:
        aided[(c["date"], c["item"])] += c["amount"]
        own[c["date"]] += c["amount"] if c["source"] == "本园事业收入" else 0
    for (d, item), amount in sorted(aided.items()):
        add(d, "收入", item_map[item], f"{d.month}月资助抵缴{item}", amount, s.accountant)
    for d, amount in sorted(own.items()):
        if amount:
            add(d, "支出", "幼儿资助", f"{d.month}月资助（本园事业收入列支）", amount, s.accountant)
    purchases = defaultdict(float)
    for r in stock:
        if r["kind"] == "入库":
            purchases[r["date"]] += r["amount"]
    for d, amount in sorted(purchases.items()):
        add(d, "支出", "伙食支出", "食堂食材采购", amount, s.cook)
    for month in s.months:
        first, last = month_bounds(month)
        pay = max(d for d in s.days if d <= last)
        k = s.scale  # a larger kindergarten pays more of everything
        add(pay, "支出", "教职工工资", f"{first.month}月工资", k * (164_000 + rng.randint(-2000, 2000)), s.accountant)
        add(pay, "支出", "社会保险缴费", f"{first.month}月社保", k * 48_000, s.accountant)
        add(pay, "支出", "水电燃气费", f"{first.month}月水电燃气", k * rng.randint(8000, 11000), s.accountant)
        add(first + dt.timedelta(days=9), "支出", "办公费", "办公用品", k * rng.randint(1500, 4000), s.principal)
        add(first + dt.timedelta(days=14), "支出", "卫生保健支出", "消毒用品", k * rng.randint(900, 2000), s.nurse)
    for d, direction, item, summary, amount, who in (
            (dt.date(2026, 9, 1), "收入", "财政生均补助", "秋季学期生均补助", 270_000, s.accountant),
            (dt.date(2026, 9, 15), "支出", "园服费代付", "新生园服", 10_800, s.accountant),
            (dt.date(2026, 10, 20), "支出", "教玩具购置", "户外玩具采购", 26_800, s.principal),
            (dt.date(2026, 11, 6), "支出", "维修维护费", "大型玩具维修", 6_500, s.principal),
            (dt.date(2026, 11, 24), "支出", "培训费", "保育员培训", 4_200, s.principal)):
        add(d, direction, item, summary, s.scale * amount, who)
    rows.sort(key=lambda r: (r["date"], r["voucher"]))
    return rows


def budget(s) -> list[dict]:
    """The sample's budget; a larger kindergarten's is the same per child."""
    def note(n: str) -> str | None:
        return re.sub(r"\d+人", lambda m: f"{round(int(m.group()[:-1]) * s.scale)}人", n) or None
    return [{"budget_item": i, "category": c, "direction": d, "amount": a * s.scale, "note": note(n)}
            for i, c, d, a, n in BUDGET]
