"""What the attendance domain gives its own sheets and the other domains (money reads the registers
through it): its sheet names, the register tables and the child-day table of a validated workbook."""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from kgxl.core.calendar import SchoolCalendar

if TYPE_CHECKING:
    import pandas as pd

SUMMARY, CHILDREN, SICKNESS, REFUNDS = "出勤汇总", "幼儿出勤统计", "因病缺勤追踪", "伙食费退费"
DAILY = "因病缺勤日报"  # the daily zero-report: a sheet of its own, so each long table's header repeats when printed
INPUTS = ("settings", "classes", "roster", "holiday_overrides")


def registers(v) -> list:
    """The register tables (出勤-YYYY-MM), by month."""
    return v.monthly("register")


def all_days(v) -> pd.DataFrame:
    from kgxl.core.roster import EMPTY_ROSTER
    from kgxl.domains.attendance.days import child_days as long_table

    roster = v.tables["roster"].frame if "roster" in v.tables else EMPTY_ROSTER
    cal = v.calendar or SchoolCalendar(dt.date.min, dt.date.min)
    return v.shared("attendance.all_days", lambda: long_table(registers(v), roster, cal, v.today))


def child_days(v) -> pd.DataFrame | None:
    """Every register cell as one long table (attendance.days.child_days), built once per validation;
    None without a roster or valid term dates."""
    return all_days(v) if "roster" in v.tables and v.calendar is not None else None
