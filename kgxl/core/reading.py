"""From a sheet's raw values to a typed DataFrame keyed by schema, with located problems.

Headers are found by name, not position. The frame's index is the Excel row number of each
record, so any finding maps straight back to a cell. Nothing here touches a file.
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from kgxl.core.cells import LARGEST, col_letter, is_blank, norm, parse, parse_date, show
from kgxl.core.port import RawSheet
from kgxl.core.problems import ERROR, WARNING, Problem
from kgxl.core.schema import Column, SheetSchema

HEADER_SCAN_ROWS = 10
@dataclass
class Table:
    """One input sheet, typed. columns: field key -> column letter (tables) or cell (key/value)."""
    schema: SheetSchema
    sheet: str
    frame: pd.DataFrame
    columns: dict[str, str]
    days: dict[dt.date, str] = field(default_factory=dict)  # registers: day -> column letter
    month: str | None = None  # registers: the YYYY-MM of the sheet
    header_row: int = 1  # 1-based row of the header

    def cell(self, row, key) -> str:
        if self.schema.kind == "keyvalue":
            return self.columns.get(key, "")
        letter = self.days.get(key) if isinstance(key, dt.date) else self.columns.get(key)
        return f"{letter}{row}" if letter else ""


def _problem(schema_sheet: str, cell: str, column: str, value, code: str, severity: str, message: str) -> Problem:
    return Problem(schema_sheet, cell, column, show(value), code, message, severity)


def find_header(rows: list[list], wanted: set[str]) -> tuple[int, dict[str, int]]:
    """The row (0-based) holding most of the wanted headers, and header -> column index there."""
    best, best_map = -1, {}
    for r, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        found = {}
        for c, v in enumerate(row):
            n = norm(v) if isinstance(v, str) else None
            if n in wanted and n not in found:
                found[n] = c
        if len(found) > len(best_map):
            best, best_map = r, found
    return best, best_map


def _closest_header(wanted: str, header: list, taken: set[int], row: int) -> tuple[str, str]:
    """(cell, text) of the header cell not matched to any column that looks most like `wanted` (分类 for 类别),
    or ("", "") when none does."""
    others = {norm(v): c for c, v in enumerate(header) if c not in taken and isinstance(v, str) and v.strip()}
    close = difflib.get_close_matches(norm(wanted), list(others), n=1, cutoff=0.4)
    if not close:
        return "", ""
    c = others[close[0]]
    return f"{col_letter(c)}{row + 1}", str(header[c]).strip()


def _day_headers(header: list, taken: set[int]) -> dict[dt.date, int]:
    days = {}
    for c, v in enumerate(header):
        if c in taken:
            continue
        if isinstance(v, (dt.date, dt.datetime)) or (isinstance(v, str) and re.search(r"\d", v)):
            d, issue = parse_date(v)
            if d is not None and not issue:
                days[d] = c
    return days


def _parse_column(values: list, col: Column, sheet: str, letter: str, rows: list[int], problems: list[Problem]) -> list:
    kind = col.type
    if kind == "text":  # most cells (register marks, names): one comprehension, then the few others one by one
        out = [(v.strip() or None) if type(v) is str else v for v in values]
        for i, v in enumerate(out):
            if v is not None and type(v) is not str:
                out[i] = _parse_cell(v, col, sheet, letter, rows[i], problems)
        return out
    out = []
    append = out.append
    for v, r in zip(values, rows):
        if v is None or v == "":
            append(None)
            continue
        t = type(v)
        if kind == "number" and t is float and -LARGEST < v < LARGEST:  # NaN, inf and 1e20 go to the parser
            append(v)
            continue
        if kind == "date" and t is dt.date:
            append(v)
            continue
        append(_parse_cell(v, col, sheet, letter, r, problems))
    return out


def _parse_cell(v, col: Column, sheet: str, letter: str, row: int, problems: list[Problem]):
    """One non-blank cell through the type's parser; a problem at its cell when it does not parse."""
    value, issue = parse(col.type, v)
    if issue:
        code, sev, msg = issue
        problems.append(_problem(sheet, f"{letter}{row}", col.header, v, code, sev, f"{col.header}：{msg}"))
    return value


def _frame(data: dict[str, list], fields, index: list[int]) -> pd.DataFrame:
    cols = {}
    for c in fields:
        vals = data[c.key]
        if c.type in ("number", "integer"):
            cols[c.key] = np.array([np.nan if v is None else v for v in vals], dtype=float)
        else:
            cols[c.key] = np.empty(len(vals), dtype=object)
            cols[c.key][:] = vals
    return pd.DataFrame(cols, index=pd.Index(index, name="row"))


def read_table(schema: SheetSchema, raw: RawSheet) -> tuple[Table, list[Problem]]:
    table, problems = (_read_keyvalue if schema.kind == "keyvalue" else _read_rows)(schema, raw)
    return table, [*problems, *(_problem(raw.name, cell, "", value, "stray_cell", WARNING,
                                         f"单元格 {cell} 离表格很远，其内容已忽略：多半是误操作输入的，请删除")
                                for cell, value in raw.stray)]


