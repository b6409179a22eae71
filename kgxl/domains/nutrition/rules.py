"""Rules of the 带量食谱 beyond single cells: an amount of 0, a menu day missing a main meal that the menu
usually serves, and a food that is not the one its dish names (a suggestion taken for another food: 清炒南瓜 made
of 南瓜粉). (Unknown food names are the schema's ref rule, with aliases.)"""
from __future__ import annotations

from functools import cache

import pandas as pd

from kgxl.core.cells import show
from kgxl.core.problems import WARNING, Problem
from kgxl.core.reading import Table
from kgxl.core.rules import alias_map
from kgxl.domains.nutrition.intake import BOOK_SOURCE, group_of
from kgxl.domains.nutrition.shipped import foods as shipped_foods

MAIN_MEALS = ("早餐", "午餐", "晚餐")
ENERGY_SHARE = 0.5  # energy per 100 g differing by more than this share of the dish's food is another food
FIGURES = ("edible_pct", "energy_kcal", "protein_g", "fat_g", "carb_g", "calcium_mg", "iron_mg", "zinc_mg", "vitamin_a_ug",
           "thiamin_mg", "riboflavin_mg", "vitamin_c_mg")
PROCESSED = ("粉", "干", "松", "脯")  # the dish's food made into another product: 南瓜粉, 牛肉干, 鸡肉松


def rules(v) -> list[Problem]:
    out = book_rows_changed(v.tables["foods"]) if "foods" in v.tables else []
    if "menu" not in v.tables:
        return out
    out += menu_problems(v.tables["menu"])
    if "foods" in v.tables:
        out += substitutes(v.tables["menu"], v.tables["foods"].frame)
    return out


@cache
def _book() -> pd.DataFrame:
    rows = pd.DataFrame(shipped_foods()).set_index("food_name")
    return rows[list(FIGURES)].apply(pd.to_numeric, errors="coerce")


def book_rows_changed(foods: Table) -> list[Problem]:
    """A row whose 来源 says the book but whose figures are not the book's (as kgxl ships it): a 警告 at the first
    figure that differs — the 营养分析 names 自定义 data, so a changed row should say so. Aliases may be added freely."""
    f = foods.frame
    mine = f[(f["source"] == BOOK_SOURCE) & f["food_name"].isin(_book().index)]
    if mine.empty:
        return []
    book = _book().loc[mine["food_name"]].set_axis(mine.index)
    ours = mine[list(FIGURES)].apply(pd.to_numeric, errors="coerce")
    differs = ~((ours - book).abs().le(1e-6) | (ours.isna() & book.isna()))
    out = []
    for i in mine.index[differs.any(axis=1)]:
        key = next(k for k in FIGURES if differs.at[i, k])
        header = foods.schema.column(key).header
        out.append(Problem(foods.sheet, foods.cell(i, key), header, show(f.at[i, key]), "book_row_changed",
                           f"“{f.at[i, 'food_name']}”的{header}与《中国食物成分表》（{show(book.at[i, key])}）不同，来源却是"
                           f"“{BOOK_SOURCE}”：自己改过的数值，请把来源改为“自定义”（营养分析会注明），或改回原值", WARNING))
    return out


def substitutes(menu: Table, foods: pd.DataFrame) -> list[Problem]:
    """A 警告 where the dish names a food (the dish is that food, 橘子; or the food typed contains a food the dish
    names, 南瓜粉 in 清炒南瓜) and the food typed is another one: another food group, or energy per 100 g off by
    more than ENERGY_SHARE. Both foods are named, with their group and energy. Judged once per (dish, food) pair."""
    table = foods.dropna(subset=["food_name"]).drop_duplicates("food_name")
    if table.empty:
        return []
    names = table["food_name"].tolist()
    known = alias_map(table["food_name"], table["aliases"]) | {n: n for n in names}
    categories = table["category"].tolist()
    groups = {c: group_of(c) for c in set(categories)}
    group = {n: groups[c] for n, c in zip(names, categories)}
    energy = dict(zip(names, pd.to_numeric(table["energy_kcal"], errors="coerce").tolist()))
    header = menu.schema.column("food").header
    rows = menu.frame.dropna(subset=["dish", "food"])
    pairs = list(zip(rows["dish"].astype(str), rows["food"].astype(str)))
    verdicts = {pair: _verdict(*pair, known, group, energy, header) for pair in set(pairs)}
    return [Problem(menu.sheet, menu.cell(i, "food"), header, typed, "food_not_dish", verdicts[dish, typed], WARNING)
            for i, (dish, typed) in zip(rows.index, pairs) if verdicts[dish, typed]]


