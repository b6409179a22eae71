"""The move from one term to the next, as every domain's carry (Domain.carry) sees it: the new dates, whether a
school year begins (classes move up: 托班 → 小班 → 中班 → 大班, and 大班 leave), where each class goes, which
children stay, and who signs what the new term starts with."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from kgxl.core.actions import UserError
from kgxl.core.calendar import term_label
from kgxl.core.cells import is_blank

AGES = ("托班", "小班", "中班", "大班")
LEAVES = "离园"  # a class mapped here leaves with its children (大班 at the end of the school year)


def school_year(day: dt.date) -> int:
    """The year a school year starts in (it starts in autumn)."""
    return day.year if day.month >= 8 else day.year - 1


def records(frame: pd.DataFrame) -> list[dict]:
    """A table's rows as dicts, blanks as None."""
    return [{k: (None if is_blank(v) else v) for k, v in r.items()} for r in frame.astype(object).to_dict("records")]


def promoted_name(name: str, age: str) -> str:
    """小一班 → 中一班: the class's age word moves up; a name without it (向日葵班) stays."""
    nxt = AGES[AGES.index(age) + 1]
    return name.replace(age[0], nxt[0], 1) if age[0] in name else name


def class_map(classes: list[dict], promote: bool, edits: dict[str, str]) -> dict[str, str]:
    """Old class name -> new class name (or LEAVES). edits: the user's own pairs, over the default."""
    out = {}
    for c in classes:
        name, age = c["class_name"], c["age_group"]
        if not promote:
            out[name] = name
        elif age == AGES[-1]:
            out[name] = LEAVES
        else:
            out[name] = promoted_name(name, age)
    unknown = set(edits) - set(out)
    if unknown:
        raise UserError(f"升班对应中的班级不在上学期的“班级”表中：{'、'.join(sorted(unknown))}")
    return out | edits


def restarts(classes: list[dict], mapping: dict[str, str]) -> dict[str, str]:
    """A class whose children leave keeps its teachers for a new 小班 (循环带班): 大一班 → 小一班, when the
    name has its age word and the new name is free; old name -> new class name."""
    taken = {new for new in mapping.values() if new != LEAVES}
    out = {}
    for c in classes:
        name, age = c["class_name"], c["age_group"]
        if mapping[c["class_name"]] != LEAVES or age not in AGES or age[0] not in name:
            continue
        new = name.replace(age[0], AGES[1][0], 1)
        if new not in taken:
            out[name] = new
            taken.add(new)
    return out


@dataclass
class NewTerm:
    """What every carry function is given besides the old workbook."""
    old: object  # the old term's Settings
    start: dt.date
    end: dt.date
    promote: bool  # a new school year begins
    classes: dict[str, str]  # old class -> new class, or LEAVES
    restart: dict[str, str]  # a leaving class -> the new 小班 its teachers take
    children: frozenset = frozenset()  # 幼儿编号 of the children the new term keeps
    counts: dict[str, int] = field(default_factory=dict)  # enrolled, moved_up, left_class, left_before

    @property
    def label(self) -> str:
        return term_label(self.start)

    @property
    def handler(self) -> str:
        """Who signs the rows a new term starts with (opening stock, supplies): the old term's accountant."""
        return self.old.accountant or "上学期结转"

    def teaching(self, class_name) -> str | None:
        """The class a teacher of class_name teaches next term: it follows its class, or takes the new 小班 when the
        class's children leave; None when neither."""
        new = (self.classes | self.restart).get(class_name, class_name)
        return None if new == LEAVES else new

    @classmethod
    def of(cls, v, start: dt.date, end: dt.date, edits: dict[str, str]) -> "NewTerm":
        """From a validated old workbook: the class moves and the children who stay."""
        old = v.settings
        if start <= old.term_end:
            raise UserError(f"新学期开始日期 {start} 应在上学期结束日期 {old.term_end} 之后")
        promote = school_year(start) > school_year(old.term_start)
        classes = records(v.tables["classes"].frame)
        mapping = class_map(classes, promote, edits)
        term = cls(old, start, end, promote, mapping, restarts(classes, mapping))
        counts = {"enrolled": 0, "moved_up": 0, "left_class": 0, "left_before": 0}
        kept = []
        for child in records(v.tables["roster"].frame):
            if child["leave_date"] and child["leave_date"] < start:
                counts["left_before"] += 1
                continue
            new = mapping.get(child["class_name"], child["class_name"])
            if new == LEAVES:
                counts["left_class"] += 1
                continue
            counts["enrolled"] += 1
            counts["moved_up"] += promote or new != child["class_name"]
            kept.append(child["child_id"])
        term.children, term.counts = frozenset(kept), counts
        return term
