"""Monthly inspections: the plan's due checks for a month, matched against 检查记录.

Pure: the plan and log frames, the school calendar and "today" in; DataFrames out. A check is
已完成 when a log of its item falls in its window, 不合格待整改 / 已整改 when that log failed
(整改完成日期 blank / filled), 未检查 when no log and the due date has passed, 未到期 otherwise.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from kgxl.core.calendar import SchoolCalendar, month_bounds
from kgxl.core.frames import passes, where
from kgxl.domains.inspections.frequency import instances, parse

DONE, FIXED, OPEN, MISSED, NOT_YET, DROPPED = "已完成", "已整改", "不合格待整改", "未检查", "未到期", "已不在计划中"
CHECKED = (DONE, FIXED, OPEN)


def due_checks(plan: pd.DataFrame, month: str, cal: SchoolCalendar) -> pd.DataFrame:
    """One row per due check instance in the month, by date then plan order."""
    rows = []
    for order, p in enumerate(plan.itertuples()):
        f = parse(p.frequency)
        if f is None or not isinstance(p.item, str):
            continue
        for d in instances(f, month, cal):
            rows.append({"due": d.due, "start": d.start, "end": d.end, "label": d.label, "item": p.item,
                         "category": p.category, "owner": p.owner, "points": p.points, "one_off": f.one_off,
                         "order": order, "optional": d.optional})
    cols = ["due", "start", "end", "label", "item", "category", "owner", "points", "one_off", "order", "optional"]
    return pd.DataFrame(rows, columns=cols).sort_values(["due", "order"], ignore_index=True)


def known_on(log: pd.DataFrame, day: dt.date) -> pd.DataFrame:
    """The log as it stood on the day: checks logged after it have not happened yet, fixes after it not yet made."""
    log = where(log, lambda d: isinstance(d, dt.date) and d <= day, "date")
    late = passes(log, lambda d: isinstance(d, dt.date) and d > day, "fixed_date")
    return log.assign(fixed_date=log["fixed_date"].where(~late, None))


def match_logs(due: pd.DataFrame, log: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    """Adds logged (m/d dates in the window), result, problem, action, fixed_date, status. An optional instance (its
    weekday had no school) stays only when logged."""
    log = log.dropna(subset=["date", "item"])
    pairs = due.reset_index().merge(log, on="item", how="left", suffixes=("", "_log"))
    inside = pairs["date"].notna() & (pairs["date"] >= pairs["start"]) & (pairs["date"] <= pairs["end"])
    hits = pairs[inside].sort_values(["index", "date"])
    out = due.copy()
    out["logged"] = hits.groupby("index")["date"].agg(lambda d: "、".join(f"{x.month}/{x.day}" for x in d))
    failed = hits[hits["result"] == "不合格"].groupby("index").last()
    any_hit = hits.groupby("index").last()
    chosen = any_hit.copy()
    chosen.loc[failed.index] = failed
    out["result"] = chosen["result"]
    for key in ("problem", "action", "fixed_date"):
        out[key] = chosen[key]
    status = []
    for logged, result, fixed, d in zip(out["logged"], out["result"], out["fixed_date"], out["due"]):
        if isinstance(logged, str):
            status.append(DONE if result != "不合格" else FIXED if isinstance(fixed, dt.date) else OPEN)
        else:
            status.append(MISSED if d <= today else NOT_YET)
    out["status"] = status
    return out[~(out["optional"].astype(bool) & out["logged"].isna())]


def carried_over(log: pd.DataFrame, month: str) -> pd.DataFrame:
    """Failed checks of earlier months still open at the start of this one (closed ones show their date)."""
    first, _ = month_bounds(month)
    failed = log[(log["result"] == "不合格") & log["date"].notna()]
    failed = failed[failed["date"] < first]
    still = failed["fixed_date"].isna() | (failed["fixed_date"].fillna(dt.date.max) >= first)
    return failed[still].sort_values("date")


def by_category(checks: pd.DataFrame, categories: list[str]) -> pd.DataFrame:
    s = checks["status"]
    df = checks.assign(checked=s.isin(CHECKED), missed=s == MISSED, failed=s.isin((FIXED, OPEN)), open=s == OPEN,
                       not_yet=s == NOT_YET)
    g = df.groupby("category").agg(due=("item", "size"), checked=("checked", "sum"), missed=("missed", "sum"),
                                   failed=("failed", "sum"), open=("open", "sum"), not_yet=("not_yet", "sum"))
    order = [c for c in categories if c in g.index] + [c for c in g.index if c not in categories]
    return g.reindex(order)
