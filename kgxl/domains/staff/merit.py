"""绩效 from 月考核: each person's monthly total picks the highest band of 绩效方案 (their 岗位's rows, else 全部)
whose 最低分 it reaches; the band pays its 绩效金额, or its 绩效系数 × 基本信息's 绩效基数; 奖罚登记 of the month is
added (奖) or taken off (罚). kgxl computes no salary, tax or insurance. Amounts in integer fen. Pure."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from kgxl.core.calendar import month_bounds
from kgxl.core.money import money, to_fen

ALL = "全部"
COLUMNS = ["staff_id", "name", "role", "score", "band", "base", "bonus", "penalty", "total", "reasons", "note"]


def band_of(plan: pd.DataFrame, role, score: float, merit_base) -> tuple[str, int | None]:
    """(the band's name, its base 绩效 in fen) for a score; ("未达最低档", 0) below every band; (…, None) when the band
    pays by 系数 and no 绩效基数 is set."""
    rows = plan[plan["role"] == role]
    if rows.empty:
        rows = plan[plan["role"] == ALL]
    reached = rows[rows["min_score"] <= score + 1e-9].sort_values("min_score")
    if reached.empty:
        return "未达最低档", 0
    r = reached.iloc[-1]
    name = r["label"] if isinstance(r["label"], str) else f"{r['min_score']:g} 分以上"
    if r["amount"] == r["amount"] and r["amount"] is not None:
        return name, int(money(r["amount"]) * 100)
    if r["factor"] == r["factor"] and r["factor"] is not None and merit_base is not None:
        return name, int(money(r["factor"] * merit_base) * 100)
    return name, None


def in_service(staff: pd.DataFrame, month: str) -> pd.DataFrame:
    """The people in service on at least one day of the month."""
    first, last = month_bounds(month)
    s = staff.dropna(subset=["staff_id"]).drop_duplicates("staff_id")
    start_ok = s["start_date"].map(lambda d: not isinstance(d, dt.date) or d <= last).astype(bool)
    end_ok = s["end_date"].map(lambda d: not isinstance(d, dt.date) or d >= first).astype(bool)
    return s[start_ok & end_ok]


def covered(staff: pd.DataFrame, plan: pd.DataFrame) -> pd.DataFrame:
    """The people 绩效方案 applies to: their 岗位 has rows, or it has rows for 全部."""
    roles = set(plan.dropna(subset=["role", "min_score"])["role"])
    return staff if ALL in roles else staff[staff["role"].isin(roles)]


def merit_table(staff: pd.DataFrame, scores: pd.DataFrame, plan: pd.DataFrame, adjustments: pd.DataFrame,
                merit_base, month: str) -> pd.DataFrame:
    """Per person in service in the month whom the plan covers: score (月考核 total, None without one), band, base, bonus, penalty,
    total (fen; base None when it cannot be computed), reasons (the month's 奖罚), note."""
    s = scores.dropna(subset=["month", "staff_id", "score"])
    totals = s[s["month"] == month].groupby("staff_id")["score"].sum()
    first, last = month_bounds(month)
    adj = adjustments.dropna(subset=["date", "staff_id", "kind", "amount"])
    adj = adj[adj["date"].map(lambda d: first <= d <= last).astype(bool)]
    adj = adj.assign(fen=to_fen(adj["amount"]))
    plan = plan.dropna(subset=["role", "min_score"])
    rows = []
    for p in covered(in_service(staff, month), plan).itertuples():
        mine = adj[adj["staff_id"] == p.staff_id]
        bonus, penalty = int(mine.loc[mine["kind"] == "奖", "fen"].sum()), int(mine.loc[mine["kind"] == "罚", "fen"].sum())
        reasons = "；".join(f"{r.kind} {r.amount:,.2f} 元：{r.reason}" for r in mine.itertuples())
        score = float(totals[p.staff_id]) if p.staff_id in totals.index else None
        if score is None:
            band, base, note = None, 0, "本月没有月考核，不发基础绩效，请核实"
        else:
            band, base = band_of(plan, p.role, score, merit_base)
            note = "按系数计发，但基本信息未填绩效基数" if base is None else None
        total = None if base is None else base + bonus - penalty
        rows.append({"staff_id": p.staff_id, "name": p.name, "role": p.role, "score": score, "band": band, "base": base,
                     "bonus": bonus, "penalty": penalty, "total": total, "reasons": reasons or None, "note": note})
    return pd.DataFrame(rows, columns=COLUMNS)
