"""The sample kindergarten's staff and safety records: about 30 people for 6 classes, biweekly 保育员
training and monthly safety training, monthly appraisals, two drills, pledges and holiday duty. Their own
random stream, so the other sample data do not move. Planted for the sheets to show: a cook whose 健康证
expires mid-term (the 15th of the second month after 当前月份: 2027-01-15 for the sample), a 保育员 who missed three trainings, a score above its 满分 (a 警告),
and one holiday with nobody on duty."""
from __future__ import annotations

import datetime as dt
import math
import random

from kgxl.core.calendar import month_bounds
from kgxl.domains.staff.safety import holidays

ITEMS = {  # role -> (item, full marks)
    "保育员": (("卫生消毒", 40), ("生活照料", 40), ("配班协作", 20)),
    "厨师": (("食品安全", 50), ("操作规范", 30), ("出勤纪律", 20)),
    "营养员": (("食谱编制", 50), ("食品安全", 30), ("出勤纪律", 20)),
    "保安": (("门卫登记", 40), ("巡查", 40), ("礼仪", 20)),
    "保洁": (("环境卫生", 60), ("消毒记录", 20), ("出勤纪律", 20)),
}


def staff(s) -> list[dict]:
    rng = random.Random(f"{s.seed}-staff")
    rows: list[dict] = []

    def add(name, role, cls=None, qualification=None, food=False):
        n = len(rows) + 1
        start = dt.date(2015 + rng.randint(0, 10), rng.choice((3, 8)), 15)
        rows.append({"staff_id": f"T{n:03d}", "name": name, "role": role, "class_name": cls, "start_date": start,
                     "end_date": None, "qualification": qualification,
                     "cert_no": f"{rng.randint(10**9, 10**10 - 1)}" if qualification else None,
                     "health_cert_no": f"JK{rng.randint(10**6, 10**7 - 1)}" if food or role == "保育员" else None,
                     "health_cert_expiry": (dt.date(s.term[1].year + 1, rng.randint(1, 12), rng.randint(1, 28))
                                            if food or role == "保育员" else None),
                     "phone": f"1{rng.randint(3, 9)}{rng.randint(10**8, 10**9 - 1)}"})
    add(s.principal, "行政", qualification="幼儿园园长任职资格")
    add(s.adult_name(rng), "行政", qualification="教师资格证")
    add(s.accountant, "财务", qualification="会计专业技术资格")
    children = len(s.roster)  # staffed to the norms (kgxl/data/staffing_norms.csv), however big the sample
    add(s.nurse, "保健老师", qualification="护士执业证书")
    for _ in range(max(2, math.ceil(children / 150)) - 1):
        add(s.adult_name(rng), "保健老师", qualification="保健员培训合格证")
    for cls, _, _ in s.classes:
        add(s.staff[cls][0], "教师", cls, "教师资格证")
        add(s.adult_name(rng), "教师", cls, "教师资格证" if rng.random() < 0.9 else None)
    for i, (cls, _, _) in enumerate(s.classes):
        add(s.staff[cls][1], "保育员", cls, "保育员初级" if i % 4 != 3 else None)
    cooks = [s.cook, *(s.adult_name(rng) for _ in range(max(4, math.ceil(children / 45)) - 1))]
    for name in cooks:
        add(name, "厨师", qualification="中式烹调师", food=True)
    add(s.adult_name(rng), "营养员", qualification="公共营养师", food=True)
    add(s.guard, "保安", qualification="保安员证")
    add(s.adult_name(rng), "保安", qualification="保安员证")
    add(s.adult_name(rng), "保洁")
    add(s.adult_name(rng), "保洁")
    health = random.Random(f"{s.seed}-staff-health")  # everyone holds one (办法第十九条); its own stream
    for r in rows:
        if r["health_cert_expiry"] is None:
            r["health_cert_no"] = f"JK{health.randint(10**6, 10**7 - 1)}"
            r["health_cert_expiry"] = dt.date(s.term[1].year + 1, health.randint(1, 12), health.randint(1, 28))
    first, _ = month_bounds(s.current_month)
    planted = next(r for r in rows if r["role"] == "厨师")  # expires the 15th of the second month after 当前月份
    planted["health_cert_expiry"] = dt.date(first.year + (first.month >= 11), (first.month + 1) % 12 + 1, 15)
    return rows


