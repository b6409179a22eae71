"""What the care domain gives the others: the names of its sheets, and the figures 学期目标 measures (留样合格率 over a
period, a month's 伤害发生率)."""
from __future__ import annotations

import datetime as dt

from kgxl.domains.care import injuries as inj
from kgxl.domains.care import samples as fs
from kgxl.domains.care.infections import enrolled_in
from kgxl.domains.care.names import INFECTIONS, INJURIES, MONTHLY, SAMPLE_SHEETS, SAMPLES

__all__ = ["SAMPLES", "INFECTIONS", "INJURIES", "MONTHLY", "sample_check", "sample_compliance", "injury_rate"]


def sample_check(v, as_of: dt.date):
    """samples.check of 带量食谱 and 留样登记 up to a day, once per validation (the rule, 留样检查, 卫生保健月报, 待办 and
    学期目标 all read it; in a process that stays up, kept while those sheets and the settings are unchanged)."""
    def run():
        s = v.settings
        return fs.check(v.tables["menu"].frame, v.tables["food_samples"].frame, s.sample_grams, s.sample_hours, as_of)
    return v.shared(("care.sample_check", as_of), run)


def sample_compliance(v, first: dt.date, last: dt.date) -> tuple[int, int] | None:
    """(dishes due a sample, dishes sampled as required) of [first, last] (留样检查's 合格率); None without the sheets."""
    if not all(k in v.tables for k in SAMPLE_SHEETS):
        return None
    checked, _ = sample_check(v, last)
    if len(checked):
        checked = checked[checked["date"].map(lambda d: first <= d <= last)]
    return fs.compliance(checked)


def injury_rate(v, month: str, as_of: dt.date) -> float | None:
    """The month's injuries up to as_of per 1000 children enrolled in it (伤害统计's 发生率, ‰)."""
    if "injuries" not in v.tables or "roster" not in v.tables:
        return None
    i = inj.readable(v.tables["injuries"].frame)
    n = int(((i["month"] == month) & (i["date"] <= as_of)).sum())
    return inj.per_thousand(n, enrolled_in(v.tables["roster"].frame, month))
