"""The sample kindergarten's school bus: two routes of about a quarter of its children (two dozen each in the
180-child sample), two vehicles with their
drivers, two teachers as escorts, and a trip each way every school day up to 当前月份's end with its roll call
(a child marked absent in the register does not board; now and then a parent fetches a child in the afternoon).
Nothing planted: the bus's cases are 错误, and those live only in copies the tests make. Its own random stream, so
the other sample data do not move."""
from __future__ import annotations

import datetime as dt
import random

from kgxl.core.calendar import month_bounds

ROUTES = (("东线", "示X80011", (dt.time(7, 20), dt.time(7, 55)), (dt.time(16, 40), dt.time(17, 15))),
          ("西线", "示X80012", (dt.time(7, 25), dt.time(7, 58)), (dt.time(16, 45), dt.time(17, 25))))
RIDING = 0.27  # the share of the children who ride: two routes of 24 for the 180-child sample
SEATS = 36  # each vehicle's 核载人数: a route holds at most that less its driver and escort


def rows(s, got: dict) -> dict:
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
