"""Where a click spends its time, phase by phase, for each target `make bench` reports missed: reading the sheets,
pandera's column checks, the cross-sheet checks, each domain's rules, each report, writing the package, and (cold)
the imports before any of them.

    python benchmarks/phases.py BOOK [--today YYYY-MM-DD] [--json]
Warm (one process, after a first refresh that warms imports and caches): a full refresh of a fresh copy, the
same book again after ten absences typed into one register (tests/helpers.ten_marks), and `validate` of a fresh
copy; each against a bare python-calamine read in this process. Cold: a new process refreshing a copy after the
same ten absences, its imports timed before the refresh starts (the modules such a refresh loads, found by a
throwaway run), against a new process that only reads every sheet. Printed, or one JSON line; not asserted.
"""
import argparse
import datetime as dt
import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

START = time.perf_counter()
SPENT: dict[str, float] = defaultdict(float)
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))


def timed(name: str, fn):
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            SPENT[name] += time.perf_counter() - start
    return wrapper


def instrument() -> None:
    import kgxl.core.validation as validation
    import kgxl.io.filebook as filebook
    from kgxl.app.registry import current
    from kgxl.core.domain import resolve

    validation.read_book = timed("read sheets (read_book)", validation.read_book)
    validation.check_table = timed("pandera column checks (check_table)", validation.check_table)
    validation.cross_sheet_problems = timed("cross-sheet checks", validation.cross_sheet_problems)
    reg = current()
    for d in reg.domains:  # a declaration names its code; the timed callable takes the name's place
        if d.rules:
            object.__setattr__(d, "rules", timed(f"rules {d.name}", d.resolve(d.rules)))
    for step in reg.refresh_steps:
        object.__setattr__(step, "make", timed(f"report {step.id}", resolve(step.make, step.package)))
    filebook.FileBook.write = timed("write the package", filebook.FileBook.write)


def run(action: str, path: Path, today: dt.date) -> float:
    from kgxl.app.pipeline import ACTIONS
    from kgxl.app.runner import perform
    from kgxl.io.filebook import FileBook

    SPENT.clear()
    start = time.perf_counter()
    book = FileBook(path)
    perform(ACTIONS[action], book, {"today": today}).commit(book)
    return time.perf_counter() - start


def case(total: float, floor: float) -> dict:
    return {"total": total, "floor": floor, "phases": dict(SPENT)}


def warm(book: Path, today: dt.date, tmp: Path) -> dict:
    from cold_warm import bare_read, typed_elsewhere

    instrument()
    copies = []
    for i in range(3):
        copies.append(tmp / f"warm{i}" / book.name)
        copies[-1].parent.mkdir()
        shutil.copy2(book, copies[-1])
    run("refresh", copies[0], today)  # warm-up
    floor = min(bare_read(copies[1]) for _ in range(3))
    out = {"warm full refresh": case(run("refresh", copies[1], today), floor)}
    typed_elsewhere(copies[1], today.isoformat())
    out["warm refresh after ten marks"] = case(run("refresh", copies[1], today), floor)
    out["warm validate"] = case(run("validate", copies[2], today), floor)
    return out


def cold(book: Path, today: dt.date, tmp: Path) -> dict:
    from cold_warm import READ
    from helpers import ten_marks

    copies = []
    for i in range(2):  # a throwaway run (modules loaded), then the timed one
        copies.append(tmp / f"cold{i}" / book.name)
        copies[-1].parent.mkdir()
        shutil.copy2(book, copies[-1])
        me = [sys.executable, __file__, str(copies[-1]), "--today", today.isoformat()]
        subprocess.run([*me, "--refresh-only"], check=True, capture_output=True)  # the book's first refresh
        ten_marks(copies[-1], today)
    modules = subprocess.run([*me[:2], str(copies[0]), "--today", today.isoformat(), "--modules"], check=True,
                             capture_output=True, text=True).stdout.split()
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", READ, str(copies[1])], check=True)
    floor = time.perf_counter() - start
    start = time.perf_counter()
    done = subprocess.run([sys.executable, __file__, str(copies[1]), "--today", today.isoformat(), "--cold-edit",
                           *modules], check=True, capture_output=True, text=True)
    total = time.perf_counter() - start
    inside = json.loads(done.stdout)
    inside["phases"]["process start, not timed inside"] = total - inside["inside"]
    return {"cold refresh after ten marks": {"total": total, "floor": floor, "phases": inside["phases"]}}


def cold_edit(path: Path, today: dt.date, modules: list[str]) -> None:
    """In a new process: import what such a refresh loads (timed), then refresh with the phases timed."""
    import importlib

    for name in modules:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - a module only importable from inside its package's own import
            pass
    imports = time.perf_counter() - START
    instrument()
    run("refresh", path, today)
    phases = dict(SPENT) | {"imports": imports}
    print(json.dumps({"inside": time.perf_counter() - START, "phases": phases}))


def show(cases: dict) -> None:
    for name, c in cases.items():
        print(f"{name}: {c['total']:.3f} s ({c['total'] / c['floor']:.1f} × the bare read, {c['floor']:.3f} s)")
        for phase, s in sorted(c["phases"].items(), key=lambda kv: -kv[1]):
            print(f"  {phase:<40} {s:7.3f} s  {100 * s / c['total']:5.1f} %")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("book", type=Path)
    ap.add_argument("--today", default="2026-11-30")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--warm-only", action="store_true")
    ap.add_argument("--refresh-only", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--modules", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--cold-edit", nargs="*", help=argparse.SUPPRESS)
    a = ap.parse_args()
    today = dt.date.fromisoformat(a.today)
    if a.refresh_only:
        return run_quietly(a.book, today)
    if a.modules:
        run_quietly(a.book, today)
        print(" ".join(sorted(m for m in sys.modules if not m.startswith(("__main__", "helpers", "cold_warm")))))
        return
    if a.cold_edit is not None:
        return cold_edit(a.book, today, a.cold_edit)
    with tempfile.TemporaryDirectory() as tmp:
        cases = warm(a.book, today, Path(tmp))
        if not a.warm_only:
            cases |= cold(a.book, today, Path(tmp))
    print(json.dumps(cases)) if a.json else show(cases)


def run_quietly(path: Path, today: dt.date) -> None:
    from kgxl.app.pipeline import ACTIONS
    from kgxl.app.runner import perform
    from kgxl.io.filebook import FileBook

    book = FileBook(path)
    perform(ACTIONS["refresh"], book, {"today": today}).commit(book)


if __name__ == "__main__":
    main()
