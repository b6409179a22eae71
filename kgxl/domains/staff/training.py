"""Training: the sessions held (a date and a topic make one session), the rhythm of 保育员 business
training (at least one every N days, 基本信息), and each person's hours and missed sessions. Pure."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from kgxl.domains.staff.people import in_service

CARER_TRAINING = "保育员业务"


def sessions(trainings: pd.DataFrame) -> pd.DataFrame:
    """date, topic, category, speaker, people, hours (of the session: the longest a person logged)."""
    t = trainings.dropna(subset=["date", "topic", "staff_id"])
    g = t.groupby(["date", "topic"], sort=True).agg(category=("category", "first"), speaker=("speaker", "first"),
                                                    people=("staff_id", "nunique"), hours=("hours", "max"))
    return g.reset_index()


def rhythm(trainings: pd.DataFrame, start: dt.date, end: dt.date, every: int) -> pd.DataFrame:
    """Consecutive windows of `every` days from the term's start to `end`: window start, end, the
    保育员业务 sessions held in it (dates), held (bool), running (the window ends after `end`: it is shown up to
    `end` and judged only once it has ended or a session is held in it)."""
    held = sorted(set(trainings.loc[trainings["category"] == CARER_TRAINING, "date"].dropna()))
    rows, first = [], start
    while first <= end:
        natural = first + dt.timedelta(days=every - 1)
        last = min(natural, end)
        inside = [d for d in held if first <= d <= last]
        rows.append({"start": first, "end": last, "dates": inside, "held": bool(inside), "running": natural > end})
        first = last + dt.timedelta(days=1)
    return pd.DataFrame(rows, columns=["start", "end", "dates", "held", "running"])


def per_person(trainings: pd.DataFrame, staff: pd.DataFrame, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Per person in service on `end`: sessions attended, hours, and the 保育员业务 sessions a 保育员 missed
    while employed (dates)."""
    t = trainings.dropna(subset=["date", "staff_id"])
    t = t[(t["date"] >= start) & (t["date"] <= end)]
    carer_sessions = sorted(set(t.loc[t["category"] == CARER_TRAINING, "date"]))
    rows = []
    for p in in_service(staff, end).itertuples():
        mine = t[t["staff_id"] == p.staff_id]
        missed = []
        if p.role == "保育员":
            attended = set(mine["date"])
            missed = [d for d in carer_sessions if d >= p.start_date and d not in attended]
        rows.append({"staff_id": p.staff_id, "name": p.name, "role": p.role, "sessions": mine[["date", "topic"]]
                     .drop_duplicates().shape[0], "hours": float(mine["hours"].sum()), "missed": missed})
    return pd.DataFrame(rows, columns=["staff_id", "name", "role", "sessions", "hours", "missed"])