def _verdict(dish: str, typed: str, known: dict[str, str], group: dict, energy: dict, header: str) -> str | None:
    """The message for one (dish, food typed) pair, or None when the food is the dish's (or the dish names none)."""
    meant, food, whole = _meant(dish, typed, known)
    if meant is None:
        return None
    ga, gb, ea, eb = group[meant], group[food], energy[meant], energy[food]
    # a dish that is one food (米饭) may be made of its raw form (大米): there only the group must agree
    if ga == gb and (whole or abs(eb - ea) <= ENERGY_SHARE * ea):
        return None
    why = f"食物类别不同（{ga}、{gb}）" if ga != gb else f"每100克能量相差超过{ENERGY_SHARE:.0%}"
    return (f"菜品“{dish}”通常用“{meant}”（{ga}，{ea:.0f}千卡/100克），这里的{header}却是“{typed}”"
            f"（{gb}，{eb:.0f}千卡/100克），{why}：请核对是否选了建议中的另一种食物")


def menu_problems(menu: Table) -> list[Problem]:
    df = menu.frame.dropna(subset=["date", "meal"])
    grams, date = menu.schema.column("grams").header, menu.schema.column("date").header
    out = []
    zero = menu.frame["grams"] == 0
    for row in menu.frame.index[zero]:
        out.append(Problem(menu.sheet, menu.cell(row, "grams"), grams, "0", "zero_amount",
                           "每人用量为 0：请填写用量，或删除这一行", WARNING))
    if df.empty:
        return out
    days = df.groupby("date")["meal"].agg(set)
    usual = [m for m in MAIN_MEALS if (days.map(lambda s, m=m: m in s)).sum() * 2 >= len(days)]
    first_row = df.index.to_series().groupby(df["date"]).min()
    for day, meals in days.items():
        missing = [m for m in usual if m not in meals]
        if missing:
            row = first_row[day]
            out.append(Problem(menu.sheet, menu.cell(row, "date"), date, show(day), "missing_meal",
                               f"{show(day)} 的食谱没有{'、'.join(missing)}（其他日子都有），请补上或核对日期", WARNING))
    return out


def _meant(dish: str, typed: str, known: dict[str, str]) -> tuple[str | None, str | None, bool]:
    """(the food the dish names, the food typed, whether the dish is that food) when the two differ, else Nones.
    The dish names a food when it is one (橘子), or when the longest name of two or more characters in it that is also
    in the name typed is that name made into a product (南瓜粉 in 清炒南瓜; not 海带（鲜） in 海带汤, the same food in
    another state, nor 胡萝卜 in 胡萝卜炒西葫芦)."""
    food = known.get(typed)
    if food is None:
        return None, None, False  # unknown: the ref rule's 错误
    meant = known.get(dish.strip())
    whole = meant is not None
    if not whole:
        parts = sorted({dish[a:b] for a in range(len(dish)) for b in range(a + 2, len(dish) + 1)}, key=len, reverse=True)
        first = next((p for p in parts if p in known and p in typed), None)
        meant = known[first] if first and typed.startswith(tuple(first + x for x in PROCESSED)) else None
    return (meant, food, whole) if meant and meant != food else (None, None, False)

