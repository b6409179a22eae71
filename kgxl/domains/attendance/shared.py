"""What the attendance domain gives the others (money, care, assets read the registers through it): the child-day
table of a validated workbook, built once, the refund ledger and the sick episodes."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from kgxl.core.calendar import SchoolCalendar
from kgxl.core.roster import EMPTY_ROSTER
from kgxl.domains.attendance.days import COUNTED, SICK, class_summary, joined, tally, term_summary
from kgxl.domains.attendance.days import month_days as one_month
from kgxl.domains.attendance.names import CHILDREN, DAILY, REFUNDS, SICKNESS, SUMMARY
from kgxl.domains.attendance.refunds import absences, child_refunds, monthly_refunds, rule_text
from kgxl.domains.attendance.refunds import ledger as refund_ledger
from kgxl.domains.attendance.sickness import alerts, episodes

__all__ = ["COUNTED", "absences", "class_summary", "term_summary", "child_refunds", "monthly_refunds", "rule_text",
           "refund_ledger", "alerts", "episodes", "SUMMARY", "CHILDREN", "SICKNESS", "REFUNDS", "DAILY", "registers",
           "all_days", "child_days", "has_registers", "sick_episodes", "sick_rows", "absent_days", "absent_rows",
           "present_days", "days_known", "joined", "month_classes", "term_classes"]


def registers(v) -> list:
    """The register tables (出勤-YYYY-MM), by month."""
    return v.monthly("register")


def has_registers(v) -> bool:
    return bool(registers(v))


def all_days(v) -> pd.DataFrame:
    return v.shared("attendance.all_days", lambda: joined([month_days(v, t.month) for t in registers(v)]))


def month_days(v, month: str) -> pd.DataFrame | None:
    """One register's child-days (days.month_days), built once per validation: in a process that stays up, kept
    while that register, the roster and the calendar are unchanged (a mark typed in June leaves May's as it was)."""
    def build():
        roster = v.tables["roster"].frame if "roster" in v.tables else EMPTY_ROSTER
        return one_month(v.tables[f"register:{month}"], roster, v.calendar or SchoolCalendar(dt.date.min, dt.date.min),
                         v.today)
    return v.shared(("attendance.month_days", month), build)


def child_days(v) -> pd.DataFrame | None:
    """Every register cell as one long table (attendance.days.child_days), built once per validation;
    None without a roster or valid term dates."""
    return all_days(v) if days_known(v) else None


def days_known(v) -> bool:
    """Whether the registers can be read as child-days: a roster and valid term dates."""
    return "roster" in v.tables and v.calendar is not None


def sick_episodes(v, until: str | None = None) -> pd.DataFrame:
    """episodes of the registers up to a month (all of them by default), once per validation (因病缺勤追踪, care's
    rule and 传染病 report read them), from each register's sick days, kept per month; call only where
    child_days(v) is not None."""
    return v.shared(("attendance.episodes", until), lambda: episodes(sick_rows(v, until), v.calendar))


def sick_rows(v, until: str | None = None) -> pd.DataFrame:
    """The child-days marked 病 of the registers up to a month (all by default), joined from each month's: all
    that episodes and alerts read of the registers."""
    return v.shared(("attendance.sick_rows", until), lambda: joined(
        [sick_days(v, t.month) for t in registers(v) if until is None or t.month <= until]))


def absent_rows(v, until: str | None = None) -> pd.DataFrame:
    """The due child-days marked 病, 事 or 缺 of the registers up to a month (all by default), joined from each
    month's: all the refund ledger reads of the registers."""
    return v.shared(("attendance.absent_rows", until), lambda: joined(
        [absent_days(v, t.month) for t in registers(v) if until is None or t.month <= until]))


def present_days(v, as_of: dt.date) -> dict[str, int]:
    """Month -> child-days marked present up to as_of, for each register with a day up to as_of (能耗统计's and
    行事历执行's 每人日), from each register's count per day, kept while its month_days is."""
    if not days_known(v):
        return {}
    out = {}
    for t in registers(v):
        per_day = v.shared(("attendance.present_per_day", t.month), lambda m=t.month: None if (
            d := month_days(v, m)) is None else d["present"].groupby(d["ord"]).sum())
        if per_day is not None and (upto := per_day.index <= as_of.toordinal()).any():
            out[t.month] = int(per_day[upto].sum())
    return out


def absent_days(v, month: str) -> pd.DataFrame | None:
    """One register's due days marked 病, 事 or 缺 (what the refund ledger reads of it), kept while month_days is."""
    return v.shared(("attendance.absent_days", month),
                    lambda: None if (d := month_days(v, month)) is None else absences(d))


def sick_days(v, month: str) -> pd.DataFrame | None:
    """One register's due days marked 病 (what episodes read of it), kept while month_days is."""
    return v.shared(("attendance.sick_days", month),
                    lambda: None if (d := absent_days(v, month)) is None else d[d["mark"] == SICK])


def month_classes(v, month: str) -> pd.DataFrame:
    """class_summary of one month (its classes, then 全园合计), once per validation: in a process that stays up, kept
    while that month's register, the roster, the calendar and 班级 are unchanged."""
    return v.shared(("attendance.month_classes", month),
                    lambda: class_summary(joined([month_days(v, month)]), [month], v.classes()))


def term_classes(v, month: str) -> pd.DataFrame:
    """term_summary up to a month (each class, then 全园合计), once per validation (出勤汇总 and 行事历执行)."""
    return v.shared(("attendance.term_classes", month),
                    lambda: term_summary(tallies(v, [t.month for t in registers(v) if t.month <= month]), v.classes()))


def tallies(v, months: list[str]) -> list:
    """The registers' tallies (days.tally) of these months, each kept while that register's child-days are."""
    out = []
    for m in months:
        t = v.shared(("attendance.tally", m), lambda m=m: None if (d := month_days(v, m)) is None else tally(d, m))
        if t is not None:
            out.append(t)
    return out