def trainings(s, people: list[dict]) -> list[dict]:
    """保育员业务 every other Wednesday, a monthly safety training for everyone; one 保育员 misses three."""
    carers = [p for p in people if p["role"] == "保育员"]
    absent = carers[2]["staff_id"]
    last = month_bounds(s.current_month)[1]
    rows, n = [], 0
    school = [d for d in s.days if d <= last]
    wednesdays = [d for d in school if d.weekday() == 2][::2]
    for k, d in enumerate(wednesdays):
        n += 1
        for p in carers:
            if p["staff_id"] == absent and k in (1, 2, 3):
                continue
            rows.append({"date": d, "topic": f"保育员业务培训（{k + 1}）", "category": "保育员业务", "speaker": people[3]["name"],
                         "staff_id": p["staff_id"], "hours": 1.5, "result": "合格"})
    for month in s.months:
        days = [d for d in school if d.strftime("%Y-%m") == month]
        if not days:
            continue
        d = days[min(5, len(days) - 1)]
        for p in people:
            rows.append({"date": d, "topic": f"{int(month[5:])}月安全培训", "category": "安全", "speaker": people[0]["name"],
                         "staff_id": p["staff_id"], "hours": 1.0, "result": "合格"})
    rows.sort(key=lambda r: (r["date"], r["staff_id"]))
    return rows


def appraisal_items() -> list[dict]:
    return [{"role": role, "item": item, "max_score": full, "note": None}
            for role, items in ITEMS.items() for item, full in items]


def appraisals(s, people: list[dict]) -> list[dict]:
    rng = random.Random(f"{s.seed}-appraisal")
    rows = []
    months = [m for m in s.months if m <= s.current_month]
    for m in months:
        for p in people:
            if p["role"] not in ITEMS:
                continue
            for item, full in ITEMS[p["role"]]:
                score = full - rng.choice((0, 0, 1, 2, 3, 5))
                rows.append({"month": m, "staff_id": p["staff_id"], "item": item, "score": float(score),
                             "reason": None if score == full else "检查中发现不足", "assessor": people[0]["name"]})
    over = next(r for r in rows if r["month"] == months[-1] and r["item"] == "卫生消毒")
    over["score"], over["reason"] = 42.0, None  # typed above its 40 full marks
    return rows


def drills(s) -> list[dict]:
    return [{"date": dt.date(s.term[0].year, 9, 23), "kind": "火灾疏散", "children": 176, "staff_count": 30, "seconds": 185,
             "issues": "二楼楼梯口拥挤", "actions": "分班错峰下楼"},
            {"date": dt.date(s.term[0].year, 11, 11), "kind": "地震", "children": 178, "staff_count": 31, "seconds": 160,
             "issues": None, "actions": None}]


def pledges(s, people: list[dict]) -> list[dict]:
    return [{"staff_id": p["staff_id"], "date": s.term[0]} for p in people]


def duty(s, people: list[dict]) -> list[dict]:
    """A named person on every statutory holiday of the term, but the first day of the National Day break."""

    rng = random.Random(f"{s.seed}-duty")
    on_duty = [p for p in people if p["role"] in ("行政", "保安", "教师")]
    rows = []
    for d in sorted(holidays(s.term[0], s.term[1], s.overrides)):
        if d == dt.date(s.term[0].year, 10, 1):
            continue
        rows.append({"date": d, "staff_id": rng.choice(on_duty)["staff_id"], "shift": "全天"})
    return rows


def rows(s, got: dict) -> dict:
    people = staff(s)
    return {"staff": people, "trainings": trainings(s, people), "appraisal_items": appraisal_items(),
            "appraisals": appraisals(s, people), "drills": drills(s), "pledges": pledges(s, people),
            "duty": duty(s, people), "merit_plan": merit_plan(), "merit_adjustments": merit_adjustments(s, people),
            "settings": {"merit_base": 1000.0}}


def merit_plan() -> list[dict]:
    """The sample's own 绩效方案 (invented, as every kindergarten sets its own): 保育员 by 系数 of the 绩效基数, the
    other appraised posts by amount."""
    bands = ((95, "优秀"), (85, "合格"), (70, "基本合格"), (0, "不合格"))
    rows = [{"role": "保育员", "min_score": m, "label": name, "amount": None, "factor": f}
            for (m, name), f in zip(bands, (1.2, 1.0, 0.8, 0.0))]
    for role in ITEMS:
        if role != "保育员":
            rows += [{"role": role, "min_score": m, "label": name, "amount": a, "factor": None}
                     for (m, name), a in zip(bands, (1000.0, 800.0, 600.0, 0.0))]
    return rows


def merit_adjustments(s, people: list[dict]) -> list[dict]:
    """A month of 奖罚 (当前月份)."""
    first, _ = month_bounds(s.current_month)
    carers = [p for p in people if p["role"] == "保育员"]
    cooks = [p for p in people if p["role"] == "厨师"]
    return [{"date": first + dt.timedelta(days=5), "staff_id": carers[0]["staff_id"], "kind": "奖", "amount": 200.0,
             "reason": "家长来信表扬", "approver": people[0]["name"]},
            {"date": first + dt.timedelta(days=12), "staff_id": cooks[0]["staff_id"], "kind": "罚", "amount": 100.0,
             "reason": "留样记录漏填一餐", "approver": people[0]["name"]},
            {"date": first + dt.timedelta(days=19), "staff_id": carers[1]["staff_id"], "kind": "奖", "amount": 300.0,
             "reason": "区级保育技能比赛二等奖", "approver": people[0]["name"]}]
