"""The sample kindergarten's daily registers up to 当前月份's end: a 晨午检 row for every class and school day with
children present (as many checked as present); a few minor findings most days (留园观察, 通知家长); a 午检 发热 sent
home the school day before about a third of the registers' fever, cold and cough episodes (so the next day is 病);
a medicine request for some children coming back from a cold or cough, with its doses; the sample kindergarten's own
消毒要求 (its 消毒制度, invented for the sample and labelled so: no national figure) and a 消毒记录 row per class and
school day, 玩具 once a week (Wednesday, or the week's school day nearest after it), 被褥 on two Fridays a month, a 餐桌 concentration test each Monday. Planted (警告
only): one child sent home with 发热 in 当前月份 who is present the next day with nothing written in 复查追踪, one dose
of the month's earliest two-a-day request not recorded, one class-day of 当前月份 without its 消毒记录 row, one concentration below
its range; four 健康教育 a month (two for the children, one for parents, one for staff) and the sample's own plan of
them in 基本信息. Their own random stream, so the other sample data do not move."""
from __future__ import annotations

import datetime as dt
import random
import re

from kgxl.core.calendar import month_bounds

MINOR = (("咳嗽", "留园观察"), ("流涕", "留园观察"), ("咽红", "通知家长"), ("精神差", "留园观察"), ("外伤", "留园观察"),
         ("眼红", "通知家长"), ("腹泻", "通知家长"))
FEVERISH = ("感冒", "发热", "咳嗽", "支气管炎")
OWN = "示例园自定的消毒制度（示例数据，不是国家或地方标准）"
# the sample kindergarten's 消毒要求: (item, frequency, times, low, high) — its own, for the sample only
RULES = (("餐桌", "每日", 1, 250, 500), ("餐具", "每日", 1, None, None), ("毛巾", "每日", 1, 250, 500),
         ("水杯", "每日", 1, None, None), ("玩具", "每周", 1, 250, 500), ("被褥", "每月", 2, None, None),
         ("空气", "每日", 1, None, None), ("厕所", "每日", 1, 500, 1000), ("物体表面", "每日", 1, 250, 500))
DAILY = ("tables", "dishes", "towels", "cups", "air", "toilets", "surfaces")
# per month of the term: (day, 对象, 形式, 内容)
EDUCATION = [[(10, "儿童", "讲座", "正确洗手七步法"), (18, "家长", "宣传专栏", "秋季传染病预防"), (22, "保教人员", "培训", "晨午检要点"),
              (25, "儿童", "宣传专栏", "爱护牙齿")],
             [(14, "儿童", "讲座", "认识我们的身体"), (16, "家长", "资料", "幼儿近视预防"), (20, "保教人员", "培训", "消毒液配制和浓度测试"),
              (28, "儿童", "宣传专栏", "秋冬季饮食")],
             [(6, "儿童", "讲座", "预防手足口病"), (12, "家长", "咨询指导", "体检结果解读"), (18, "保教人员", "培训", "服药管理"),
              (25, "儿童", "宣传专栏", "冬季保暖")]]
DRUGS = (("小儿氨酚黄那敏颗粒", "1袋", 2), ("氨溴索口服溶液", "5毫升", 2), ("蒲地蓝消炎口服液", "10毫升", 1))


def _episodes(s, last: dt.date):
    """(register row, illness, first sick day, last sick day) of the registers' episodes starting by `last`."""
    for month, reg in s.registers.items():
        for row in reg["rows"]:
            for m, d, illness in re.findall(r"(\d+)/(\d+)起([^；]+)", row["note"] or ""):
                start = dt.date(int(month[:4]), int(m), int(d))
                if start <= last:
                    sick = [x for x in s.days if x >= start and s.registers[x.strftime("%Y-%m")]["rows"]]
                    end = start
                    for x in sick:
                        if _mark(s, row["child_id"], x) != "病":
                            break
                        end = x
                    yield row, illness, start, end


def _mark(s, child_id: str, day: dt.date):
    reg = s.registers.get(day.strftime("%Y-%m"))
    row = next((r for r in reg["rows"] if r["child_id"] == child_id), None) if reg else None
    return row["marks"].get(day) if row else None


def _before(s, day: dt.date) -> dt.date | None:
    earlier = [d for d in s.days if d < day]
    return earlier[-1] if earlier else None


