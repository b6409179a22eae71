"""One measurement in a process of its own, so that its peak memory is its own.

    python benchmarks/measure.py OPERATION BOOK [--repeat N] [--today YYYY-MM-DD] [--warm BOOK]
OPERATION: floor (python-calamine reading every sheet), openpyxl (load with keep_vba, then save),
or an action id as the command line runs it (kgxl ACTION BOOK: read, validate, compute, write with
a backup; validate reads only). Each repetition of a writing operation gets a fresh copy of the book,
made outside the timed part. The warm-up run (imports, schemas and other first-use costs) is on
--warm, by default the bundled sample, so a large book is not read once more just to warm up.
Prints one JSON line: the median seconds, every time, and the process's peak resident memory in
MB (interpreter and imports included).
"""
import argparse
import contextlib
import io
import json
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import openpyxl
from python_calamine import CalamineWorkbook

from kgxl.app.pipeline import ACTIONS
from kgxl.front.cli import main as kgxl

SAMPLE_DAY = "2026-11-30"


def floor(path: Path) -> None:
    wb = CalamineWorkbook.from_path(str(path))
    for name in wb.sheet_names:
        wb.get_sheet_by_name(name).to_python(skip_empty_area=False)


def openpyxl_round_trip(path: Path) -> None:
    openpyxl.load_workbook(path, keep_vba=True).save(path)


def action(op: str, today: str):
    def run(path: Path) -> None:
        with contextlib.redirect_stdout(io.StringIO()):
            code = kgxl([op, str(path), "--today", today])
        if code != 0:  # a book with errors stops refresh before its reports: such a time would mean nothing
            raise SystemExit(f"kgxl {op} exited {code}: the benchmark book must validate without errors")
    return run


def main():
    p = argparse.ArgumentParser()
    p.add_argument("op", choices=["floor", "openpyxl", *ACTIONS])
    p.add_argument("book", type=Path)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--today", default="2026-11-20")
    p.add_argument("--warm", type=Path, default=Path(__file__).resolve().parent.parent / "workbook" / "Logistics.xlsm")
    args = p.parse_args()
    fn = {"floor": floor, "openpyxl": openpyxl_round_trip}.get(args.op) or action(args.op, args.today)
    # the warm-up book is the sample: as of its own 当前月份 (a later day meets its planted expired 健康证, an 错误)
    warm = {"floor": floor, "openpyxl": openpyxl_round_trip}.get(args.op) or action(args.op, SAMPLE_DAY)
    writes = args.op != "floor" and args.op != "validate"
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.repeat + 1):
            source = args.warm if i == 0 else args.book
            path = source
            if writes:
                path = Path(tmp) / f"{i}" / source.name
                path.parent.mkdir()
                shutil.copy2(source, path)
            forget()
            t = time.perf_counter()
            (warm if i == 0 else fn)(path)
            times.append(time.perf_counter() - t)
            if writes:
                shutil.rmtree(path.parent)
    json.dump({"op": args.op, "median": statistics.median(times[1:]), "times": times[1:], "peak_mb": peak_mb()},
              sys.stdout)
    print()


def forget() -> None:
    """Each run is this process's first sight of the book, as `kgxl ACTION BOOK` is: kgxl keeps typed sheets,
    rules' findings and 待办事项's items by digest for a process that stays up (the web page, Excel), measured by phases.py instead."""
    from kgxl.core.kept import forget as forget_all
    forget_all()


def peak_mb() -> float:
    """This process's peak resident memory. Linux's VmHWM starts anew with the program; ru_maxrss
    would carry the parent's peak over (it survives execve)."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / (1024 if sys.platform == "darwin" else 1)


if __name__ == "__main__":
    main()
