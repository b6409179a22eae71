"""The school bus, pure: each trip with its roll call and what is wrong with it. One trip is one 出车记录 row
(日期, 趟次, 路线); its riders are the 乘车点名 rows with the same three. The rules a 随车照管人员 works by
(《校车安全管理条例》, kgxl/data/README.md): every child who boarded is counted off the bus, never more on board
than the vehicle's 核定载人数, an escort on every trip, the vehicle's papers and the driver's licence valid."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from kgxl.core.cells import is_blank
from kgxl.core.roster import enrolled

KEY = ["date", "trip", "route"]
ADULTS = "驾驶员和跟车老师"  # counted on board with the children against 核载人数
OVERLOAD_RULE = "超载：本趟上车幼儿数＋驾驶员＋跟车老师（已填写的）超过车辆核载人数"


def _valid(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.dropna(subset=KEY).assign(row=lambda f: f.index)


def trips(trip_frame: pd.DataFrame, roll_frame: pd.DataFrame, vehicles: pd.DataFrame) -> pd.DataFrame:
    """One row per 出车记录 row with its roll call counted: boarded, alighted, rolls; the vehicle's seats and papers;
    first: whether it is the first row of its (日期, 趟次, 路线) (a repeat is a problem and counts once)."""
    t = _valid(trip_frame)
    r = _valid(roll_frame)
    on = r[r["boarded"] == "是"]
    counts = pd.DataFrame({"rolls": r.groupby(KEY).size(), "boarded": on.groupby(KEY).size(),
                           "alighted": on[on["alighted"] == "是"].groupby(KEY).size()})
    t = t.join(counts, on=KEY)
    for c in ("rolls", "boarded", "alighted"):
        t[c] = t[c].fillna(0).astype(int)
    v = vehicles.dropna(subset=["plate"]).drop_duplicates("plate").set_index("plate")
    t["seats"] = t["plate"].map(v["seats"])
    t["inspection_until"] = t["plate"].map(v["inspection_until"])
    t["insurance_until"] = t["plate"].map(v["insurance_until"])
    t["adults"] = 1 + t["escort"].map(lambda x: 0 if is_blank(x) else 1)
    t["first"] = ~t.duplicated(KEY)
    return t


def overloaded(t: pd.DataFrame) -> pd.DataFrame:
    s = pd.to_numeric(t["seats"], errors="coerce")
    return t[s.notna() & (t["boarded"] + t["adults"] > s)]


def expired_papers(t: pd.DataFrame, people: pd.DataFrame | None) -> list[tuple[int, str, str]]:
    """(trip row, column key, what) for each trip run on a day its vehicle's 年检 or 保险, or its driver's licence,
    had run out."""
    out = []
    until = {} if people is None else \
        people.dropna(subset=["name"]).drop_duplicates("name").set_index("name")["licence_until"].to_dict()
    for r in t.itertuples():
        for label, day in (("年检", r.inspection_until), ("保险", r.insurance_until)):
            if isinstance(day, dt.date) and day < r.date:
                out.append((r.row, "plate", f"车辆 {r.plate} 的{label}已于 {day.isoformat()} 到期"))
        lic = until.get(r.driver)
        if isinstance(lic, dt.date) and lic < r.date:
            out.append((r.row, "driver", f"驾驶员 {r.driver} 的驾驶证已于 {lic.isoformat()} 到期"))
    return out


def riders(roll_frame: pd.DataFrame, routes: pd.DataFrame, roster: pd.DataFrame) -> pd.DataFrame:
    """The boarded 点名 rows with: on_route (the child is on that route that day, by 乘车路线) and enrolled."""
    r = _valid(roll_frame)
    r = r[(r["boarded"] == "是") & r["child_id"].notna()]
    ro = routes.dropna(subset=["route", "child_id"]).drop_duplicates("child_id").set_index("child_id")
    since, until = r["child_id"].map(ro["since"]), r["child_id"].map(ro["until"])
    r = r.assign(route_of=r["child_id"].map(ro["route"]))
    days = r["date"].astype(object)
    r["on_route"] = ((r["route_of"] == r["route"]) & (since.astype(object).fillna(dt.date.min) <= days)
                     & (until.astype(object).fillna(dt.date.max) >= days))
    r["enrolled"] = enrolled(r["child_id"], r["date"], roster) if len(r) else []
    return r


def has_trips(v) -> bool:
    """刷新汇总 makes the bus sheets only for a kindergarten whose 出车记录 has a trip."""
    return bool(len(v.tables["bus_trips"].frame.dropna(subset=KEY, how="all")))
