"""What the assets domain gives the others: the names of its sheets, and a month's use of water, electricity and gas
per child-day present (学期目标)."""
from __future__ import annotations

import datetime as dt

from kgxl.domains.assets import energy as en
from kgxl.domains.assets.names import COUNT, ENERGY, LOANS, REPAIRS, SUMMARY, SUPPLIES, UNITS
from kgxl.domains.attendance.shared import present_days

__all__ = ["SUMMARY", "COUNT", "SUPPLIES", "LOANS", "REPAIRS", "ENERGY", "UNITS", "use_per_child_day"]


def use_per_child_day(v, month: str, as_of: dt.date) -> dict[str, float]:
    """Kind (水, 电, 燃气) -> the month's use per child-day present up to as_of (能耗统计's 每人日), for the kinds read."""
    if "meters" not in v.tables:
        return {}
    c = en.compared(en.monthly(v.tables["meters"].frame), [month], present_days(v, as_of), 0)
    return {r.kind: r.per_child_day for r in c.itertuples() if r.per_child_day is not None}
