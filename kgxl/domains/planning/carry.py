"""What a new term's workbook takes of 行事历: a school repeats its calendar, so each item comes back to fill in again
(no 完成日期), a year on at the same month when that month is in the new term; else (the next half of the school year)
at the same place in the new term — its first month's items in the new first month, and so on — with its 备注
saying where it came from, for the user to edit. 学期目标 is kept as it is."""
from __future__ import annotations

import calendar
import datetime as dt

from kgxl.core.calendar import month_label, months_between
from kgxl.core.term import NewTerm, records


def _moved(day, month: str):
    """A 计划完成日期 at the same day of the new month (its last day when shorter)."""
    if not isinstance(day, dt.date):
        return None
    y, m = int(month[:4]), int(month[5:])
    return dt.date(y, m, min(day.day, calendar.monthrange(y, m)[1]))


def plan_rolled(v, term: NewTerm) -> list[dict]:
    old = term.old
    before = months_between(old.term_start, old.term_end) if old.term_valid else []
    after = months_between(term.start, term.end)
    out = []
    for r in records(v.tables["calendar_plan"].frame):
        m = r["month"]
        if not isinstance(m, str):
            continue
        year_on = f"{int(m[:4]) + 1}{m[4:]}"
        if year_on in after:
            new = year_on
        elif m in before and before.index(m) < len(after):
            new = after[before.index(m)]
        else:
            continue
        note = r["note"] if year_on == new else f"由{month_label(m)}的事项顺延，请按本学期修改"
        out.append(r | {"month": new, "planned": _moved(r["planned"], new), "done": None, "note": note})
    return out
