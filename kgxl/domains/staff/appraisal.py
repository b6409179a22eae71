"""Monthly appraisal: each person's total against the items of their 岗位 (考核细则), the ranking within
the 岗位 for the month, the term's average so far, the best per 岗位 (评优候选), and what needs a look
(missing items, a score above its 满分). Pure."""
from __future__ import annotations

import pandas as pd


def appraisal(scores: pd.DataFrame, items: pd.DataFrame, staff: pd.DataFrame, month: str) -> pd.DataFrame:
    """Per person scored in the month: staff_id, name, role, total, full (the 岗位's full marks), rank (in
    the 岗位, 1 = best, ties share), term_avg (mean monthly total up to the month), missing (items of the
    岗位 without a score), over (items scored above their 满分)."""
    people = staff.dropna(subset=["staff_id"]).drop_duplicates("staff_id").set_index("staff_id")
    s = scores.dropna(subset=["month", "staff_id", "item", "score"])
    s = s[s["month"] <= month].assign(role=lambda f: f["staff_id"].map(people["role"]))
    maxima = items.dropna(subset=["role", "item", "max_score"]).drop_duplicates(["role", "item"])
    keys = ["role", "item"]  # as objects: an empty or all-blank column reads as float, and merge refuses the mix
    s = s.astype({k: object for k in keys}).merge(maxima[[*keys, "max_score"]].astype({k: object for k in keys}),
                                                    on=keys, how="left")
    full = maxima.groupby("role")["max_score"].sum()
    monthly = s.groupby(["month", "staff_id"])["score"].sum()
    now = s[s["month"] == month]
    rows = []
    for pid, g in now.groupby("staff_id", sort=False):
        role = people["role"].get(pid)
        expected = list(maxima.loc[maxima["role"] == role, "item"])
        rows.append({"staff_id": pid, "name": people["name"].get(pid), "role": role, "total": float(g["score"].sum()),
                     "full": float(full.get(role, 0)), "term_avg": float(monthly.xs(pid, level="staff_id").mean()),
                     "missing": [i for i in expected if i not in set(g["item"])],
                     "over": list(g.loc[g["score"] > g["max_score"], "item"])})
    df = pd.DataFrame(rows, columns=["staff_id", "name", "role", "total", "full", "term_avg", "missing", "over"])
    df["rank"] = df.groupby("role")["total"].rank(method="min", ascending=False).astype("Int64") if len(df) else []
    return df.sort_values(["role", "rank", "staff_id"], kind="stable", ignore_index=True)
