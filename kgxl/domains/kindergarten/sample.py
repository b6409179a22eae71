"""The sample kindergarten's 基本信息, 班级, 幼儿名册 and 节假日调整 (kgxl.sample.data makes the people)."""
from __future__ import annotations


def rows(s, got: dict) -> dict:
    return {"settings": settings(s), "classes": classes(s), "roster": s.roster,
            "holiday_overrides": holiday_overrides(s)}


def settings(s) -> dict:
    return {"kindergarten_name": "示例市阳光幼儿园", "term_label": s.term_label, "term_start": s.term[0],
            "term_end": s.term[1], "principal": s.principal, "accountant": s.accountant, "health_teacher": s.nurse,
            "phone": "0000-12345678", "current_month": s.current_month, "ownership": "公办"}


def classes(s) -> list[dict]:
    return [{"class_name": c, "age_group": g, "head_teacher": s.staff[c][0], "carer": s.staff[c][1]}
            for c, g, _ in s.classes]


def holiday_overrides(s) -> list[dict]:
    return [{"date": d, "kind": k, "note": n} for d, k, n in s.override_rows]
