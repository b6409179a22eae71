"""班级卫生消毒 (《托儿所幼儿园卫生保健工作规范》附件4 表6): 消毒记录's ticks against 消毒要求, the kindergarten's own
frequencies and concentration ranges (the 规范's 附件3 names the objects and methods; the numbers are local and the
disinfectant's, so kgxl ships none: a blank 频次 is not checked and is a 警告). Pure.

A window is a school day (每日), a week Monday to Sunday (每周) or a calendar month (每月) holding days on which the
register marks children of the class present; it is due once it has ended (before the report day), from 消毒记录's
first day: WINDOW_RULE. In it a class needs 次数
rows with the item ticked (每日: one); 消毒完成率 = windows done ÷ windows due."""
from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right

import pandas as pd

ITEMS = {"tables": "餐桌", "dishes": "餐具", "towels": "毛巾", "cups": "水杯", "toys": "玩具", "bedding": "被褥",
         "air": "空气", "toilets": "厕所", "surfaces": "物体表面"}
KEY = {v: k for k, v in ITEMS.items()}
FREQUENCIES = ("每日", "每周", "每月")
TICKS = ("√", "✓")  # the paper form's tick, as either is typed
WINDOW_RULE = ("每日的项目每个有幼儿出勤的上学日一次，每周（周一至周日）、每月的项目在该周、该月内达到“消毒要求”的次数；今天、本周、本月"
               "尚未结束的不计入应做；从“消毒记录”的第一天起核对；“消毒要求”中频次留空的项目不核对")


def requirements(rules: pd.DataFrame) -> pd.DataFrame:
    """item, frequency, times, low, high of the items whose 频次 is set (an item or 频次 not of the sheet's lists is
    its own reading problem, and not counted)."""
    r = rules.dropna(subset=["item"]).drop_duplicates("item")
    r = r[r["item"].isin(list(KEY)) & r["frequency"].isin(FREQUENCIES)]
    times = pd.to_numeric(r["times"]).fillna(1).astype(int)
    return r.assign(times=times)[["item", "frequency", "times", "low", "high"]]


def windows(frequency: str, days, start: dt.date, before: dt.date) -> list[tuple]:
    """(first, last) of each window of the frequency that holds one of days, ended before `before` and not before
    start."""
    spans = {}
    for d in days:
        if frequency == "每日":
            first, last = d, d
        elif frequency == "每周":
            first = d - dt.timedelta(days=d.weekday())
            last = first + dt.timedelta(days=6)
        else:
            first = d.replace(day=1)
            last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        spans[first] = last
    return [(f, last) for f, last in sorted(spans.items()) if last < before and last >= start]


def span(a: dt.date, b: dt.date) -> str:
    """A window as the user reads it: 11/5 (a day), 11/2-11/8 (a week), 11/1-11/30 (a month)."""
    return f"{a.month}/{a.day}" if a == b else f"{a.month}/{a.day}-{b.month}/{b.day}"


def completion(log: pd.DataFrame, rules: pd.DataFrame, open_days: tuple, before: dt.date) -> pd.DataFrame:
    """One row per class, item and window due: class_name, item, frequency, first, last, wanted (次数), done
    (ticks in the window, at most wanted). open_days: per class, its school days with a child present (open_days)."""
    cols = ["class_name", "item", "frequency", "first", "last", "wanted", "done"]
    log = log.dropna(subset=["date", "class_name"])
    if not len(log):
        return pd.DataFrame(columns=cols)
    start, out = min(log["date"]), {c: [] for c in cols}  # by column: a frame of many short rows builds faster
    for r in requirements(rules).itertuples():
        ticked = log[log[KEY[r.item]].isin(TICKS).astype(bool)]
        dates: dict = {}
        for cls, d in zip(ticked["class_name"], ticked["date"]):
            dates.setdefault(cls, []).append(d)
        for cls, class_days in open_days:
            days = sorted(dates.get(cls, []))
            spans = windows(r.frequency, list(class_days), start, before)
            out["first"] += [a for a, _ in spans]
            out["last"] += [b for _, b in spans]
            out["done"] += [min(bisect_right(days, b) - bisect_left(days, a), r.times) for a, b in spans]
            for c, x in (("class_name", cls), ("item", r.item), ("frequency", r.frequency), ("wanted", r.times)):
                out[c] += [x] * len(spans)
    return pd.DataFrame(out, columns=cols)


def open_days(present: pd.DataFrame) -> tuple:
    """((class_name, (day, ...)), ...): each class's school days with a child present, in present's order (the
    days a disinfection is due on). present: class_name, day, present (daily_health.checks.present_by_class)."""
    here = present[(present["present"] > 0).astype(bool)]
    return tuple((cls, tuple(g)) for cls, g in here.groupby("class_name", sort=False)["day"])


def out_of_range(log: pd.DataFrame, rules: pd.DataFrame) -> pd.DataFrame:
    """消毒记录's concentration tests outside the range its 检测对象 has in 消毒要求: line, date, class_name, tested,
    concentration, low, high."""
    tests = tested(log, rules)
    low, high = tests["low"], tests["high"]
    bad = (low.notna() & (tests["concentration"] < low.fillna(0))) | (high.notna() & (tests["concentration"] > high.fillna(0)))
    return tests[bad.astype(bool)]


def tested(log: pd.DataFrame, rules: pd.DataFrame) -> pd.DataFrame:
    """The rows with a concentration test, with their item's range: line, date, class_name, tested, concentration,
    low, high."""
    t = log.dropna(subset=["date", "tested", "concentration"]).rename_axis("line").reset_index()
    r = rules.dropna(subset=["item"]).drop_duplicates("item").set_index("item")
    t = t.assign(low=pd.to_numeric(t["tested"].map(r["low"])), high=pd.to_numeric(t["tested"].map(r["high"])))
    return t[["line", "date", "class_name", "tested", "concentration", "low", "high"]]
