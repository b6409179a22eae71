"""The Excel adapter: the workbook port on a live workbook through xlwings (the ribbon's path).

A sheet is read in one bulk read of its used range; a generated sheet is written in one bulk write
of its values plus formatting by whole ranges (a column, a header row; a block's row fills as one
range or one conditional format per style), so the number of Excel operations does not grow with
the rows. Only xlwings calls that both its desktop engines and its remote engine (the tests'
stand-in for Excel) implement are used.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import numbers
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

from kgxl.core.cells import CellError, col_letter, is_blank
from kgxl.core.port import (
    FAR_COLUMNS,
    FAR_GAP,
    Block,
    RawSheet,
    SheetOutput,
    check_generated,
)
from kgxl.io.render import DATE_FORMAT, HEADER_DATE_FORMAT, spans, width_of
from kgxl.io.styles import FILL_RGB, TITLE_RGB

ERRORS = {"#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#DATA!", "#SPILL!", "#CALC!"}
# text Excel would turn into a number, date, time or boolean when given as a value
_COERCIBLE = re.compile(r"[\s\d.,:/%+\-eE年月日时分秒]*\d[\s\d.,:/%+\-eE年月日时分秒]*|TRUE|FALSE", re.I)
RULE_VALUES, RULE_CHARS = 8, 255  # what one conditional-format formula may list, and its length limit
ROW_POINTS, COLUMN_POINTS = 15, 54  # default row height and a 10-unit column, for placing charts


def excel_text(s: str) -> str:
    """Text as Excel must be given it to stay text: a leading apostrophe keeps '=...' from becoming
    a formula and '2026-09' from becoming a date (the apostrophe is not part of the value)."""
    if s and (s[0] in "=+-@'" or _COERCIBLE.fullmatch(s)):
        return "'" + s
    return s


def excel_value(v):
    """A Python value as it goes into a bulk write."""
    if not isinstance(v, str) and is_blank(v):  # None or NaN ("" is written as it is)
        return None
    if isinstance(v, (bool, dt.date)):
        return v
    if isinstance(v, numbers.Integral):
        return int(v)
    if isinstance(v, numbers.Real):
        return float(v)
    return excel_text(str(v))


def _from_excel(v):
    """A value read from Excel, as the file adapter reads it: '' for blank, a date for a date."""
    if v is None:
        return ""
    if isinstance(v, dt.datetime) and v.time() == dt.time():
        return v.date()
    if isinstance(v, str) and v in ERRORS:
        return CellError(v)
    return v


def _link(text, target: str) -> str:
    shown = f'"{str(text).replace(chr(34), chr(34) * 2)}"' if not isinstance(text, (int, float)) else repr(text)
    return f'=HYPERLINK("#{target.replace(chr(34), chr(34) * 2)}",{shown})'


def grid(out: SheetOutput) -> list[list]:
    """Every value of a generated sheet, as one rectangle from A1 (links as HYPERLINK formulas)."""
    width = width_of(out)
    rows = [[None] * width for _ in range(out.last_row)]
    for i, title in enumerate(out.titles):
        rows[i][0] = excel_value(title)
    for b, (header_row, first) in zip(out.blocks, out.layout()):
        if b.title:
            rows[header_row - 2][0] = excel_value(b.title)
        rows[header_row - 1][:len(b.header)] = [excel_value(v) for v in b.header]
        for r, row in enumerate(b.rows):
            rows[first - 1 + r][:len(row)] = [excel_value(v) for v in row]
        for link in b.links:
            rows[first - 1 + link.row][link.col] = _link(b.rows[link.row][link.col], link.target)
    return rows


def _runs(items: list[int]) -> list[tuple[int, int]]:
    """Consecutive integers as (first, last) runs."""
    out: list[tuple[int, int]] = []
    for i in sorted(items):
        if out and i == out[-1][1] + 1:
            out[-1] = (out[-1][0], i)
        else:
            out.append((i, i))
    return out


def _as_text(v) -> str | None:
    """What a written value compares equal to in an Excel formula's text test, None if no text can:
    a blank cell equals "", numbers, dates and booleans equal no text. Excel compares text caselessly."""
    if v is None or v == "":
        return ""
    return v.casefold() if isinstance(v, str) else None


def _rule(col: int, values: list[str]) -> str | None:
    """A conditional-format formula true on rows whose cell in col is one of values. INDEX(...,ROW())
    instead of a relative reference: Excel's COM reads relative references in a new rule against the
    active cell, not the rule's range."""
    tests = [f'INDEX(${col_letter(col)}:${col_letter(col)},ROW())="{v.replace(chr(34), chr(34) * 2)}"'
             for v in values]
    formula = "=" + (tests[0] if len(tests) == 1 else f"OR({','.join(tests)})")
    return formula if len(formula) <= RULE_CHARS else None


