"""Validation: pandera for what one column can say about itself, then the cross-sheet rules.

Returns problems; never raises for bad data. Every failure becomes a Problem in one place
(_failures_to_problems), with a stable code per check.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from .calendar import SchoolCalendar
from .port import Workbook
from .problems import ERROR, WARNING, Problem, show, sort_key
from .reading import Table, read_table
from .schema import SHEET_ORDER, Column, SheetSchema, load_schemas
from .settings import Settings


@dataclass
class Validated:
    tables: dict[str, Table]  # schema key -> table (registers: "register:YYYY-MM")
    settings: Settings
    problems: list[Problem] = field(default_factory=list)
    calendar: SchoolCalendar | None = None  # when the term dates are valid
    child_days: pd.DataFrame | None = None  # attendance.child_days of all registers, with a roster and calendar
    stock_ledger: pd.DataFrame | None = None  # stock.ledger of 食品出入库, when the sheet exists
    computed: dict = field(default_factory=dict)  # results several reports share (one 刷新汇总 computes them once)

    def classes(self) -> list[str]:
        """Class names in the 班级 sheet's order."""
        t = self.tables.get("classes")
        return list(dict.fromkeys(t.frame["class_name"].dropna())) if t is not None else []

    def registers(self) -> list[Table]:
        return [t for k, t in sorted(self.tables.items()) if k.startswith("register:")]


def _check(name: str, fn) -> pa.Check:
    return pa.Check(fn, name=name, ignore_na=True)


_PANDERA: dict[str, pa.DataFrameSchema] = {}


def pandera_schema(s: SheetSchema) -> pa.DataFrameSchema:
    if s.key not in _PANDERA:
        _PANDERA[s.key] = _build_pandera(s)
    return _PANDERA[s.key]


def _build_pandera(s: SheetSchema) -> pa.DataFrameSchema:
    columns = {}
    for c in s.fields:
        checks = []
        if c.allowed:
            allowed = set(c.allowed)
            checks.append(_check("allowed", lambda x, a=allowed: x.isin(a)))
        if c.min is not None:
            checks.append(_check("below_min", lambda x, m=c.min: x >= m))
        if c.max is not None:
            checks.append(_check("above_max", lambda x, m=c.max: x <= m))
        if c.pattern:
            checks.append(_check("bad_format", lambda x, p=c.pattern: x.astype(str).str.fullmatch(p)))
        columns[c.key] = pa.Column(None, checks=checks, nullable=not c.required, unique=c.unique,
                                   report_duplicates="exclude_first", required=False)
    return pa.DataFrameSchema(columns, name=s.key)


def _expected(c: Column, code: str) -> str:
    if code == "allowed":
        return f"应为以下之一：{'、'.join(c.allowed)}"
    hint = f"；{c.range_hint}" if c.range_hint else ""
    if code == "below_min":
        return f"不能小于 {show(c.min)}{hint}"
    if code == "above_max":
        return f"不能大于 {show(c.max)}{hint}"
    if code == "bad_format":
        return f"格式不对：{c.help}"
    if code == "required":
        return f"必须填写（{c.help}）" if c.help else "必须填写"
    if code == "duplicate":
        return "不能重复，全表应唯一"
    return c.help


_PANDERA_CODES = {"not_nullable": "required", "field_uniqueness": "duplicate"}


def _failures_to_problems(table: Table, err: SchemaErrors, seen: set[str]) -> list[Problem]:
    out = []
    fc = err.failure_cases
    for col_key, check, value, index in zip(fc["column"], fc["check"], fc["failure_case"], fc["index"]):
        code = _PANDERA_CODES.get(check, check)
        c = table.schema.column(col_key)
        cell = table.cell(index, col_key)
        if cell in seen:
            continue  # the cell already has a reading problem (e.g. unreadable date)
        message = f"{c.header}{_expected(c, code)}"
        if code == "duplicate":
            first = table.frame.index[table.frame[col_key] == value][0]
            message += f"（与第{first}行重复）"
        out.append(Problem(table.sheet, cell, c.header, show(value), code, message, ERROR))
    return out


def check_table(table: Table, problems: list[Problem]) -> list[Problem]:
    """pandera validation of one table (lazy: all failures at once)."""
    seen = {p.cell for p in problems if p.cell}
    try:
        pandera_schema(table.schema).validate(table.frame, lazy=True)
    except SchemaErrors as err:
        return _failures_to_problems(table, err, seen)
    return []


def read_book(book: Workbook) -> tuple[dict[str, Table], list[Problem]]:
    schemas = load_schemas()
    names = book.sheet_names()
    tables: dict[str, Table] = {}
    problems: list[Problem] = []
    for key in SHEET_ORDER:
        s = schemas[key]
        if s.sheet not in names:
            problems.append(Problem(s.sheet, "", "", "", "missing_sheet",
                                    f"缺少工作表“{s.sheet}”（{s.help}）",
                                    ERROR if s.required_sheet else WARNING))
            continue
        t, p = read_table(s, book.read(s.sheet))
        tables[key] = t
        problems += p
    register = schemas["register"]
    for name in names:
        month = register.matches(name)
        if month:
            t, p = read_table(register, book.read(name))
            tables[f"register:{month}"] = t
            problems += p
    return tables, problems


def validate_book(book: Workbook, today: dt.date | None = None) -> Validated:
    """today: the day before which blank register cells count as 未登记 (default: the system date)."""
    from .attendance import EMPTY_ROSTER, child_days
    from .inspections import plan_problems
    from .menu_rules import menu_problems
    from .register_rules import calendar_of, register_problems
    from .rules import cross_sheet_problems
    from .stock import ledger, stock_problems

    tables, problems = read_book(book)
    for t in tables.values():
        problems += check_table(t, problems)
    settings = Settings.from_frame(tables["settings"].frame if "settings" in tables else None)
    problems += cross_sheet_problems(tables, settings, problems)
    v = Validated(tables, settings, problems)
    v.calendar = calendar_of(tables, settings.term_start, settings.term_end) if settings.term_valid else None
    roster = tables["roster"].frame if "roster" in tables else None
    today = today or dt.date.today()
    # the registers as one child-day table, built once: register rules use it, and so do the reports
    days = child_days(v.registers(), roster if roster is not None else EMPTY_ROSTER,
                      v.calendar or SchoolCalendar(dt.date.min, dt.date.min), today)
    if roster is not None and v.calendar is not None:
        v.child_days = days
    seen = {(p.sheet, p.cell) for p in problems if p.cell}
    problems += register_problems(v.registers(), days, roster, v.calendar, today, seen)
    if "inspection_plan" in tables:
        problems += [p for p in plan_problems(tables["inspection_plan"]) if (p.sheet, p.cell) not in seen]
    if "menu" in tables:
        problems += [p for p in menu_problems(tables["menu"]) if (p.sheet, p.cell) not in seen]
    if "health_checks" in tables:
        from .growth import check_problems, cutoffs
        norms = tables["health_norms"].frame if "health_norms" in tables else None
        problems += check_problems(tables["health_checks"], roster, cutoffs(norms), today, seen)
    if "stock" in tables:
        v.stock_ledger = ledger(tables["stock"].frame)
        problems += [p for p in stock_problems(tables["stock"], v.stock_ledger) if (p.sheet, p.cell) not in seen]
    if v.calendar:
        for month in sorted({t.month for t in v.registers() if v.calendar.in_term(t.month)}):
            problems += v.calendar.warnings(month)
    order = {schema.sheet: i for i, schema in enumerate(load_schemas()[k] for k in SHEET_ORDER)}
    problems.sort(key=lambda p: sort_key(p, order))
    return v
