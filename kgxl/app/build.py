"""刷新汇总 as a build: what each report was computed from, kept in the workbook (the hidden sheet 后勤助手记录), and
whether to compute it again. A report is kept when the record says this build of kgxl computed it, for this month
and day, from input sheets whose values are what they are now (each report reads only the sheets it declares, so
only their digests count), and its sheets still hold what was written (a sheet the user typed into is written
again). The record only saves time: a workbook without one (deleted, damaged, written by another build) is
refreshed whole; 导出上报 reads it to send only reports computed from the data as it is."""
from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import numbers
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources

from kgxl import __version__
from kgxl.app.registry import current
from kgxl.app.run_log import canonical
from kgxl.core.cells import norm
from kgxl.core.port import Block, SheetOutput, Workbook
from kgxl.core.schema import load_schemas
from kgxl.core.settings import SETTINGS, owners

RECORD_SHEET = "后勤助手记录"
HEADER = ["报表", "写入", "月份", "今天", "版本", "输入摘要", "写入摘要", "说明", "输出摘要"]
VALIDATION = "validate"  # the row of 校验结果, whose inputs are every input sheet
NOTHING = "—"  # 写入 of a report 刷新汇总 did not run (its sheets missing, or no data for it)


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@lru_cache(maxsize=1)
def build() -> str:
    """This build of kgxl: its version and a digest of its code, schemas and data, so a workbook refreshed by
    other code is refreshed whole."""
    h = hashlib.sha256(__version__.encode())
    root = resources.files("kgxl")
    for path in sorted(p for p in _files(root) if p.name.endswith((".py", ".yaml", ".csv", ".bas", ".json", ".txt"))):
        h.update(path.name.encode() + path.read_bytes())
    return f"{__version__}+{h.hexdigest()[:10]}"


def _files(folder):
    for p in folder.iterdir():
        if p.is_dir():
            if p.name != "__pycache__":
                yield from _files(p)
        else:
            yield p


@dataclass(frozen=True)
class Entry:
    """One report's row: what it wrote, computed from what."""
    report: str
    sheets: tuple[str, ...]
    month: str
    today: str
    version: str
    inputs: str
    written: tuple[str, ...]  # each sheet's values, as a reader gets them back
    said: str  # its phrase in the summary (or why it was not computed)
    outputs: tuple[str, ...] = ()  # each sheet's form: what writing it did beyond its values (build.form)

    def row(self) -> list:
        return [self.report, "、".join(self.sheets) or NOTHING, self.month, self.today, self.version, self.inputs,
                ";".join(self.written), self.said, ";".join(self.outputs)]


SHEETS_HEADER = ["工作表", "文件指纹", "值摘要"]


@dataclass
class Record:
    """The record as read: each report's entry, and each sheet's fingerprint in the package with the digest of its
    values when last read (the same fingerprint: the same values, without reading them again)."""
    entries: dict[str, Entry]
    sheets: dict[str, tuple[str, str]]  # sheet (or 基本信息#key) -> (fingerprint, values digest)


def _rows_after(rows: list[list], header: list[str]) -> list[list[str]]:
    start = next((i for i, r in enumerate(rows) if r and list(r[:len(header)]) == header), None)
    out = []
    for r in rows[start + 1:] if start is not None else []:
        r = [("" if v is None else str(v)) for v in list(r) + [""] * len(header)]
        if not r[0]:
            break
        out.append(r)
    return out


def read_record(book: Workbook) -> Record:
    """The record; empty without a readable one."""
    if RECORD_SHEET not in book.sheet_names():
        return Record({}, {})
    rows = book.read(RECORD_SHEET).rows
    entries = {}
    for r in _rows_after(rows, HEADER):
        sheets = () if r[1] in ("", NOTHING) else tuple(r[1].split("、"))
        entries[r[0]] = Entry(r[0], sheets, r[2], r[3], r[4], r[5], tuple(x for x in r[6].split(";") if x), r[7],
                              tuple(x for x in r[8].split(";") if x))
    return Record(entries, {r[0]: (r[1], r[2]) for r in _rows_after(rows, SHEETS_HEADER) if r[1] and r[2]})


