"""Settings: the 基本信息 key/value sheet as one frozen value the computations take."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields

import pandas as pd


@dataclass(frozen=True)
class Settings:
    kindergarten_name: str | None = None
    term_label: str | None = None
    term_start: dt.date | None = None
    term_end: dt.date | None = None
    meal_fee: float | None = None
    refund_rule: str | None = None
    balance_period: str | None = None
    principal: str | None = None
    accountant: str | None = None
    health_teacher: str | None = None
    phone: str | None = None
    current_month: str | None = None

    @classmethod
    def from_frame(cls, frame: pd.DataFrame | None) -> "Settings":
        if frame is None or frame.empty:
            return cls()
        row = frame.iloc[0]
        values = {}
        for f in fields(cls):
            v = row.get(f.name)
            values[f.name] = None if v is None or (isinstance(v, float) and pd.isna(v)) else v
        return cls(**values)
