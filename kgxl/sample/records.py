"""The sample's money, inspection and health records, derived from the Sample's people and days."""
from __future__ import annotations

import csv
import datetime as dt
import random
import re
from collections import defaultdict

from kgxl.core.calendar import month_bounds
from kgxl.domains.health.growth import NORMS_CSV as HEALTH_NORMS_CSV
from kgxl.domains.health.growth_reference import measurement
from kgxl.domains.nutrition.norms import NORMS_CSV
from kgxl.sample.assets import asset_rows
from kgxl.sample.care import care_rows
from kgxl.sample.data import MEAL_FEE, Sample
from kgxl.sample.staff import staff_rows

HEALTH_LAST = dt.date(2026, 10, 30)
# Approval numbers are invented for the sample and say so.
FEE_ITEMS = [
    {"item": "保育教育费", "category": "保教费", "price": 1200.0, "unit": "月", "basis": "示例市发改价〔2025〕18号（示例）",
     "refund_rule": "当月缺勤满一个月的，退还当月保育教育费的50%；大班免收", "agency": "否"},
    {"item": "伙食费", "category": "伙食费", "price": MEAL_FEE, "unit": "天", "basis": "示例市发改价〔2025〕18号（示例）",
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
PLAN = [  # (item, category, frequency, points)
    ("门卫登记", "安全", "每日(含节假日)", "来访人员登记、接送卡核验"),
    ("留样 48 小时", "食品", "每日", "每餐每样不少于125克，冷藏48小时，标签齐全"),
    ("消毒记录", "卫生", "每日", "餐具、玩具、毛巾、教室空气消毒并记录"),
    ("食堂卫生", "食品", "每周五", "生熟分开、操作间清洁、人员健康证"),
    ("大型玩具", "设施", "每周一", "滑梯、攀爬架螺丝、护栏、地垫完好"),
    ("消防器材", "消防", "每月1日", "灭火器压力、消防通道、应急灯"),
    ("水电线路", "设施", "每两周周四", "插座、电线、漏电保护、水管"),
    ("安全大检查", "安全", "期初/期中/期末", "园舍、设施设备全面检查"),
    ("开学准备", "其他", "指定月份:9月", "环境消毒、物资到位"),
]


def settings(s: Sample) -> dict:
    return {"kindergarten_name": "示例市阳光幼儿园", "term_label": s.term_label,
            "term_start": s.term[0], "term_end": s.term[1], "meal_fee": MEAL_FEE,
            "refund_rule": "按缺勤天数退", "balance_period": "月",
            "principal": s.principal, "accountant": s.accountant, "health_teacher": s.nurse,
            "phone": "0000-12345678", "sick_alert_same_day": 3, "sick_alert_window_count": 5,
            "sick_alert_window_days": 3, "current_month": s.current_month, "meal_service": "全日制",
            "growth_standard": "WS/T 423-2022", "ownership": "公办", "waived_groups": "大班",
            "waiver_start": dt.date(2025, 9, 1), "waiver_basis": "国办发〔2025〕27号（示例市实施方案同）"}


def classes(s: Sample) -> list[dict]:
    return [{"class_name": c, "age_group": g, "head_teacher": s.staff[c][0], "carer": s.staff[c][1]}
            for c, g, _ in s.classes]


def holiday_overrides(s: Sample) -> list[dict]:
    return [{"date": d, "kind": k, "note": n} for d, k, n in s.override_rows]


def fee_records(s: Sample) -> list[dict]:
    rows, receipt = [], 0
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
                receipt += 1
                rows.append({"date": pay_day, "child_id": r["child_id"], "item": "保育教育费", "amount": 1200.0,
                             "receipt": f"SF{receipt:05d}", "note": None})
            receipt += 1
            rows.append({"date": pay_day, "child_id": r["child_id"], "item": "伙食费",
                         "amount": round(MEAL_FEE * len(enrolled), 2), "receipt": f"SF{receipt:05d}", "note": None})
            if month == "2026-09" and r["child_id"].startswith("2026"):
                receipt += 1
                rows.append({"date": pay_day, "child_id": r["child_id"], "item": "园服费", "amount": 180.0,
                             "receipt": f"SF{receipt:05d}", "note": "新生园服"})
            if absent_prev.get(r["child_id"]):
                rows.append({"date": pay_day, "child_id": r["child_id"], "item": "伙食费",
                             "amount": -round(MEAL_FEE * absent_prev[r["child_id"]], 2), "receipt": None,
                             "note": "上月缺勤伙食费退费"})
        absent_prev = {r["child_id"]: sum(m in ("病", "事", "缺") for m in r["marks"].values()) for r in reg["rows"]}
    return rows


def ledger(s: Sample, fees: list[dict], stock: list[dict]) -> list[dict]:
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


def budget(s: Sample) -> list[dict]:
    """The sample's budget; a larger kindergarten's is the same per child."""
    def note(n: str) -> str | None:
        return re.sub(r"\d+人", lambda m: f"{round(int(m.group()[:-1]) * s.scale)}人", n) or None
    return [{"budget_item": i, "category": c, "direction": d, "amount": a * s.scale, "note": note(n)}
            for i, c, d, a, n in BUDGET]


def inspection_plan(s: Sample) -> list[dict]:
    owners = {"食品": s.cook, "卫生": s.nurse, "安全": s.principal, "消防": s.guard, "设施": s.guard, "其他": s.principal}
    return [{"item": i, "category": c, "frequency": f, "owner": owners[c], "points": p} for i, c, f, p in PLAN]


PLANTED_MISSES = {(dt.date(2026, 10, 21), "留样 48 小时")}


def inspection_log(s: Sample) -> list[dict]:
    rng, rows = s.rng, []
    today = dt.date(2026, 12, 31)

    def log(d, item, who, ok=True):
        row = {"date": d, "item": item, "inspector": who, "result": "合格" if ok else "不合格",
               "problem": None, "action": None, "fixed_date": None}
        if not ok:
            row["problem"] = rng.choice(("螺丝松动", "地垫破损", "记录不全", "灭火器压力不足", "插座面板破损"))
            row["action"] = "已报修，限期整改"
            fixed = d + dt.timedelta(days=rng.randint(1, 6))
            row["fixed_date"] = fixed if rng.random() < 0.85 and fixed <= today else None
        rows.append(row)

    day = s.days[0]
    while day <= s.days[-1]:  # the gate is kept every day, holidays included
        if rng.random() < 0.99:
            log(day, "门卫登记", s.guard)
        day += dt.timedelta(1)
    for d in s.days:
        for item, who in (("留样 48 小时", s.cook), ("消毒记录", s.nurse)):
            if rng.random() < 0.97 and (d, item) not in PLANTED_MISSES:
                log(d, item, who, rng.random() > 0.01)
        if d.weekday() == 4 and d not in (dt.date(2026, 10, 16), dt.date(2026, 10, 23)):  # 10/23: see the plant below
            log(d, "食堂卫生", s.nurse, rng.random() > 0.08)
        if d.weekday() == 0:
            log(d, "大型玩具", s.guard, rng.random() > 0.1)
    for month in s.months:
        first, _ = month_bounds(month)
        if month != "2026-10":  # planted: October's fire-equipment check was missed
            log(next(d for d in s.days if d >= first), "消防器材", s.guard, rng.random() > 0.15)
    # planted for the October tab: a failed check still open, one failed and fixed
    log(dt.date(2026, 10, 19), "食堂卫生", s.nurse)
    rows[-1].update(result="不合格", problem="冷藏柜温度超标", action="已报修，更换温控器", fixed_date=None)
    log(dt.date(2026, 10, 15), "水电线路", s.guard)
    rows[-1].update(result="不合格", problem="插座面板破损", action="更换面板", fixed_date=dt.date(2026, 10, 17))
    # planted: September's last toy check failed and is still open in October
    last_toys = [r for r in rows if r["item"] == "大型玩具" and r["date"].month == 9][-1]
    last_toys.update(result="不合格", problem="护栏松动", action="已报修，限期整改", fixed_date=None)
    for d in s.days[3::10]:
        if d.month != 10:
            log(d, "水电线路", s.guard, rng.random() > 0.1)
    for d in (dt.date(2026, 9, 2), dt.date(2026, 11, 10)):
        log(d, "安全大检查", s.principal, rng.random() > 0.3)
    log(dt.date(2026, 9, 1), "开学准备", s.principal)
    rows.sort(key=lambda r: (r["date"], r["item"]))
    return rows


def health_checks(s: Sample) -> list[dict]:
    """Each child's checks so far: the 入园体检 before entry, then one check each later autumn (the
    children are 3 and over: once a year), haemoglobin at almost every check, and a re-check about a
    month after a low haemoglobin. Measurements follow the child's own WHO z-scores (height and BMI,
    drifting a little from year to year), so the kindergarten has a plausible spread: most children
    near the median, a few under- or overweight, obese, wasted or anaemic. A few children missed
    this autumn's check. Nothing is dated after HEALTH_LAST: tests run with "today" from 2026-10-31."""
    rng, rows = random.Random(f"{s.seed}-health"), []
    for c in s.roster:
        sex = 1 if c["sex"] == "男" else 2
        hz, bz, hb = rng.gauss(0.3, 0.9), rng.gauss(0.0, 0.9), rng.gauss(123, 8)
        dates = [min(c["entry_date"] - dt.timedelta(days=rng.randint(10, 45)), HEALTH_LAST)]
        for year in range(c["entry_date"].year + 1, s.term[0].year + 1):
            if year < s.term[0].year or rng.random() > 0.03:
                dates.append(dt.date(year, 9, 14) + dt.timedelta(days=rng.randint(0, 10)))
        for d in dates:
            if c["leave_date"] and d > c["leave_date"]:
                break
            hz, bz, hb = hz + rng.gauss(0, 0.1), bz + rng.gauss(0, 0.3), hb + rng.gauss(0, 4)
            tested = rng.random() < 0.95
            rows.append(_check(c, sex, d, hz, bz, hb if tested else None, None))
            follow = d + dt.timedelta(days=rng.randint(28, 36))
            if tested and hb < 110 and follow <= HEALTH_LAST:
                hb += rng.gauss(7, 3)  # iron-rich diet advice between the two
                rows.append(_check(c, sex, follow, hz, bz, hb, "贫血复查"))
    rows.sort(key=lambda r: (r["date"], r["child_id"]))
    return rows


def _check(c: dict, sex: int, d: dt.date, hz: float, bz: float, hb: float | None, note: str | None) -> dict:
    days = (d - c["birth_date"]).days
    height = measurement("haz", sex, days, hz)
    weight = measurement("baz", sex, days, bz) * (height / 100) ** 2
    return {"child_id": c["child_id"], "date": d, "height_cm": round(height, 1), "weight_kg": round(weight, 1),
            "hemoglobin": None if hb is None else float(round(hb)), "note": note}


def health_norms() -> list[dict]:
    """The shipped defaults, plus the sample kindergarten's own re-check intervals where no source is
    cited (anaemia, overweight and obesity): its local rule, labelled as the sample's."""
    own = {"贫血": "1", "超重": "3", "肥胖": "3", "重度肥胖": "1"}
    with HEALTH_NORMS_CSV.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for r in rows:
        if not r["recheck_months"] and r["item"] in own:
            r["recheck_months"] = own[r["item"]]
            r["basis"] = r["basis"].split("；复查间隔")[0] + f"；复查间隔{own[r['item']]}个月为本示例园的体弱儿专案管理要求（示例）"
    return rows


def nutrition_norms() -> list[dict]:
    with NORMS_CSV.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def all_rows(s: Sample) -> dict[str, object]:
    """Rows per schema key (settings: a dict of item values)."""
    stock = s.stock()
    fees = fee_records(s)
    return {"settings": settings(s), "classes": classes(s), "roster": s.roster,
            "holiday_overrides": holiday_overrides(s), "menu": s.menu, "foods": s.food_table,
            "nutrition_norms": nutrition_norms(), "stock": stock,
            "fee_items": FEE_ITEMS, "fee_records": fees, "ledger": ledger(s, fees, stock), "budget": budget(s),
            "inspection_plan": inspection_plan(s), "inspection_log": inspection_log(s),
            "health_checks": health_checks(s), "health_norms": health_norms(), **staff_rows(s),
            **care_rows(s), **asset_rows(s)}