def fill_plan(b: Block, width: int) -> list[tuple[str, str, object]]:
    """How a block's row fills go to Excel at a cost that does not grow with its rows: per style,
    ("fill", (first, last)) when its rows are consecutive; else ("rule", formula), one conditional
    format keyed on a column whose text tells exactly those rows from the block's others (the level
    column of 校验结果, the report column of the sickness log, the empty id of a subtotal row); only
    when no column does, one fill per run of rows. xlwings' set_colors is no way out: its desktop
    engines set colours one cell at a time."""
    by_style: dict[str, list[int]] = {}
    for r, s in sorted(b.row_styles.items()):
        if s in FILL_RGB and r < len(b.rows):
            by_style.setdefault(s, []).append(r)
    plan: list[tuple[str, str, object]] = []
    for style, rows in by_style.items():
        runs = _runs(rows)
        key = _key_column(b, rows, width) if len(runs) > 1 else None
        formula = _rule(*key) if key else None
        if formula:
            plan.append((style, "rule", formula))
        else:
            plan.extend((style, "fill", run) for run in runs)
    return plan


def _key_column(b: Block, rows: list[int], width: int) -> tuple[int, list[str]] | None:
    """The column (not a link) with the fewest texts that are on all the given rows and on no
    other row of the block, and those texts."""
    styled, linked = set(rows), {link.col for link in b.links}
    best = None
    for c in set(range(width)) - linked:
        cells = [row[c] if c < len(row) else None for row in b.rows]
        texts: dict[str, str] = {}
        for r in rows:
            texts.setdefault(_as_text(cells[r]), "" if cells[r] is None else str(cells[r]))
        if None in texts or len(texts) > RULE_VALUES:
            continue
        if any(_as_text(v) in texts for r, v in enumerate(cells) if r not in styled):
            continue
        if best is None or (len(texts), c) < (len(best[1]), best[0]):
            best = (c, sorted(texts.values()))
    return best


def plan(out: SheetOutput) -> list[tuple]:
    """The formatting of a generated sheet as Excel operations, each (what, (first row, first col, last row, last
    col), argument), 1-based: by column and block, never by cell, so their number does not grow with rows, classes
    or rooms. A hidden sheet (the build record) is for kgxl, not the user: it gets none."""
    if out.hidden:
        return []
    width = width_of(out)
    steps: list[tuple] = []
    for c0, c1, w in _equal_runs(out.widths):
        steps.append(("width", (1, c0 + 1, 1, c1 + 1), w))
    if out.titles:
        steps.append(("bold", (1, 1, len(out.titles), width), True))
    for i in range(len(out.titles)):
        steps.append(("merge", (i + 1, 1, i + 1, width), False))
        if i == 0:
            steps += [("size", (1, 1, 1, width), 14), ("font_color", (1, 1, 1, width), "#" + TITLE_RGB)]
        else:
            steps.append(("wrap", (i + 1, 1, i + 1, width), True))
    shared = _by_rules(out, width) if len(out.blocks) > MANY_BLOCKS else None
    if shared is not None:
        return steps + shared
    for b, (header_row, first) in zip(out.blocks, out.layout()):
        if b.title:
            steps.append(("bold", (header_row - 1, 1, header_row - 1, 1), True))
        if b.header:
            head = (header_row, 1, header_row, len(b.header))
            steps += [("bold", head, True), ("color", head, "#" + FILL_RGB["header"]), ("wrap", head, True)]
            dates = [c for c, v in enumerate(b.header) if isinstance(v, dt.date)]
            steps += [("format", (header_row, c0 + 1, header_row, c1 + 1), HEADER_DATE_FORMAT)
                      for c0, c1 in _runs(dates)]
        steps += _data_formats(b, first, max(len(b.header), *(len(r) for r in b.rows), 1))
        for row, c0, c1, n in spans(b, header_row, first):  # one call: Excel merges each row on its own
            steps.append(("merge", (row, c0 + 1, row + n - 1, c1 + 1), True))
    return steps


