"""What a new term's workbook takes of 基本信息, 班级 and 幼儿名册: the settings with the new term's dates, the
classes moved up (a 大班 leaving hands its name to a new 小班 when its teachers take one), the children still
enrolled in their new classes (kgxl.core.term decides who stays)."""
from __future__ import annotations

from kgxl.core.actions import UserError
from kgxl.core.term import AGES, LEAVES, NewTerm, records


def settings(v, term: NewTerm) -> dict:
    return records(v.tables["settings"].frame)[0] | {"term_start": term.start, "term_end": term.end,
                                                      "term_label": term.label,
                                                      "current_month": term.start.strftime("%Y-%m")}


def classes(v, term: NewTerm) -> list[dict]:
    out = []
    for c in records(v.tables["classes"].frame):
        new, age = term.classes[c["class_name"]], c["age_group"]
        if new == LEAVES:
            if c["class_name"] not in term.restart:
                continue
            new, age = term.restart[c["class_name"]], AGES[1]
        elif term.promote and age in AGES[:-1]:
            age = AGES[AGES.index(age) + 1]
        out.append(c | {"class_name": new, "age_group": age})
    names = [c["class_name"] for c in out]
    if len(set(names)) < len(names):
        raise UserError("升班后班级名称重复：" + "、".join(sorted({n for n in names if names.count(n) > 1})) +
                        "；请用 --class 旧班级=新班级 指定")
    return out


def roster(v, term: NewTerm) -> list[dict]:
    return [child | {"class_name": term.classes.get(child["class_name"], child["class_name"])}
            for child in records(v.tables["roster"].frame) if child["child_id"] in term.children]
