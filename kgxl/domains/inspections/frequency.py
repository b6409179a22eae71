"""检查计划's 频次: a small vocabulary of rhythms, parsed once and expanded to due check instances.

Each instance has a due date and a window: a log of the item dated inside the window counts
as the check done (the day itself for daily checks; the week, fortnight, month, quarter or
term phase for the longer rhythms). A due date that is not a school day moves to the next
school day inside its window (else the last one before it) — except a weekly or fortnightly check named for a weekday
(每周一) whose day has no school that week: it is not due (a log that week still counts), as WEEKLY_RULE says.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from kgxl.core.calendar import SchoolCalendar, month_bounds

WEEKDAY = {c: i for i, c in enumerate("一二三四五六日")} | {"天": 6}
DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九十", start=0)}
PHASES = ("期初", "期中", "期末")
PHASE_DAYS = 10  # a term phase is the first / middle / last ten school days
PHASE_RULE = (f"期初、期中、期末：学期最前、正中、最后的 {PHASE_DAYS} 个上学日（阶段栏括号内），其间任何一天检查都算完成；"
              "应完成日：期初、期末为该段第一天，期中为学期正中的上学日")
WEEKLY_RULE = "“每周一”等按星期的检查，该周这一天不上学（节假日）的，该周不要求检查（如检查了照样计入）。"
FORMS = ("每日", "每日(含节假日)", "每周一…每周日", "每两周周四", "每月1日", "每月第2个周三", "每月最后一个工作日",
         "每季度", "期初/期中/期末（可只写其中一个或两个）", "指定月份:9月（可写多个：指定月份:9月,12月）")


@dataclass(frozen=True)
class Frequency:
    kind: str  # daily | everyday | weekly | biweekly | monthday | nth_weekday | month_last | quarterly | phase | months
    weekday: int = 0
    day: int = 0
    nth: int = 0
    phases: tuple[str, ...] = ()
    months: tuple[int, ...] = ()

    @property
    def one_off(self) -> bool:
        """Term-phase and named-month items: the month's 工作要点 rather than a routine."""
        return self.kind in ("phase", "months")


@dataclass(frozen=True)
class Due:
    due: dt.date
    start: dt.date  # the window a log must fall in
    end: dt.date
    label: str = ""  # 期初 / 期中 / 期末 for term-phase checks
    optional: bool = False  # its weekday has no school this week: counted only when logged (WEEKLY_RULE)