MANY_BLOCKS = 8  # a sheet of more blocks than this (资产清点表: two a room) is formatted over all of them at once


def _is_number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _by_rules(out: SheetOutput, width: int) -> list[tuple] | None:
    """A sheet of many blocks formatted over all of them, so a school of 170 rooms costs the operations one of 20
    does: each kind of header (filled, bold) by one conditional format keyed on a column whose header text only its
    header rows have, and the line above it (its block's title) bold by the same key one row down; a repeated title
    without a table by its text; number formats by column where every block agrees; row fills by fill_plan over the
    whole span; one wrap over it. None when a text does not tell the rows apart: then block by block."""
    layout = out.layout()
    top, bottom = layout[0][0] - (1 if out.blocks[0].title else 0), out.last_row
    cells: dict[tuple[int, int], object] = {}  # (sheet row, 0-based column) -> value
    headers: dict[tuple, list[int]] = {}  # a header -> the sheet rows it is on
    bare: dict[str, list[int]] = {}  # a title of a block without a header -> its rows
    styles: dict[int, str] = {}
    formats: dict[int, set] = {}
    steps: list[tuple] = []
    for b, (h, first) in zip(out.blocks, layout):
        if any(isinstance(v, dt.date) for v in b.header):
            return None
        if b.title:
            cells[(h - 1, 0)] = b.title
            if not b.header:
                bare.setdefault(b.title, []).append(h - 1)
        cells |= {(h, c): v for c, v in enumerate(b.header)}
        if b.header:
            headers.setdefault(tuple(b.header), []).append(h)
        for r, row in enumerate(b.rows):
            cells |= {(first + r, c): v for c, v in enumerate(row)}
        styles |= {first + r - top: style for r, style in b.row_styles.items() if r < len(b.rows)}
        if b.rows:
            wide = max(len(b.header), *(len(r) for r in b.rows))
            for c in range(wide):  # a column votes where it has a format or a number a format would change
                fmt = b.formats.get(c) or (DATE_FORMAT if any(c < len(r) and isinstance(r[c], dt.date)
                                                              for r in b.rows) else None)
                if fmt is not None or any(c < len(r) and _is_number(r[c]) for r in b.rows):
                    formats.setdefault(c, set()).add(fmt)
            steps += [("format", (first + r, c + 1, first + r, c + 1), fmt)
                      for (r, c), fmt in sorted(b.cell_formats.items()) if c < width and r < len(b.rows)]
            steps += [("merge", (row, c0 + 1, row + n - 1, c1 + 1), True) for row, c0, c1, n in spans(b, h, first)]
    if any(len(f) > 1 for f in formats.values()) or len(bare) > RULE_VALUES:
        return None

    def rows_with(c: int, text: str) -> set[int]:
        return {r for r in range(top, bottom + 1) if _as_text(cells.get((r, c))) == text}

    head = "#" + FILL_RGB["header"]
    for header, rows in headers.items():
        key = next((c for c, v in enumerate(header) if isinstance(v, str) and v and
                    rows_with(c, _as_text(v)) == set(rows)), None)
        if key is None:
            return None
        test = f'INDEX(${col_letter(key)}:${col_letter(key)},ROW()%s)="{header[key].replace(chr(34), chr(34) * 2)}"'
        span = (top, 1, bottom, len(header))
        steps += [("rule", span, ("=" + test % "", head, True)), ("rule", span, ("=" + test % "+1", None, True))]
    for title, rows in bare.items():
        if rows_with(0, _as_text(title)) != set(rows) or (formula := _rule(0, [title])) is None:
            return None
        steps.append(("rule", (top, 1, bottom, 1), (formula, None, True)))
    steps.append(("wrap", (top, 1, bottom, width), True))
    steps += [("format", (top, c0 + 1, bottom, c1 + 1), fmt)
              for c0, c1, fmt in _equal_runs([next(iter(formats.get(c, {None}))) for c in range(width)])
              if fmt is not None]
    span = Block([], [[cells.get((r, c)) for c in range(width)] for r in range(top, bottom + 1)], row_styles=styles)
    for style, how, where in fill_plan(span, width):
        color = "#" + FILL_RGB[style]
        steps.append(("rule", (top, 1, bottom, width), (where, color, None)) if how == "rule" else
                     ("color", (top + where[0], 1, top + where[1], width), color))
    return steps


