"""Columnar reading, the candidates compared (issue 39, point 3): what reading every sheet of a book costs with
python-calamine's rows of Python values (kgxl's reader: then each column parsed in bulk, kgxl.core.reading), and
with fastexcel, which hands each sheet over as Arrow columns of one inferred type; and what fastexcel makes of the
cells kgxl must locate (a date typed as text, a number stored as text, an error cell).

    pip install --target /tmp/fx fastexcel pyarrow      # not kgxl's dependencies: this comparison only
    PYTHONPATH=/tmp/fx python benchmarks/readers.py [BOOK]   # default: the 600-child book of benchmarks/books.py
Prints best-of-three seconds; not asserted.

Measured on 2026-12-07 (600 children, 2-core Xeon): python-calamine's rows 0.48 s, fastexcel's Arrow columns 0.27 s,
kgxl's typed reading after the rows 0.46 s. Kept: python-calamine and kgxl's per-column parsing. fastexcel infers
one type per column: a column holding a date and the same date typed as text comes back as text for both
("2026-11-05 00:00:00" and "2026-11-06"), an error cell as blank, and strict typing refuses the column; every
located 警告 and 错误 of those cells (date_as_text, number_as_text, error cells) would need a second read of the
column, and pyarrow adds 170 MB to the offline Windows bundle, for 0.2 s of a 600-child read.
"""
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

import fastexcel
import openpyxl
from books import book
from python_calamine import CalamineWorkbook

from kgxl.core.reading import read_table
from kgxl.core.schema import load_schemas
from kgxl.core.validation import check_table
from kgxl.io.filebook import FileBook


def best(fn, n: int = 3) -> float:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def calamine_rows(path: Path) -> None:
    wb = CalamineWorkbook.from_path(str(path))
    for name in wb.sheet_names:
        wb.get_sheet_by_name(name).to_python(skip_empty_area=False)


def fastexcel_arrow(path: Path) -> None:
    reader = fastexcel.read_excel(str(path))
    for name in reader.sheet_names:
        reader.load_sheet(name).to_arrow()


def typed(path: Path) -> float:
    """kgxl's typed reading of the input sheets from rows already read: read_table and pandera's checks."""
    fb = FileBook(path)
    names = fb.sheet_names()
    pairs = [(s, fb.read(n)) for s in load_schemas().values() for n in names
             if (s.matches(n) if s.monthly else n == s.sheet)]

    def run():
        for s, raw in pairs:
            table, problems = read_table(s, raw)
            check_table(table, problems)
    return best(run)


def mixed_column() -> list:
    """A 日期 column of a date, the same date typed as text and an error cell, as fastexcel hands it over."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "mixed.xlsx"
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.append(["日期", "金额(元)"])
        ws.append([dt.date(2026, 11, 5), 12.5])
        ws.append(["2026-11-06", "12.5"])
        ws.append([dt.date(2026, 11, 7), "=1/0"])
        wb.save(path)
        return fastexcel.read_excel(str(path)).load_sheet(0).to_arrow().to_pylist()


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else book(600)
    print(f"{path.name}")
    print(f"python-calamine rows of Python values      {best(lambda: calamine_rows(path)):.3f} s")
    print(f"fastexcel, Arrow columns                   {best(lambda: fastexcel_arrow(path)):.3f} s")
    print(f"kgxl typed reading after the rows           {typed(path):.3f} s")
    print("fastexcel's column of a date, a date typed as text and an error cell:", mixed_column())


if __name__ == "__main__":
    main()
