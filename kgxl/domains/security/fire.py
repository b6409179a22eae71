"""Fire equipment, pure: each item's 有效期 — for an extinguisher the earliest of its 报废 date, its next service
(维修) date by GB 50444-2008 (kgxl/data/fire_extinguishers.csv) and the label's 有效期至; for other equipment the
label's — and the month's checks (GB 50444 5.2.1: each extinguisher checked once a month)."""
from __future__ import annotations

import datetime as dt
from functools import lru_cache

import pandas as pd

from kgxl.core.paths import DATA

PERIODS_CSV = DATA / "fire_extinguishers.csv"
OK = "正常"
DUE_RULE = ("灭火器的有效期取以下最早者：出厂日期起的报废期限，出厂后首次维修期限或最近维修日期起的维修间隔"
            "（GB 50444-2008 第5.3.2条、表5.4.3：水基型 3 年首修、每年维修、6 年报废；干粉、洁净气体 5 年首修、每 2 年维修、10 年报废；"
            "二氧化碳 5 年首修、每 2 年维修、12 年报废），以及标签上的有效期至；其他器材按有效期至")


@lru_cache(maxsize=1)
def periods() -> dict[str, tuple[int, int, int]]:
    f = pd.read_csv(PERIODS_CSV, dtype={"kind": str})
    return {r.kind: (int(r.scrap_years), int(r.first_service_years), int(r.service_every_years)) for r in f.itertuples()}


def _plus(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def due(r) -> tuple[dt.date | None, str]:
    """(the day an item is good until, what sets it: 报废/维修/有效期至), or (None, "")."""
    found = []
    p = periods().get(r["kind"])
    made, serviced = r["made"], r["serviced"]
    if p and isinstance(made, dt.date):
        found.append((_plus(made, p[0]), "报废"))
        found.append((_plus(serviced, p[2]) if isinstance(serviced, dt.date) else _plus(made, p[1]), "维修"))
    if isinstance(r["until"], dt.date):
        found.append((r["until"], "有效期至"))
    return min(found) if found else (None, "")


DEADLINE = {"报废": "报废期限", "维修": "维修（充装）期限", "有效期至": "有效期"}  # a due date's kind, as a message says it


def due_column(why: str, serviced) -> str:
    """The 消防器材 column a due date comes from: 有效期至, 最近维修日期 (a service date counted from) or 出厂日期."""
    if why == "有效期至":
        return "until"
    return "serviced" if why == "维修" and isinstance(serviced, dt.date) else "made"


def equipment(frame: pd.DataFrame) -> pd.DataFrame:
    """The 消防器材 rows with a code and a kind, each once, with: due, why, extinguisher."""
    e = frame.dropna(subset=["item_id", "kind"]).drop_duplicates("item_id")
    e = e.assign(row=e.index)
    got = [due(r) for _, r in e.iterrows()]
    return e.assign(due=[g[0] for g in got], why=[g[1] for g in got], extinguisher=e["kind"].isin(set(periods())))


def checks_between(checks: pd.DataFrame, first: dt.date, last: dt.date) -> pd.DataFrame:
    """The checks of [first, last], the last of each item's kept (a second look the same month replaces the first)."""
    c = checks.dropna(subset=["date", "item_id"])
    c = c[c["date"].map(lambda d: first <= d <= last).astype(bool)]
    return c.sort_values("date", kind="stable").drop_duplicates("item_id", keep="last")


def defects(checks: pd.DataFrame, first: dt.date, last: dt.date) -> pd.DataFrame:
    """Every check of [first, last] that found a problem, with fixed_by: its 整改日期 when on or before `last`."""
    c = checks.dropna(subset=["date", "item_id", "result"])
    c = c[c["date"].map(lambda d: first <= d <= last) & (c["result"] != OK)]
    return c.assign(fixed_by=c["fixed"].map(lambda d: d if isinstance(d, dt.date) and d <= last else None))


def has_equipment(v) -> bool:
    """刷新汇总 makes 消防月报 only for a kindergarten whose 消防器材 lists something."""
    return bool(len(v.tables["fire_equipment"].frame.dropna(subset=["item_id"])))
