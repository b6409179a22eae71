"""The workbook port: what every adapter (file on disk, live Excel) offers the use cases.

Adapters translate; they decide nothing. Use cases read RawSheets and return SheetOutputs.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

Merged = tuple[tuple[int, int], tuple[int, int]]  # ((row0, col0), (row1, col1)), 0-based, inclusive


@dataclass
class RawSheet:
    """A sheet's values in one block: rows[0] is Excel row 1; formula errors are cells.CellError."""
    name: str
    rows: list[list]
    merged: list[Merged] = field(default_factory=list)


@dataclass
class Link:
    """An in-workbook hyperlink from a generated cell to a target like '幼儿名册'!D17."""
    row: int  # 0-based row inside the output
    col: int
    target: str


@dataclass
class SheetOutput:
    """What a generated sheet should contain; the adapter renders it.

    title rows come first (merged across the table width), then the header row, then rows.
    Column formats are Excel number formats by column index; styles by row name the row's look.
    """
    name: str
    header: list[str]
    rows: list[list]
    titles: list[str] = field(default_factory=list)
    widths: list[float] = field(default_factory=list)
    formats: dict[int, str] = field(default_factory=dict)
    row_styles: dict[int, str] = field(default_factory=dict)  # data row index -> "error" | "warning"
    links: list[Link] = field(default_factory=list)  # rows/cols relative to the data rows
    landscape: bool = True
    page_header: str = ""
    tab_color: str = "FF4F81BD"

    @property
    def header_row(self) -> int:
        """0-based sheet row of the header (title rows come first)."""
        return len(self.titles)


class Workbook(Protocol):
    def sheet_names(self) -> list[str]: ...

    def read(self, name: str) -> RawSheet: ...

    def write(self, outputs: list[SheetOutput]) -> None:
        """Add or replace generated sheets, all in one save."""
