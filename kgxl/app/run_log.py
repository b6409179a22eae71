"""运行日志: one row per run that writes the workbook, so an auditor can see what produced each report.

Append-only: a run adds its row below the sheet's rows, which are never rewritten. The sheet keeps
at most KEEP rows: when it is full, the oldest tenth moves to a CSV beside the workbook in one go
(so the sheet is rebuilt once every KEEP/10 runs, not on every run). The CSV only ever grows (a row
goes there once, by its 序号, even if a save failed after the CSV was written).
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from kgxl.core.cells import EXCEL_EPOCH
from kgxl.core.port import Block, RawSheet, SheetOutput, Workbook
from kgxl.core.schema import load_schemas

LOG_SHEET = "运行日志"
HEADER = ["序号", "时间", "操作", "参数", "用户", "错误", "警告", "写入", "用时(秒)", "kgxl版本", "输入表摘要"]
KEEP = 1000


def csv_path(book_path: Path) -> Path:
    return book_path.with_name(f"{book_path.stem}_{LOG_SHEET}.csv")


def _clean(v):
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return None if v == "" else v


def read_rows(raw: RawSheet | None) -> list[list] | None:
    """The data rows of an existing 运行日志 sheet (below its 序号 header), as read; None without one.
    Cells are as the reader gave them (see _clean): most runs only count the rows."""
    if raw is None:
        return None
    start = next((i for i, r in enumerate(raw.rows) if r and r[0] == HEADER[0]), None)
    if start is None:
        return None
    end = len(raw.rows)
    while end > start + 1 and all(v in (None, "") for v in raw.rows[end - 1]):
        end -= 1
    return raw.rows[start + 1:end]


def _last_seq(path: Path) -> int:
    """序号 of the CSV's last row (read from the file's tail: the CSV may hold years of runs)."""
    if not path.exists():
        return 0
    with path.open("rb") as f:
        f.seek(0, 2)
        f.seek(max(0, f.tell() - 8192))
        lines = [ln for ln in f.read().decode("utf-8-sig", errors="replace").splitlines() if ln.strip()]
    for line in reversed(lines):
        head = line.split(",", 1)[0]
        if head.isdigit():
            return int(head)
    return 0


def spill(rows: list[list], path: Path) -> int:
    """Append to the CSV the rows it does not hold yet; returns how many were added."""
    last = _last_seq(path)
    new = [r for r in rows if isinstance(r[0], int) and r[0] > last]
    if not new:
        return 0
    fresh = not path.exists()
    with path.open("a", encoding="utf-8-sig" if fresh else "utf-8", newline="") as f:
        w = csv.writer(f)
        if fresh:
            w.writerow(HEADER)
        w.writerows([[_as_shown(v) for v in r] for r in new])
    return len(new)


def _as_shown(v):
    """A cell as the sheet shows it: 0.0 seconds read back is 0 there, so it is 0 in the CSV too."""
    if v is None:
        return ""
    return int(v) if isinstance(v, float) and v.is_integer() else v


@dataclass
class LogUpdate:
    sheet: SheetOutput
    moved: list[list]  # rows leaving the sheet for the CSV


def append(rows: list[list] | None, entry: list, csv_name: str) -> LogUpdate:
    """The log after one more run; rows is what the sheet holds (None when it has no log table)."""
    keep = KEEP
    seqs = [_clean(r[0]) for r in rows or [] if r]
    seq = max([0, *(s for s in seqs if isinstance(s, int))]) + 1
    new = [seq, *entry]
    if rows is not None and len(rows) < keep:
        return LogUpdate(log_sheet([new], csv_name, append=True), [])
    data = [*([_clean(v) for v in r[:len(HEADER)]] for r in rows or []), new]
    cut = max(len(data) - keep, max(keep // 10, 1)) if len(data) > keep else 0
    return LogUpdate(log_sheet(data[cut:], csv_name), data[:cut])


def update(book: Workbook, entry: list, csv_name: str) -> LogUpdate:
    """The log after one more run. While the sheet has room (most runs) only its last row is looked
    at; the whole sheet is read when it is full or does not end in a numbered row."""
    if LOG_SHEET not in book.sheet_names():
        return append(None, entry, csv_name)
    last, seq = book.tail(LOG_SHEET)
    first = log_sheet([], csv_name).layout()[0][1]
    if isinstance(seq, int) and last - first + 1 < KEEP:
        return LogUpdate(log_sheet([[seq + 1, *entry]], csv_name, append=True), [])
    return append(read_rows(book.read(LOG_SHEET)), entry, csv_name)


def log_sheet(rows: list[list], csv_name: str, append: bool = False) -> SheetOutput:
    titles = [LOG_SHEET, f"每次运行写入工作簿时追加一行，已有的行不会改写；超过 {KEEP} 行时，最早的行移到同一文件夹的“{csv_name}”。"]
    return SheetOutput(LOG_SHEET, [Block(HEADER, rows, formats={8: "0.00"})], titles=titles, append=append,
                       widths=[7, 20, 12, 30, 12, 6, 6, 40, 9, 9, 18], page_header=LOG_SHEET, tab_color="FF7F7F7F")


TYPED = "\x1f"  # marks a value that is not text: a date typed as text, or a number stored as text, is another input


def _cell(v) -> str:
    if v is None or v == "":
        return ""
    if isinstance(v, dt.datetime):
        if v.date() == EXCEL_EPOCH:  # a time of day as Excel hands it over
            return TYPED + v.time().isoformat()
        return TYPED + (v.date().isoformat() if v.time() == dt.time() else v.isoformat())
    if isinstance(v, float) and v.is_integer():
        return TYPED + str(int(v))
    return TYPED + (v.isoformat() if isinstance(v, (dt.date, dt.time)) else str(v))


def canonical(rows: list[list]) -> str:
    """A sheet's values as text the same whichever adapter read them (the file's reader or live Excel: a date, a
    time, a whole number and the blank cells at the end of rows and sheet come back in different shapes), so a
    digest taken through one front matches one taken through another."""
    lines, memo = [], {}

    def other(v):  # a date or number recurs down its column: each converted once
        key = (type(v), v)
        text = memo.get(key)
        if text is None:
            text = memo[key] = _cell(v)
        return text
    for row in rows:
        cells = [v if type(v) is str else other(v) for v in row]  # most cells are text: no call for them
        while cells and cells[-1] == "":
            cells.pop()
        lines.append("\t".join(cells))
    while lines and lines[-1] == "":
        lines.pop()
    return "\n".join(lines)


def sheet_text(raw: RawSheet) -> str:
    """An input sheet's values (canonical), and what reading it reports beside them: a value far from its table, a
    merge below the first row (the file's reader sees merges, Excel's does not: a title merge in row 1 is left out,
    so a digest taken through either front matches)."""
    text = canonical(raw.rows)
    merged = [m for m in raw.merged if m[1][0] > 0]
    if raw.stray or merged:
        text += "\n\x1e" + repr((raw.stray, merged))
    return text


class DigestBook:
    """A Workbook that passes everything through and keeps a digest of each input sheet read (each read once: a
    second read of it is the first one's), so a log row and the build record say exactly which data produced the
    reports."""

    def __init__(self, book: Workbook):
        self.book = book
        self.digests: dict[str, str] = {}  # input sheet name -> sha256 of its canonical values
        self._raw: dict[str, RawSheet] = {}
        schemas = load_schemas().values()
        self._inputs = {s.sheet for s in schemas if not s.monthly}
        self._monthly = [s for s in schemas if s.monthly]

    def sheet_names(self) -> list[str]:
        return self.book.sheet_names()

    def read(self, name: str) -> RawSheet:
        if name in self._raw:
            return self._raw[name]
        raw = self.book.read(name)
        if name in self._inputs or any(s.matches(name) for s in self._monthly):
            self.digests[name] = hashlib.sha256(sheet_text(raw).encode("utf-8")).hexdigest()
            self._raw[name] = raw
        return raw

    def write(self, outputs) -> None:
        self.book.write(outputs)

    def __getattr__(self, name):  # adapter extras (path, package) pass through
        return getattr(self.book, name)

    def digest(self) -> str:
        """sha256 over the input sheets read (name and values), first 16 hex digits; '' when none were read."""
        if not self.digests:
            return ""
        h = hashlib.sha256()
        for name in sorted(self.digests):
            h.update(f"{name}\0{self.digests[name]}\n".encode("utf-8"))
        return h.hexdigest()[:16]
