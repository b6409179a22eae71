"""What the security domain gives the others: the names of its sheets, and one line per register of the month for
安全工作台账 (staff)."""
from __future__ import annotations

import datetime as dt

from kgxl.core.frames import where
from kgxl.domains.security import bus, expiry, fire, gate
from kgxl.domains.security.names import BUS, FIRE, GATE, RIDERSHIP, ROLL_CALL

__all__ = ["BUS", "RIDERSHIP", "GATE", "FIRE", "register_lines"]


def register_lines(v, first: dt.date, as_of: dt.date, today: dt.date) -> list[list]:
    """[register, "the month's count；what needs attention"] for each security register with rows this month."""
    t, s, rows = v.tables, v.settings, []

    def month(frame, key="date"):
        return where(frame.dropna(subset=[key]), lambda d: first <= d <= as_of, key)

    if "visits" in t and len(visits := month(t["visits"].frame)):
        open_ = gate.open_visits(visits, min(today, as_of + dt.timedelta(days=1)))
        unchecked = int((visits["id_checked"] == "否").sum())
        rows.append(["来访登记", f"{len(visits)} 人次；未查验证件 {unchecked}，未登记离开 {len(open_)}"])
    events = month(t["pickup_events"].frame.dropna(subset=["child_id", "kind"])) if "pickup_events" in t else ()
    if len(events) and "pickup_auth" in t:
        taken = len(gate.unauthorised(events, t["pickup_auth"].frame))
        late = int(gate.is_late(events, s.late_after).sum())
        rows.append(["接送异常登记", f"{len(events)} 起；未授权接走 {taken}，晚接 {late} 人次"])
    if set(ROLL_CALL) <= set(t):
        tr = bus.trips(t["bus_trips"].frame, t["bus_rolls"].frame, t["vehicles"].frame)
        tr = month(tr[tr["first"]])
        if len(tr):
            short = int((tr["boarded"] != tr["alighted"]).sum())
            rows.append(["班车出车记录", f"{len(tr)} 趟，{int(tr['boarded'].sum())} 人次；点名不完整 {short} 趟"])
    if "fire_equipment" in t and len(e := fire.equipment(t["fire_equipment"].frame)):
        checks = t["fire_checks"].frame if "fire_checks" in t else None
        checked = 0 if checks is None else len(fire.checks_between(checks, first, as_of))
        open_fix = 0 if checks is None else int(fire.defects(checks, first, as_of)["fixed_by"].isna().sum())
        state = e["due"].map(lambda d: expiry.status(d, as_of, s.fire_warn_days))
        rows.append(["消防器材", f"{len(e)} 项，本月检查 {checked} 项；已过期 {int((state == expiry.EXPIRED).sum())}，"
                                 f"即将到期 {int((state == expiry.SOON).sum())}，检查发现问题未整改 {open_fix}"])
    return rows
