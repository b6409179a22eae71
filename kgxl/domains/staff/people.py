"""Who is on the staff on a day, the state of each health certificate, and the staffing ratios against
the enrolled children (the norms and their sources in kgxl/data/staffing_norms.csv). Pure."""
from __future__ import annotations

import datetime as dt
import math

import pandas as pd

from kgxl.core.paths import DATA
from kgxl.core.roster import enrolled_between

NORMS_CSV = DATA / "staffing_norms.csv"
VALID, SOON, EXPIRED, MISSING = "有效", "即将到期", "已过期", "未填写"


def in_service(staff: pd.DataFrame, day: dt.date) -> pd.DataFrame:
    """Staff employed on the day (入职日期 to 离职日期, both included)."""
    s = staff.dropna(subset=["staff_id", "start_date"]).drop_duplicates("staff_id")
    return s[(s["start_date"] <= day) & (s["end_date"].isna() | (s["end_date"].fillna(dt.date.min) >= day))]


def cert_state(expiry, day: dt.date, soon_days: int) -> str:
    """A 健康证 on a day: 未填写, 已过期, 即将到期 (within 基本信息's 健康证到期提醒 days) or 有效."""
    if not isinstance(expiry, dt.date):
        return MISSING
    if expiry < day:
        return EXPIRED
    return SOON if (expiry - day).days <= soon_days else VALID


def ratios(staff: pd.DataFrame, roster: pd.DataFrame, day: dt.date) -> pd.DataFrame:
    """Per norm: group, roles, children (enrolled on the day), children_per_staff, required (at least 1),
    actual (in service), met, basis."""
    norms = pd.read_csv(NORMS_CSV, dtype=str)
    children = len(enrolled_between(roster, day, day))
    on = in_service(staff, day)
    rows = []
    for r in norms.itertuples():
        per = int(r.children_per_staff)
        roles = r.roles.split("、")
        required = max(1, math.ceil(children / per)) if children else 0
        actual = int(on["role"].isin(roles).sum())
        rows.append({"group": r.group, "roles": r.roles, "children": children, "per": per, "required": required,
                     "actual": actual, "met": actual >= required, "basis": r.basis})
    return pd.DataFrame(rows)
