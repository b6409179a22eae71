"""票据 control: the receipt books of 票据领用, each number used once — by a payment of 收费记录 or in 票据作废 — and
the gaps a book's used range leaves. A number is read as its letters (字头) and digits, full-width characters and a
leading "NO." read as typed on many forms; a refund (negative amount) may repeat the number it refunds. Pure."""
from __future__ import annotations

import re
import unicodedata

import pandas as pd

from kgxl.core.cells import is_blank

_NUMBER = re.compile(r"^(?:NO\.?|№|编号)?[:：]?([A-Z]*)-?(\d+)$")
_AS_PRINTED = re.compile(r"(?!NO)([A-Z]*)(\d+)")  # as _NUMBER reads it: "NO12" is number 12
RULE = ("每个票据号只能用一次（收费或作废）；一本中已用到的最大号码之前没有用也没有作废的号码为跳号；"
        "退费（负数金额）可以写原收费的票据号")


def parse(text) -> tuple[str, int, int] | None:
    """(字头, number, digits typed) of a typed receipt number, or None when it is not letters and digits."""
    if type(text) is str and (m := _AS_PRINTED.fullmatch(text)):  # nearly every number: no normalising
        return m.group(1), int(m.group(2)), len(m.group(2))
    if is_blank(text):
        return None
    s = "".join(unicodedata.normalize("NFKC", str(text)).split()).upper()
    m = _NUMBER.match(s)
    return (m.group(1), int(m.group(2)), len(m.group(2))) if m else None


def plain(text) -> bool:
    """Whether the number is typed as it is printed: half-width letters and digits only."""
    return bool(re.fullmatch(r"[A-Za-z]*\d+", str(text).strip()))


def books(frame: pd.DataFrame) -> pd.DataFrame:
    """The readable books with line (the sheet's row) and prefix (upper case, "" for none)."""
    f = frame.dropna(subset=["first", "last"]).rename_axis("line").reset_index()
    return f.assign(prefix=f["prefix"].map(lambda p: "" if is_blank(p) else "".join(
        unicodedata.normalize("NFKC", str(p)).split()).upper()))


def book_of(books_: pd.DataFrame):
    """A function: the line of the book holding a parsed number, or None (a few books: looked through in Python)."""
    spans = list(zip(books_["prefix"], books_["first"], books_["last"], books_["line"]))

    def find(number: tuple[str, int, int] | None):
        if number is None:
            return None
        p, n, _ = number
        return next((int(line) for q, a, b, line in spans if q == p and a <= n <= b), None)
    return find


def uses(records: pd.DataFrame, voids: pd.DataFrame | None, books_: pd.DataFrame) -> pd.DataFrame:
    """Every number used: source (收费/作废), line, date, amount (收费), number (parsed), book (its line or None),
    first (the earlier use of the same number by a payment or void, or None)."""
    pay = records.dropna(subset=["receipt"]).rename_axis("line").reset_index()
    pay = pay[(pay["amount"] >= 0).astype(bool)]  # a number column: blank is NaN
    rows = [("收费", r.line, r.date, r.amount, r.receipt) for r in pay.itertuples()]
    if voids is not None:
        v = voids.dropna(subset=["receipt"]).rename_axis("line").reset_index()
        rows += [("作废", r.line, r.date, None, r.receipt) for r in v.itertuples()]
    out = pd.DataFrame(rows, columns=["source", "line", "date", "amount", "typed"])
    out["number"] = out["typed"].map(parse)
    out["key"] = out["number"].map(lambda x: None if x is None else (x[0], x[1]))
    find = book_of(books_)
    out["book"] = pd.Series([find(x) for x in out["number"]], index=out.index, dtype=object)
    seen: dict = {}
    first = []
    for k, src, line in zip(out["key"], out["source"], out["line"]):
        first.append(seen.get(k) if k is not None else None)
        if k is not None and k not in seen:
            seen[k] = (src, line)
    out["first"] = first
    return out


def gaps(book, used: set[int]) -> list[int]:
    """A book's numbers before its highest used (or voided) one that are neither used nor voided."""
    mine = [n for n in used if book.first <= n <= book.last]
    return [n for n in range(int(book.first), max(mine) + 1) if n not in used] if mine else []


def width(u, book) -> int:
    """How many digits a book's numbers are written with: as its receipts were typed, else its last number's."""
    return max([x[2] for x in u["number"].dropna() if x[0] == book.prefix] or [len(str(int(book.last)))])


def spans(numbers: list[int], prefix: str, width: int, joined: bool = True) -> str:
    """SF00004、SF00007–SF00009: consecutive numbers as one span (joined); or only the first to the last."""
    name = lambda n: f"{prefix}{n:0{width}d}"  # noqa: E731
    if not joined:
        return name(numbers[0]) if numbers[0] == numbers[-1] else f"{name(numbers[0])}–{name(numbers[-1])}"
    out, start = [], None
    for i, n in enumerate(numbers):
        if start is None:
            start = n
        if i + 1 == len(numbers) or numbers[i + 1] != n + 1:
            out.append(name(start) if start == n else f"{name(start)}–{name(n)}")
            start = None
    return "、".join(out)
