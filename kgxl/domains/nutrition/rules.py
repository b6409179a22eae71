"""Rules of the 带量食谱 beyond single cells: an amount of 0, and a menu day missing a main meal
that the menu usually serves. (Unknown food names are the schema's ref rule, with aliases.)"""
from __future__ import annotations

from kgxl.core.cells import show
from kgxl.core.problems import WARNING, Problem
from kgxl.core.reading import Table

MAIN_MEALS = ("早餐", "午餐", "晚餐")


def rules(v) -> list[Problem]:
    return menu_problems(v.tables["menu"]) if "menu" in v.tables else []


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
