"""Repairs: requests still open on a day (urgent first, longest open first), the month's finished ones, cost by
month and by place, and assets repaired more than once in the term. Pure."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from kgxl.core.frames import passes, where


def readable(repairs: pd.DataFrame) -> pd.DataFrame:
    r = repairs.dropna(subset=["reported"])
    return r.assign(line=r.index)


def open_on(r: pd.DataFrame, day: dt.date) -> pd.DataFrame:
    """Reported by the day and not done by it; days: how long it has been open."""
    o = where(r, lambda d: not (isinstance(d, dt.date) and d <= day), "done")
    o = o[o["reported"] <= day]
    o = o.assign(days=[(day - d).days for d in o["reported"]], urgent=o["urgency"] == "紧急")
    return o.sort_values(["urgent", "days", "line"], ascending=[False, False, True], kind="stable")


def done_between(r: pd.DataFrame, first: dt.date, last: dt.date) -> pd.DataFrame:
    d = where(r, lambda x: isinstance(x, dt.date) and first <= x <= last, "done")
    return d.sort_values(["done", "line"], kind="stable")


def by_month(r: pd.DataFrame, months: list[str], last: dt.date) -> pd.DataFrame:
    """Per month: reported, done, done by 自修 / 外修, cost (of the repairs done that month)."""
    rows = []
    for m in months:
        rep = where(r, lambda d, m=m: d.strftime("%Y-%m") == m and d <= last, "reported")
        done = where(r, lambda d, m=m: isinstance(d, dt.date) and d.strftime("%Y-%m") == m and d <= last, "done")
        rows.append({"month": m, "reported": len(rep), "done": len(done), "self": int((done["method"] == "自修").sum()),
                     "outside": int((done["method"] == "外修").sum()), "cost": round(float(done["cost"].fillna(0).sum()), 2)})
    return pd.DataFrame(rows, columns=["month", "reported", "done", "self", "outside", "cost"])


def done_cost(r: pd.DataFrame, last: dt.date) -> pd.Series:
    """Each repair's cost if it was finished by the day, else 0 (as 按月 counts it: by the month it was done)."""
    return r["cost"].fillna(0).where(passes(r, lambda d: isinstance(d, dt.date) and d <= last, "done"), 0.0)


def by_place(r: pd.DataFrame, last: dt.date) -> pd.DataFrame:
    """Per place: repairs reported, cost of those done by the day; most repaired first."""
    g = r.assign(cost=done_cost(r, last)).groupby("place", sort=True).agg(count=("line", "size"), cost=("cost", "sum"))
    return g.reset_index().sort_values(["count", "cost"], ascending=False, kind="stable")


def repeated(r: pd.DataFrame, last: dt.date) -> pd.DataFrame:
    """Assets with two or more repairs: asset_id, count, the dates reported, cost (of those done by the day)."""
    a = r.dropna(subset=["asset_id"])
    a = a.assign(cost=done_cost(a, last))
    g = a.groupby("asset_id", sort=True).agg(count=("line", "size"), dates=("reported", lambda d: sorted(d)),
                                             cost=("cost", "sum"))
    return g[g["count"] >= 2].reset_index()
