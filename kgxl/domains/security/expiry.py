"""A date a paper or a piece of equipment is good until, on a day: 未填写, 已过期, 即将到期 (within the setting's
reminder days) or 有效. Pure."""
from __future__ import annotations

import datetime as dt

MISSING, EXPIRED, SOON, VALID = "未填写", "已过期", "即将到期", "有效"


def status(day: dt.date | None, as_of: dt.date, warn_days: int) -> str:
    if not isinstance(day, dt.date):
        return MISSING
    if day < as_of:
        return EXPIRED
    return SOON if (day - as_of).days <= warn_days else VALID
