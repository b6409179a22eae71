"""晨午检 (《托儿所幼儿园卫生保健工作规范》2012, 第二部分“健康检查”: 晨午检及全日健康观察) over the attendance registers:
which class-days had their check, how many children were checked against how many were present, and what happened to
the children found unwell. Pure.

A class-day needs its check when the register marks at least one child of the class present (√) on a school day,
from the first day 晨午检 records onwards (a workbook that starts the register mid-term is not asked for the days
before: COVERAGE_RULE). 晨检覆盖率 = 晨检人次 ÷ 出勤人次 of the class-days checked and due."""
from __future__ import annotations

import bisect
import datetime as dt

import pandas as pd

from kgxl.core.calendar import month_bounds
from kgxl.domains.attendance.shared import days_known, month_days, registers

SENT_HOME = ("离园就医", "隔离")
SYMPTOMS = ("发热", "咳嗽", "流涕", "咽红", "皮疹", "手足口疱疹", "腹泻", "呕吐", "精神差", "眼红", "外伤", "其他")
ACTIONS = ("留园观察", "通知家长", "离园就医", "隔离")
WINDOW = dt.timedelta(days=7)  # a case of 传染病登记 within a week of the finding is its case (as care's cross-check)
COVERAGE_RULE = ("每个上学日、出勤表中有幼儿出勤（√）的班级都应有一行晨午检记录，从“晨午检”的第一天起核对；"
                 "晨检覆盖率＝晨检人次÷出勤人次（有晨检记录且应检的班级日）×100%")
FOLLOW_RULE = ("离园就医或隔离的幼儿，下一个上学日出勤表应为“病”，否则应在“复查追踪”栏写明情况；"
               "手足口疱疹，或发热伴皮疹，应在前后 7 天内有“传染病登记”的病例")


def present_of(v) -> pd.DataFrame:
    """present_by_class of a workbook's registers, once per validation (rules, reports and 待办 all use it)."""
    def run():
        if not days_known(v):
            return present_by_class(None)
        parts = [v.shared(("daily_health.present", t.month), lambda m=t.month: present_by_class(month_days(v, m)))
                 for t in registers(v)]  # each register's, kept while it is unchanged
        parts = [p for p in parts if len(p)]
        if not parts:
            return present_by_class(None)
        both = pd.concat(parts, ignore_index=True)  # summed again: a day two registers hold (an 错误) counts once
        return both.groupby(["class_name", "day"], sort=True)["present"].sum().astype(int).reset_index()
    return v.shared("daily_health.present", run)


def present_by_class(long: pd.DataFrame | None) -> pd.DataFrame:
    """class_name, day, present: children marked √ per class and school day (registers' child-day table)."""
    if long is None or not len(long):
        return pd.DataFrame(columns=["class_name", "day", "present"])
    d = long[long["school"].astype(bool)]
    return d.groupby(["class_name", "day"], sort=True)["present"].sum().astype(int).reset_index()


def month_coverage(v, month: str, today: dt.date) -> pd.DataFrame:
    """coverage of the month up to its report day (its last day, or today if earlier): 晨午检统计's and the 月报's."""
    first, last = month_bounds(month)
    cov = coverage(v.tables["morning_checks"].frame, present_of(v), min(last, today))
    return cov[cov["day"] >= first]


def first_day(checks: pd.DataFrame) -> dt.date | None:
    days = checks["date"].dropna()
    return min(days) if len(days) else None


def coverage(checks: pd.DataFrame, present: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """One row per class-day up to as_of that is due a check (some child present, from 晨午检's first day) or has one:
    class_name, day, present, morning, noon, line (晨午检's row; NaN when missing), due, checked."""
    start = first_day(checks)
    c = checks.dropna(subset=["date", "class_name"]).rename_axis("line").reset_index()
    c = c.drop_duplicates(["class_name", "date"]).rename(columns={"date": "day"})
    c = c[c["day"] <= as_of][["class_name", "day", "morning", "noon", "line"]]
    p = present[(present["day"] <= as_of) & (present["day"] >= (start or dt.date.max))]
    out = p.merge(c, on=["class_name", "day"], how="outer")
    out["present"] = out["present"].fillna(0).astype(int)
    out["due"] = out["present"] > 0
    out["checked"] = out["line"].notna()
    return out.sort_values(["class_name", "day"], ignore_index=True)


def findings(f: pd.DataFrame, roster: pd.DataFrame) -> pd.DataFrame:
    """The readable rows of 晨午检异常 with the child's name and class: line, date, month, session, child_id, name,
    class_name, temperature, symptom, symptom2, action, followup."""
    f = f.dropna(subset=["date", "child_id", "symptom"]).rename_axis("line").reset_index()
    by_id = roster.dropna(subset=["child_id"]).drop_duplicates("child_id").set_index("child_id")
    f = f.assign(month=f["date"].map(lambda d: d.strftime("%Y-%m")), name=f["child_id"].map(by_id["name"]),
                 class_name=f["child_id"].map(by_id["class_name"]))
    return f.sort_values(["date", "line"], ignore_index=True)


def notifiable(found: pd.DataFrame) -> pd.Series:
    """Whether each finding shows a notifiable disease's signs: 手足口疱疹, or 发热 with 皮疹."""
    one, two = found["symptom"], found["symptom2"]
    hfm = (one == "手足口疱疹") | (two == "手足口疱疹")
    return (hfm | ((one == "发热") & (two == "皮疹")) | ((one == "皮疹") & (two == "发热"))).astype(bool)


def next_day_marks(sent: pd.DataFrame, long: pd.DataFrame | None, school_days: list[dt.date]) -> pd.Series:
    """For each finding sent home: the register's mark of that child on the next school day (NaN when there is
    none yet: no register, not typed, or the day has not come)."""
    if long is None or not len(sent):
        return pd.Series([float("nan")] * len(sent), index=sent.index, dtype=object)
    days = sorted(school_days)
    want = {}
    for i, d, child in zip(sent.index, sent["date"], sent["child_id"]):
        at = bisect.bisect_right(days, d)
        if at < len(days):
            want[i] = (child, days[at])
    on = long["ord"].isin({d.toordinal() for _, d in want.values()}) & long["child_id"].isin({c for c, _ in want.values()})
    long = long[on.astype(bool)]  # the days asked about, of the children sent home
    marks = {}
    for key, mark in zip(zip(long["child_id"].to_numpy(), long["day"].to_numpy()), long["mark"].to_numpy()):
        marks.setdefault(key, mark)  # a child listed twice: the first row's mark, as the register's readers take it
    return pd.Series({i: marks.get(want[i], float("nan")) if i in want else float("nan") for i in sent.index},
                     index=sent.index, dtype=object)


def unregistered_signs(found: pd.DataFrame, infections: pd.DataFrame | None) -> pd.DataFrame:
    """The findings showing a notifiable disease's signs with no 传染病登记 case of the child within WINDOW."""
    signs = found[notifiable(found)]
    if infections is None or not len(signs):
        return signs
    cases = infections.dropna(subset=["child_id", "found"])
    by_child = cases.groupby("child_id")["found"].apply(list).to_dict()
    keep = [not any(abs(d - r.date) <= WINDOW for d in by_child.get(r.child_id, [])) for r in signs.itertuples()]
    return signs[keep]
