"""The sample kindergarten's health registers: a 传染病登记 row for every 手足口病 and 水痘 episode of its registers
but one (the planted 手足口病 case missing from the register of cases, in 当前月份), the month's first 手足口病
case registered a second time (planted: a repeat registration), four injuries (two at the same
place), a 留样 record for every dish of every meal up to 当前月份's end with three planted gaps in 当前月份 (a dish
not sampled, 100 g, 40 hours), and a meal committee meeting each month but October. Their own random stream, so
the other sample data do not move."""
from __future__ import annotations

import datetime as dt
import random
import re

from kgxl.core.calendar import month_bounds

TAKEN = {"早餐": dt.time(8, 10), "早点": dt.time(9, 40), "午餐": dt.time(11, 20), "午点": dt.time(15, 10),
         "晚餐": dt.time(17, 30)}
REGISTERED = ("手足口病", "水痘")


def episodes(s, last: dt.date) -> list[tuple[str, str, dt.date, dt.date]]:
    """(child_id, illness, start, end) of the registers' sick episodes starting by `last` (from the notes the
    generator writes, "11/2起手足口病", and the run of 病 marks from that day)."""
    out = []
    for month, reg in s.registers.items():
        days = reg["days"]
        for row in reg["rows"]:
            for m, d, illness in re.findall(r"(\d+)/(\d+)起([^；]+)", row["note"] or ""):
                start = dt.date(int(month[:4]), int(m), int(d))
                if start > last:
                    continue
                end = start
                for x in days[days.index(start):]:
                    if row["marks"].get(x) != "病":
                        break
                    end = x
                out.append((row["child_id"], illness, start, end))
    return out


def infections(s) -> list[dict]:
    first, last = month_bounds(s.current_month)
    eps = [e for e in episodes(s, last) if e[1] in REGISTERED]
    missing = next((e for e in eps if e[1] == "手足口病" and e[2] >= first), None)
    rows = []
    for child, illness, start, end in eps:
        if (child, illness, start, end) == missing:
            continue
        back = end + dt.timedelta(days=1 if end.weekday() < 4 else 7 - end.weekday())
        rows.append({"found": start, "child_id": child, "disease": illness, "diagnosed_by": "示例市妇幼保健院",
                     "reported": start, "isolated": start, "returned": back if back <= last else None,
                     "certificate": "有" if back <= last else None, "measures": "班级终末消毒，加强晨午检"})
    # planted: the month's first case registered again the same day by another hand (an alias, no dates): one case
    twice = next((r for r in rows if r["disease"] == "手足口病" and r["found"] >= first), None)
    if twice:
        rows.append({"found": twice["found"], "child_id": twice["child_id"], "disease": "手足口",
                     "diagnosed_by": None, "reported": None, "isolated": None, "returned": None, "certificate": None,
                     "measures": None})
    return rows


def injuries(s) -> list[dict]:
    rng = random.Random(f"{s.seed}-care")
    y = s.term[0].year
    cases = [(dt.date(y, 9, 17), dt.time(10, 20), "户外场地", "跌倒摔伤", "膝盖", "轻", "否", "清洗伤口，碘伏消毒"),
             (dt.date(y, 10, 14), dt.time(15, 40), "活动室", "碰撞", "额头", "轻", "否", "冷敷，观察"),
             (dt.date(y, 11, 5), dt.time(9, 50), "户外场地", "跌倒摔伤", "下巴", "中", "是", "止血后送医缝合两针"),
             (dt.date(y, 11, 19), dt.time(11, 5), "卫生间", "夹伤", "手指", "轻", "否", "冷敷")]
    rows = []
    for day, time, place, kind, part, severity, hospital, treatment in cases:
        child = rng.choice([r for r in s.roster if r["entry_date"] <= day and not r["leave_date"]])
        rows.append({"date": day, "time": time, "place": place, "child_id": child["child_id"], "kind": kind,
                     "body_part": part, "severity": severity, "treatment": treatment, "hospital": hospital,
                     "parent_told": (dt.datetime.combine(day, time) + dt.timedelta(minutes=40)).time(),
                     "responsible": s.staff[child["class_name"]][0], "improvement": "活动前检查场地，加强看护"})
    return rows


def food_samples(s) -> list[dict]:
    first, last = month_bounds(s.current_month)
    seen, rows = set(), []
    for m in s.menu:
        key = (m["date"], m["meal"], m["dish"])
        if m["date"] > last or key in seen:
            continue
        seen.add(key)
        taken = TAKEN[m["meal"]]
        gone = m["date"] + dt.timedelta(days=2)
        rows.append({"date": m["date"], "meal": m["meal"], "dish": m["dish"], "grams": 125.0 + 5 * (len(rows) % 4),
                     "taken": taken, "discard_date": gone if gone <= last else None,
                     "discard_time": dt.time(taken.hour + 1, taken.minute) if gone <= last else None, "keeper": s.cook})
    lunches = [r for r in rows if r["meal"] == "午餐" and first <= r["date"] and r["discard_date"]]
    rows.remove(lunches[0])  # a dish not sampled
    lunches[3]["grams"] = 100.0  # too light
    short = [r for r in rows if r["meal"] == "午点" and first <= r["date"] and r["discard_date"]][4]
    short["discard_date"], short["discard_time"] = short["date"] + dt.timedelta(days=2), dt.time(7, 10)  # 40 hours
    return rows


def meal_committee(s) -> list[dict]:
    rows = []
    for month in s.months:
        first, last = month_bounds(month)
        if month > s.current_month or month.endswith("-10"):  # October's meeting is the planted gap
            continue
        day = next(d for d in s.days if first <= d <= last and d.day >= 20)
        rows.append({"date": day, "attendees": f"{s.principal}、{s.nurse}、{s.cook}、家长代表3名",
                     "topics": f"{int(month[5:])}月食谱调整和伙食费使用情况", "decisions": "增加粗粮和深色蔬菜；公示伙食账目"})
    return rows


def rows(s, got: dict) -> dict:
    return {"infections": infections(s), "injuries": injuries(s), "food_samples": food_samples(s),
            "meal_committee": meal_committee(s)}
