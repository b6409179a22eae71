"""The number of xlwings operations each ribbon entry point sends, on xlwings' remote engine.

    python benchmarks/xlwings_ops.py BOOK [--today YYYY-MM-DD]
The book becomes the payload an Excel client sends (tests/remote_excel.py, the tests' own); each
entry point runs on it and the actions it returns are counted by kind. 导出上报 runs on a copy
refreshed headless first, as it needs the reports. Then 刷新汇总 clicked again on what the first click left, unchanged
and after ten absences typed into one register. Prints one JSON line: {"counts": entry point -> kind -> count,
"by sheet": entry point -> sheet -> kind -> count, "split": entry point -> the setValues that continue the one before
(xlwings splits a write of more than 100,000 cells itself: base_classes.DEFAULT_MAX_CELLS_PER_WRITE)}.
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


def counts(book: Path, today: dt.date, out: Path) -> dict[str, dict]:
    sent = payload(book)
    result = {"counts": {}, "by sheet": {}, "split": {}}

    def count(entry: str, sent_: dict, actions: list[dict]) -> None:
        result["counts"][entry] = dict(collections.Counter(a["func"] for a in actions))
        result["by sheet"][entry], result["split"][entry] = by_sheet(sent_, actions)

    for action_id in ACTIONS:
        if action_id == "export":
            continue
        remote = xw.Book(json=pickle.loads(pickle.dumps(sent)))  # a fresh copy: the engine changes it
        run(action_id, book=remote, today=today, snapshot=book, out=out)
        count(action_id, sent, remote.json()["actions"])
    for entry, (sent_, actions) in clicked_again(book, sent, today, out).items():
        count(entry, sent_, actions)
    refreshed = out / book.name
    shutil.copy2(book, refreshed)
    fb = FileBook(refreshed)
    perform(ACTIONS["refresh"], fb, {"today": today}).commit(fb)
    sent = payload(refreshed)
    remote = xw.Book(json=sent)
    run("export", book=remote, today=today, snapshot=refreshed, out=out)
    count("export", sent, remote.json()["actions"])
    return result


def by_sheet(sent: dict, actions: list[dict]) -> tuple[dict[str, dict[str, int]], int]:
    """The actions by the sheet they touch (its name as the book then had it), and how many setValues continue the
    write before them on the same columns (a write xlwings split)."""
    names = [s["name"] for s in sent["sheets"]]
    out: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    split, last = 0, None
    for a in actions:
        if a["func"] == "addSheet":
            names.insert(a["args"][0], a["args"][1])
        where = names[a["sheet_position"]] if a["sheet_position"] is not None else "(book)"
        out[where][a["func"]] += 1
        if a["func"] == "setValues":
            if last is not None and (a["sheet_position"], a["start_row"], a["start_column"], a["column_count"]) == \
                    (last["sheet_position"], last["start_row"] + last["row_count"], last["start_column"],
                     last["column_count"]):
                split += 1
            last = a
    return {k: dict(v) for k, v in out.items()}, split


def clicked_again(book: Path, sent: dict, today: dt.date, out: Path) -> dict[str, tuple[dict, list[dict]]]:
    """刷新汇总 clicked again on what the first click left in Excel (tests/remote_excel.apply): with nothing changed
    ("refresh again"), and after ten absences typed into one register ("refresh after 10 marks"); each click's payload
    and actions."""
    def click(payload_: dict, start):
        remote = xw.Book(json=pickle.loads(pickle.dumps(payload_)))
        run("refresh", book=remote, today=today, snapshot=book, out=out)
        actions = remote.json()["actions"]
        return apply(payload_, actions, start)[0], (payload_, actions)

    first, _ = click(sent, None)
    again = resent(first, book.name)
    _, unchanged = click(again, first)
    ten_marks_model(first, today)
    _, edited = click(resent(first, book.name), first)
    return {"refresh again": unchanged, "refresh after 10 marks": edited}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("book", type=Path)
    p.add_argument("--today", default="2026-11-20")
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        print(json.dumps(counts(args.book, dt.date.fromisoformat(args.today), Path(tmp))))


if __name__ == "__main__":
    main()
