"""The reference intake a menu is judged against: the Chinese DRIs (2013) averaged over the children
actually enrolled on the analysis date, by age (completed years) and sex, for the whole kindergarten
and for each age group (托班/小班/中班/大班, from the 班级 sheet).

Pure: roster and classes frames in, a frame of mean references out. A child outside the table's ages
(under 2, or 7 and over) gets no reference and is counted apart, so a report can say so.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from kgxl.core.paths import DATA
from kgxl.core.roster import enrolled_between

DRI_CSV = DATA / "dris_2013_children.csv"
DRI_SOURCE = "中国居民膳食营养素参考摄入量（2013版）"
# DRI column -> food table column of the same nutrient
NUTRIENTS = {"energy_kcal": "energy_kcal", "protein_g": "protein_g", "calcium_mg": "calcium_mg",
             "iron_mg": "iron_mg", "zinc_mg": "zinc_mg", "vitamin_a_ug_rae": "vitamin_a_ug",
             "thiamin_mg": "thiamin_mg", "riboflavin_mg": "riboflavin_mg", "vitamin_c_mg": "vitamin_c_mg"}
WHOLE = "全园"
AGE_GROUPS = ("托班", "小班", "中班", "大班")


@lru_cache(maxsize=1)
def dris() -> pd.DataFrame:
    """The DRI table indexed by (age in years, sex 男/女), columns named as in the food table."""
    df = pd.read_csv(DRI_CSV)
    df["sex"] = df["sex"].map({"M": "男", "F": "女"})
    df = df.rename(columns=NUTRIENTS).set_index(["age_from_years", "sex"])
    return df[list(NUTRIENTS.values())]


def age_years(birth: dt.date, on: dt.date) -> int:
    """Completed years on a day (a birthday on 2/29 counts from 3/1 in other years)."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


@dataclass(frozen=True)
class Reference:
    means: pd.DataFrame  # index: 全园 then the age groups present; columns: children + the nutrients
    outside: pd.DataFrame  # enrolled children without a DRI row (child_id, name, age)
    on: dt.date
    source: str = DRI_SOURCE


def reference(roster: pd.DataFrame, classes: pd.DataFrame, on: dt.date) -> Reference:
    """Mean DRI per child over the children enrolled on `on`. roster: child_id, name, sex, birth_date,
    class_name, entry_date, leave_date; classes: class_name, age_group."""
    kids = enrolled_between(roster, on, on).copy()
    kids["age"] = [age_years(pd.Timestamp(b).date(), on) for b in kids["birth_date"]]
    table = dris()
    keys = list(zip(kids["age"], kids["sex"]))
    known = [k in table.index for k in keys]
    outside = kids.loc[[not k for k in known], ["child_id", "name", "age"]].reset_index(drop=True)
    kids = kids[known]
    refs = table.loc[list(zip(kids["age"], kids["sex"]))].reset_index(drop=True)
    group_of = dict(zip(classes["class_name"], classes["age_group"]))
    refs["group"] = [group_of.get(c) for c in kids["class_name"]]
    cols = list(table.columns)
    rows = {WHOLE: [len(refs), *refs[cols].mean()]} if len(refs) else {}
    for g in AGE_GROUPS:
        part = refs[refs["group"] == g]
        if len(part):
            rows[g] = [len(part), *part[cols].mean()]
    means = pd.DataFrame.from_dict(rows, orient="index", columns=["children", *cols])
    return Reference(means, outside, on)
