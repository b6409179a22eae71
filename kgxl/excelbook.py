"""The Excel adapter: the workbook port on a live workbook through xlwings (the ribbon's path).

A sheet is read in one bulk read of its used range; a generated sheet is written in one bulk write
of its values plus formatting by whole ranges (a column, a header row, a block's row fills), so the
number of Excel operations does not grow with the rows. Only xlwings calls that both its desktop
engines and its remote engine (the tests' stand-in for Excel) implement are used.
"""
from __future__ import annotations

import datetime as dt
import numbers
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

from .cells import CellError
from .port import Block, RawSheet, SheetOutput, check_generated
from .render import DATE_FORMAT, HEADER_DATE_FORMAT, width_of
from .styles import FILL_RGB, TITLE_RGB

ERRORS = {"#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#DATA!", "#SPILL!", "#CALC!"}
# text Excel would turn into a number, date, time or boolean when given as a value
_COERCIBLE = re.compile(r"[\s\d.,:/%+\-eE年月日时分秒]*\d[\s\d.,:/%+\-eE年月日时分秒]*|TRUE|FALSE", re.I)
COLOR_CELLS = 10_000  # xlwings' limit of cells per set_colors call
ROW_POINTS, COLUMN_POINTS = 15, 54  # default row height and a 10-unit column, for placing charts


def excel_text(s: str) -> str:
    """Text as Excel must be given it to stay text: a leading apostrophe keeps '=...' from becoming
    a formula and '2026-09' from becoming a date (the apostrophe is not part of the value)."""
    if s and (s[0] in "=+-@'" or _COERCIBLE.fullmatch(s)):
        return "'" + s
    return s


def excel_value(v):
    """A Python value as it goes into a bulk write."""
    if v is None or (isinstance(v, float) and v != v):
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
        values = sheet.range((1, 1), (rows, cols)).options(ndim=2, err_to_str=True).value
        data = [[_from_excel(v) for v in row] for row in values]
        while data and all(v == "" for v in data[-1]):  # formatting below the data is not data
            data.pop()
        width = max((max((i + 1 for i, v in enumerate(r) if v != ""), default=0) for r in data), default=0)
        return RawSheet(name, [r[:width] for r in data])

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
                else:
                    self._render(self._place(out, names), out)
        finally:
            app.screen_updating = True

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

    def _append(self, out: SheetOutput) -> None:
        sheet = self.book.sheets[out.name]
        last, _ = self.tail(out.name)
        b = out.blocks[0]
        if not b.rows:
            return
        width = max(len(b.header), *(len(r) for r in b.rows))
        values = [[excel_value(v) for v in r] + [None] * (width - len(r)) for r in b.rows]
        sheet.range((last + 1, 1)).value = values
        self._data_formats(sheet, b, last + 1, width)

    def _render(self, sheet, out: SheetOutput) -> None:
        values = grid(out)
        width = width_of(out)
        if values:
            sheet.range((1, 1), (len(values), width)).value = values
        for i, w in enumerate(out.widths):
            sheet.range((1, i + 1)).column_width = w
        for i in range(len(out.titles)):
            line = sheet.range((i + 1, 1), (i + 1, width))
            line.merge()
            line.font.bold = True
            if i == 0:
                line.font.size = 14
                line.font.color = "#" + TITLE_RGB
            else:
                line.wrap_text = True
        for b, (header_row, first) in zip(out.blocks, out.layout()):
            if b.title:
                sheet.range((header_row - 1, 1)).font.bold = True
            if b.header:
                head = sheet.range((header_row, 1), (header_row, len(b.header)))
                head.font.bold = True
                head.color = "#" + FILL_RGB["header"]
                head.wrap_text = True
                dates = [c for c, v in enumerate(b.header) if isinstance(v, dt.date)]
                for c0, c1 in _runs(dates):
                    sheet.range((header_row, c0 + 1), (header_row, c1 + 1)).number_format = HEADER_DATE_FORMAT
            self._data_formats(sheet, b, first, max(len(b.header), *(len(r) for r in b.rows), 1))
        for chart in out.charts:
            self._chart(sheet, out, chart)

    def _data_formats(self, sheet, b: Block, first: int, width: int) -> None:
        """Number formats by column and row fills by block, for data rows starting at sheet row first.
        Fills go in xlwings' bulk set_colors (at most 10,000 cells a call); total rows keep their
        fill but not the bold font the file adapter gives them (fonts have no bulk call)."""
        if not b.rows:
            return
        last = first + len(b.rows) - 1
        formats = dict(b.formats)
        for c in range(width):  # a date in a column without a format shows as a date
            if c not in formats and any(c < len(r) and isinstance(r[c], dt.date) for r in b.rows):
                formats[c] = DATE_FORMAT
        for c, fmt in sorted(formats.items()):
            if c < width:
                sheet.range((first, c + 1), (last, c + 1)).number_format = fmt
        styled = sorted(r for r, s in b.row_styles.items() if s in FILL_RGB and r < len(b.rows))
        if styled:
            per_call = max(1, COLOR_CELLS // width)
            top, bottom = styled[0], styled[-1]
            for start in range(top, bottom + 1, per_call):
                stop = min(start + per_call, bottom + 1)
                colors = [[("#" + FILL_RGB[b.row_styles[r]]) if r in b.row_styles else ...] * width
                          for r in range(start, stop)]
                sheet.range((first + start, 1), (first + stop - 1, width)).set_colors(colors)

    def _chart(self, sheet, out: SheetOutput, chart) -> None:
        header_row, first = out.layout()[chart.block]
        cols = [chart.categories.col, *(s.col for s in chart.series)]
        rows = [chart.categories.rows, *(s.rows for s in chart.series)]
        top = (out.last_row + 1) * ROW_POINTS
        c = sheet.charts.add(0, top, chart.width_cols * COLUMN_POINTS, chart.height_rows * ROW_POINTS)
        c.chart_type = "column_clustered"
        c.set_source_data(sheet.range((header_row, min(cols) + 1),
                                      (first + max(r[1] for r in rows), max(cols) + 1)))
