"""What a new term's workbook takes of 教职工: the people still in service on its first day, each in the class
they teach next (their class moved up, or the new 小班 when their class's children left)."""
from __future__ import annotations

from kgxl.core.term import NewTerm, records


def staff_in_service(v, term: NewTerm) -> list[dict]:
    return [s | {"class_name": term.teaching(s["class_name"])} for s in records(v.tables["staff"].frame)
            if not s["end_date"] or s["end_date"] >= term.start]
