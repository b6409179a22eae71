"""Validation against the floor: a bare python-calamine read of every sheet, measured in the same run.

    make bench            # or: python benchmarks/validate_vs_read.py [BOOK] [--repeat N]
Prints median seconds (after one warm-up) and the ratio to the floor. In-process times exclude
Python start-up and imports; the command-line row includes them, as a user would see it.
"""
import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

from python_calamine import CalamineWorkbook

from kgxl.actions import run_validate
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


def median_time(fn, path, repeat):
    fn(path)  # warm-up
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn(path)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("book", nargs="?", default=ROOT / "workbook" / "Logistics.xlsm")
    p.add_argument("--repeat", type=int, default=7)
    args = p.parse_args()
    floor = median_time(bare_read, args.book, args.repeat)
    rows = [("calamine bare read (floor)", floor), ("kgxl validate, in process", median_time(validate, args.book, args.repeat)),
            ("kgxl validate, command line", median_time(cli, args.book, max(3, args.repeat // 2)))]
    print(f"workbook: {args.book} ({Path(args.book).stat().st_size / 1e6:.2f} MB)")
    print(f"{'what':32} {'median s':>9} {'× floor':>8}")
    for what, t in rows:
        print(f"{what:32} {t:9.3f} {t / floor:8.1f}")


if __name__ == "__main__":
    main()
