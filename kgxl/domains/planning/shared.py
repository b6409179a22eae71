"""What the planning domain gives the others: a month's 行事历 items as they stood on a day (the 检查 tab's
本月工作要点)."""
from __future__ import annotations

import datetime as dt

from kgxl.domains.planning.names import PROGRESS
from kgxl.domains.planning.progress import items

__all__ = ["PROGRESS", "month_items"]


def month_items(v, month: str, as_of: dt.date) -> list[dict]:
    """The month's 行事历 items: due, item, category, owner, status (progress's words), in date order."""
    t = v.tables.get("calendar_plan")
    if t is None:
        return []
    it = items(t.frame, as_of)
    it = it[it["month"] == month] if len(it) else it
    return [{"due": r.due, "item": r.item, "category": r.category, "owner": r.owner, "status": r.status}
            for r in it.itertuples()]
