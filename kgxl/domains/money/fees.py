"""The fee items by category (保教费, 保育费, 住宿费, 伙食费, 服务性收费, 代收费) and the 保教费 waiver (国办发〔2025〕27号:
公办 kindergartens charge no 保育教育费 for 大班 from the 2025 autumn term), as 收费公示 states it and the rule checks
it."""
from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

CATEGORIES = ("保教费", "保育费", "住宿费", "伙食费", "服务性收费", "代收费")
WAIVED, VOLUNTARY = "保教费", "代收费"
WAIVER_START = dt.date(2025, 9, 1)
WAIVER_BASIS = "国办发〔2025〕27号《关于逐步推行免费学前教育的意见》"
MEAL_ITEM = "伙食费"


def category_of(r) -> str:
    category = getattr(r, "category", None)
    return category if isinstance(category, str) else "未分类"


def waiver(settings) -> tuple[tuple[str, ...], dt.date, str] | None:
    """(age groups, from, basis) whose 保教费 is waived: as 基本信息 sets it, or for a 公办 kindergarten 大班 from the
    2025 autumn term; None when nothing is waived."""
    groups = tuple(g for g in re.split(r"[、,，]", settings.waived_groups or "") if g)
    if not groups and settings.ownership == "公办":
        groups = ("大班",)
    if not groups:
        return None
    return groups, settings.waiver_start or WAIVER_START, settings.waiver_basis or WAIVER_BASIS


def waiver_text(settings) -> str:
    w = waiver(settings)
    if w is None:
        return ""
    groups, start, basis = w
    who = "、".join(groups)
    if settings.ownership == "公办":
        return f"本园为公办幼儿园，自{start.year}年{start.month}月{start.day}日起{who}幼儿免收保育教育费（依据：{basis}）。"
    return (f"{who}幼儿的保育教育费自{start.year}年{start.month}月{start.day}日起按当地同类型公办幼儿园免除水平相应减免"
            f"（依据：{basis}）。")


def meal_items(fee_items: pd.DataFrame) -> list[str]:
    """The 收费项目 that are the children's meal fee (named …伙食费…)."""
    return [i for i in fee_items["item"].dropna() if MEAL_ITEM in str(i)]
