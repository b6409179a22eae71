"""What the staff domain has due (待办事项): a 健康证 that has expired or expires within 基本信息's 健康证到期提醒
days, of someone in service today; a drill of 基本信息's 本学期计划演练 not yet held (due by the term's end). Pure."""
from __future__ import annotations

import datetime as dt

from kgxl.core.due import DueItem, new_row
from kgxl.domains.staff.people import EXPIRED, MISSING, SOON, cert_state, in_service
from kgxl.domains.staff.safety import drills_against_plan


def due(v, today: dt.date) -> list[DueItem]:
    return _certificates(v, today) + _drills(v, today)


def _drills(v, today: dt.date) -> list[DueItem]:
    t, s = v.tables.get("drills"), v.settings
    if t is None or not s.term_valid or today > s.term_end:
        return []
    plan = drills_against_plan(t.frame, s.planned_drills, today)
    return [DueItem(f"本学期计划的{r.kind}演练还没有进行：组织演练后在“{t.sheet}”登记", s.term_end, t.sheet,
                    new_row(t, "date")) for r in plan.itertuples() if r.planned and not r.held]


def _certificates(v, today: dt.date) -> list[DueItem]:
    t = v.tables.get("staff")
    if t is None:
        return []
    out = []
    for i, r in in_service(t.frame, today).iterrows():
        state = cert_state(r["health_cert_expiry"], today, v.settings.health_cert_warn_days)
        who = f"{r['name']}（{r['role']}）"
        if state == MISSING:
            out.append(DueItem(f"{who}没有填写健康证到期日期", None, t.sheet, t.cell(i, "health_cert_expiry"), r["name"]))
        elif state in (EXPIRED, SOON):
            out.append(DueItem(f"{who}的健康证{'已于' if state == EXPIRED else '将于'} {r['health_cert_expiry'].isoformat()}"
                               f" 到期：安排健康检查，换发后填写新的到期日期", r["health_cert_expiry"], t.sheet,
                               t.cell(i, "health_cert_expiry"), r["name"]))
    return out
