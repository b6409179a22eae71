"""The number of xlwings operations each ribbon entry point sends, on xlwings' remote engine.

    python benchmarks/xlwings_ops.py BOOK [--today YYYY-MM-DD]
The book becomes the payload an Excel client sends (tests/remote_excel.py, the tests' own); each
entry point runs on it and the actions it returns are counted by kind. 导出上报 runs on a copy
refreshed headless first, as it needs the reports. Then 刷新汇总 clicked again on what the first click left, unchanged
and after ten absences typed into one register. Prints one JSON line: entry point -> kind -> count.
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
from helpers import ten_marks_model  # noqa: E402
from remote_excel import apply, payload, resent  # noqa: E402  (the tests' payload builder, one way to make it)

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
    result |= clicked_again(book, sent, today, out)
    refreshed = out / book.name
    shutil.copy2(book, refreshed)
    fb = FileBook(refreshed)
    perform(ACTIONS["refresh"], fb, {"today": today}).commit(fb)
    remote = xw.Book(json=payload(refreshed))
    run("export", book=remote, today=today, snapshot=refreshed, out=out)
    result["export"] = _kinds(remote)
    return result


def clicked_again(book: Path, sent: dict, today: dt.date, out: Path) -> dict[str, dict[str, int]]:
    """刷新汇总 clicked again on what the first click left in Excel (tests/remote_excel.apply): with nothing changed
    ("refresh again"), and after ten absences typed into one register ("refresh after 10 marks")."""
    def click(payload_: dict, start):
        remote = xw.Book(json=pickle.loads(pickle.dumps(payload_)))
        run("refresh", book=remote, today=today, snapshot=book, out=out)
        actions = remote.json()["actions"]
        return apply(payload_, actions, start)[0], dict(collections.Counter(a["func"] for a in actions))

    first, _ = click(sent, None)
    _, again = click(resent(first, book.name), first)
    ten_marks_model(first, today)
    _, edited = click(resent(first, book.name), first)
    return {"refresh again": again, "refresh after 10 marks": edited}


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
