"""One way to run an action, for every front (the command line, the web page, the Excel buttons): take the workbook's
writer lock, run 刷新汇总 first when asked (导出上报 --refresh; it stops on its 错误), perform the action with its
运行日志 row, let the front prepare what it will show, then commit: files staged, the workbook saved once, the files
put in place. The fronts only translate their input into (action, params) and the Run into what they show."""
from __future__ import annotations

from contextlib import nullcontext
from pathlib import Path
from typing import Callable

from kgxl.app.book_buttons import BUTTONS
from kgxl.app.pipeline import ACTIONS
from kgxl.app.runner import Run, perform
from kgxl.core.actions import Action
from kgxl.core.port import Workbook
from kgxl.core.problems import has_errors
from kgxl.io.filebook import FileBook
from kgxl.io.writer_lock import writer_lock


def action_of(action_id: str) -> Action:
    """A registered action or one of the ribbon's own buttons (kgxl.app.book_buttons)."""
    return BUTTONS.get(action_id) or ACTIONS[action_id]


def run_on_file(action_id: str, path: Path, params: dict, write: bool | None = None, front: str = "",
                show: Callable[[Run], object] | None = None) -> list[tuple[Run, object]]:
    """The action on the workbook file at path: each run made (刷新汇总 first when asked, then the action unless
    刷新汇总 found 错误) with what show(run) made of it before the file was touched (a fault there leaves the workbook
    as it was); the action's own run last. write: None for the action's own default."""
    action = ACTIONS[action_id]
    write = action.writes_by_default if write is None else write
    done = []
    # a writer holds the lock from reading the workbook to replacing it: no other run computes from the same file
    with writer_lock(path) if write else nullcontext():
        if params.get("refresh"):
            done.append(_once("refresh", FileBook(path), {k: params.get(k) for k in ("month", "today")}, True,
                              front, show))
            if has_errors(done[-1][0].result.problems):
                return done
            params = {**params, "refresh": False}
        done.append(_once(action_id, FileBook(path), params, write, front, show))
    return done


def run_in_book(action_id: str, book: Workbook, params: dict, front: str = "") -> Run:
    """The action on a workbook open in Excel (ExcelBook): Excel holds the file, so no lock and no refresh first."""
    return _once(action_id, book, params, True, front, None)[0]


def _once(action_id: str, book: Workbook, params: dict, write: bool, front: str, show) -> tuple[Run, object]:
    run = perform(action_of(action_id), book, params, write, front=front)
    shown = show(run) if show else None
    run.commit(book)
    return run, shown