def _equal_runs(widths: list[float]) -> list[tuple[int, int, float]]:
    """Neighbouring columns of one width as (first, last, width): one operation each."""
    out: list[tuple[int, int, float]] = []
    for i, w in enumerate(widths):
        if out and out[-1][2] == w and out[-1][1] == i - 1:
            out[-1] = (out[-1][0], i, w)
        else:
            out.append((i, i, w))
    return out


def _data_formats(b: Block, first: int, width: int) -> list[tuple]:
    """Number formats by runs of columns of one format and row fills by block (fill_plan), for data rows starting at
    sheet row first. Total rows keep their fill but not the bold font the file adapter gives them."""
    if not b.rows:
        return []
    last = first + len(b.rows) - 1
    formats = dict(b.formats)
    for c in range(width):  # a date in a column without a format shows as a date
        if c not in formats and any(c < len(r) and isinstance(r[c], dt.date) for r in b.rows):
            formats[c] = DATE_FORMAT
    steps = []
    for c0, c1, fmt in _equal_runs([formats.get(c) for c in range(width)]):
        if fmt is not None:
            steps.append(("format", (first, c0 + 1, last, c1 + 1), fmt))
    for (r, c), fmt in sorted(b.cell_formats.items()):  # a few cells of another kind, one call each
        if c < width and r < len(b.rows):
            steps.append(("format", (first + r, c + 1, first + r, c + 1), fmt))
    if b.tall > 1:
        steps.append(("height", (first, 1, last, width), 15 * b.tall + 3))
    for style, how, where in fill_plan(b, width):
        color = "#" + FILL_RGB[style]
        if how == "rule":
            steps.append(("rule", (first, 1, last, width), (where, color, None)))
        else:
            steps.append(("color", (first + where[0], 1, first + where[1], width), color))
    return steps


def _perform(sheet, step: tuple) -> None:
    what, (r0, c0, r1, c1), arg = step
    cells = sheet.range((r0, c0), (r1, c1))
    if what == "width":
        cells.column_width = arg
    elif what == "bold":
        cells.font.bold = arg
    elif what == "size":
        cells.font.size = arg
    elif what == "font_color":
        cells.font.color = arg
    elif what == "wrap":
        cells.wrap_text = arg
    elif what == "height":
        cells.row_height = arg
    elif what == "color":
        cells.color = arg
    elif what == "format":
        cells.number_format = arg
    elif what == "merge":
        cells.merge(across=arg)
    elif what == "rule":
        cells.conditional_formats.add_custom(arg[0], fill_color=arg[1], font_bold=arg[2])
    else:
        raise ValueError(what)


COMPACT_ROWS = 20_000  # a used range this deep is read at once (a term's menu or stock rows stay well below)
BAND = 2_000  # rows per read of a far-reaching sheet


def _values(sheet, first: int, last: int, left: int, right: int) -> list[list]:
    values = sheet.range((first, left), (last, right)).options(ndim=2, err_to_str=True).value
    return [[_from_excel(v) for v in row] for row in values]


