"""因病缺勤追踪: sick-absence episodes, class cluster alerts and the daily zero-report view.

An episode is a run of consecutive school days marked 病 for one child (weekends and holidays
do not break it). Alerts follow the thresholds in 基本信息: N children of one class sick on the
same school day, or M distinct children of one class sick within W consecutive school days.
"""
from __future__ import annotations

import re

import pandas as pd

from .attendance import SICK
from .calendar import SchoolCalendar
from .settings import Settings


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
                start=("day", "first"), end=("day", "last"), days=("day", "size"),
                note=("note", lambda n: "；".join(dict.fromkeys(x for x in n if isinstance(x, str)))))
    out["note"] = [episode_note(n, d) for n, d in zip(out["note"], out["start"])]
    return out.reset_index(drop=True)


def episode_note(note: str, start) -> str:
    """The part of a month's 备注 about this episode when the teacher dated it (11/2起手足口病; 11月2日 发热),
    else the whole note."""
    parts = [p.strip() for p in re.split(r"[；;，,。\n]", note or "") if p.strip()]
    dated = [p for p in parts if re.match(rf"0?{start.month}\s*[/月.]\s*0?{start.day}(?!\d)", p)]
    return "；".join(dated) if dated else (note or "")


def alerts(long: pd.DataFrame, cal: SchoolCalendar, settings: Settings) -> pd.DataFrame:
    """class_name, kind, start, end, count, children: same-day and within-window clusters."""
    s = _sick(long)
    rows = []
    s = s.assign(who=s["name"].fillna(s["child_id"]))
    same = s.groupby(["class_name", "day"]).agg(count=("child_id", "nunique"), children=("who", list))
    for (cls, day), r in same[same["count"] >= settings.sick_alert_same_day].iterrows():
        rows.append({"class_name": cls, "kind": "同日聚集", "start": day, "end": day, "count": int(r["count"]),
                     "children": "、".join(r["children"])})
    w = settings.sick_alert_window_days
    if not s.empty and w > 1:
        # each sick day counts towards the windows ending on it and the next w-1 school days
        spread = s.loc[s.index.repeat(w), ["class_name", "child_id", "who", "idx"]]
        spread["end_idx"] = spread["idx"].astype(int) + spread.groupby(level=0).cumcount()
        spread = spread[spread["end_idx"] < len(cal.days)].drop_duplicates(["class_name", "end_idx", "child_id"])
        spread["pair"] = list(zip(spread["child_id"], spread["who"]))
        win = spread.groupby(["class_name", "end_idx"]).agg(count=("child_id", "size"), children=("pair", list))
        hit = win[win["count"] >= settings.sick_alert_window_count].reset_index()
        hit["run"] = ((hit["class_name"] != hit["class_name"].shift()) | (hit["end_idx"].diff() != 1)).cumsum()
        for _, run in hit.groupby("run"):
            first, last = int(run["end_idx"].iloc[0]), int(run["end_idx"].iloc[-1])
            names = [who for _, who in dict.fromkeys(p for ps in run["children"] for p in ps)]
            rows.append({"class_name": run["class_name"].iloc[0], "kind": f"{w}日内聚集",
                         "start": cal.days[max(first - w + 1, 0)], "end": cal.days[last],
                         "count": int(run["count"].max()), "children": "、".join(names)})
    cols = ["class_name", "kind", "start", "end", "count", "children"]
    return pd.DataFrame(rows, columns=cols).sort_values(["start", "class_name"], ignore_index=True)


def daily(long: pd.DataFrame, month: str, classes: list[str]) -> pd.DataFrame:
    """Per school day of the month with anything due, per class: due, present, sick, the sick children."""
    m = long[long["due"] & (long["month"] == month)]
    if m.empty:
        return pd.DataFrame(columns=["day", "class_name", "due", "present", "sick", "children"])
    m = m.assign(present=m["mark"] == "√", is_sick=m["mark"] == SICK)
    g = m.groupby(["day", "class_name"]).agg(due=("child_id", "size"), present=("present", "sum"),
                                             sick=("is_sick", "sum"))
    names = m[m["is_sick"]].groupby(["day", "class_name"])["name"].agg("、".join)
    g = g.join(names.rename("children")).reset_index()
    order = {c: i for i, c in enumerate(classes)}
    g["order"] = g["class_name"].map(order)
    return g.sort_values(["day", "order"]).drop(columns="order").reset_index(drop=True)
