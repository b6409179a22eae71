"""What a new term's workbook takes of the security sheets the domain does not keep whole: the 乘车路线 and 接送授权
rows of the children it keeps (their class moves with them through 幼儿名册), with no end date or one after the new
term starts."""
from __future__ import annotations

from kgxl.core.term import NewTerm, records


def routes_of_children(v, term: NewTerm) -> list[dict]:
    return [r for r in records(v.tables["bus_routes"].frame)
            if r["child_id"] in term.children and (not r["until"] or r["until"] >= term.start)]


def authorisations_of_children(v, term: NewTerm) -> list[dict]:
    """接送授权 of the children the new term keeps, those still valid when it starts."""
    return [r for r in records(v.tables["pickup_auth"].frame)
            if r["child_id"] in term.children and (not r["until"] or r["until"] >= term.start)]