def _bounded(sheet, rows: int, cols: int) -> tuple[list[list], list[tuple[str, str]]]:
    """A sheet whose used range ends at (rows, cols) far away (a value typed at XFD1048576): its table read in bands
    of rows within FAR_COLUMNS, up to the first gap of more than FAR_GAP empty rows, as the file adapter cuts it. The
    strays reported are the values of the used range's last row and, when the table is narrow enough to look, of its
    columns after FAR_COLUMNS; others come to light once those are deleted."""
    width = min(cols, FAR_COLUMNS)
    data: list[list] = []
    seen, start = 0, 1
    while start <= rows and start - seen <= FAR_GAP:
        band = _values(sheet, start, min(rows, start + BAND - 1), 1, width)
        seen = max([seen, *(start + i for i, r in enumerate(band) if any(v != "" for v in r))])
        data += band
        start += BAND
    data = data[:seen]
    found: dict[tuple[int, int], object] = {}
    if cols > FAR_COLUMNS and seen and seen * (cols - FAR_COLUMNS) <= 1_000_000:
        for i, r in enumerate(_values(sheet, 1, seen, FAR_COLUMNS + 1, cols)):
            found |= {(i + 1, FAR_COLUMNS + 1 + j): v for j, v in enumerate(r) if v != ""}
    if rows > seen or cols > FAR_COLUMNS:
        last = _values(sheet, rows, rows, 1, cols)[0]
        found |= {(rows, j + 1): v for j, v in enumerate(last) if v != "" and (rows > seen or j >= FAR_COLUMNS)}
    return data, [(f"{col_letter(c - 1)}{r}", str(v)[:30]) for (r, c), v in sorted(found.items())]


