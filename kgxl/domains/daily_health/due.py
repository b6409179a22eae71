"""What the daily_health domain has due (待办事项): today's 晨午检 of each class with children marked present and no
row yet (from the sheet's first day, as its rule), and today's doses of the medicine requests running today for a
child marked present, while fewer are recorded than 每日次数. Pure."""
from __future__ import annotations

import datetime as dt

from kgxl.core.due import DueItem, new_row
from kgxl.domains.attendance.shared import child_days
from kgxl.domains.daily_health import checks as ck
from kgxl.domains.daily_health import medicine as md


def due(v, today: dt.date) -> list[DueItem]:
    t, out = v.tables, []
    long = child_days(v)
    if long is None:
        return out
    if "morning_checks" in t:
        checks = t["morning_checks"]
        cov = ck.coverage(checks.frame, ck.present_of(v), today)
        for r in cov[(cov["day"] == today) & cov["due"] & ~cov["checked"]].itertuples():
            out.append(DueItem(f"{r.class_name}今天还没有晨午检记录（出勤 {r.present} 人）", today, checks.sheet,
                               new_row(checks, "date"), v.settings.health_teacher or ""))
    if "medicine_requests" in t and "medicine_doses" in t:
        roster = t["roster"].frame
        req = md.readable(t["medicine_requests"].frame, roster, "date")
        req = req[(req["start"].map(lambda d: isinstance(d, dt.date) and d <= today)
                   & req["end"].map(lambda d: isinstance(d, dt.date) and d >= today)).astype(bool)]
        dose = md.readable(t["medicine_doses"].frame, roster, "date")
        for r, s in zip(req.itertuples(), md.shortfalls(req, dose, long, today).itertuples()):
            if today in s.short:
                out.append(DueItem(f"{r.name or r.child_id}（{r.class_name}）今天服“{r.drug}”{int(r.per_day)} 次，服药记录未满",
                                   today, t["medicine_doses"].sheet, new_row(t["medicine_doses"], "date"),
                                   r.received_by if isinstance(r.received_by, str) else ""))
    return out
