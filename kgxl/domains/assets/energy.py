"""Water, electricity and gas: use and cost per month and kind, per child-day present, and against a comparison
month (the same month a year earlier when recorded, else the same month of the previous term, six months
earlier); a month above its comparison by more than the set percentage is flagged. Pure."""
from __future__ import annotations

import pandas as pd

from kgxl.domains.assets.names import UNITS


def shift(month: str, months: int) -> str:
    y, m = int(month[:4]), int(month[5:]) - months
    while m < 1:
        y, m = y - 1, m + 12
    return f"{y}-{m:02d}"


def monthly(meters: pd.DataFrame) -> pd.DataFrame:
    """Per (month, kind): usage and amount summed over the meters."""
    m = meters.dropna(subset=["month", "kind", "usage"])
    g = m.assign(amount=m["amount"].fillna(0)).groupby(["month", "kind"], sort=True)[["usage", "amount"]].sum()
    return g.reset_index()


def compared(use: pd.DataFrame, months: list[str], present: dict[str, int], alert: float) -> pd.DataFrame:
    """Per month of the term with readings, per kind: usage, amount, child-days, per child-day, the comparison
    month and its usage, change (%), flagged."""
    known = {(r.month, r.kind): r for r in use.itertuples()}
    rows = []
    for m in months:
        for kind in UNITS:
            r = known.get((m, kind))
            if r is None:
                continue
            base = next((b for b in (shift(m, 12), shift(m, 6)) if (b, kind) in known), None)
            base_use = float(known[(base, kind)].usage) if base else None
            change = (float(r.usage) - base_use) / base_use * 100 if base_use else None
            days = present.get(m)
            rows.append({"month": m, "kind": kind, "unit": UNITS[kind], "usage": float(r.usage),
                         "amount": float(r.amount), "child_days": days,
                         "per_child_day": float(r.usage) / days if days else None, "base": base, "base_usage": base_use,
                         "change": change, "flagged": change is not None and change > alert})
    return pd.DataFrame(rows, columns=["month", "kind", "unit", "usage", "amount", "child_days", "per_child_day",
                                       "base", "base_usage", "change", "flagged"])
