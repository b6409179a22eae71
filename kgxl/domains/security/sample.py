"""The sample kindergarten's gate, pick-up, school bus and fire equipment. The gate: a few visitors a school day,
each with papers checked and a host, one never signed out (警告); every child's parents authorised, some
grandparents with a card to a date; a handful of late pick-ups, a substitute the parent confirmed, a stranger
refused. The fire equipment: 36 extinguishers and the other equipment, checked on the first school day of every
month, two 水基型 extinguishers due for service within 消防器材到期提醒 of 当前月份's end (警告). The school bus: two routes of about a quarter of its children (two dozen each in the
180-child sample), two vehicles with their
drivers, two teachers as escorts, and a trip each way every school day up to 当前月份's end with its roll call
(a child marked absent in the register does not board; now and then a parent fetches a child in the afternoon).
The 错误 cases (a child not counted off the bus, an unauthorised pick-up, a visitor let in unchecked) live only in
copies the tests make. Its own random streams, so the other sample data do not move."""
from __future__ import annotations

import datetime as dt
import random

from kgxl.core.calendar import month_bounds

ROUTES = (("东线", "示X80011", (dt.time(7, 20), dt.time(7, 55)), (dt.time(16, 40), dt.time(17, 15))),
          ("西线", "示X80012", (dt.time(7, 25), dt.time(7, 58)), (dt.time(16, 45), dt.time(17, 25))))
RIDING = 0.27  # the share of the children who ride: two routes of 24 for the 180-child sample
SEATS = 36  # each vehicle's 核载人数: a route holds at most that less its driver and escort


def rows(s, got: dict) -> dict:
    return {**bus(s, got), **gate(s, got), **fire(s),
            "settings": {"class_start": dt.time(8, 30), "class_end": dt.time(16, 30), "late_after": dt.time(17, 30),
                         "safety_officer": s.principal}}


def bus(s, got: dict) -> dict:
    rng = random.Random(f"{s.seed}-bus")
    year = s.term[1].year
    vehicles = [{"plate": plate, "model": "幼儿专用校车", "seats": SEATS, "inspection_until": dt.date(year, 6, 30),
                 "insurance_until": dt.date(year, 8, 15), "note": None} for _, plate, _, _ in ROUTES]
    drivers = [s.adult_name(rng) for _ in ROUTES]
    teachers = [p for p in got.get("staff", []) if p["role"] == "教师"][1::2][:len(ROUTES)]
    people = [{"name": d, "duty": "驾驶员", "staff_id": None, "licence_class": "A1", "licence_until": dt.date(year + 4, 3, 1 + i),
               "no_accident": "是", "phone": f"13{rng.randint(10**8, 10**9 - 1)}"} for i, d in enumerate(drivers)]
    people += [{"name": p["name"], "duty": "跟车老师", "staff_id": p["staff_id"], "licence_class": None, "licence_until": None,
                "no_accident": None, "phone": p["phone"]} for p in teachers]
    pool = [r["child_id"] for r in s.roster if r["entry_date"] <= s.term[0] and not r["leave_date"]]
    riders = min(len(pool), max(len(ROUTES), round(len(pool) * RIDING)), (SEATS - 2) * len(ROUTES))
    chosen = rng.sample(pool, riders)
    routes = [{"route": ROUTES[i % len(ROUTES)][0], "child_id": c, "stop": f"{rng.choice('一二三四五')}号站", "since": None,
               "until": None} for i, c in enumerate(chosen)]
    present = {}
    for reg in s.registers.values():
        for row in reg["rows"]:
            for day, mark in row["marks"].items():
                present[(row["child_id"], day)] = mark == "√"
    last = month_bounds(s.current_month)[1]
    trips, rolls = [], []
    for day in (d for d in s.days if d <= last):
        for i, (route, plate, morning, evening) in enumerate(ROUTES):
            kids = [r["child_id"] for r in routes if r["route"] == route]
            for trip, (depart, arrive) in (("入园", morning), ("离园", evening)):
                trips.append({"date": day, "trip": trip, "route": route, "plate": plate, "driver": drivers[i],
                              "escort": teachers[i]["name"] if i < len(teachers) else None, "depart": depart,
                              "arrive": arrive})
                for c in kids:
                    fetched = trip == "离园" and rng.random() < 0.03
                    on = present.get((c, day), False) and not fetched
                    rolls.append({"date": day, "trip": trip, "route": route, "child_id": c, "boarded": "是" if on else "否",
                                  "alighted": "是" if on else None,
                                  "note": "家长自接" if fetched and present.get((c, day)) else None if on else "未入园"})
    return {"vehicles": vehicles, "bus_staff": people, "bus_routes": routes, "bus_trips": trips, "bus_rolls": rolls}


PURPOSES = (("送货", "厨房食堂", "食品配送公司"), ("设备维修", "户外场地", "维修公司"), ("家长来访", "班级活动区", None),
            ("检查指导", "行政办公区", "区教育局"), ("送检资料", "行政办公区", "区疾控中心"))
HOSTS = {"厨房食堂": "厨师", "户外场地": "保安", "班级活动区": "教师", "行政办公区": "行政"}


