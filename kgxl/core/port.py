"""The workbook port: what every adapter (file on disk, live Excel) offers the use cases.

Adapters translate; they decide nothing. Use cases read RawSheets and return SheetOutputs.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from kgxl.core.schema import load_schemas

Merged = tuple[tuple[int, int], tuple[int, int]]  # ((row0, col0), (row1, col1)), 0-based, inclusive
# Where a sheet's table ends for every adapter: a value below more than FAR_GAP empty rows, or in a column after
# FAR_COLUMNS (ZZ; AAA is 703), is a stray (RawSheet.stray), never a reason to read the grid up to it.
FAR_GAP = 10_000
FAR_COLUMNS = 702


@dataclass
class RawSheet:
    """A sheet's values in one block: rows[0] is Excel row 1; formula errors are cells.CellError. stray: cells
    far from the rest (a value typed at XFD1048576) left out of rows, as (cell, value shown)."""
    name: str
    rows: list[list]
    merged: list[Merged] = field(default_factory=list)
    stray: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Link:
    """An in-workbook hyperlink from a generated cell to a target like '幼儿名册'!D17."""
    row: int  # 0-based data row inside its block
    col: int
    target: str


@dataclass
class Choice:
    """A dropdown on a rectangle of data cells (0-based, inclusive, relative to the block's rows)."""
    rows: tuple[int, int]
    cols: tuple[int, int]
    values: tuple[str, ...]
    prompt: str = ""


@dataclass
class Block:
    """One table of a generated sheet: an optional bold title line, a header row, data rows.

    formats: Excel number format by column (cell_formats: a few cells of another kind in it, e.g. the kcal row of
    an intake table, a rate in a money column); row_styles: data row -> "error" | "warning" | "total"; wrap: columns
    whose text wraps (a line per "\n", and long text over several lines), the row as tall as its longest cell.
    """
    header: list
    rows: list[list]
    title: str = ""
    formats: dict[int, str] = field(default_factory=dict)
    row_styles: dict[int, str] = field(default_factory=dict)
    cell_formats: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, col) -> a format over its column's
    links: list[Link] = field(default_factory=list)
    choices: list[Choice] = field(default_factory=list)
    wrap: tuple[int, ...] = ()
    new_page: bool = False  # printed: the block (its title) starts a new page
    tall: int = 0  # data rows at least this many lines high: rows to sign on by hand
    joins: tuple[tuple[int, int], ...] = ()  # column ranges merged in every row, header too: a header over several
    # of the sheet's columns (the lower tables of a tab that reuse its main table's columns), no empty header cells
    span: int = 0  # when set, the last column's cell of each row (header too) is merged across to this 0-based
    # sheet column: a text column wider than the columns the sheet's other tables set (营养分析's 评价与建议)


@dataclass
class Series:
    name: str
    rows: tuple[int, int]  # data rows of the block, 0-based inclusive
    col: int


@dataclass
class Chart:
    """A clustered column chart over cells of one block (categories and series are columns)."""
    title: str
    block: int
    categories: Series
    series: list[Series]
    y_title: str = ""
    y_format: str = "0"
    y_range: tuple[float, float] | None = None  # a fixed value axis (a rate: 0-100), so small gaps are not magnified
    width_cols: int = 10
    height_rows: int = 18


