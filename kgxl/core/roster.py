"""Who is enrolled when: the roster's 入园日期 to 离园日期 (both included), the one enrolment rule every
domain uses."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

EMPTY_ROSTER = pd.DataFrame({k: pd.Series(dtype=object)
                             for k in ("child_id", "name", "class_name", "entry_date", "leave_date")})


def enrolled(child_ids: pd.Series, days: pd.Series, roster: pd.DataFrame) -> np.ndarray:
    """Whether each (child, day) falls inside the child's enrolment (入园日期 to 离园日期, inclusive)."""
    by_id = roster.dropna(subset=["child_id"]).drop_duplicates("child_id").set_index("child_id")
    entry = child_ids.map(by_id["entry_date"]).astype(object)  # all blank reads as float NaN: compare as objects
    leave = child_ids.map(by_id["leave_date"]).astype(object)
    ok = entry.notna().to_numpy() & (entry.fillna(dt.date.max) <= days).to_numpy()
    return ok & (leave.isna().to_numpy() | (leave.fillna(dt.date.min) >= days).to_numpy())


def enrolled_between(roster: pd.DataFrame, first: dt.date, last: dt.date) -> pd.DataFrame:
    """Roster rows enrolled on at least one day between first and last (inclusive)."""
    r = roster.dropna(subset=["child_id", "entry_date"])
    return r[(r["entry_date"] <= last) & (r["leave_date"].isna() | (r["leave_date"].fillna(dt.date.min) >= first))]
