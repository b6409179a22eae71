"""The roster's own rule: a birth date that gives an age no kindergarten child has is probably mistyped."""
from __future__ import annotations

from kgxl.core.cells import show
from kgxl.core.problems import WARNING, Problem


def plausible_ages(v) -> list[Problem]:
    t, start = v.tables.get("roster"), v.settings.term_start
    if t is None or not start:
        return []
    births = t.frame["birth_date"]
    out = []
    for i, b in births[births.notna()].items():
        years = (start - b).days / 365.25
        if not 1.5 <= years <= 7.5:
            out.append(Problem(t.sheet, t.cell(i, "birth_date"), t.schema.column("birth_date").header, show(b),
                               "implausible_age",
                               f"按出生日期，学期开始时年龄为 {years:.1f} 岁，超出幼儿园常见年龄（1.5-7.5岁），请核对",
                               WARNING))
    return out
