"""Attendance from the monthly registers, as one long table of child-days, and its counts.

Everything here is pure and vectorised: registers (typed Tables), the roster and the school
calendar in; DataFrames out. A child-day is *due* (应出勤) when it is a school day inside the
child's enrolment and it carries an attendance mark, or is still blank on a day already past.
For every row of every count: 实际 + 病 + 事 + 缺 + 未登记 = 应出勤.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kgxl.core.calendar import SchoolCalendar
from kgxl.core.money import percent
from kgxl.core.reading import Table
from kgxl.core.roster import enrolled

PRESENT, SICK, LEAVE, ABSENT, AWAY = "√", "病", "事", "缺", "—"
COUNTED = (PRESENT, SICK, LEAVE, ABSENT)
# Accepted stand-ins for the canonical marks (reported as 警告 with the mark to use).
MARK_VARIANTS = {"✓": "√", "✔": "√", "v": "√", "V": "√", "1": "√", "0": "缺", "-": "—", "/": "—"}
COUNT_COLUMNS = {"present": PRESENT, "sick": SICK, "leave": LEAVE, "absent": ABSENT}


COLUMNS = ["row", "child_id", "name", "class_name", "note", "day", "raw", "month", "sheet", "letter", "mark", "idx", "ord",
           "child", "school", "enrolled", "due", *COUNT_COLUMNS, "unregistered"]


def child_days(registers: list[Table], roster: pd.DataFrame, cal: SchoolCalendar, as_of: dt.date) -> pd.DataFrame:
    """One row per register cell: row, child_id, name, class_name, note, month, day, letter, raw, mark,
    school, enrolled, due, idx (position among the term's school days), ord (day ordinal), child (an
    integer per child) and one boolean per count (present, sick, leave, absent, unregistered; due only).
    mark is the canonical mark (variants mapped), NaN when blank."""
    return joined([month_days(t, roster, cal, as_of) for t in registers])


def joined(months: list[pd.DataFrame | None]) -> pd.DataFrame:
    """The child-day tables of several registers (month_days) as one, child numbered over all of them."""
    parts = [m for m in months if m is not None]
    if not parts:
        return pd.DataFrame(columns=COLUMNS)
    long = pd.concat(parts, ignore_index=True)
    long.insert(list(long.columns).index("ord") + 1, "child", pd.factorize(long["child_id"])[0])
    return long


def month_days(t: Table, roster: pd.DataFrame, cal: SchoolCalendar, as_of: dt.date) -> pd.DataFrame | None:
    """child_days of one register, without child (numbered over the registers joined); None when it has no day."""
    if not t.days or t.frame.empty:
        return None
    f, days = t.frame, list(t.days)
    n, k = len(f), len(days)
    # day by day, every row (melt's order), built from arrays: melt costs several times more
    long = {"row": np.tile(f.index.to_numpy(), k)}
    for c in ("child_id", "name", "class_name", "note"):
        long[c] = np.tile(f[c].to_numpy(), k)
    long["day"] = np.repeat(np.array(days, dtype=object), n)
    long["raw"] = np.concatenate([f[d].to_numpy() for d in days])
    long["month"], long["sheet"] = t.month, t.sheet
    long["letter"] = np.repeat(np.array([t.days[d] for d in days], dtype=object), n)
    long = pd.DataFrame(long)
    by_id = roster.dropna(subset=["child_id"]).drop_duplicates("child_id").set_index("child_id")
    long["class_name"] = long["class_name"].fillna(long["child_id"].map(by_id["class_name"]))
    long["name"] = long["name"].fillna(long["child_id"].map(by_id["name"]))
    raw = long["raw"]
    long["mark"] = raw.where(~raw.isin(list(MARK_VARIANTS)), raw.map(MARK_VARIANTS))
    index = {d: i for i, d in enumerate(cal.days)}
    long["idx"] = long["day"].map({d: index.get(d, np.nan) for d in days})
    long["ord"] = long["day"].map({d: d.toordinal() for d in days}).astype("int64")
    long["school"] = long["idx"].notna()
    long["enrolled"] = enrolled(long["child_id"], long["day"], roster)
    mark = long["mark"]
    blank = mark.isna().to_numpy()
    past = (long["ord"] <= as_of.toordinal()).to_numpy()
    due = long["school"].to_numpy() & long["enrolled"] & (mark.isin(COUNTED).to_numpy() | (blank & past))
    long["due"] = due
    for key, m in COUNT_COLUMNS.items():
        long[key] = due & (mark == m).to_numpy()
    long["unregistered"] = due & blank
    return long


SUMS = {k: (k, "sum") for k in (*COUNT_COLUMNS, "unregistered")}


def _counts(due: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Counts of due child-days grouped by keys (all together when keys is empty)."""
    g = due.groupby(keys, sort=False) if keys else due.groupby(np.zeros(len(due), dtype=int))
    out = g.agg(children=("child", "nunique"), days=("ord", "nunique"), due=("due", "size"), **SUMS)
    return out.reset_index() if keys else out.reset_index(drop=True)


