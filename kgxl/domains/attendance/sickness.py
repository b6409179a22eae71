"""因病缺勤追踪: sick-absence episodes, class cluster alerts and the daily zero-report view.

An episode is a run of consecutive school days marked 病 for one child (weekends and holidays
do not break it). Alerts follow the thresholds in 基本信息: N children of one class sick on the
same school day, or M distinct children of one class sick within W consecutive school days.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from kgxl.core.calendar import SchoolCalendar
from kgxl.core.settings import Settings
from kgxl.domains.attendance.days import SICK


def _sick(long: pd.DataFrame) -> pd.DataFrame:
    s = long[long["due"] & (long["mark"] == SICK)]
    return s.sort_values(["child_id", "idx"])


def episodes(long: pd.DataFrame, cal: SchoolCalendar) -> pd.DataFrame:
    """child_id, name, class_name, start, end, days, note (the register 备注 of the months it spans)."""
    s = _sick(long)
    if s.empty:
        return pd.DataFrame(columns=["child_id", "name", "class_name", "start", "end", "days", "note"])
    idx = s["idx"].astype(int)
    new = (s["child_id"] != s["child_id"].shift()) | (idx - idx.shift() != 1)
    s = s.assign(episode=new.cumsum())
    g = s.groupby("episode", sort=False)
    out = g.agg(child_id=("child_id", "first"), name=("name", "first"), class_name=("class_name", "first"),
                start=("day", "first"), end=("day", "last"), days=("day", "size"))
    notes: dict = {}  # each episode's distinct notes in order (a lambda per group costs ten times more)
    for e, n in zip(s["episode"].to_numpy(), s["note"].to_numpy()):
        if isinstance(n, str):
            notes.setdefault(e, {})[n] = None
    out["note"] = [episode_note("；".join(notes.get(e, ())), d) for e, d in zip(out.index, out["start"])]
    return out.reset_index(drop=True)


def episode_note(note: str, start) -> str:
    """The part of a month's 备注 about this episode when the teacher dated it (11/2起手足口病; 11月2日 发热),
    else the whole note."""
    parts = [p.strip() for p in re.split(r"[；;，,。\n]", note or "") if p.strip()]
    dated = [p for p in parts if re.match(rf"0?{start.month}\s*[/月.]\s*0?{start.day}(?!\d)", p)]
    return "；".join(dated) if dated else (note or "")


def _names(s: pd.DataFrame, keys: pd.DataFrame) -> list[tuple[str, int]]:
    """For each (class_name, lo, hi) row of keys: the sick children's names in child order (a name two children
    share with its 幼儿编号), and how many children that is."""
    by_class = {c: (g["idx"].to_numpy(), g["child_id"].to_numpy(), g["who"].to_numpy())
                for c, g in s.groupby("class_name")}
    out = []
    for cls, lo, hi in zip(keys["class_name"], keys["lo"], keys["hi"]):
        idx, ids, who = by_class[cls]
        mask = (idx >= lo) & (idx <= hi)
        children = dict(zip(ids[mask], who[mask]))
        twice = {n for n in children.values() if list(children.values()).count(n) > 1}
        out.append(("、".join(f"{n}（{i}）" if n in twice else n for i, n in children.items()), len(children)))
    return out


def alerts(long: pd.DataFrame, cal: SchoolCalendar, settings: Settings, classes: list[str], first=None,
           last=None) -> pd.DataFrame:
    """class_name, kind, start, end, count, children: same-day and within-window clusters that
    touch first..last (all when not given), by start and then 班级 order. Counting is vectorised; names are
    looked up per alert."""
    s = _sick(long)
    s = s.assign(who=s["name"].fillna(s["child_id"]), idx=s["idx"].astype(int))
    cols = ["class_name", "kind", "start", "end", "count", "children"]
    found = []
    same = s.groupby(["class_name", "idx"]).size().rename("count").reset_index()
    same = same[same["count"] >= settings.sick_alert_same_day].assign(lo=lambda x: x["idx"], hi=lambda x: x["idx"],
                                                                       kind="同日聚集")
    found.append(same)
    w = settings.sick_alert_window_days
    if not s.empty and w > 1:
        # each sick day counts towards the windows ending on it and on the next w-1 school days
        ends = np.repeat(s["idx"].to_numpy(), w) + np.tile(np.arange(w), len(s))
        spread = pd.DataFrame({"class_name": np.repeat(s["class_name"].to_numpy(), w),
                               "child": np.repeat(s["child"].to_numpy(), w), "end": ends})
        spread = spread[spread["end"] < len(cal.days)].drop_duplicates()
        win = spread.groupby(["class_name", "end"]).size().rename("count").reset_index()
        hit = win[win["count"] >= settings.sick_alert_window_count]
        run = ((hit["class_name"] != hit["class_name"].shift()) | (hit["end"].diff() != 1)).cumsum()
        runs = hit.groupby(run).agg(class_name=("class_name", "first"), first=("end", "first"),
                                    hi=("end", "last"), count=("count", "max"))
        runs["lo"] = (runs["first"] - w + 1).clip(lower=0)
        found.append(runs.assign(kind=f"{w}日内聚集"))
    out = pd.concat(found, ignore_index=True)
    if first is not None:
        days = np.array([d.toordinal() for d in cal.days])
        out = out[(days[out["hi"].astype(int)] >= first.toordinal()) & (days[out["lo"].astype(int)] <= last.toordinal())]
    if out.empty:
        return pd.DataFrame(columns=cols)
    named = _names(s, out)
    out["children"] = [text for text, _ in named]
    out["count"] = [n for _, n in named]  # the children listed: over a run of windows, every child of the run
    out["start"] = [cal.days[int(i)] for i in out["lo"]]
    out["end"] = [cal.days[int(i)] for i in out["hi"]]
    out["count"] = out["count"].astype(int)
    out["order"] = out["class_name"].map({c: i for i, c in enumerate(classes)})
    return out.sort_values(["start", "order"], ignore_index=True)[cols]


def daily(long: pd.DataFrame, month: str, classes: list[str]) -> pd.DataFrame:
    """Per school day of the month with anything due, per class: due, present, sick, unregistered (due, no mark),
    the sick children."""
    m = long[long["due"] & (long["month"] == month)]
    if m.empty:
        return pd.DataFrame(columns=["day", "class_name", "due", "present", "sick", "unregistered", "children"])
    m = m.assign(present=m["mark"] == "√", is_sick=m["mark"] == SICK)
    g = m.groupby(["day", "class_name"]).agg(due=("child_id", "size"), present=("present", "sum"),
                                             sick=("is_sick", "sum"), unregistered=("unregistered", "sum"))
    names = m[m["is_sick"]].groupby(["day", "class_name"])["name"].agg("、".join)
    g = g.join(names.rename("children")).reset_index()
    order = {c: i for i, c in enumerate(classes)}
    g["order"] = g["class_name"].map(order)
    return g.sort_values(["day", "order"]).drop(columns="order").reset_index(drop=True)