@dataclass
class SheetOutput:
    """What a generated sheet should contain; the adapter renders it.

    Title rows come first (merged across the width), then the blocks, one blank row apart.
    A one-block sheet gets an autofilter; charts go below the blocks, on a new printed page.
    replaces_input marks the outputs allowed to touch an input sheet: a register rebuilt with every
    typed mark kept, and rows appended below an input sheet's own (kgxl import). append: when the sheet exists, its rows stay as they are and
    the one block's data rows go below its last row (an append-only log need not be rewritten).
    retitle: a mark on an existing sheet (已过期), its content kept.
    """
    name: str
    blocks: list[Block]
    titles: list[str] = field(default_factory=list)
    widths: list[float] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    freeze_cols: int = 0
    landscape: bool = True
    page_header: str = ""
    tab_color: str = "FF4F81BD"
    replaces_input: bool = False
    after: str | None = None  # a new sheet is placed right after this one (else last)
    append: bool = False
    retitle: bool = False  # the sheet exists: only its cell A1 (the title) becomes titles[0], nothing else changes
    repeat_block: int | None = None  # printed: this block's header repeats on each page after it appears (a long
    # table that follows short summaries); else the titles and the first table's header repeat
    notes: dict[str, tuple[str, str]] = field(default_factory=dict)  # cell (A1) -> (text, author): Excel notes
    hidden: bool = False  # a sheet for kgxl, not the user (the build record)
    values_only: bool = False  # the sheet stands laid out as this output (the adapter's form of it, the build record
    # says): an adapter may write only its values (Excel: one operation instead of a sheet's formatting)

    def layout(self) -> list[tuple[int, int]]:
        """Per block: (1-based sheet row of its header, 1-based row of its first data row)."""
        out, row = [], len(self.titles) + 1
        for i, b in enumerate(self.blocks):
            if i:
                row += 1  # a blank row between blocks
            if b.title:
                row += 1
            out.append((row, row + 1))
            row += 1 + len(b.rows)
        return out

    def page_breaks(self) -> list[int]:
        """1-based sheet rows after which a printed page ends: before each new_page block, and before the charts."""
        out = [header - (1 if b.title else 0) - 1 for b, (header, _) in zip(self.blocks, self.layout()) if b.new_page]
        if self.charts:
            out.append(self.last_row)
        return sorted({r for r in out if r > 0})

    @property
    def last_row(self) -> int:
        """1-based sheet row of the last title or table row."""
        return max([len(self.titles), *(first + len(b.rows) - 1 for b, (_, first) in zip(self.blocks, self.layout()))])

    def print_rows(self) -> tuple[int, int]:
        """The 1-based rows repeated at the top of every printed page (from the page where they appear)."""
        if self.repeat_block is not None:
            header = self.layout()[self.repeat_block][0]
            return header, header
        return 1, self.repeat_rows

    @property
    def repeat_rows(self) -> int:
        """How many top rows repeat on each printed page (and stay frozen on screen): the titles,
        plus the header of the first table when it has no title of its own."""
        if self.blocks and not self.blocks[0].title:
            return len(self.titles) + 1
        return max(len(self.titles), 1)


def check_generated(outputs: list[SheetOutput]) -> None:
    """Every adapter refuses to overwrite an input sheet (a register only when rebuilt as one)."""
    schemas = load_schemas().values()
    inputs, monthly = {s.sheet for s in schemas if not s.monthly}, [s for s in schemas if s.monthly]
    for out in outputs:
        if out.append and out.replaces_input:
            continue  # rows added below an input sheet's own (kgxl import): nothing typed is touched
        if out.name in inputs or (any(s.matches(out.name) for s in monthly) and not out.replaces_input):
            raise ValueError(f"refusing to overwrite input sheet {out.name}")


class Workbook(Protocol):
    def sheet_names(self) -> list[str]: ...

    def read(self, name: str) -> RawSheet: ...

    def notes(self, name: str) -> dict[str, tuple[str, str]]:
        """The sheet's notes (Excel comments): cell (A1) -> (text, author); {} where the adapter cannot read them."""

    def tail(self, name: str) -> tuple[int, object]:
        """(1-based number of the sheet's last row holding a value, that row's value in column A);
        (0, None) for an empty sheet. Lets an append-only sheet be extended without reading it."""

    def write(self, outputs: list[SheetOutput]) -> None:
        """Add or replace generated sheets (or append rows to one, SheetOutput.append), all in one save."""

    def package(self):
        """A path to the workbook as it is now, as an .xlsx/.xlsm package (a saved copy for a live workbook)."""