def _table(counts: pd.DataFrame, total: pd.DataFrame, classes: list[str], period) -> pd.DataFrame:
    per = counts.set_index("class_name").reindex(classes, fill_value=0).reset_index()
    if total.empty:
        total = pd.DataFrame([{c: 0 for c in per.columns if c != "class_name"}])
    return pd.concat([per, total.assign(class_name="全园合计")], ignore_index=True).assign(period=period)


def class_summary(long: pd.DataFrame, months: list[str], classes: list[str]) -> pd.DataFrame:
    """Per month and class, then 全园合计, in the order given; plus rates. Classes with nothing due show zeros."""
    due = long[long["due"]]
    per = dict(tuple(_counts(due, ["month", "class_name"]).groupby("month")))
    totals = _counts(due, ["month"]).set_index("month")
    frames = [_table(per[m].drop(columns="month") if m in per else pd.DataFrame(columns=["class_name"]),
                     totals.loc[[m]].reset_index(drop=True) if m in totals.index else pd.DataFrame(), classes, m)
              for m in months]
    return _with_rates(pd.concat(frames, ignore_index=True) if frames else pd.DataFrame())


@dataclass(frozen=True)
class Tally:
    """One register's due child-days counted the ways the term's summaries add them up (term_summary,
    child_summary): so a term is the sum of its months, each kept while its register is unchanged."""
    month: str
    pairs: pd.DataFrame  # class_name, child_id, days (the child's), due, present, sick, leave, absent, unregistered
    class_days: pd.DataFrame  # class_name, ord: each class's school days with a due child
    info: pd.DataFrame  # child_id, name, class_name: each child's last row of the register


def tally(part: pd.DataFrame, month: str) -> Tally:
    """part: one register's child-days (month_days)."""
    due = part[part["due"]]
    pairs = due.groupby(["class_name", "child_id"], sort=False, dropna=False).agg(
        days=("ord", "nunique"), due=("ord", "size"), **SUMS).reset_index()
    return Tally(month, pairs, due[["class_name", "ord"]].drop_duplicates(),
                 part.drop_duplicates("child_id", keep="last")[["child_id", "name", "class_name"]])


def term_summary(tallies: list[Tally], classes: list[str]) -> pd.DataFrame:
    """Per class over the months tallied, then 全园合计 (学期累计); plus rates."""
    pairs = pd.concat([t.pairs for t in tallies], ignore_index=True) if tallies else \
        pd.DataFrame(columns=["class_name", "child_id", "days", "due", *SUMS])
    sums = ["due", *SUMS]
    named = pairs.dropna(subset=["class_name"])
    per = named.groupby("class_name", sort=False).agg(children=("child_id", "nunique"), **{k: (k, "sum") for k in sums})
    days = pd.concat([t.class_days for t in tallies]) if tallies else pd.DataFrame(columns=["class_name", "ord"])
    per.insert(1, "days", days.groupby("class_name")["ord"].nunique().reindex(per.index).fillna(0).astype("int64"))
    total = pd.DataFrame([{"children": pairs["child_id"].nunique(), "days": days["ord"].nunique(),
                           **{k: pairs[k].sum() for k in sums}}]) if len(pairs) else pd.DataFrame()
    return _with_rates(_table(per.reset_index(), total, classes, "学期累计"))


def child_summary(tallies: list[Tally], month: str) -> pd.DataFrame:
    """Per child: the month's and the term-to-date counts (the tallies of the months up to it)."""
    upto = [t for t in tallies if t.month <= month]
    sums = {k: (k, "sum") for k in ("days", "due", *SUMS)}

    def per_child(ts):
        pairs = pd.concat([t.pairs for t in ts], ignore_index=True) if ts else pd.DataFrame(columns=["child_id", *sums])
        return pairs.groupby("child_id", sort=False).agg(**sums)
    if upto:
        info = pd.concat([t.info for t in upto], ignore_index=True).drop_duplicates("child_id", keep="last")
        info = info.set_index("child_id")[["name", "class_name"]]
    else:
        info = pd.DataFrame(columns=["name", "class_name"]).rename_axis("child_id")
    this = per_child([t for t in upto if t.month == month])
    out = info.join(this.add_prefix("m_")).join(per_child(upto).add_prefix("t_")).fillna(0)
    out = out[(out["t_due"] > 0)]
    return out.reset_index()


def _with_rates(df: pd.DataFrame) -> pd.DataFrame:
    if df.empty:
        return df
    df["rate"] = [percent(p, w) for p, w in zip(df["present"], df["due"])]
    df["sick_rate"] = [percent(p, w) for p, w in zip(df["sick"], df["due"])]
    return df
