"""Entry points of the ribbon buttons: RunPython calls run(action id) (see kgxl.app.ribbon.command).

The same use case as the CLI runs on the open workbook through ExcelBook; the user sees the
status bar while it works and a Chinese message box at the end. A user error (bad data, a missing
sheet, a month outside the term) is a message; an unexpected fault is a short message naming the
log file that holds the traceback.

On Windows the buttons run in xlwings' persistent Python (xlwings.conf's USE UDF SERVER): this module stays
imported between clicks, so a click after kgxl was reinstalled would run the old code; it is refused instead.
Nothing else is kept between clicks: every run reads the workbook afresh, and the caches (kgxl's shipped tables
and schemas) hold only what ships with the code.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from kgxl.app.runner import log_fault
from kgxl.app.session import action_of, run_in_book
from kgxl.core.actions import UserError, parse_param
from kgxl.core.problems import counts
from kgxl.io.excelbook import ExcelBook
from kgxl.io.filebook import BookError

TITLE = "后勤助手"
PACKAGE = Path(__file__).parent
STALE = ("后勤助手的程序在 Excel 打开之后被重新安装或升级了，正在运行的还是旧程序。请保存工作簿，关闭 Excel，"
         "再重新打开工作簿后点按钮。")


def fingerprint() -> tuple:
    """kgxl's files as installed (name, size, mtime, inode): a reinstall or upgrade changes it."""
    out = []
    for p in sorted(PACKAGE.rglob("*.py")):
        st = p.stat()
        out.append((str(p.relative_to(PACKAGE)), st.st_size, st.st_mtime_ns, st.st_ino))
    return tuple(out)


LOADED = fingerprint()  # the code this process runs


def _status(book, text) -> None:
    try:
        book.app.status_bar = text
    except NotImplementedError:  # engines without a status bar (xlwings' remote engine)
        pass


def message(action, result, written: list[str]) -> str:
    """The message box text: what was done, how many problems, where to look."""
    lines = [result.summary]
    if action.validates:
        errors, warnings = counts(result.problems)
        lines.append(f"错误 {errors} 个，警告 {warnings} 个" + ("，详见“校验结果”表。" if errors or warnings else "。"))
    if written:
        lines.append("已写入：" + "、".join(written))
    return "\n".join(lines)


def run(action_id: str, book=None, today: dt.date | None = None, snapshot: Path | None = None,
        out: Path | None = None, **options) -> str:
    """Run a registered action on the workbook that called (or on book), write its sheets and
    show the message box; returns the message. today, snapshot, out and options (full=True) are for tests."""
    import xlwings as xw

    book = book or xw.Book.caller()
    action = action_of(action_id)
    if fingerprint() != LOADED:
        book.app.alert(STALE, title=f"{TITLE} · {action.label}", mode="critical")
        return STALE
    _status(book, f"后勤助手：正在{action.label}……")
    try:
        excel = ExcelBook(book, snapshot)
        asked = {p.name: parse_param(p, options[p.name]) for p in action.params if isinstance(options.get(p.name), str)}
        params = ({"today": today} if today else {}) | options | asked
        if out:
            params["out"] = out
        done = run_in_book(action_id, excel, params)
        text = message(action, done.result, done.written)
        book.app.alert(text, title=f"{TITLE} · {action.label}")
    except (UserError, BookError) as e:
        text = f"无法{action.label}：{e}"
        book.app.alert(text, title=f"{TITLE} · {action.label}", mode="critical")
    except Exception:
        path = log_fault(f"excel {action_id}")
        text = f"后勤助手内部错误，您填写的输入表未被改动。详细信息已记录到 {path}，请发给维护人员。"
        book.app.alert(text, title=f"{TITLE} · {action.label}", mode="critical")
    finally:
        _status(book, False)
    return text
