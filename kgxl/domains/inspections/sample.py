"""The sample kindergarten's inspection plan and a term of its 检查记录: the gate every day, 留样 and 消毒 every
school day, the weekly, fortnightly, monthly and term-phase checks, with a few failures. Planted for the tab to
show: October's fire-equipment check missed, 10/21's 留样 missed, 食堂卫生's week of 10/12 skipped, a failed check
still open and one fixed, and September's last toy check failed and still open in October. Its own random
stream, so the other sample data do not move."""
from __future__ import annotations

import datetime as dt
import random

from kgxl.core.calendar import month_bounds

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


def rows(s, got: dict) -> dict:
    return {"inspection_plan": plan(s), "inspection_log": log(s)}


def plan(s) -> list[dict]:
    owners = {"食品": s.cook, "卫生": s.nurse, "安全": s.principal, "消防": s.guard, "设施": s.guard, "其他": s.principal}
    return [{"item": i, "category": c, "frequency": f, "owner": owners[c], "points": p} for i, c, f, p in PLAN]


PLANTED_MISSES = {(dt.date(2026, 10, 21), "留样 48 小时")}


def log(s) -> list[dict]:
    rng, logs = random.Random(f"{s.seed}-inspections"), []
    today = dt.date(2026, 12, 31)

    def log(d, item, who, ok=True):
        row = {"date": d, "item": item, "inspector": who, "result": "合格" if ok else "不合格",
               "problem": None, "action": None, "fixed_date": None}
        if not ok:
            row["problem"] = rng.choice(("螺丝松动", "地垫破损", "记录不全", "灭火器压力不足", "插座面板破损"))
            row["action"] = "已报修，限期整改"
            fixed = d + dt.timedelta(days=rng.randint(1, 6))
            row["fixed_date"] = fixed if rng.random() < 0.85 and fixed <= today else None
        logs.append(row)

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
    logs[-1].update(result="不合格", problem="冷藏柜温度超标", action="已报修，更换温控器", fixed_date=None)
    log(dt.date(2026, 10, 15), "水电线路", s.guard)
    logs[-1].update(result="不合格", problem="插座面板破损", action="更换面板", fixed_date=dt.date(2026, 10, 17))
    # planted: September's last toy check failed and is still open in October
    last_toys = [r for r in logs if r["item"] == "大型玩具" and r["date"].month == 9][-1]
    last_toys.update(result="不合格", problem="护栏松动", action="已报修，限期整改", fixed_date=None)
    for d in s.days[3::10]:
        if d.month != 10:
            log(d, "水电线路", s.guard, rng.random() > 0.1)
    for d in (dt.date(2026, 9, 2), dt.date(2026, 11, 10)):
        log(d, "安全大检查", s.principal, rng.random() > 0.3)
    log(dt.date(2026, 9, 1), "开学准备", s.principal)
    logs.sort(key=lambda r: (r["date"], r["item"]))
    _, last = month_bounds(s.current_month)  # nothing logged after 当前月份: it has not happened yet
    return [r | {"fixed_date": r["fixed_date"] if r["fixed_date"] and r["fixed_date"] <= last else None}
            for r in logs if r["date"] <= last]
