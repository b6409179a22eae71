"""Validation: pandera for what one column can say about itself, then the cross-sheet rules.

Returns problems; never raises for bad data. Every failure becomes a Problem in one place
(_failures_to_problems), with a stable code per check.
"""
from __future__ import annotations

import datetime as dt

import pandera.pandas as pa
from pandera.errors import SchemaErrors

from kgxl.core.calendar import calendar_of
from kgxl.core.cells import cell_sort_key, show
from kgxl.core.kept import Kept
from kgxl.core.port import Workbook
from kgxl.core.problems import ERROR, WARNING, Problem
from kgxl.core.reading import Table, read_table
from kgxl.core.rules import cross_sheet_problems
from kgxl.core.schema import Column, SheetSchema, load_schemas
from kgxl.core.settings import Settings
from kgxl.core.validated import FEW, Tables, Validated, base_key


def _check(code: str, fn) -> pa.Check:
    return pa.Check(fn, name=code, ignore_na=True)


_PANDERA: dict[tuple, pa.DataFrameSchema] = {}


def pandera_schema(s: SheetSchema) -> pa.DataFrameSchema:
    """Built once per schema's fields (a domain added later changes 基本信息's items, so its pandera schema)."""
    key = (s.key, s.fields)
    if key not in _PANDERA:
        _PANDERA[key] = _build_pandera(s)
    return _PANDERA[key]


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
    hint = f"；{c.range_hint}" if c.range_hint else ""
    if code == "allowed":
        return f"应为以下之一：{'、'.join(c.allowed)}{hint}"
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
        if col_key not in table.columns:
            continue  # the column is missing: one missing_column problem at the header says so
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
    # a cell whose value could not be read has its 错误 already; a value read with a 警告 (a number typed as text)
    # still gets the column's range and type checks
    seen = {p.cell for p in problems if p.cell and p.sheet == table.sheet and p.severity == ERROR}
    try:
        pandera_schema(table.schema).validate(table.frame, lazy=True)
    except SchemaErrors as err:
        return _failures_to_problems(table, err, seen)
    return []


# A process that stays up (the web page, Excel's persistent Python) reads the same sheets click after click: a typed
# table and its own problems are kept by its schema and the digest of its values (run_log.DigestBook), a rule hook's
# problems as a shared result (by the digest of what it read). The tables are never changed in place, only read.
_TYPED = Kept(400)


def _typed(s: SheetSchema, book: Workbook, name: str) -> tuple[Table, list[Problem]]:
    """A sheet typed and checked against its schema (pandera): the table and its own problems. A sheet whose digest
    is known already (the build record's fingerprint) and was typed in this process is not read again."""
    digests = getattr(book, "digests", {})
    key = (s.key, s.fields, name, digests.get(name))
    if key[-1] is None or key not in _TYPED:
        raw = book.read(name)
        key = (s.key, s.fields, name, digests.get(name))

        def make():
            t, p = read_table(s, raw)
            return t, p + check_table(t, p)
        t, p = _TYPED.get(key if key[-1] else None, make)
    else:
        t, p = _TYPED.get(key, None)
    return t, list(p)


def read_book(book: Workbook, order: list[SheetSchema]) -> tuple[dict[str, Table], list[Problem]]:
    """Every input sheet of `order` (a missing one is a problem), then every sheet a month-named
    schema matches, keyed "key:YYYY-MM"; each typed and checked against its schema."""
    names = book.sheet_names()
    tables: dict[str, Table] = {}
    problems: list[Problem] = []
    for s in order:
        if s.monthly:
            continue
        if s.sheet not in names:
            problems.append(Problem(s.sheet, "", "", "", "missing_sheet",
                                    f"缺少工作表“{s.sheet}”（{s.help}）",
                                    ERROR if s.required_sheet else WARNING))
            continue
        tables[s.key], p = _typed(s, book, s.sheet)
        problems += p
    for s in (s for s in order if s.monthly):
        for name in names:
            month = s.matches(name)
            if month:
                tables[f"{s.key}:{month}"], p = _typed(s, book, name)
                problems += p
    return tables, problems


