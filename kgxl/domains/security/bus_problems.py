"""The bus sheets' own rules. 错误 (each stops only 班车统计): a child who boarded and was not counted off the bus, a
trip over the vehicle's 核载人数, a trip without an escort, a vehicle or licence past its date on a trip day, a
driver or escort column naming someone of the other duty, a trip registered twice, a roll call without its trip, a
rider not enrolled that day. 警告: a trip without a roll call, a rider not on that route, papers expiring within
基本信息's 班车证照到期提醒(天), a driver without a licence date or 无事故声明."""
from __future__ import annotations

import datetime as dt

from kgxl.core.cells import is_blank, show
from kgxl.core.problems import ERROR, WARNING, Problem
from kgxl.domains.security import bus, expiry
from kgxl.domains.security.names import ROLL_CALL


def _add(out, t, i, key, value, code, message, severity=ERROR):
    out.append(Problem(t.sheet, t.cell(i, key), t.schema.column(key).header, show(value), code, message, severity))


def bus_problems(v) -> list:
    t = v.tables
    if not set(ROLL_CALL) <= set(t):
        return []
    people = t["bus_staff"].frame if "bus_staff" in t else None
    out = _papers(t["vehicles"], t.get("bus_staff"), v.today, v.settings.bus_warn_days)
    trips, rolls = t["bus_trips"], t["bus_rolls"]
    tr = bus.trips(trips.frame, rolls.frame, t["vehicles"].frame)
    for r in tr[~tr["first"]].itertuples():
        _add(out, trips, r.row, "route", r.route, "trip_twice", f"{show(r.date)} {r.trip} {r.route} 已登记过一行")
    tr = tr[tr["first"]]
    for r in tr[tr["escort"].map(is_blank)].itertuples():
        _add(out, trips, r.row, "escort", None, "no_escort", f"{show(r.date)} {r.trip} {r.route} 没有跟车老师：每趟班车须有随车照管人员")
    for r in bus.overloaded(tr).itertuples():
        _add(out, trips, r.row, "plate", r.plate, "overloaded",
             f"{show(r.date)} {r.trip} {r.route}：上车幼儿 {r.boarded} 名＋{bus.ADULTS} {r.adults} 名，超过 {r.plate} 的核载 "
             f"{int(r.seats)} 人")
    for row, key, what in bus.expired_papers(tr, people):
        _add(out, trips, row, key, trips.frame.at[row, key], "bus_expired", f"{show(trips.frame.at[row, 'date'])} 出车时{what}")
    for r in tr[tr["rolls"] == 0].itertuples():
        _add(out, trips, r.row, "route", r.route, "trip_without_roll", f"{show(r.date)} {r.trip} {r.route} 在“乘车点名”中没有点名",
             WARNING)
    if people is not None:
        out += _duties(trips, people)
    out += _rolls(v, rolls, tr)
    return out


def _papers(vehicles, people, today: dt.date, warn: int) -> list:
    out = []
    for i, r in vehicles.frame.dropna(subset=["plate"]).iterrows():
        for key, label in (("inspection_until", "年检"), ("insurance_until", "保险")):
            if expiry.status(r[key], today, warn) == "即将到期":
                _add(out, vehicles, i, key, r[key], "bus_soon",
                     f"车辆 {r['plate']} 的{label} {show(r[key])} 到期（{(r[key] - today).days} 天后）", WARNING)
    if people is None:
        return out
    for i, r in people.frame.dropna(subset=["name"]).iterrows():
        if r["duty"] != "驾驶员":
            continue
        if not isinstance(r["licence_until"], dt.date):
            _add(out, people, i, "licence_until", r["licence_until"], "driver_papers", f"驾驶员 {r['name']} 没有填写驾驶证有效期",
                 WARNING)
        elif expiry.status(r["licence_until"], today, warn) == "即将到期":
            _add(out, people, i, "licence_until", r["licence_until"], "bus_soon",
                 f"驾驶员 {r['name']} 的驾驶证 {show(r['licence_until'])} 到期（{(r['licence_until'] - today).days} 天后）", WARNING)
        if r["no_accident"] != "是":
            _add(out, people, i, "no_accident", r["no_accident"], "driver_papers",
                 f"驾驶员 {r['name']} 没有签署无事故声明（《校车安全管理条例》对校车驾驶人的条件）", WARNING)
    return out


def _duties(trips, people) -> list:
    duty = people.dropna(subset=["name"]).drop_duplicates("name").set_index("name")["duty"]
    out, f = [], trips.frame
    for key, want in (("driver", "驾驶员"), ("escort", "跟车老师")):
        has = f[key].map(duty)
        for i in f.index[has.notna() & (has != want)]:
            _add(out, trips, i, key, f.at[i, key], "wrong_duty", f"{f.at[i, key]} 在“班车人员”中的职责是{has[i]}，不是{want}")
    return out


def _rolls(v, rolls, tr) -> list:
    out, f = [], rolls.frame
    valid = f.dropna(subset=bus.KEY)
    known = valid.set_index(bus.KEY).index.isin(tr.set_index(bus.KEY).index)
    for i, r in valid[~known].iterrows():
        _add(out, rolls, i, "route", r["route"], "roll_without_trip",
             f"“出车记录”中没有 {show(r['date'])} {r['trip']} {r['route']} 这一趟")
    for i, r in valid[(valid["boarded"] == "是") & (valid["alighted"] != "是")].iterrows():
        _add(out, rolls, i, "alighted", r["alighted"], "not_alighted",
             f"{r['child_id']} 在 {show(r['date'])} {r['trip']} {r['route']} 上了车，没有点到下车：请立即核实该幼儿在哪里")
    if "roster" not in v.tables or "bus_routes" not in v.tables:
        return out
    roster = v.tables["roster"].frame
    ids = set(roster.dropna(subset=["child_id", "entry_date"])["child_id"])  # an unreadable 入园日期 has its own problem
    rd = bus.riders(f, v.tables["bus_routes"].frame, roster)
    rd = rd[rd["child_id"].isin(ids)]
    for r in rd[~rd["enrolled"]].itertuples():
        _add(out, rolls, r.row, "child_id", r.child_id, "rider_not_enrolled", f"幼儿 {r.child_id} 在 {show(r.date)} 不在园（入园日期至离园日期之外）")
    for r in rd[rd["enrolled"] & ~rd["on_route"]].itertuples():
        where = f"在“乘车路线”中是{r.route_of}" if isinstance(r.route_of, str) else "不在“乘车路线”中"
        _add(out, rolls, r.row, "child_id", r.child_id, "rider_not_on_route",
             f"幼儿 {r.child_id} 乘坐 {show(r.date)} {r.trip} {r.route}，{where}（或不在乘车日期内）", WARNING)
    return out
