"""The safety ledger: drills held against the term's plan, safety pledges signed or not, and holiday duty
(every statutory holiday of the term, and every 放假/园所停课 day of 节假日调整, needs a named person on duty).
Pure."""
from __future__ import annotations

import datetime as dt
import re

import chinese_calendar
import pandas as pd

from kgxl.core.calendar import known_year
from kgxl.domains.staff.people import in_service

HOLIDAY_NAMES = {"New Year's Day": "元旦", "Spring Festival": "春节", "Tomb-sweeping Day": "清明节",
                 "Labour Day": "劳动节", "Dragon Boat Festival": "端午节", "Mid-autumn Festival": "中秋节",
                 "National Day": "国庆节"}


def drills_against_plan(drills: pd.DataFrame, planned: str, until: dt.date) -> pd.DataFrame:
    """Per planned kind: kind, dates held (up to `until`), best evacuation seconds, held (bool); then the
    unplanned drills held."""
    kinds = [k for k in re.split(r"[、,，\s]+", planned or "") if k]
    d = drills.dropna(subset=["date", "kind"])
    d = d[d["date"] <= until]
    rows = []
    for kind in [*kinds, *(k for k in dict.fromkeys(d["kind"]) if k not in kinds)]:
        g = d[d["kind"] == kind]
        rows.append({"kind": kind, "planned": kind in kinds, "dates": sorted(g["date"]), "held": len(g) > 0,
                     "seconds": int(g["seconds"].min()) if g["seconds"].notna().any() else None,
                     "children": int(g["children"].sum()) if len(g) else 0})
    return pd.DataFrame(rows, columns=["kind", "planned", "dates", "held", "seconds", "children"])


def pledges(pledged: pd.DataFrame, staff: pd.DataFrame, day: dt.date) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(signed, not signed): the staff in service on the day, by whether 安全责任书 has their row."""
    on = in_service(staff, day)
    signed = set(pledged["staff_id"].dropna())
    return on[on["staff_id"].isin(signed)], on[~on["staff_id"].isin(signed)]


def holidays(start: dt.date, end: dt.date, overrides: dict[dt.date, str]) -> dict[dt.date, str]:
    """Day -> what it is, for the statutory holidays and the kindergarten's own days off in the term."""
    out = {}
    d = start
    while d <= end:
        if overrides.get(d) in ("放假", "园所停课"):
            out[d] = overrides[d]
        elif known_year(d.year):
            on, name = chinese_calendar.get_holiday_detail(d)
            if on and name:
                out[d] = HOLIDAY_NAMES.get(name, "法定节假日")
        d += dt.timedelta(days=1)
    return out


def duty_gaps(duty: pd.DataFrame, start: dt.date, end: dt.date, overrides: dict[dt.date, str]) -> pd.DataFrame:
    """Holidays with nobody named on duty, and duty rows without a name: day, what, reason."""
    named = set(duty.dropna(subset=["date", "staff_id"])["date"])
    rows = [{"day": d, "what": what, "reason": "节假日无人值班"} for d, what in holidays(start, end, overrides).items()
            if d not in named]
    blank = duty[duty["date"].notna() & duty["staff_id"].isna()]
    rows += [{"day": d, "what": "值班安排", "reason": "值班人未填写"} for d in blank["date"] if d not in named]
    df = pd.DataFrame(rows, columns=["day", "what", "reason"])
    return df.drop_duplicates("day").sort_values("day", ignore_index=True)
