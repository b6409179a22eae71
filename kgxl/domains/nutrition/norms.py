"""The norms a menu is judged by: the 营养标准 sheet when the workbook has one, else the shipped
defaults (kgxl/data/nutrition_norms.csv, whose README names every row's source)."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from kgxl.core.editable_defaults import defaults_frame, overlay
from kgxl.core.editable_defaults import number as num
from kgxl.domains.nutrition.shipped import nutrition_norms


@dataclass(frozen=True)
class Norm:
    low: float | None
    high: float | None
    basis: str
    confidence: str

    def judge(self, pct: float | None) -> str:
        """达标 / 不足 / 过量 against the bounds set; '—' when none is set or there is nothing to judge."""
        if pct is None or pct != pct or (self.low is None and self.high is None):
            return "—"
        if self.low is not None and pct < self.low:
            return "不足"
        if self.high is not None and pct > self.high:
            return "过量"
        return "达标"

    def text(self) -> str:
        if self.low is not None and self.high is not None:
            return f"{self.low:g}" if self.low == self.high else f"{self.low:g}～{self.high:g}"
        if self.low is not None:
            return f"≥{self.low:g}"
        return f"≤{self.high:g}" if self.high is not None else "未设定"


def norms(frame: pd.DataFrame | None, boarding: bool) -> dict[str, Norm]:
    """item -> Norm; a boarding kindergarten uses 寄宿制下限 where one is set. Items missing from the
    user's sheet take the default row."""
    table = overlay(frame, defaults_frame(nutrition_norms(), ("low", "high", "boarding_low")))
    out = {}
    for item, r in table.iterrows():  # a dozen rows
        low = num(r["boarding_low"]) if boarding and num(r["boarding_low"]) is not None else num(r["low"])
        out[item] = Norm(low, num(r["high"]), str(r["basis"] or ""), str(r["confidence"] or ""))
    return out
