"""Where a warm 刷新汇总 spends its time (issue 30's "what stands in the way"), phase by phase, against a bare
python-calamine read of the same workbook in the same process.

    python benchmarks/phases.py BOOK [--today YYYY-MM-DD]
A first refresh warms the process (imports, caches); the second, on a fresh copy, is timed: reading the sheets,
pandera's column checks, the cross-sheet checks, each domain's rules, each report, and writing the package.
Printed, not asserted.
"""
import argparse
import datetime as dt
import shutil
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from cold_warm import bare_read

import kgxl.core.validation as validation
import kgxl.io.filebook as filebook
from kgxl.app.pipeline import ACTIONS
from kgxl.app.registry import current
from kgxl.app.runner import perform
from kgxl.core.domain import resolve
from kgxl.io.filebook import FileBook

SPENT: dict[str, float] = defaultdict(float)


def timed(name: str, fn):
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            SPENT[name] += time.perf_counter() - start
    return wrapper


def instrument() -> None:
    validation.read_book = timed("读取输入表 read_book", validation.read_book)
    validation.check_table = timed("pandera 列检查 check_table", validation.check_table)
    validation.cross_sheet_problems = timed("跨表检查 cross_sheet", validation.cross_sheet_problems)
    reg = current()
    for d in reg.domains:  # a declaration names its code; the timed callable takes the name's place
        if d.rules:
            object.__setattr__(d, "rules", timed(f"规则 {d.name}", d.resolve(d.rules)))
    for step in reg.refresh_steps:
        object.__setattr__(step, "make", timed(f"报表 {step.id}", resolve(step.make, step.package)))
    filebook.FileBook.write = timed("写入 write", filebook.FileBook.write)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("book", type=Path)
    ap.add_argument("--today", default="2026-11-30")
    a = ap.parse_args()
    today = dt.date.fromisoformat(a.today)
    instrument()
    with tempfile.TemporaryDirectory() as tmp:
        copies = []
        for i in range(2):
            copies.append(Path(tmp) / f"{i}" / a.book.name)
            copies[-1].parent.mkdir()
            shutil.copy2(a.book, copies[-1])
        book = FileBook(copies[0])
        perform(ACTIONS["refresh"], book, {"today": today}).commit(book)  # warm-up
        SPENT.clear()
        floor = min(bare_read(copies[1]) for _ in range(3))
        start = time.perf_counter()
        book = FileBook(copies[1])
        perform(ACTIONS["refresh"], book, {"today": today}).commit(book)
        total = time.perf_counter() - start
    print(f"{a.book.name}: bare read {floor:.3f} s; warm 刷新汇总 {total:.3f} s ({total / floor:.1f} ×)")
    for name, s in sorted(SPENT.items(), key=lambda kv: -kv[1]):
        print(f"  {name:<34} {s:7.3f} s  {100 * s / total:5.1f} %  {s / floor:5.2f} × bare read")
    rest = total - sum(SPENT.values())
    print(f"  {'其余（问题整理、日志、结果汇总）':<30} {rest:7.3f} s  {100 * rest / total:5.1f} %")


if __name__ == "__main__":
    main()
