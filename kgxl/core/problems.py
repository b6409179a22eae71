"""Problems are values: every finding about the user's data, with where it is and how bad it is.

Validation never raises for bad data; it returns a list of Problem. Tests assert on
(sheet, cell, code), never on wording.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import asdict, dataclass

ERROR = "错误"  # blocks computing
WARNING = "警告"  # reported, computing goes on


@dataclass(frozen=True)
class Problem:
    sheet: str
    cell: str  # e.g. "D17"; "" when the problem is about the whole sheet
    column: str  # the column header (or item label), "" for sheet-level problems
    value: str  # the value seen, as text
    code: str  # stable identifier, e.g. "required"
    message: str  # Chinese, says what is expected
    severity: str = ERROR

    @property
    def address(self) -> str:
        return f"{self.sheet}!{self.cell}" if self.cell else self.sheet

    def as_dict(self) -> dict:
        return {**asdict(self), "address": self.address}


def has_errors(problems: list[Problem]) -> bool:
    return any(p.severity == ERROR for p in problems)


def counts(problems: list[Problem]) -> tuple[int, int]:
    c = Counter(p.severity for p in problems)
    return c[ERROR], c[WARNING]


def show(value) -> str:
    """The value as the user would recognise it, for messages."""
    if value is None or (isinstance(value, float) and value != value):  # blank, also as pandas' NaN
        return ""
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
