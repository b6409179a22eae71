"""Problems are values: every finding about the user's data, with where it is and how bad it is.

Validation never raises for bad data; it returns a list of Problem. Tests assert on
(sheet, cell, code), never on wording.
"""
from __future__ import annotations

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


def errors(problems: list[Problem]) -> list[Problem]:
    """The 错误 among the problems: what stops a computation."""
    return [p for p in problems if p.severity == ERROR]


def has_errors(problems: list[Problem]) -> bool:
    return any(p.severity == ERROR for p in problems)


def counts(problems: list[Problem]) -> tuple[int, int]:
    c = Counter(p.severity for p in problems)
    return c[ERROR], c[WARNING]