def started(tables: dict[str, Table]) -> bool:
    """A workbook is started once one of its required lists (班级, 幼儿名册) has a row: before that, `kgxl new`'s
    blank items are what is still to fill, not mistakes."""
    lists = [t for t in tables.values() if t.schema.required_sheet and t.schema.kind == "table"]
    return not lists or any(len(t.frame) for t in lists)


def still_to_fill(tables: dict[str, Table], problems: list[Problem]) -> list[Problem]:
    """A new workbook's blank required items, as 警告 naming the cell to fill (the empty lists: empty_lists)."""
    return [Problem(p.sheet, p.cell, p.column, p.value, "fill_in", f"{p.column}尚未填写", WARNING)
            if p.code == "required" and tables.get("settings") is not None and p.sheet == tables["settings"].sheet
            else p for p in problems]


def empty_lists(tables: dict[str, Table]) -> list[Problem]:
    """A required list with no row yet (幼儿名册 while only 班级 is filled), as a 警告 at its first row — started or
    not: the reports that need it say nothing until it is filled."""
    return [Problem(t.sheet, "A2", "", "", "fill_in", f"“{t.sheet}”尚未填写：{t.schema.help}", WARNING)
            for t in tables.values() if t.schema.required_sheet and t.schema.kind == "table" and not len(t.frame)]


def sort_key(p: Problem, sheet_order: dict[str, int]):
    return (sheet_order.get(p.sheet, len(sheet_order)), p.sheet, p.severity != ERROR,
            cell_sort_key(p.cell), p.code)


def _cells_on(seen: set, reads, tables: dict[str, Table]) -> frozenset:
    """The cells of `seen` on the sheets a rule reads: the only ones it can look up (a 未登记 typed away in a register
    does not make the staff rules run again)."""
    schemas = load_schemas()
    sheets = {t.sheet for k, t in tables.items() if base_key(k) in reads} | {schemas[k].sheet for k in reads if k in schemas}
    return frozenset(c for c in seen if c[0] in sheets)


def validate(book: Workbook, order: list[SheetSchema], rules: list, today: dt.date, inputs_key=None) -> Validated:
    """Read and check every input sheet: each column against its schema (pandera), the schemas'
    cross-sheet rules, then each domain's rules ((rule, the sheets it reads, who) in the domains' order: rule(view)
    -> problems). A cell gets one problem: the first found. inputs_key(reads): a digest of those inputs (a rule
    whose inputs as it read them, day and earlier findings on its sheets are as before gives what it gave)."""
    tables, problems = read_book(book, order)
    settings = Settings.from_frame(tables["settings"].frame if "settings" in tables else None)
    problems += cross_sheet_problems(tables, settings, problems, getattr(book, "digests", None))
    if not started(tables):
        problems = still_to_fill(tables, problems)
    problems += empty_lists(tables)
    calendar = calendar_of(tables, settings.term_start, settings.term_end) if settings.term_valid else None
    v = Validated(Tables(tables), settings, problems, calendar, today, inputs_key=inputs_key)
    v.seen = {(p.sheet, p.cell) for p in problems if p.cell and p.severity == ERROR}
    for rule, reads, who in rules:
        before = set(v.seen)  # a rule may mark the cells it reports itself
        view = v.view(reads, who)
        given = view.shared(("rule", who, rule, _cells_on(before, reads, tables)), lambda: rule(view), keep=FEW)
        found = [p for p in given if not p.cell or (p.sheet, p.cell) not in before]
        problems += found
        v.seen |= {(p.sheet, p.cell) for p in found if p.cell}
    sheets = {s.sheet: i for i, s in enumerate(order) if not s.monthly}
    problems.sort(key=lambda p: sort_key(p, sheets))
    return v
