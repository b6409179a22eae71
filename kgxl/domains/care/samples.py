"""留样检查: every dish of every meal on 带量食谱 against 留样登记, from the first day 留样登记 has a row up to
today: a sample of at least the set grams, kept at least the set hours (留样时间 on the meal's day to 销毁日期 and
销毁时间; a 销毁日期 without a time counts whole days). A blank 销毁 means the sample is still kept (the column's note
says 未销毁留空): it has been kept up to the day checked, so it is 留样中, never a fault. Pure."""
from __future__ import annotations

import datetime as dt
import re

import pandas as pd

OK, KEEPING = "合格", "留样中"
MISSING, LIGHT, SHORT = "未留样", "留样量不足", "留样时间不足"
GOOD = (OK, KEEPING)
COLUMNS = ["date", "meal", "dish", "menu_row", "sample_row", "grams", "hours", "status"]


def dish_key(text) -> str | None:
    return re.sub(r"\s+", "", text) if isinstance(text, str) else None


def kept_hours(day: dt.date, taken, discard_date, discard_time) -> float | None:
    """Hours from 留样时间 to 销毁; None until a 销毁日期 is written (or without a 留样时间)."""
    if not isinstance(taken, dt.time) or not isinstance(discard_date, dt.date):
        return None
    end = dt.datetime.combine(discard_date, discard_time if isinstance(discard_time, dt.time) else taken)
    return (end - dt.datetime.combine(day, taken)).total_seconds() / 3600


def _judge(r, grams: float, hours: float) -> str:
    faults = []
    if not r["grams"] >= grams:  # NaN (unreadable) counts as too light
        faults.append(LIGHT)
    kept = None if r["hours"] is None or r["hours"] != r["hours"] else r["hours"]  # NaN: not destroyed yet
    if kept is not None and kept < hours:
        faults.append(SHORT)
    if faults:
        return "、".join(faults)
    return OK if kept is not None else KEEPING


def check(menu: pd.DataFrame, samples: pd.DataFrame, grams: float, hours: float,
          today: dt.date) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(one row per dish of each menu meal: COLUMNS, status one of GOOD or the faults joined by 、;
    the 留样登记 rows up to today whose dish is not on that day's meal: row, date, meal, dish)."""
    s = samples.dropna(subset=["date", "meal", "dish"])
    s = s[s["date"] <= today]
    extra_cols = ["row", "date", "meal", "dish"]
    if s.empty:
        return pd.DataFrame(columns=COLUMNS), pd.DataFrame(columns=extra_cols)
    s = s.assign(key=s["dish"].map(dish_key),
                 hours=[kept_hours(d, t, dd, dtm) for d, t, dd, dtm in
                        zip(s["date"], s["taken"], s["discard_date"], s["discard_time"])])
    records = s.to_dict("records")  # rows as dicts: iterrows builds a Series per row, ten times slower
    s = s.assign(status=[_judge(r, grams, hours) for r in records])
    for r, status in zip(records, s["status"]):
        r["status"] = status
    m = menu.dropna(subset=["date", "meal", "dish"])
    m = m[(m["date"] >= s["date"].min()) & (m["date"] <= today)]
    m = m.assign(key=m["dish"].map(dish_key)).rename_axis("menu_row").reset_index()
    wanted = m.drop_duplicates(["date", "meal", "key"])
    found: dict[tuple, list] = {}
    for row, r in zip(s.index, records):
        found.setdefault((r["date"], r["meal"], r["key"]), []).append((row, r))
    rows = []
    for w in wanted.itertuples():
        got = found.get((w.date, w.meal, w.key))
        if not got:
            rows.append([w.date, w.meal, w.dish, w.menu_row, None, None, None, MISSING])
            continue
        row, r = min(got, key=lambda x: (x[1]["status"] not in GOOD, -(x[1]["grams"] if x[1]["grams"] == x[1]["grams"] else 0)))
        rows.append([w.date, w.meal, w.dish, w.menu_row, row, r["grams"], r["hours"], r["status"]])
    keys = set(zip(wanted["date"], wanted["meal"], wanted["key"]))
    stray = [[row, r["date"], r["meal"], r["dish"]] for row, r in zip(s.index, records)
             if (r["date"], r["meal"], r["key"]) not in keys]
    out = pd.DataFrame(rows, columns=COLUMNS)
    out["sample_row"] = pd.Series([r[4] for r in rows], dtype=object)  # a row number, or None: never NaN
    return out, pd.DataFrame(stray, columns=extra_cols)


def compliance(checked: pd.DataFrame) -> tuple[int, int]:
    """(dishes due, dishes sampled as required)."""
    return len(checked), int(checked["status"].isin(GOOD).sum())
