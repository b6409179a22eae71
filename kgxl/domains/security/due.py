"""What the security domain has due (待办事项): a bus's 年检 or 保险 and a driver's licence expired or within
基本信息's 班车证照到期提醒 days; a piece of fire equipment past or near its 有效期 (its 报废 or 维修 date for an
extinguisher) within 消防器材到期提醒. Pure."""
from __future__ import annotations

import datetime as dt

from kgxl.core.due import DueItem
from kgxl.domains.security import expiry, fire

NEAR = (expiry.EXPIRED, expiry.SOON)


def due(v, today: dt.date) -> list[DueItem]:
    t, s, out = v.tables, v.settings, []
    if "vehicles" in t:
        cars = t["vehicles"]
        for i, r in cars.frame.dropna(subset=["plate"]).iterrows():
            for key, label in (("inspection_until", "年检"), ("insurance_until", "保险")):
                if expiry.status(r[key], today, s.bus_warn_days) in NEAR:
                    out.append(DueItem(f"班车 {r['plate']} 的{label}有效期至 {r[key].isoformat()}：办理后填写新的日期", r[key],
                                       cars.sheet, cars.cell(i, key)))
    if "bus_staff" in t:
        people = t["bus_staff"]
        for i, r in people.frame.dropna(subset=["name"]).iterrows():
            if r["duty"] == "驾驶员" and expiry.status(r["licence_until"], today, s.bus_warn_days) in NEAR:
                out.append(DueItem(f"驾驶员 {r['name']} 的驾驶证有效期至 {r['licence_until'].isoformat()}", r["licence_until"],
                                   people.sheet, people.cell(i, "licence_until"), r["name"]))
    if "fire_equipment" in t:
        gear = t["fire_equipment"]
        for r in fire.equipment(gear.frame).itertuples():
            if expiry.status(r.due, today, s.fire_warn_days) in NEAR:
                out.append(DueItem(f"消防器材 {r.item_id}（{r.kind}，{r.place}）{r.due.isoformat()} 到"
                                   f"{fire.DEADLINE.get(r.why, '期限')}：送修或更换", r.due, gear.sheet,
                                   gear.cell(r.row, fire.due_column(r.why, r.serviced))))
    return out
