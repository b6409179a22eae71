"""The inspection plan's own rule: every 频次 must be one kgxl can schedule."""
from __future__ import annotations

from kgxl.core.cells import show
from kgxl.core.problems import ERROR, Problem
from kgxl.core.reading import Table
from kgxl.domains.inspections.frequency import FORMS, parse


def rules(v) -> list[Problem]:
    return plan_problems(v.tables["inspection_plan"]) if "inspection_plan" in v.tables else []


def plan_problems(plan: Table) -> list[Problem]:
    """An unknown 频次 is a located 错误 listing the accepted forms."""
    col = plan.frame["frequency"]
    out = []
    for row, text in col[col.notna()].items():
        if parse(text) is None:
            out.append(Problem(plan.sheet, plan.cell(row, "frequency"), "频次", show(text), "bad_frequency",
                               f"频次“{show(text)}”无法识别，可填写：{'、'.join(FORMS)}", ERROR))
    return out
