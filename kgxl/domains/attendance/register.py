"""生成本月出勤表: create or update a month's register without losing anything typed.

One row per child enrolled at any time in the month (grouped by class, then 幼儿编号), one
column per school day, — prefilled where the child was not enrolled. On an existing sheet
every typed value stays: rows of children who left, marks in a column that is no longer a
school day (kept, with a 警告), the 备注 and any column the user added.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kgxl.core.calendar import SchoolCalendar, day_label
from kgxl.core.cells import col_index, col_letter, is_blank, show
from kgxl.core.port import Block, Choice, RawSheet, SheetOutput
from kgxl.core.problems import WARNING, Problem
from kgxl.core.reading import Table
from kgxl.core.roster import enrolled, enrolled_between
from kgxl.core.schema import SheetSchema
from kgxl.domains.attendance.days import AWAY


@dataclass
class RegisterUpdate:
    output: SheetOutput
    problems: list[Problem]
    children: int
    added: int
    kept_marks: int
    days: int


def _existing(t: Table | None, raw: RawSheet | None) -> tuple[dict, list, dict, list[str], dict]:
    """Existing rows as {child_id or ('row', n): {key/date/extra: raw value}}, in sheet order, plus
    the day columns, the user's extra columns (header text in sheet order) and where each cell of the table was:
    {(excel row, 0-based column): (row key or HEADER, column key)}, which is how its note follows it."""
    if t is None or raw is None:
        return {}, [], {}, [], {}
    header = raw.rows[t.header_row - 1] if len(raw.rows) >= t.header_row else []
    used = {col_index(x) for x in t.columns.values()} | {col_index(x) for x in t.days.values()}
    extras = [(c, str(v).strip()) for c, v in enumerate(header) if c not in used and not is_blank(v)]
    column_of = {col_index(x): k for k, x in t.columns.items()} | {col_index(x): d for d, x in t.days.items()}
    column_of |= {c: name for c, name in extras}
    places = {(t.header_row, c): (HEADER, k) for c, k in column_of.items()}
    rows, order = {}, []
    for excel_row in t.frame.index:
        src = raw.rows[excel_row - 1]

        def at(c):
            return src[c] if c < len(src) and not is_blank(src[c]) else None
        values = {k: at(col_index(x)) for k, x in t.columns.items()}
        values |= {d: at(col_index(x)) for d, x in t.days.items()}
        values |= {name: at(c) for c, name in extras}
        cid = t.frame.at[excel_row, "child_id"]
        key = cid if isinstance(cid, str) and cid not in rows else ("row", excel_row)
        rows[key] = values
        order.append(key)
        places |= {(excel_row, c): (key, k) for c, k in column_of.items()}
    return rows, order, dict(t.days), [name for _, name in extras], places


HEADER = ("header",)  # the row key of a register's header row


def _moved_notes(schema: SheetSchema, notes: dict[str, tuple[str, str]], places: dict, keys: list, order: list
                 ) -> dict[str, tuple[str, str]]:
    """The register's notes at their new cells: the header's own (what to type: kgxl's, as build-workbook writes
    them), then every note the sheet had, moved with its cell (a child's row re-sorted, a day column shifted). A
    note outside the table stays at its cell."""
    fixed = {c.key: c for c in schema.columns}
    where = {(HEADER, k): (1, c) for c, k in enumerate(keys)}
    where |= {(key, k): (r, c) for r, key in enumerate(order, start=2) for c, k in enumerate(keys)}
    out = {f"{col_letter(c)}1": (fixed[k].note(), "kgxl") for c, k in enumerate(keys) if k in fixed and fixed[k].note()}
    if len(keys) > 3 and keys[3] not in fixed:  # the first day column says what the marks mean
        out["D1"] = (schema.day_columns.help, "kgxl")
    for ref, note in notes.items():
        m = re.fullmatch(r"([A-Z]+)(\d+)", ref)
        if not m:
            continue
        place = places.get((int(m.group(2)), col_index(m.group(1))))
        r, c = where.get(place, (int(m.group(2)), col_index(m.group(1))))
        out[f"{col_letter(c)}{r}"] = note
    return out


def build_register(schema: SheetSchema, month: str, roster: pd.DataFrame, classes: list[str],
                   cal: SchoolCalendar, table: Table | None, raw: RawSheet | None, title: str,
                   notes: dict[str, tuple[str, str]] | None = None) -> RegisterUpdate:
    """notes: the existing sheet's (Excel comments by cell); each moves with its cell, the header's kgxl notes are
    put back where the user removed none."""
    name = schema.sheet_for(month)
    rows, order, old_days, extras, places = _existing(table, raw)
    school = cal.month(month)
    first, last = (school[0], school[-1]) if school else (None, None)
    problems: list[Problem] = []
    kept = [d for d in old_days if d not in school and any(r.get(d) is not None for r in rows.values())]
    for d in kept:
        problems.append(Problem(name, "", "", show(d), "not_school_day",
                                f"{day_label(d)} 已不是在园日，但该列有出勤标记，已保留该列；这些标记不计入统计，请核对",
                                WARNING))
    days = sorted(set(school) | set(kept))
    by_id = roster.dropna(subset=["child_id"]).drop_duplicates("child_id").set_index("child_id")
    added = 0
    if school:
        for c in enrolled_between(roster, first, last).itertuples():
            if c.child_id not in rows:
                rows[c.child_id] = {"child_id": c.child_id, "name": c.name, "class_name": c.class_name}
                order.append(c.child_id)
                added += 1
    kept_marks = sum(1 for r in rows.values() for d in old_days if r.get(d) is not None)
    rank = {c: i for i, c in enumerate(classes)}

    def sort_key(key):
        r = rows[key]
        cls = r.get("class_name") or (by_id["class_name"].get(key) if key in by_id.index else None)
        return (isinstance(key, tuple), rank.get(cls, len(rank)), str(cls or ""), str(r.get("child_id") or ""))
    known = [k for k in order if isinstance(k, str) and k in by_id.index]
    ids, on = pd.Series(np.repeat(known, len(days)), dtype=object), pd.Series(days * len(known), dtype=object)
    ok = enrolled(ids, on, roster)  # the one enrolment rule, for every (child, day) at once
    inside = set(zip(ids[ok], on[ok]))
    body = []
    for key in sorted(order, key=sort_key):
        r = rows[key]
        cid = r.get("child_id")
        info = by_id.loc[key] if isinstance(key, str) and key in by_id.index else None
        name_, cls = r.get("name"), r.get("class_name")
        if info is not None:  # fill blanks only; what was typed stays
            name_ = name_ if name_ is not None else info["name"]
            cls = cls if cls is not None else info["class_name"]
        marks = []
        for d in days:
            v = r.get(d)
            if v is None and info is not None and d in cal and (key, d) not in inside:
                v = AWAY
            marks.append(v)
        body.append([cid, name_, cls, *marks, r.get("note"), *(r.get(x) for x in extras)])
    fixed = {c.key: c for c in schema.columns}
    header = [fixed["child_id"].header, fixed["name"].header, fixed["class_name"].header, *days,
              fixed["note"].header, *extras]
    dc = schema.day_columns
    choices = [Choice((0, len(body) - 1), (3, 2 + len(days)), tuple(dc.marks), dc.help)] if body and days else []
    widths = [fixed["child_id"].width, fixed["name"].width, fixed["class_name"].width, *[dc.width] * len(days),
              fixed["note"].width, *[12] * len(extras)]
    keys = ["child_id", "name", "class_name", *days, "note", *extras]
    out = SheetOutput(name, [Block(header, body, choices=choices)], widths=widths, freeze_cols=3,
                      page_header=title, tab_color="FF70AD47", replaces_input=True,
                      notes=_moved_notes(schema, notes or {}, places, keys, sorted(order, key=sort_key)))
    return RegisterUpdate(out, problems, len(body), added, kept_marks, len(school))
