"""The sample kindergarten's money: its fee items, a term of fee payments (保育教育费 monthly but for 大班, 伙食费 for
the month's school days, 园服费 for new children, last month's absences refunded), the kitchen's stock (bought
weekly for the menu), the ledger (收支明细) with wages, utilities and a few purchases, and the term budget."""
from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict

from kgxl.core.calendar import month_bounds

VOID = (777, "金额写错，已重开")  # the sample's one voided receipt: the number the payment would have taken
BOOK = 500  # numbers per receipt book


def rows(s, got: dict) -> dict:
    stock = s.stock(got["foods"])
    fees, voids = fee_records(s)
    return {"stock": stock, "fee_items": fee_items(s), "fee_records": fees, "ledger": ledger(s, fees, stock),
            "budget": budget(s), "receipt_books": receipt_books(s, fees, voids), "receipt_voids": voids,
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
]


def fee_records(s) -> tuple[list[dict], list[dict]]:
    rows, voids, receipt = [], [], 0

    def number(day) -> str:
        nonlocal receipt
        receipt += 1
        if receipt == VOID[0]:
            voids.append({"receipt": f"SF{receipt:05d}", "date": day, "reason": VOID[1], "handler": s.accountant})
            receipt += 1
        return f"SF{receipt:05d}"

    group = {c: g for c, g, _ in s.classes}
    absent_prev: dict[str, int] = {}
    for month in s.months:
        first, _ = month_bounds(month)
        reg = s.registers[month]
        pay_day = next(d for d in s.days if d >= first)
        for r in reg["rows"]:
            enrolled = [d for d, m in r["marks"].items() if m != "—"]
            if not enrolled:
                continue
            if group[r["class_name"]] != "大班":  # 大班: no 保育教育费 (国办发〔2025〕27号)
                rows.append({"date": pay_day, "child_id": r["child_id"], "item": "保育教育费", "amount": 1200.0,
                             "receipt": number(pay_day), "note": None})
            rows.append({"date": pay_day, "child_id": r["child_id"], "item": "伙食费",
                         "amount": round(s.meal_fee * len(enrolled), 2), "receipt": number(pay_day), "note": None})
            if month == "2026-09" and r["child_id"].startswith("2026"):
                rows.append({"date": pay_day, "child_id": r["child_id"], "item": "园服费", "amount": 180.0,
                             "receipt": number(pay_day), "note": "新生园服"})
            if absent_prev.get(r["child_id"]):
                rows.append({"date": pay_day, "child_id": r["child_id"], "item": "伙食费",
                             "amount": -round(s.meal_fee * absent_prev[r["child_id"]], 2), "receipt": None,
                             "note": "上月缺勤伙食费退费"})
        absent_prev = {r["child_id"]: sum(m in ("病", "事", "缺") for m in r["marks"].values()) for r in reg["rows"]}
    return rows, voids


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


def ledger(s, fees: list[dict], stock: list[dict]) -> list[dict]:
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