def record_sheet(entries: dict[str, Entry], sheets: dict[str, tuple[str, str]]) -> SheetOutput:
    titles = [RECORD_SHEET, "后勤助手用这张表判断哪些汇总表的输入没有变、可以沿用；请勿修改。删除它只会让下一次刷新汇总全部重新计算。"]
    return SheetOutput(RECORD_SHEET, [Block(HEADER, [e.row() for e in entries.values()]),
                                      Block(SHEETS_HEADER, [[n, fp, d] for n, (fp, d) in sorted(sheets.items())])],
                       titles=titles, widths=[12, 30, 9, 11, 18, 18, 40, 40, 40], hidden=True, tab_color="FF7F7F7F")


def _plain(v):
    """A value as a reader of the written sheet gets it back (a number as a float, a date as a date)."""
    if isinstance(v, bool) or v is None or isinstance(v, (str, dt.date, dt.time)):
        return v
    if isinstance(v, numbers.Integral):
        return int(v)
    if isinstance(v, (numbers.Real, decimal.Decimal)):
        f = float(v)
        return None if f != f else f
    return str(v)


def shown(out: SheetOutput) -> list[list]:
    """Every value a generated sheet shows, as one rectangle from A1, as a reader gets them back."""
    width = max([len(b.header) for b in out.blocks] + [len(r) for b in out.blocks for r in b.rows] + [1])
    rows = [[None] * width for _ in range(out.last_row)]
    for i, title in enumerate(out.titles):
        rows[i][0] = title
    for b, (header_row, first) in zip(out.blocks, out.layout()):
        if b.title:
            rows[header_row - 2][0] = b.title
        rows[header_row - 1][:len(b.header)] = [_plain(v) for v in b.header]
        for r, row in enumerate(b.rows):
            rows[first - 1 + r][:len(row)] = [_plain(v) for v in row]
    return rows


def sheet_digest(rows: list[list]) -> str:
    return digest(canonical(rows))


def form(book, out: SheetOutput) -> str:
    """What writing the output does beyond its values, as the adapter writes it (ExcelBook.form); an adapter
    without one: the whole output as given (its dataclass text: values and their types, formats, notes, links)."""
    of = getattr(book, "form", None)
    return of(out) if of else digest(repr(out))


def input_names(keys, names: list[str]) -> list[str]:
    """The sheets of the workbook a declaration's schema keys stand for (a month-named one: every month's, or with
    ":YYYY-MM" that month's; 基本信息's items, by the schema that declares them: 基本信息#settings…)."""
    schemas = load_schemas()
    out = []
    for key in keys:
        base, _, month = key.partition(":")
        s = schemas.get(base)
        if s is None:
            continue
        if s.kind in ("keyvalue", "settings"):
            out.append(f"{s.sheet}#{key}")
        elif s.monthly:
            out += [n for n in names if (m := s.matches(n)) and (not month or m == month)]
        else:
            out.append(s.sheet)
    return sorted(dict.fromkeys(out))


def item_digests(rows: list[list]) -> dict[str, str]:
    """基本信息's items by the schema that declares each: 基本信息#key -> digest of their labels and values."""
    settings = load_schemas()[SETTINGS]
    values = {norm(r[0]): r[1] if len(r) > 1 else None for r in rows if r and isinstance(r[0], str)}
    owner = owners()
    groups: dict[str, list] = {}
    for item in settings.items:
        groups.setdefault(owner[item.key], []).append([item.header, values.get(norm(item.header))])
    return {f"{settings.sheet}#{key}": digest(canonical(lines)) for key, lines in groups.items()}


def inputs_digest(keys, names: list[str], digests: dict[str, str]) -> str:
    """One digest of the declared input sheets' values (a missing sheet counts as missing)."""
    return digest("\n".join(f"{n}\t{digests.get(n, '-')}" for n in input_names(keys, names)))


