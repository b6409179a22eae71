"""服药登记 (药物交接和服药): each dose of 服药记录 against the parents' written requests of 服药委托 and the register.
A dose is covered by a request of the same child and drug (spaces and case ignored) whose 开始日期-结束日期 holds its
day; a request is complete when every school day of its period up to the report day on which the child was present
(√) has at least its 每日次数 doses. Pure."""
from __future__ import annotations

import datetime as dt

import pandas as pd

COMPLETE_RULE = ("服药以“服药委托”为准：同一幼儿、同一药名、在委托的开始日期至结束日期之内；委托期内幼儿出勤（√）的每个上学日，"
                 "服药次数应达到委托的每日次数（只核对到统计日）")


def drug_key(name) -> str:
    return "".join(str(name).split()).lower()


def readable(f: pd.DataFrame, roster: pd.DataFrame, day: str) -> pd.DataFrame:
    """A register's rows with a child and a drug, with line (the sheet's row), name, class_name and key."""
    f = f.dropna(subset=[day, "child_id", "drug"]).rename_axis("line").reset_index()
    by_id = roster.dropna(subset=["child_id"]).drop_duplicates("child_id").set_index("child_id")
    return f.assign(name=f["child_id"].map(by_id["name"]), class_name=f["child_id"].map(by_id["class_name"]),
                    key=f["drug"].map(drug_key))


def covered(doses: pd.DataFrame, requests: pd.DataFrame) -> pd.Series:
    """Whether each dose has a request of its child and drug whose period holds its day."""
    r = requests.dropna(subset=["start", "end"])
    spans = {}
    for x in r.itertuples():
        spans.setdefault((x.child_id, x.key), []).append((x.start, x.end))
    return pd.Series([any(a <= d.date <= b for a, b in spans.get((d.child_id, d.key), [])) for d in doses.itertuples()],
                     index=doses.index, dtype=bool)


def absent_marks(doses: pd.DataFrame, long: pd.DataFrame | None) -> pd.Series:
    """The register's mark of each dose's child that day when it says the child was away (病, 事, 缺); NaN else."""
    if long is None or not len(doses):
        return pd.Series([float("nan")] * len(doses), index=doses.index, dtype=object)
    away = long[(long["sick"] | long["leave"] | long["absent"]) & long["child_id"].isin(set(doses["child_id"]))]
    away = away.drop_duplicates(["child_id", "day"])
    marks = dict(zip(zip(away["child_id"].to_numpy(), away["day"].to_numpy()), away["mark"].to_numpy()))
    return pd.Series([marks.get((c, d), float("nan")) for c, d in zip(doses["child_id"], doses["date"])],
                     index=doses.index, dtype=object)


def shortfalls(requests: pd.DataFrame, doses: pd.DataFrame, long: pd.DataFrame | None, as_of: dt.date) -> pd.DataFrame:
    """Per request: due_days (school days of its period up to as_of with the child present), wanted (doses those
    days need), given (doses recorded in its period), short (the days with fewer doses than 每日次数)."""
    wanted = set(requests["child_id"])
    present = long.loc[(long["present"] & long["child_id"].isin(wanted)).to_numpy(), ["child_id", "day"]] \
        if long is not None else None  # two columns: the table has twenty
    days_of: dict = {}
    for c, d in zip(present["child_id"].to_numpy(), present["day"].to_numpy()) if present is not None else ():
        days_of.setdefault(c, set()).add(d)
    days_of = {c: sorted(d) for c, d in days_of.items()}
    given = doses.groupby(["child_id", "key", "date"]).size().to_dict() if len(doses) else {}
    by_request: dict[tuple, list] = {}
    for (c, k, d), n in given.items():
        by_request.setdefault((c, k), []).append((d, n))
    rows = []
    for r in requests.itertuples():
        ok = isinstance(r.start, dt.date) and isinstance(r.end, dt.date) and r.per_day == r.per_day
        end = min(r.end, as_of) if ok else None
        days = [d for d in days_of.get(r.child_id, []) if r.start <= d <= end] if ok else []
        per_day = int(r.per_day) if ok else 0
        counts = [given.get((r.child_id, r.key, d), 0) for d in days]
        in_period = sum(n for d, n in by_request.get((r.child_id, r.key), []) if r.start <= d <= end) if ok else 0
        rows.append({"due_days": len(days), "wanted": per_day * len(days), "given": in_period,
                     "short": [d for d, n in zip(days, counts) if n < per_day]})
    return pd.DataFrame(rows, index=requests.index, columns=["due_days", "wanted", "given", "short"])
