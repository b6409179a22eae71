"""Settings: the 基本信息 key/value sheet as one frozen value the computations take.

A blank optional item takes the default written here (and in the item's help text).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

WAIVER_START = dt.date(2025, 9, 1)
WAIVER_BASIS = "国办发〔2025〕27号《关于逐步推行免费学前教育的意见》"
SAMPLE_BASIS = ("《学校食品安全与营养健康管理规定》（教育部 国家市场监督管理总局 国家卫生健康委员会令第45号，2019）"
                "和《餐饮服务食品安全操作规范》（国家市场监督管理总局公告2018年第12号）：每餐次每个品种留样不少于125克，"
                "专柜冷藏48小时以上")


@dataclass(frozen=True)
class Settings:
    kindergarten_name: str | None = None
    term_label: str | None = None
    term_start: dt.date | None = None
    term_end: dt.date | None = None
    meal_fee: float | None = None
    refund_rule: str | None = None
    refund_min_days: int | None = None
    balance_period: str | None = None
    principal: str | None = None
    accountant: str | None = None
    health_teacher: str | None = None
    phone: str | None = None
    meal_service: str = "全日制"
    sick_alert_same_day: int = 3
    sick_alert_window_count: int = 5
    sick_alert_window_days: int = 3
    current_month: str | None = None
    growth_standard: str = "WS/T 423-2022"
    ownership: str | None = None
    waived_groups: str | None = None
    waiver_start: dt.date | None = None
    waiver_basis: str | None = None
    training_every_days: int = 14
    top_per_role: int = 1
    planned_drills: str = "火灾疏散、地震、反恐防暴"
    sample_grams: float = 125.0  # 留样: grams per dish, and hours kept (SAMPLE_BASIS)
    sample_hours: float = 48.0
    energy_alert_percent: float = 20.0  # kgxl's own default (no published norm): a month this much above its comparison

    @classmethod
    def from_frame(cls, frame: pd.DataFrame | None) -> "Settings":
        if frame is None or frame.empty:
            return cls()
        row = frame.iloc[0]
        values = {}
        for f in fields(cls):
            v = row.get(f.name)
            if v is None or (isinstance(v, float) and v != v):  # blank, also as NaN
                continue
            values[f.name] = int(v) if f.type in ("int", "int | None") else v
        return cls(**values)

    @property
    def waiver(self) -> tuple[tuple[str, ...], dt.date, str] | None:
        """(age groups, from, basis) whose 保教费 is waived: as set, or for a 公办 kindergarten 大班 from the
        2025 autumn term (国办发〔2025〕27号); None when nothing is waived."""
        groups = tuple(g for g in re.split(r"[、,，]", self.waived_groups or "") if g)
        if not groups and self.ownership == "公办":
            groups = ("大班",)
        if not groups:
            return None
        return groups, self.waiver_start or WAIVER_START, self.waiver_basis or WAIVER_BASIS

    @property
    def term_valid(self) -> bool:
        return bool(self.term_start and self.term_end and self.term_start <= self.term_end)
