"""The measures a 学期目标 may name: each computed by the domain that owns the figure (through its shared.py), for
the report's month as of its day, with the period it covers and the sheet it comes from written beside the value.
The names are 学期目标's dropdown (schemas/学期目标.yaml; a test keeps the two the same)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable

from kgxl.core.calendar import month_bounds
from kgxl.core.money import pct_value, percent
from kgxl.domains.assets.shared import UNITS, use_per_child_day
from kgxl.domains.attendance.shared import child_days, term_classes
from kgxl.domains.care.shared import injury_rate, sample_compliance
from kgxl.domains.health.shared import summary as health_summary
from kgxl.domains.money.shared import MEAL_SHEETS, meal_accounts
from kgxl.domains.nutrition.shared import percent_of_reference
from kgxl.domains.planning.progress import counts, items

TERM, MONTH, DAY = "本学期至统计日", "本月", "统计日"


@dataclass(frozen=True)
class Ask:
    """What a measure is computed for: the workbook, the month and its report day."""
    v: object
    month: str
    as_of: dt.date


@dataclass(frozen=True)
class Measure:
    name: str  # as 学期目标 lists it, with its unit
    period: str  # the period the value covers
    source: str  # the sheets it comes from (the report that shows it)
    value: Callable[[Ask], float | None]


def _attendance(key: str):
    def get(a: Ask):
        long = child_days(a.v)
        if long is None or not len(long):
            return None
        total = term_classes(a.v, a.month).iloc[-1]
        return None if total[key] != total[key] else float(total[key])
    return get


def _checked(a: Ask):
    if "health_checks" not in a.v.tables or "roster" not in a.v.tables:
        return None
    h = health_summary(a.v, a.month, a.as_of)
    return percent(h["checked"], h["enrolled"])


def _intake(key: str):
    def get(a: Ask):
        p = percent_of_reference(a.v, a.month)
        return None if p is None else p[key]
    return get


def _samples(a: Ask):
    got = sample_compliance(a.v, a.v.settings.term_start, a.as_of)
    return None if got is None else percent(got[1], got[0])


def _energy(kind: str):
    def get(a: Ask):
        x = use_per_child_day(a.v, a.month, a.as_of).get(kind)
        return None if x is None else round(x, 3)
    return get


def _plan(a: Ask):
    if "calendar_plan" not in a.v.tables:
        return None
    return counts(items(a.v.tables["calendar_plan"].frame, a.as_of))["rate"]


def _meal(a: Ask):
    if not all(k in a.v.tables for k in MEAL_SHEETS):
        return None
    acc = meal_accounts(a.v, a.month)
    return pct_value(acc[-1].cum_pct) if acc else None


MEASURES: dict[str, Measure] = {m.name: m for m in [
    Measure("出勤率(%)", TERM, "出勤表（出勤汇总）", _attendance("rate")),
    Measure("因病缺勤率(%)", TERM, "出勤表（出勤汇总）", _attendance("sick_rate")),
    Measure("体检率(%)", DAY, "体检记录（体检统计）", _checked),
    Measure("能量占参考摄入量(%)", MONTH, "带量食谱（营养分析）", _intake("energy")),
    Measure("蛋白质占参考摄入量(%)", MONTH, "带量食谱（营养分析）", _intake("protein")),
    Measure("留样合格率(%)", TERM, "留样登记（留样检查）", _samples),
    Measure("伤害发生率(‰)", MONTH, "儿童伤害登记（伤害统计）", lambda a: injury_rate(a.v, a.month, a.as_of)),
    *(Measure(f"{'用' if kind in ('水', '电') else ''}{kind}({unit}/人日)", MONTH, "水电气（能耗统计）", _energy(kind))
      for kind, unit in UNITS.items()),
    Measure("工作计划完成率(%)", TERM, "行事历（行事历执行）", _plan),
    Measure("膳食费盈亏率(%)", "本学期累计", "食品出入库、收费记录（伙食费核算）", _meal),
]}


def met(direction: str, target: float, value: float | None) -> bool | None:
    """Whether a value meets its target (None: no value to judge)."""
    if value is None:
        return None
    if direction == "不低于":
        return value >= target
    if direction == "不高于":
        return value <= target
    return abs(value) <= target


def month_day(month: str, today: dt.date) -> dt.date:
    """The report day of a month: its last day, or today if earlier."""
    return min(month_bounds(month)[1], today)
