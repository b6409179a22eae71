"""What a new term's workbook takes of the daily registers: only 常见疾病登记's open conditions (转归 blank, 好转 or
未愈) of the children the new term keeps — the condition goes on; the registers of days start empty."""
from __future__ import annotations

from kgxl.core.term import NewTerm, records

CLOSED = ("治愈", "转出")


def open_conditions(v, term: NewTerm) -> list[dict]:
    return [r for r in records(v.tables["common_diseases"].frame)
            if r["outcome"] not in CLOSED and r["child_id"] in term.children]