@dataclass
class Build:
    """What one 刷新汇总 knows of the workbook before computing: the record, the input sheets' digests, today, this
    build; and the sheets whose values it knows with their fingerprint (for the record it writes)."""
    book: Workbook
    record: Record
    digests: dict[str, str]  # input sheet name (基本信息#key for 基本信息's items) -> digest of its values
    today: dt.date
    version: str
    known: dict[str, tuple[str, str]] = field(default_factory=dict)  # sheet -> (fingerprint, values digest)

    def inputs_key(self, keys) -> str:
        """One digest of the given inputs as the book holds them now."""
        return inputs_digest(keys, self.book.sheet_names(), self.digests)

    def entry(self, report: str, keys, month: str, outputs: list[SheetOutput], said: str) -> Entry:
        return Entry(report, tuple(o.name for o in outputs), month, self.today.isoformat(), self.version,
                     self.inputs_key(keys), tuple(sheet_digest(shown(o)) for o in outputs), said,
                     tuple(form(self.book, o) for o in outputs))

    def unchanged(self, report: str, outputs: list[SheetOutput]) -> list[SheetOutput]:
        """Of a report computed again, what is left to write: a sheet that came out as this build last wrote it,
        and still holds that, is not written again; one that differs only in values is written as values
        (SheetOutput.values_only)."""
        e = self.record.entries.get(report)
        if e is None or e.version != self.version or not len(e.sheets) == len(e.outputs) == len(e.written):
            return outputs
        was = {sheet: (f, written) for sheet, f, written in zip(e.sheets, e.outputs, e.written)}
        names = self.book.sheet_names()
        out = []
        for o in outputs:
            if o.name in was and o.name in names and was[o.name][0] == form(self.book, o) and \
                    self.holds(o.name, was[o.name][1]):
                if sheet_digest(shown(o)) != was[o.name][1]:
                    out.append(replace(o, values_only=True))
                continue
            out.append(o)
        return out

    def current(self, report: str, keys, month: str) -> Entry | None:
        """The report's entry when it still holds: same build, month, day and inputs, and its sheets as written."""
        e = self.record.entries.get(report)
        names = self.book.sheet_names()
        if e is None or (e.version, e.month, e.today) != (self.version, month, self.today.isoformat()):
            return None
        if e.inputs != self.inputs_key(keys) or len(e.written) != len(e.sheets):
            return None
        return e if all(sheet in names and self.holds(sheet, written) for sheet, written in zip(e.sheets, e.written)) \
            else None

    def holds(self, sheet: str, written: str) -> bool:
        """Whether the sheet's values are those written (by its fingerprint, when the package gives one the record
        knows, else read)."""
        fp = _fingerprint(self.book, sheet)
        if fp is not None and self.record.sheets.get(sheet) == (fp, written):
            self.known[sheet] = (fp, written)
            return True
        if sheet_digest(self.book.read(sheet).rows) != written:
            return False
        if fp is not None:
            self.known[sheet] = (fp, written)
        return True

    def sheets_after(self, written: set[str]) -> dict[str, tuple[str, str]]:
        """The fingerprints the record keeps: those known this run, but of the sheets this run writes again."""
        return {n: v for n, v in self.known.items() if n not in written}


def _fingerprint(book, sheet: str) -> str | None:
    fingerprint = getattr(book, "fingerprint", None)  # the file's package; live Excel has none
    return fingerprint(sheet) if fingerprint else None


def read_inputs(book: Workbook, record: Record, known: dict[str, tuple[str, str]]) -> dict[str, str]:
    """Every input sheet's digest, sheet name -> digest; and 基本信息's items by the schema that declares them. A
    sheet whose fingerprint the record knows is not read; the others are read once (run_log.DigestBook). known
    gains each sheet's fingerprint and digest."""
    names = book.sheet_names()
    settings = load_schemas()[SETTINGS].sheet
    digests = {}
    for s in current().inputs:
        for name in names:
            if not ((s.monthly and s.matches(name)) or name == s.sheet):
                continue
            fp = _fingerprint(book, name)
            was = record.sheets.get(name)
            items = {k: v for k, v in record.sheets.items() if k.startswith(settings + "#")}
            if fp is not None and was is not None and was[0] == fp and (name != settings or items):
                book.digests[name] = digests[name] = was[1]  # the log's digest covers it, unread
                if name == settings:
                    digests |= {k: v[1] for k, v in items.items()}
            else:
                book.read(name)
                digests[name] = book.digests[name]
                if name == settings:
                    digests |= item_digests(book.read(name).rows)
            if fp is not None:
                known[name] = (fp, digests[name])
                if name == settings:
                    known |= {k: (fp, v) for k, v in digests.items() if k.startswith(settings + "#")}
    return digests


def with_items(book) -> dict[str, str]:
    """The book's input digests (run_log.DigestBook), with 基本信息's items by the schema that declares them."""
    sheet = load_schemas()[SETTINGS].sheet
    return dict(book.digests) | (item_digests(book.read(sheet).rows) if sheet in book.sheet_names() else {})


def every_input() -> tuple[str, ...]:
    """Every input a workbook has: its sheets and 基本信息's items (what 校验结果 is computed from)."""
    return tuple(s.key for s in load_schemas().values())
