"""What the health domain has due (待办事项): each 体弱儿's next re-check (体弱儿管理's 下次复查), and the children
whose regular check or haemoglobin test is overdue or due this month, counted in one item (the names are on 体检提醒,
a report of this domain). Pure."""
from __future__ import annotations

import datetime as dt

from kgxl.core.due import DueItem, due_month, new_row
from kgxl.domains.health.names import REMINDERS
from kgxl.domains.health.sheets import report


def due(v, today: dt.date) -> list[DueItem]:
    t = v.tables
    if "health_checks" not in t or "roster" not in t:
        return []
    checks, month = t["health_checks"], due_month(v, today)
    r = report(v, month, today)
    out, where = [], new_row(checks, "date")
    names = dict(zip(r.s.children["child_id"], r.s.children["name"])) if len(r.s.children) else {}
    for e in r.s.register.to_dict("records") if len(r.s.register) else []:
        if isinstance(e.get("next"), dt.date):
            who = names.get(e["child_id"], e["child_id"])
            out.append(DueItem(f"体弱儿复查：{who}（{'、'.join(e['reasons'])}）", e["next"], checks.sheet, where, who))
    kids = r.s.children
    if len(kids):
        end, since = r.month_end, v.settings.term_start if v.settings.term_valid else None
        dates = [d for d in (_first_due(c, since) for c in kids.to_dict("records")) if d is not None]
        late = [d for d in dates if d < today]
        soon = [d for d in dates if today <= d <= end]
        if late:
            out.append(DueItem(f"{len(late)} 名幼儿的体格检查或血红蛋白检查已逾期（名单见“{REMINDERS}”）", min(late),
                               checks.sheet, where))
        if soon:
            out.append(DueItem(f"{len(soon)} 名幼儿的体格检查或血红蛋白检查本月到期（名单见“{REMINDERS}”）", end,
                               checks.sheet, where))
    return out


def _first_due(c: dict, since: dt.date | None) -> dt.date | None:
    """A child's earliest check due, leaving out what 体检提醒 calls 无记录 (due before the term, never recorded here:
    not known to be late)."""
    last = {"due": c.get("date") if c["checked"] else None, "hb_due": c.get("last_hb_date")}
    known = [c[k] for k in ("due", "hb_due") if isinstance(last[k], dt.date) or since is None or c[k] >= since]
    return min(known) if known else None
