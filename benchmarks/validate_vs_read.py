"""Validation against the floor: a bare python-calamine read of every sheet, measured in the same run.

    make bench            # or: python benchmarks/validate_vs_read.py [BOOK] [--repeat N]
Prints median seconds (after one warm-up) and the ratio to the floor. In-process times exclude
Python start-up and imports; the command-line row includes them, as a user would see it.
"""
import argparse
import subprocess
import sys
from pathlib import Path

from python_calamine import CalamineWorkbook

from kgxl.actions import run_validate
from timing import median_time, print_table
from kgxl.filebook import FileBook

ROOT = Path(__file__).resolve().parent.parent


def bare_read(path):
    wb = CalamineWorkbook.from_path(str(path))
    for name in wb.sheet_names:
        wb.get_sheet_by_name(name).to_python(skip_empty_area=False)


def validate(path):
    run_validate(FileBook(path))


def cli(path):
    subprocess.run([sys.executable, "-m", "kgxl", "validate", str(path)], capture_output=True, check=False)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("book", nargs="?", default=ROOT / "workbook" / "Logistics.xlsm")
    p.add_argument("--repeat", type=int, default=7)
    args = p.parse_args()
    book = args.book
    rows = [("calamine bare read (floor)", median_time(lambda: bare_read(book), args.repeat)),
            ("kgxl validate, in process", median_time(lambda: validate(book), args.repeat)),
            ("kgxl validate, command line", median_time(lambda: cli(book), max(3, args.repeat // 2)))]
    print(f"workbook: {book} ({Path(book).stat().st_size / 1e6:.2f} MB)")
    print_table(rows)


if __name__ == "__main__":
    main()