def rows(s, got: dict) -> dict:
    rng = random.Random(f"{s.seed}-daily")
    first, last = month_bounds(s.current_month)
    days = [d for d in s.days if d <= last]
    teacher = {c: s.staff[c][0] for c, _, _ in s.classes}
    present = {}  # (class, day) -> children present
    for d in days:
        for r in s.registers[d.strftime("%Y-%m")]["rows"]:
            if r["marks"].get(d) == "√":
                present.setdefault((r["class_name"], d), []).append(r["child_id"])
    checks = [{"date": d, "class_name": c, "morning": len(present[(c, d)]), "noon": len(present[(c, d)]),
               "checker": s.nurse, "note": None} for d in days for c, _, _ in s.classes if (c, d) in present]
    findings, requests, doses = [], [], []
    for d in days:  # a few minor findings most days
        for _ in range(rng.choice((0, 1, 1, 2))):
            c = rng.choice([c for c, _, _ in s.classes])
            if (c, d) not in present:
                continue
            symptom, action = rng.choice(MINOR)
            findings.append({"date": d, "session": "晨检", "child_id": rng.choice(present[(c, d)]),
                             "temperature": round(rng.uniform(36.2, 37.2), 1), "symptom": symptom, "symptom2": None,
                             "action": action, "followup": "家长已知晓" if action == "通知家长" else None,
                             "checker": s.nurse})
    for row, illness, start, end in _episodes(s, last):
        before = _before(s, start)
        if illness not in FEVERISH or before is None or _mark(s, row["child_id"], before) != "√":
            continue
        if rng.random() < 0.35:
            findings.append({"date": before, "session": "午检", "child_id": row["child_id"],
                             "temperature": round(rng.uniform(37.6, 39.0), 1), "symptom": "发热",
                             "symptom2": rng.choice((None, "咳嗽", "流涕")), "action": "离园就医", "followup": None,
                             "checker": s.nurse})
        back = next((x for x in days if x > end), None)
        if illness != "发热" and back and _mark(s, row["child_id"], back) == "√" and rng.random() < 0.4:
            drug, dose, per_day = rng.choice(DRUGS)
            stop = back + dt.timedelta(days=2)
            requests.append({"date": back, "child_id": row["child_id"], "drug": drug, "dose": dose, "per_day": per_day,
                             "start": back, "end": stop, "times": "11:30、14:30" if per_day == 2 else "11:30",
                             "signed": "是", "received_by": teacher[row["class_name"]]})
            for x in (x for x in days if back <= x <= stop and _mark(s, row["child_id"], x) == "√"):
                for time in (dt.time(11, 30), dt.time(14, 30))[:per_day]:
                    doses.append({"date": x, "time": time, "child_id": row["child_id"], "drug": drug, "dose": dose,
                                  "given_by": teacher[row["class_name"]], "checked_by": s.nurse, "note": None})
    # planted: a child sent home with 发热 in 当前月份 who is back the next school day, nothing written in 复查追踪
    for d, nxt in zip(days, days[1:]):
        if d < first:
            continue
        back = [k for k in present.get((s.classes[0][0], d), []) if k in present.get((s.classes[0][0], nxt), [])]
        if back:
            findings.append({"date": d, "session": "午检", "child_id": back[0], "temperature": 38.1, "symptom": "发热",
                             "symptom2": None, "action": "离园就医", "followup": None, "checker": s.nurse})
            break
    # planted: the afternoon dose of the first day of 当前月份's earliest two-a-day request not recorded
    twice = min((r for r in requests if r["start"] >= first and r["per_day"] == 2), key=lambda r: r["start"],
                default=None)
    if twice:
        mine = [x for x in doses if x["child_id"] == twice["child_id"] and x["drug"] == twice["drug"]
                and twice["start"] <= x["date"] <= twice["end"]]
        doses.remove(mine[1])
    findings.sort(key=lambda r: (r["date"], r["session"] != "晨检"))
    return {"morning_checks": checks, "check_findings": findings, "medicine_requests": requests,
            "medicine_doses": sorted(doses, key=lambda r: (r["date"], r["time"])),
            "disinfection_rules": [{"item": i, "frequency": f, "times": n, "low": lo, "high": hi, "basis": OWN}
                                   for i, f, n, lo, hi in RULES],
            "disinfection_log": _disinfection(s, rng, days, first, present),
            "health_education": _education(s, last),
            "common_diseases": _conditions(s),
            "settings": {"education_children": 10, "education_parents": 5, "education_staff": 5}}


def _conditions(s) -> list[dict]:
    """常见疾病登记: each child whose 名册 备注 says 哮喘史 (未愈, followed) or an allergy (好转)."""
    rows = []
    for c in s.roster:
        note = c["note"] or ""
        if "哮喘" in note or "过敏" in note:
            rows.append({"date": s.term[0], "child_id": c["child_id"], "disease": "哮喘" if "哮喘" in note else "过敏性疾病",
                         "detail": note, "care": "避免剧烈运动，随身带药" if "哮喘" in note else "膳食中避开过敏食物",
                         "outcome": "未愈" if "哮喘" in note else "好转", "outcome_date": None})
    return rows


def _education(s, last: dt.date) -> list[dict]:
    rows = []
    for month, items in zip(s.months, EDUCATION):
        y, m = int(month[:4]), int(month[5:])
        for day, audience, form, topic in items:
            d = dt.date(y, m, day)
            if d <= last:
                rows.append({"date": d, "audience": audience, "form": form, "topic": topic,
                             "people": {"儿童": 60, "家长": 120, "保教人员": 30}[audience], "by": s.nurse})
    return rows


def _disinfection(s, rng, days, first, present) -> list[dict]:
    rows, fridays, weeks = [], {}, {}
    for d in days:
        if d.weekday() == 4:
            fridays.setdefault(d.strftime("%Y-%m"), []).append(d)
        weeks.setdefault(d - dt.timedelta(days=d.weekday()), []).append(d)
    toys = {next((d for d in w if d.weekday() >= 2), w[-1]) for w in weeks.values()}
    bedding = {d for month in fridays.values() for d in month[:3:2]}  # the month's first and third Friday
    skipped = next(d for d in days if d >= first and d.weekday() == 3)  # 当前月份's first Thursday: planted
    for d in days:
        for c, _, _ in s.classes:
            if (c, d) not in present or (c == s.classes[1][0] and d == skipped):
                continue
            row = {"date": d, "class_name": c, **{k: "√" for k in DAILY}, "toys": "√" if d in toys else None,
                   "bedding": "√" if d in bedding else None, "tested": None, "concentration": None,
                   "by": s.staff[c][1], "note": None}
            if d.weekday() == 0:
                row["tested"], row["concentration"] = "餐桌", float(rng.choice((300, 350, 400, 450)))
            rows.append(row)
    low = next(r for r in rows if r["date"] >= first and r["tested"] and r["class_name"] == s.classes[2][0])
    low["concentration"] = 150.0  # planted: made up too weak
    return rows
