"""What the daily_health domain gives the others (care's 卫生保健月报): a month's 晨检覆盖率 and 消毒完成率 as the
reports compute them, and the month's and term's 健康教育 by 对象 against the plan in 基本信息."""
from __future__ import annotations

import datetime as dt

from kgxl.core.calendar import month_bounds
from kgxl.domains.attendance.shared import days_known
from kgxl.domains.daily_health import checks as ck
from kgxl.domains.daily_health.names import CHECKS, DISINFECTION, DISINFECTION_SHEETS, MEDICINE
from kgxl.domains.daily_health.sheets import month_completion

__all__ = ["CHECKS", "MEDICINE", "DISINFECTION", "AUDIENCES", "check_coverage", "disinfection_done", "education"]

AUDIENCES = {"儿童": "education_children", "家长": "education_parents", "保教人员": "education_staff"}


def check_coverage(v, month: str, today: dt.date) -> tuple[int, int, int, int] | None:
    """(class-days due a check, checked, children checked, children present on them) of the month up to its report
    day, as 晨午检统计 counts; None without the sheet or registers."""
    if "morning_checks" not in v.tables or not days_known(v):
        return None
    cov = ck.month_coverage(v, month, today)
    cov = cov[cov["due"]]
    done = cov[cov["checked"]]
    return len(cov), len(done), int(done["morning"].sum()), int(done["present"].sum())


def disinfection_done(v, month: str, today: dt.date) -> tuple[int, int] | None:
    """(disinfections done, due) of the month, as 消毒记录汇总 counts; None without the sheets or registers."""
    if not all(k in v.tables for k in DISINFECTION_SHEETS) or not days_known(v):
        return None
    done = month_completion(v, month, today)
    return int(done["done"].sum()), int(done["wanted"].sum())


def education(v, month: str, today: dt.date) -> dict[str, tuple[int, int, int | None]] | None:
    """对象 -> (activities this month, this term up to the report day, the term's plan or None); and "形式" -> the
    term's count by 形式 (宣传专栏 3, 讲座 2…)."""
    if "health_education" not in v.tables:
        return None
    s, last = v.settings, min(month_bounds(month)[1], today)
    f = v.tables["health_education"].frame.dropna(subset=["date", "audience"])
    f = f[f["date"] <= last]
    term = f[f["date"] >= s.term_start] if s.term_valid else f
    now = f[f["date"] >= month_bounds(month)[0]]
    return {a: (int((now["audience"] == a).sum()), int((term["audience"] == a).sum()), getattr(s, key, None))
            for a, key in AUDIENCES.items()} | {"形式": term["form"].value_counts().to_dict()}
