"""The gate and pick-up, pure: visits still open, visits into the class area in class hours without a host, and
each pick-up exception against the child's authorised adults (接送授权) on its day."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from kgxl.core.cells import is_blank
from kgxl.domains.security.names import GATE_SHEETS

CLASS_AREA = "班级活动区"
REFUSED = "拒绝陌生人接走"  # the gate did its job: nobody took the child
LATE = "晚接"
AUTHORISED, CARD_EXPIRED, NOT_AUTHORISED = "已授权", "接送卡已过期", "未授权"
LATE_RULE = "晚接：情况填“晚接”的，以及时间晚于“基本信息”的晚接时间的"


def open_visits(visits: pd.DataFrame, before: dt.date) -> pd.DataFrame:
    """Visits of a day before `before` with no 离开时间: nobody saw the visitor leave."""
    v = visits.dropna(subset=["date", "enter"])
    return v[v["leave"].map(is_blank) & v["date"].map(lambda d: d < before)]


def in_class_hours(t, start: dt.time | None, end: dt.time | None) -> bool:
    return isinstance(t, dt.time) and isinstance(start, dt.time) and isinstance(end, dt.time) and start <= t < end


def unhosted_class_visits(visits: pd.DataFrame, start, end) -> pd.DataFrame:
    v = visits.dropna(subset=["date", "enter"])
    return v[(v["area"] == CLASS_AREA) & v["host"].map(is_blank) & v["enter"].map(lambda t: in_class_hours(t, start, end))]


def _key(name) -> str:
    return "".join(str(name).split())


def authorisation(events: pd.DataFrame, auth: pd.DataFrame) -> pd.Series:
    """Per event with an adult named: 已授权, 接送卡已过期 (named for the child, card past its date that day) or
    未授权; blank where no adult is named."""
    cards: dict[tuple, list] = {}
    for r in auth.dropna(subset=["child_id", "adult"]).itertuples():
        cards.setdefault((r.child_id, _key(r.adult)), []).append(r.until)

    def one(r) -> str | None:
        if is_blank(r["adult"]) or is_blank(r["child_id"]):
            return None
        until = cards.get((r["child_id"], _key(r["adult"])))
        if until is None:
            return NOT_AUTHORISED
        day = r["date"]
        ok = any(not isinstance(u, dt.date) or not isinstance(day, dt.date) or u >= day for u in until)
        return AUTHORISED if ok else CARD_EXPIRED
    return events.apply(one, axis=1) if len(events) else pd.Series([], dtype=object)


def unauthorised(events: pd.DataFrame, auth: pd.DataFrame, state: pd.Series | None = None) -> pd.DataFrame:
    """Pick-ups by someone not authorised for the child whom no parent confirmed, or 他人代接 with nobody named:
    the child left with an adult the kindergarten cannot vouch for. `state`: authorisation(events, auth), when known."""
    e = events.dropna(subset=["date", "child_id", "kind"])
    state = authorisation(e, auth) if state is None else state.reindex(e.index)
    taken = e["kind"] != REFUSED
    unknown = (state == NOT_AUTHORISED) | ((e["kind"] == "他人代接") & e["adult"].map(is_blank).astype(bool))
    return e[taken & unknown & (e["confirmed"] != "是")]


def is_late(events: pd.DataFrame, late_after: dt.time | None) -> pd.Series:
    after = events["time"].map(lambda t: isinstance(t, dt.time) and isinstance(late_after, dt.time) and t > late_after)
    return ((events["kind"] == LATE) | after) & (events["kind"] != REFUSED)


def has_records(v) -> bool:
    """刷新汇总 makes 门卫与接送 only for a kindergarten that registers visits or pick-ups."""
    return any(v.has_rows(k) for k in GATE_SHEETS)
