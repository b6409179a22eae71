"""What the planning domain has due (待办事项): each 行事历 item not yet done, by its 计划完成日期 (else its month's
last day). Pure."""
from __future__ import annotations

import datetime as dt

from kgxl.core.cells import show
from kgxl.core.due import DueItem
from kgxl.domains.planning.progress import NOT_YET, OPEN, items


def due(v, today: dt.date) -> list[DueItem]:
    t = v.tables.get("calendar_plan")
    if t is None:
        return []
    it = items(t.frame, today)
    return [DueItem(f"行事历：{r.item}", r.due, t.sheet, t.cell(r.line, "done"), show(r.owner))
            for r in it.itertuples() if r.status in (OPEN, NOT_YET)] if len(it) else []
