"""Nutrient intake of the quantified menu (带量食谱): per child per day, averaged over the menu days
of a week or a month, by food group, nutrient, energy source, protein source and meal.

Pure and vectorised: the menu and food frames in, an Analysis out. A menu row's grams are as
purchased (生重) unless its 已为可食部 says 是; edible grams = grams x 可食部 %. A nutrient the
table leaves blank (not measured) counts as 0 and the foods concerned are named.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kgxl.core.calendar import month_bounds, month_label
from kgxl.core.rules import alias_map

# nutrient column -> (label, unit), in report order; the first nine have a DRI
NUTRIENTS = {"energy_kcal": ("能量", "千卡"), "protein_g": ("蛋白质", "克"), "calcium_mg": ("钙", "毫克"),
             "iron_mg": ("铁", "毫克"), "zinc_mg": ("锌", "毫克"), "vitamin_a_ug": ("维生素A", "微克RAE"),
             "thiamin_mg": ("维生素B1", "毫克"), "riboflavin_mg": ("维生素B2", "毫克"),
             "vitamin_c_mg": ("维生素C", "毫克"), "fat_g": ("脂肪", "克"), "carb_g": ("碳水化合物", "克")}
# the food table's category (the book's group, or a user's own word) -> report group, first match wins
GROUP_RULES = (("大豆", "大豆及其制品"), ("谷", "谷类"), ("米", "谷类"), ("面", "谷类"), ("薯", "薯类"), ("淀粉", "薯类"),
               ("豆", "杂豆类"), ("菌", "菌藻类"), ("藻", "菌藻类"), ("蔬菜", "蔬菜类"), ("水果", "水果类"),
               ("坚果", "坚果类"), ("畜", "畜禽肉类"), ("禽", "畜禽肉类"), ("肉", "畜禽肉类"), ("乳", "奶类"),
               ("奶", "奶类"), ("蛋", "蛋类"), ("鱼", "水产类"), ("虾", "水产类"), ("蟹", "水产类"), ("贝", "水产类"),
               ("水产", "水产类"), ("油", "油脂"), ("糖", "糖"))
GROUPS = ("谷类", "薯类", "杂豆类", "大豆及其制品", "蔬菜类", "菌藻类", "水果类", "坚果类", "畜禽肉类", "水产类", "蛋类",
          "奶类", "油脂", "糖", "其他")
ANIMAL = {"畜禽肉类", "水产类", "蛋类", "奶类"}
# meals as the norms split the day: a snack counts with the meal before it
MEAL_PARTS = {"早餐": "早餐（含早点）", "早点": "早餐（含早点）", "午餐": "午餐（含午点）", "午点": "午餐（含午点）", "晚餐": "晚餐"}
MEALS = ("早餐（含早点）", "午餐（含午点）", "晚餐")
BOOK_SOURCE = "中国食物成分表第6版"


def group_of(category: str) -> str:
    text = str(category or "")
    return next((g for key, g in GROUP_RULES if key in text), "其他")


@dataclass(frozen=True)
class Period:
    label: str  # 2026年9月 / 2026年第38周（9月14日-9月20日）
    start: dt.date
    end: dt.date

    @classmethod
    def month(cls, month: str) -> "Period":
        return cls(month_label(month), *month_bounds(month))

    @classmethod
    def week(cls, week: str) -> "Period":
        y, w = week.split("-W")
        start = dt.date.fromisocalendar(int(y), int(w), 1)
        end = start + dt.timedelta(days=6)
        return cls(f"{y}年第{int(w)}周（{start.month}月{start.day}日-{end.month}月{end.day}日）", start, end)


@dataclass
class Analysis:
    period: Period
    days: list[dt.date]  # menu days in the period
    per_day: pd.Series  # nutrient -> intake per child per day
    groups: pd.DataFrame  # group -> raw_g, edible_g per child per day (GROUPS order, groups eaten)
    protein: pd.Series  # 动物性食物 / 大豆及其制品 / 其他 -> protein g per child per day
    meals: pd.Series  # MEALS -> energy kcal per child per day (0 when the meal is not served)
    served: set[str]  # MEALS served at least once
    flagged: dict[str, str]  # food used -> its 数据核对 text (需核实 ...)
    custom: list[str]  # foods used whose source is not the book (the user's own rows)
    unmeasured: dict[str, list[str]]  # nutrient label -> foods used with that nutrient blank


def food_rows(menu: pd.DataFrame, foods: pd.DataFrame) -> pd.DataFrame:
    """One row per menu row with a known food: the food's table row joined, edible grams and the
    nutrients of the amount served. Unknown foods (an 错误 in validation) are left out."""
    table = foods.dropna(subset=["food_name"]).drop_duplicates("food_name").set_index("food_name")
    aliases = alias_map(foods["food_name"].dropna(), foods["aliases"])
    name = menu["food"].where(menu["food"].isin(table.index), menu["food"].map(aliases))
    rows = menu.assign(food_name=name).dropna(subset=["food_name", "grams", "date"])
    rows = rows.join(table, on="food_name")
    edible = rows["edible"] == "是"
    rows["edible_g"] = rows["grams"] * np.where(edible, 1.0, rows["edible_pct"].astype(float) / 100)
    for col in NUTRIENTS:
        rows[f"{col}_blank"] = rows[col].isna()
        rows[col] = rows["edible_g"] / 100 * rows[col].astype(float).fillna(0.0)
    rows["group"] = rows["category"].map({c: group_of(c) for c in rows["category"].unique()})
    rows["meal_part"] = rows["meal"].map(MEAL_PARTS)
    return rows


def analyse(menu: pd.DataFrame, foods: pd.DataFrame, period: Period) -> Analysis | None:
    """None when the period has no menu day."""
    in_period = menu[(menu["date"] >= period.start) & (menu["date"] <= period.end)]
    rows = food_rows(in_period, foods)
    days = sorted(set(rows["date"]))
    if not days:
        return None
    n = len(days)
    per_day = rows[list(NUTRIENTS)].sum() / n
    groups = rows.groupby("group")[["grams", "edible_g"]].sum().div(n).rename(columns={"grams": "raw_g"})
    groups = groups.reindex([g for g in GROUPS if g in groups.index])
    quality = rows["quality_protein"] == "是"
    animal = quality & rows["group"].isin(ANIMAL)
    source = np.select([animal, quality], ["动物性食物", "大豆及其制品"], "其他")
    protein = rows["protein_g"].groupby(source).sum().reindex(["动物性食物", "大豆及其制品", "其他"], fill_value=0) / n
    meals = rows.groupby("meal_part")["energy_kcal"].sum().reindex(list(MEALS), fill_value=0) / n
    used = rows.drop_duplicates("food_name")
    check = used["data_check"].fillna("").astype(str)
    doubtful = check.str.startswith("需核实")
    flagged = dict(zip(used.loc[doubtful, "food_name"], check[doubtful]))
    custom = list(used.loc[used["source"].fillna("") != BOOK_SOURCE, "food_name"])
    unmeasured = {}
    for col, (label, _) in NUTRIENTS.items():
        blank = used.loc[used[f"{col}_blank"], "food_name"]
        if len(blank):
            unmeasured[label] = list(blank)
    return Analysis(period, days, per_day, groups, protein, meals, set(rows["meal_part"].dropna()), flagged,
                    custom, unmeasured)
