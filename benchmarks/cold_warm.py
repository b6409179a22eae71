"""The click the user waits for (issues 30, 39): whole processes, Python start-up included, and a process that stays up.

    python benchmarks/cold_warm.py BOOK [--today YYYY-MM-DD] [--repeat N]
Cold: each a new process on a fresh copy of the book: `kgxl refresh` (the first: everything computed), the same
again (inputs unchanged: the build record keeps every report), again after ten absences typed into one register
(tests/helpers.ten_marks, typed by another process as the user types in Excel), and `kgxl --help`; against a new
process that only reads every sheet with python-calamine (the bare-read process). Warm: in one process that stays up
(the web page, xlwings' persistent Python), after a first refresh: a second on a fresh copy of the book, again on
the book it wrote (unchanged), again after ten absences (other children's each round, so the process has not met the
state); against a bare read in that process. Prints one JSON line of medians in seconds.
"""
import argparse
import contextlib
import io
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TESTS = str(Path(__file__).resolve().parent.parent / "tests")
TYPE = ("import sys, datetime as dt\nfrom pathlib import Path\nsys.path.insert(0, sys.argv[1])\n"
        "from helpers import ten_marks\n"
        "ten_marks(Path(sys.argv[2]), dt.date.fromisoformat(sys.argv[3]), int(sys.argv[4]))\n")
READ = ("import sys\nfrom python_calamine import CalamineWorkbook\nwb = CalamineWorkbook.from_path(sys.argv[1])\n"
        "for n in wb.sheet_names:\n    wb.get_sheet_by_name(n).to_python(skip_empty_area=False)\n")


def typed_elsewhere(path: Path, today: str, variant: int = 0) -> None:
    """The ten marks (tests/helpers.ten_marks, the tests' edit) typed by another process, as the user types them in
    Excel: editing with openpyxl leaves tens of thousands of objects in reference cycles, which in this process
    would make the timed click pay for a full collection of someone else's garbage (3 clicks of 5, 0.12-0.14 s each,
    at 600 children)."""
    subprocess.run([sys.executable, "-c", TYPE, TESTS, str(path), today, str(variant)], check=True)


def timed(args: list[str]) -> float:
    t = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True)
    spent = time.perf_counter() - t
    if done.returncode:
        raise SystemExit(f"{' '.join(args)} exited {done.returncode}:\n{done.stderr[-2000:]}")
    return spent


def cold(book: Path, today: str, repeat: int, tmp: Path) -> dict:
    kgxl = [sys.executable, "-m", "kgxl"]
    times: dict[str, list[float]] = {k: [] for k in ("read", "refresh", "unchanged", "edit", "help")}
    for i in range(repeat + 1):  # the first of each warms the disk cache and is dropped
        copy = tmp / f"cold{i}" / book.name
        copy.parent.mkdir()
        shutil.copy2(book, copy)
        times["read"].append(timed([sys.executable, "-c", READ, str(copy)]))
        times["refresh"].append(timed([*kgxl, "refresh", str(copy), "--today", today]))
        times["unchanged"].append(timed([*kgxl, "refresh", str(copy), "--today", today]))
        typed_elsewhere(copy, today)
        times["edit"].append(timed([*kgxl, "refresh", str(copy), "--today", today]))
        times["help"].append(timed([*kgxl, "--help"]))
    return {f"{k}_process": statistics.median(v[1:]) for k, v in times.items()}


def bare_read(path: Path) -> float:
    """Seconds to read every sheet of the workbook with python-calamine, in this process (the warm floor)."""
    from python_calamine import CalamineWorkbook

    t = time.perf_counter()
    wb = CalamineWorkbook.from_path(str(path))
    for n in wb.sheet_names:
        wb.get_sheet_by_name(n).to_python(skip_empty_area=False)
    return time.perf_counter() - t


def warm(book: Path, today: str, repeat: int, tmp: Path) -> dict:
    from kgxl.front.cli import main as kgxl

    read = bare_read

    def refresh(path: Path) -> float:
        t = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):
            code = kgxl(["refresh", str(path), "--today", today])
        if code:
            raise SystemExit(f"kgxl refresh exited {code}")
        return time.perf_counter() - t

    first = tmp / "warm0" / book.name
    first.parent.mkdir()
    shutil.copy2(book, first)
    refresh(first)  # the process's first refresh: imports, schemas, first-use costs
    second, again, edited, floor = [], [], [], []
    for i in range(1, repeat + 1):
        copy = tmp / f"warm{i}" / book.name
        copy.parent.mkdir()
        shutil.copy2(book, copy)
        floor.append(read(copy))
        second.append(refresh(copy))
        again.append(refresh(copy))  # its input sheets are those the previous refresh read
        # other children each round, a state the process has not met (variant 1 marks, in the 600 book, a child
        # given medicine those days: an 错误 that would stop the reports)
        typed_elsewhere(copy, today, variant=1 + i)
        edited.append(refresh(copy))
    return {"read_in_process": statistics.median(floor), "second_refresh": statistics.median(second),
            "unchanged_refresh": statistics.median(again), "edit_refresh": statistics.median(edited)}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("book", type=Path)
    p.add_argument("--today", default="2026-11-30")
    p.add_argument("--repeat", type=int, default=3)
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = cold(args.book, args.today, args.repeat, Path(tmp)) | warm(args.book, args.today, args.repeat, Path(tmp))
    print(json.dumps(out))


if __name__ == "__main__":
    main()
