"""伤害统计: injuries by month, type, place and severity. 伤害发生率 = injuries (人次) in the period ÷ children
enrolled on any day of it × 1000 ‰: the 卫生保健工作规范 gives no formula; the denominator is the one its
附件5 uses for 体检率 (在册人数), per thousand because injuries are rare. Pure."""
from __future__ import annotations

import pandas as pd

from kgxl.domains.care.infections import enrolled_in

SEVERITIES = ("轻", "中", "重")


def readable(injuries: pd.DataFrame) -> pd.DataFrame:
    i = injuries.dropna(subset=["date", "child_id"])
    return i.assign(month=i["date"].map(lambda d: d.strftime("%Y-%m")))


def per_thousand(count: int, enrolled: int) -> float | None:
    return round(1000 * count / enrolled, 1) if enrolled else None


def monthly(i: pd.DataFrame, roster: pd.DataFrame, months: list[str]) -> pd.DataFrame:
    """Per month: enrolled, injuries, by severity, taken to hospital, rate ‰."""
    rows = []
    for m in months:
        g = i[i["month"] == m]
        n = enrolled_in(roster, m)
        rows.append({"month": m, "enrolled": n, "count": len(g),
                     **{s: int((g["severity"] == s).sum()) for s in SEVERITIES},
                     "hospital": int((g["hospital"] == "是").sum()), "rate": per_thousand(len(g), n)})
    return pd.DataFrame(rows, columns=["month", "enrolled", "count", *SEVERITIES, "hospital", "rate"])


def by(i: pd.DataFrame, key: str, month: str) -> pd.DataFrame:
    """Per value of key (伤害类型, 地点…): the month's count and the period's, most frequent first."""
    g = i.dropna(subset=[key])
    term = g[key].value_counts()
    now = g[g["month"] == month][key].value_counts()
    out = pd.DataFrame({key: term.index, "month": [int(now.get(k, 0)) for k in term.index], "term": term.to_numpy()})
    return out.sort_values(["term", key], ascending=[False, True], ignore_index=True)
