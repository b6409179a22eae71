"""The number of xlwings operations each ribbon entry point sends, on xlwings' remote engine.

    python benchmarks/xlwings_ops.py BOOK [--today YYYY-MM-DD]
The book becomes the payload an Excel client sends (tests/remote_excel.py, the tests' own); each
entry point runs on it and the actions it returns are counted by kind. 导出上报 runs on a copy
refreshed headless first, as it needs the reports. Prints one JSON line: entry point -> kind -> count.
"""
import argparse
import collections
import datetime as dt
import json
import os
import pickle
import shutil
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")  # xlwings' remote engine, for counting only
import xlwings as xw  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from remote_excel import payload  # noqa: E402  (the tests' payload builder, one way to make it)

from kgxl.app.pipeline import ACTIONS  # noqa: E402
from kgxl.app.runner import perform  # noqa: E402
from kgxl.excel import run  # noqa: E402
from kgxl.io.filebook import FileBook  # noqa: E402


def counts(book: Path, today: dt.date, out: Path) -> dict[str, dict[str, int]]:
    sent = payload(book)
    result = {}
    for action_id in ACTIONS:
        if action_id == "export":
            continue
        remote = xw.Book(json=pickle.loads(pickle.dumps(sent)))  # a fresh copy: the engine changes it
        run(action_id, book=remote, today=today, snapshot=book, out=out)
        result[action_id] = _kinds(remote)
    refreshed = out / book.name
    shutil.copy2(book, refreshed)
    fb = FileBook(refreshed)
    perform(ACTIONS["refresh"], fb, {"today": today}).commit(fb)
    remote = xw.Book(json=payload(refreshed))
    run("export", book=remote, today=today, snapshot=refreshed, out=out)
    result["export"] = _kinds(remote)
    return result


def _kinds(remote) -> dict[str, int]:
    return dict(collections.Counter(a["func"] for a in remote.json()["actions"]))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("book", type=Path)
    p.add_argument("--today", default="2026-11-20")
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        print(json.dumps(counts(args.book, dt.date.fromisoformat(args.today), Path(tmp))))


if __name__ == "__main__":
    main()