def _read_rows(schema: SheetSchema, raw: RawSheet) -> tuple[Table, list[Problem]]:
    problems: list[Problem] = []
    sheet, rows = raw.name, raw.rows
    wanted = {norm(c.header): c for c in schema.columns}
    h, found = find_header(rows, set(wanted))
    positions: dict[str, int] = {wanted[n].key: c for n, c in found.items()}
    h = max(h, 0)
    header = rows[h] if rows else []
    for c in schema.columns:
        if c.key not in positions:  # one problem at the header row, never one per data row
            cell, guess = _closest_header(c.header, header, set(positions.values()), h)
            problems.append(_problem(sheet, cell, c.header, "", "missing_column", ERROR if c.required else WARNING,
                                     f"找不到列“{c.header}”" + (f"：第{h + 1}行的“{guess}”是否就是它？请把表头改为“{c.header}”"
                                                              if guess else f"，请在第{h + 1}行（表头）添加该列")))
    days = _day_headers(header, set(positions.values())) if schema.day_columns else {}
    used = sorted(set(positions.values()) | set(days.values()))
    # data rows: drop trailing blank rows, report blank rows in the middle
    body = rows[h + 1:]
    filled = [_has_value(row, used) for row in body]
    while filled and not filled[-1]:
        filled.pop()
    index, records = [], []
    for i, ok in enumerate(filled):
        excel_row = h + 2 + i
        if ok:
            index.append(excel_row)
            records.append(body[i])
        else:
            problems.append(_problem(sheet, f"A{excel_row}", "", "", "empty_row", WARNING,
                                     f"第{excel_row}行是空行，已跳过；请删除空行，数据应连续填写"))
    _report_merged(raw, h, problems)
    width = max((len(r) for r in records), default=0)
    columns_of = list(zip(*[r + [None] * (width - len(r)) for r in records])) if records else []
    data = {}
    fields = list(schema.columns)
    for c in schema.columns:
        pos = positions.get(c.key)
        vals = list(columns_of[pos]) if pos is not None and pos < len(columns_of) else [None] * len(records)
        data[c.key] = _parse_column(vals, c, sheet, col_letter(pos or 0), index, problems)
    if schema.day_columns:
        mark_col = Column(key="", header="", type="text")
        for d, pos in days.items():
            vals = list(columns_of[pos]) if pos < len(columns_of) else [None] * len(records)
            data[d] = _parse_column(vals, mark_col, sheet, col_letter(pos), index, problems)
            fields.append(Column(key=d, header=d.isoformat(), type="text"))
    frame = _frame(data, fields, index)
    table = Table(schema, sheet, frame, {k: col_letter(p) for k, p in positions.items()},
                  {d: col_letter(p) for d, p in days.items()}, schema.matches(sheet), h + 1)
    return table, problems


def _has_value(row: list, used: list[int]) -> bool:
    """Whether any of the used columns of a row holds a value (is_blank, with text, the usual case, inline)."""
    n = len(row)
    for c in used:
        if c < n:
            v = row[c]
            if type(v) is str:
                if v and not v.isspace():
                    return True
            elif not is_blank(v):
                return True
    return False


def _report_merged(raw: RawSheet, header_row: int, problems: list[Problem]) -> None:
    for (r0, c0), (r1, c1) in raw.merged:
        if r1 > header_row:
            ref = f"{col_letter(c0)}{r0 + 1}:{col_letter(c1)}{r1 + 1}"
            problems.append(_problem(raw.name, f"{col_letter(c0)}{r0 + 1}", "", ref, "merged_cell", ERROR,
                                     f"数据区有合并单元格 {ref}，合并后只有左上角有值；请取消合并，并在每个单元格填写"))


def _read_keyvalue(schema: SheetSchema, raw: RawSheet) -> tuple[Table, list[Problem]]:
    problems: list[Problem] = []
    labels = {norm(i.header): i for i in schema.items}
    values, cells = {}, {}
    for r, row in enumerate(raw.rows):
        item = labels.get(norm(row[0])) if row and isinstance(row[0], str) else None
        if item and item.key not in values:
            values[item.key] = row[1] if len(row) > 1 else None
            cells[item.key] = f"B{r + 1}"
    data = {}
    for item in schema.items:
        if item.key not in cells:
            sev = ERROR if item.required else WARNING
            problems.append(_problem(raw.name, "", item.header, "", "missing_item", sev,
                                     f"找不到项目“{item.header}”，请在 A 列添加这一行并在 B 列填写"))
            data[item.key] = [None]
            continue
        v = values[item.key]
        row = int(cells[item.key][1:])
        data[item.key] = _parse_column([v], item, raw.name, "B", [row], problems)
    frame = _frame(data, schema.items, [0])
    return Table(schema, raw.name, frame, cells), problems