def _number(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    if text and all(c in DIGITS for c in text):  # 一 .. 三十一
        if text.startswith("十"):
            text = "一" + text
        if "十" in text:
            tens, _, ones = text.partition("十")
            return DIGITS[tens] * 10 + (DIGITS[ones] if ones else 0)
        return DIGITS[text]
    return None


def parse(text) -> Frequency | None:
    if not isinstance(text, str):
        return None
    t = text.strip().replace("（", "(").replace("）", ")").replace("：", ":").replace(" ", "").replace("星期", "周")
    if t == "每日" or t == "每天":
        return Frequency("daily")
    if t in ("每日(含节假日)", "每天(含节假日)"):
        return Frequency("everyday")
    if m := re.fullmatch(r"每周([一二三四五六日天])", t):
        return Frequency("weekly", weekday=WEEKDAY[m.group(1)])
    if m := re.fullmatch(r"每两周(?:周)?([一二三四五六日天])", t):
        return Frequency("biweekly", weekday=WEEKDAY[m.group(1)])
    if m := re.fullmatch(r"每月(\d{1,2}|[一二三四五六七八九十]{1,3})[日号]", t):
        day = _number(m.group(1))
        return Frequency("monthday", day=day) if day and 1 <= day <= 31 else None
    if m := re.fullmatch(r"每月第([1-5一二三四五])个周([一二三四五六日天])", t):
        return Frequency("nth_weekday", nth=_number(m.group(1)), weekday=WEEKDAY[m.group(2)])
    if t in ("每月最后一个工作日", "每月最后一个在园日"):
        return Frequency("month_last")
    if t in ("每季度", "每季"):
        return Frequency("quarterly")
    parts = [p for p in re.split(r"[/、,，]", t) if p]
    if parts and all(p in PHASES for p in parts):
        return Frequency("phase", phases=tuple(dict.fromkeys(parts)))
    if m := re.fullmatch(r"指定月份:(.+)", t):
        months = [_number(x) for x in re.split(r"[,，、]", m.group(1).replace("月", ",")) if x]
        if months and all(x and 1 <= x <= 12 for x in months):
            return Frequency("months", months=tuple(months))
    return None


def _moved(day: dt.date, start: dt.date, end: dt.date, cal: SchoolCalendar) -> dt.date:
    """The day if it is a school day, else the next school day in the window, else the last before it."""
    inside = [d for d in cal.days if start <= d <= end]
    return next((d for d in inside if d >= day), inside[-1] if inside else day)


def instances(f: Frequency, month: str, cal: SchoolCalendar) -> list[Due]:
    """The instances of a rhythm whose due date falls in the month (inside the term)."""
    first, last = month_bounds(month)
    first, last = max(first, cal.term_start), min(last, cal.term_end)
    if first > last:
        return []
    school = [d for d in cal.days if first <= d <= last]
    out: list[Due] = []
    if f.kind == "daily":
        out = [Due(d, d, d) for d in school]
    elif f.kind == "everyday":
        out = [Due(d, d, d) for d in (first + dt.timedelta(n) for n in range((last - first).days + 1))]
    elif f.kind in ("weekly", "biweekly"):
        anchor = cal.term_start - dt.timedelta(cal.term_start.weekday())
        week = anchor
        while week <= cal.term_end:
            span = 14 if f.kind == "biweekly" else 7
            end = min(week + dt.timedelta(span - 1), cal.term_end)
            start = max(week, cal.term_start)
            if any(start <= d <= end for d in cal.days):
                named = week + dt.timedelta(f.weekday)
                due = _moved(named, start, end, cal)
                # a weekday off school (a holiday, the term not begun); a weekend day is never meant literally
                optional = f.weekday < 5 and named not in cal.days
                if first <= due <= last:
                    out.append(Due(due, start, end, optional=optional))
            week += dt.timedelta(span)
    elif f.kind in ("monthday", "nth_weekday", "month_last") and school:
        m_first, m_last = month_bounds(month)
        if f.kind == "monthday":
            target = dt.date(m_first.year, m_first.month, min(f.day, m_last.day))
        elif f.kind == "nth_weekday":
            offset = (f.weekday - m_first.weekday()) % 7
            target = m_first + dt.timedelta(offset + 7 * (f.nth - 1))
            if target > m_last:
                return []
        else:
            target = school[-1]
        out = [Due(_moved(target, first, last, cal), first, last)]
    elif f.kind == "quarterly":
        q_first_month = ((first.month - 1) // 3) * 3 + 1
        q_start = max(dt.date(first.year, q_first_month, 1), cal.term_start)
        q_end = min(month_bounds(f"{first.year}-{q_first_month + 2:02d}")[1], cal.term_end)
        q_school = [d for d in cal.days if q_start <= d <= q_end]
        if q_school and first <= q_school[0] <= last:
            out = [Due(q_school[0], q_start, q_end)]
    elif f.kind == "phase" and cal.days:
        n = min(PHASE_DAYS, len(cal.days))
        mid = len(cal.days) // 2
        spans = {"期初": cal.days[:n], "期中": cal.days[max(mid - n // 2, 0):mid + n // 2 or 1],
                 "期末": cal.days[-n:]}
        for p in f.phases:
            days = spans[p]
            due = days[0] if p != "期中" else cal.days[mid]
            if first <= due <= last:
                out.append(Due(due, days[0], days[-1], p))
    elif f.kind == "months" and school and first.month in f.months:
        out = [Due(school[0], first, last)]
    return out