class ExcelBook:
    def __init__(self, book, snapshot: Path | None = None):
        """book: an xlwings Book (xw.Book.caller() from a button). snapshot: a saved copy to use as
        the package (tests); otherwise package() saves one."""
        self.book = book
        self._snapshot = snapshot
        full = book.fullname
        self.path = Path(full) if os.path.isabs(full) else None  # files (exports, the log CSV) go beside it

    def sheet_names(self) -> list[str]:
        return [s.name for s in self.book.sheets]

    def _last_cell(self, sheet) -> tuple[int, int]:
        last = sheet.used_range.last_cell
        return last.row, last.column

    def read(self, name: str) -> RawSheet:
        sheet = self.book.sheets[name]
        rows, cols = self._last_cell(sheet)
        if rows <= COMPACT_ROWS and cols <= FAR_COLUMNS:
            data, stray = _values(sheet, 1, rows, 1, cols), []
        else:  # Excel's used range reaches far: never ask Excel for the grid up to it
            data, stray = _bounded(sheet, rows, cols)
        while data and all(v == "" for v in data[-1]):  # formatting below the data is not data
            data.pop()
        width = max((max((i + 1 for i, v in enumerate(r) if v != ""), default=0) for r in data), default=0)
        return RawSheet(name, [r[:width] for r in data], [], stray)

    def notes(self, name: str) -> dict[str, tuple[str, str]]:
        """The sheet's notes (Excel comments) by cell; {} on an engine that cannot read their text (xlwings' remote
        engine sends where notes are, not what they say)."""
        try:
            return {n.location.address.replace("$", ""): (n.text, n.author) for n in self.book.sheets[name].notes}
        except NotImplementedError:
            return {}

    def tail(self, name: str) -> tuple[int, object]:
        sheet = self.book.sheets[name]
        row, col = self._last_cell(sheet)
        value = _from_excel(sheet.range((row, 1)).value)
        if (row, col) == (1, 1) and value == "":
            return 0, None  # Excel reports A1 as the used range of an empty sheet
        return row, (None if value == "" else value)

    def package(self) -> Path:
        """A saved copy of the workbook as it is now, for copying sheets out of it (导出上报)."""
        if self._snapshot:
            return self._snapshot
        if sys.platform == "win32":  # a copy; the open workbook keeps its name and its unsaved state
            folder = Path(tempfile.mkdtemp(prefix="kgxl-"))
            copy = folder / self.book.name
            self.book.api.SaveCopyAs(str(copy))
            return copy
        self.book.save()  # macOS has no SaveCopyAs: the workbook is saved where it is
        copy = Path(tempfile.mkdtemp(prefix="kgxl-")) / self.book.name
        shutil.copy2(self.book.fullname, copy)
        return copy

    # -- writing ----------------------------------------------------------------------------------
    def write(self, outputs: list[SheetOutput]) -> None:
        check_generated(outputs)
        app = self.book.app
        app.screen_updating = False
        try:
            for out in outputs:
                names = self.sheet_names()
                if out.append and out.name in names:
                    self._append(out)
                elif out.retitle:
                    if out.name in names:
                        self.book.sheets[out.name].range("A1").value = excel_value(out.titles[0])
                elif out.values_only and out.name in names:  # laid out as this output already: one write
                    values = grid(out)
                    self.book.sheets[out.name].range((1, 1), (len(values), width_of(out))).value = values
                else:
                    sheet = self._place(out, names)
                    values = grid(out)
                    if values:
                        sheet.range((1, 1), (len(values), width_of(out))).value = values
                    for step in plan(out):
                        _perform(sheet, step)
                    for chart in out.charts:
                        self._chart(sheet, out, chart)
                    if out.hidden:
                        sheet.visible = False
                    if out.notes:
                        self._notes(sheet, out.notes)
        finally:
            app.screen_updating = True

    @staticmethod
    def form(out: SheetOutput) -> str:
        """Everything writing the output does but its values: its plan of formats, its links, notes and charts. Two
        outputs of one form differ only in values: the second needs one write of them (SheetOutput.values_only)."""
        links = [(i, k.row, k.col, k.target) for i, b in enumerate(out.blocks) for k in b.links]
        shape = (out.last_row, width_of(out), out.hidden)
        return hashlib.sha256(repr((shape, plan(out), links, out.notes, out.charts)).encode("utf-8")).hexdigest()[:16]

    def _place(self, out: SheetOutput, names: list[str]):
        """The sheet for the output: the existing one cleared (formulas elsewhere that refer to it
        keep working), or a new one after out.after (else last)."""
        sheets = self.book.sheets
        if out.name in names:
            sheet = sheets[out.name]
            for chart in list(sheet.charts):
                chart.delete()
            sheet.clear()
            return sheet
        anchor = out.after if out.after in names else names[-1]
        return sheets.add(out.name, after=sheets[anchor])

    @staticmethod
    def _notes(sheet, notes: dict[str, tuple[str, str]]) -> None:
        """The output's notes are all the sheet has: any left by clear() go, each of the output's is added."""
        try:
            for n in list(sheet.notes):
                n.delete()
            for ref, (text, _) in notes.items():
                if text:
                    sheet.range(ref).add_note(text)
        except NotImplementedError:  # xlwings' remote engine adds notes only for an Office.js client
            pass

    def _append(self, out: SheetOutput) -> None:
        sheet = self.book.sheets[out.name]
        last, _ = self.tail(out.name)
        b = out.blocks[0]
        if not b.rows:
            return
        width = max(len(b.header), *(len(r) for r in b.rows))
        values = [[excel_value(v) for v in r] + [None] * (width - len(r)) for r in b.rows]
        sheet.range((last + 1, 1)).value = values
        for step in _data_formats(b, last + 1, width):
            _perform(sheet, step)

    def _chart(self, sheet, out: SheetOutput, chart) -> None:
        header_row, first = out.layout()[chart.block]
        cols = [chart.categories.col, *(s.col for s in chart.series)]
        rows = [chart.categories.rows, *(s.rows for s in chart.series)]
        top = (out.last_row + 1) * ROW_POINTS
        c = sheet.charts.add(0, top, chart.width_cols * COLUMN_POINTS, chart.height_rows * ROW_POINTS)
        c.chart_type = "column_clustered"
        c.set_source_data(sheet.range((header_row, min(cols) + 1),
                                      (first + max(r[1] for r in rows), max(cols) + 1)))
