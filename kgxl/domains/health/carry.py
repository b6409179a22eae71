"""What a new term's workbook takes of 体检记录: every check of the children it keeps (growth needs the history)."""
from __future__ import annotations

from kgxl.core.term import NewTerm, records


def checks_of_children(v, term: NewTerm) -> list[dict]:
    return [r for r in records(v.tables["health_checks"].frame) if r["child_id"] in term.children]