def _at(rng, first: int, last: int) -> dt.time:
    """A time between two hours, on the quarter hour."""
    m = rng.randrange(int(first * 60), int(last * 60) + 1, 15)
    return dt.time(m // 60, m % 60)


def gate(s, got: dict) -> dict:
    rng = random.Random(f"{s.seed}-gate")
    staff = got.get("staff", [])
    last = month_bounds(s.current_month)[1]
    days = [d for d in s.days if d <= last]
    visits = []
    for day in days:
        for _ in range(rng.randint(0, 3)):
            purpose, area, org = rng.choice(PURPOSES)
            hosts = [p["name"] for p in staff if p["role"] == HOSTS[area]]
            enter = _at(rng, 9, 15)
            out = (dt.datetime.combine(day, enter) + dt.timedelta(minutes=rng.randrange(15, 91, 5))).time()
            visits.append({"date": day, "visitor": s.adult_name(rng), "id_checked": "是", "org": org, "purpose": purpose,
                           "host": rng.choice(hosts) if hosts else None, "area": area, "enter": enter, "leave": out,
                           "guard": s.guard})
    if visits:
        visits[len(visits) // 2]["leave"] = None  # planted 警告: a visitor never signed out
    auth, children = [], [r for r in s.roster]
    for c in children:
        surname = c["name"][0]
        auth.append({"child_id": c["child_id"], "adult": surname + s.adult_name(rng)[1:], "relation": "父亲",
                     "card": f"JS{c['child_id']}1", "until": None})
        auth.append({"child_id": c["child_id"], "adult": s.adult_name(rng), "relation": "母亲", "card": f"JS{c['child_id']}2",
                     "until": None})
        if rng.random() < 0.3:
            auth.append({"child_id": c["child_id"], "adult": surname + s.adult_name(rng)[1:], "relation": "祖母",
                         "card": f"JS{c['child_id']}3", "until": dt.date(s.term[1].year, 8, 31)})
    events = []
    on_roll = [c for c in children if not c["leave_date"] and c["entry_date"] <= s.term[0]]
    for day in rng.sample(days, min(len(days), 9)):
        c = rng.choice(on_roll)
        adult = next(a["adult"] for a in auth if a["child_id"] == c["child_id"])
        events.append({"date": day, "child_id": c["child_id"], "kind": "晚接", "adult": adult,
                       "time": _at(rng, 17.75, 18.5),
                       "confirmed": None, "handling": "值班教师看护至家长到园", "recorder": s.guard})
    this_month = [d for d in days if d >= month_bounds(s.current_month)[0]] or days  # the same in every sample size
    for n, day in enumerate(rng.sample(this_month, min(len(this_month), 3))):
        c = rng.choice(on_roll)
        refused = n == 2
        events.append({"date": day, "child_id": c["child_id"], "kind": "拒绝陌生人接走" if refused else "他人代接",
                       "adult": s.adult_name(rng), "time": _at(rng, 16, 17), "confirmed": None if refused else "是",
                       "handling": "来人不在授权名单，联系家长后未让其接走" if refused else "家长电话确认由其代接",
                       "recorder": s.guard})
    events.sort(key=lambda e: e["date"])
    return {"visits": visits, "pickup_auth": auth, "pickup_events": events}


EXTINGUISHERS = (("干粉灭火器", 30, ("一楼走廊", "二楼走廊", "三楼走廊", "各班活动室", "楼梯口")), ("二氧化碳灭火器", 4, ("配电房", "厨房")),
                 ("水基型灭火器", 2, ("厨房",)))
OTHERS = (("消火栓", 6, "各楼层消火栓箱"), ("应急照明灯", 18, "走廊和楼梯"), ("疏散指示标志", 24, "走廊和楼梯"))


def fire(s) -> dict:
    rng = random.Random(f"{s.seed}-fire")
    end = month_bounds(s.current_month)[1]
    items, n = [], 0
    for kind, count, places in EXTINGUISHERS:
        for k in range(count):
            n += 1
            made = dt.date(2022 + rng.randint(0, 2), rng.randint(3, 12), rng.randint(1, 28))
            if kind == "水基型灭火器":  # planted 警告: due for its first service (3 years) within 30 days of 当前月份's end
                due = end + dt.timedelta(days=10 * (k + 1))
                made = due.replace(year=due.year - 3)
            items.append({"item_id": f"MHQ-{n:02d}", "kind": kind, "place": rng.choice(places), "count": 1, "made": made,
                          "serviced": None, "until": None, "note": None})
    for kind, count, place in OTHERS:
        n += 1
        until = None if kind == "消火栓" else dt.date(s.term[1].year + 2, 6, 30)
        items.append({"item_id": f"XF-{n:02d}", "kind": kind, "place": place, "count": count, "made": None, "serviced": None,
                      "until": until, "note": None})
    checks, month = [], s.term[0].replace(day=1)
    while month <= end:
        first = next((d for d in s.days if d >= month), None)
        if first is None or first > end:
            break
        for it in items:
            bad = rng.random() < 0.02
            fixed = first + dt.timedelta(days=rng.randint(0, 3)) if bad else None
            checks.append({"date": first, "item_id": it["item_id"], "result": "压力不足" if bad else "正常",
                           "problem": "压力表指针在红区" if bad else None, "fixed": min(fixed, end) if fixed else None,
                           "fix": "已送修并配备备用灭火器" if bad else None, "checker": s.guard})
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return {"fire_equipment": items, "fire_checks": checks}
