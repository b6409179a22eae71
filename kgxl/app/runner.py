"""Running an action for a front end (CLI, ribbon): the action's result, plus its 运行日志 row, plus
the order of writes that keeps the workbook and the files beside it consistent.
"""
from __future__ import annotations

import datetime as dt
import gc
import getpass
import os
import tempfile
import time
import traceback
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from kgxl import __version__
from kgxl.app.run_log import DigestBook, csv_path, spill, update
from kgxl.core.actions import OUT, TODAY, Action, Param, Result, UserError
from kgxl.core.money import half_up
from kgxl.core.port import SheetOutput, Workbook
from kgxl.core.problems import counts
from kgxl.io.atomic import not_a_folder, temp_for

# the front ends' fault log: a short message for the user, the traceback here for the maintainers
LOG_PATH = Path(tempfile.gettempdir()) / "kgxl" / "kgxl.log"


def log_fault(context: str) -> Path:
    """Append the traceback being handled to the log file, for the maintainers; returns the file."""
    LOG_PATH.parent.mkdir(parents=True, exist_ok=True)
    with LOG_PATH.open("a", encoding="utf-8") as f:
        f.write(f"{dt.datetime.now():%Y-%m-%d %H:%M:%S} kgxl {__version__} {context}\n{traceback.format_exc()}\n")
    return LOG_PATH


def user_name() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some service accounts
        return os.environ.get("USERNAME") or os.environ.get("USER") or "未知"


def _param_text(params: dict, declared: tuple[Param, ...]) -> str:
    """The parameters as 运行日志's 参数 shows them: 月份 2026-11；统计日 2026-11-20 (a flag by its name alone)."""
    labels = {p.name: p.shown for p in (TODAY, OUT, *declared)}  # today and out: what any front may pass

    def show(k, v):
        if v is True:
            return labels.get(k, k)
        if isinstance(v, (list, tuple)):
            v = "、".join(map(str, v))
        return f"{labels.get(k, k)} {v.isoformat() if isinstance(v, dt.date) else v}"
    return "；".join(show(k, v) for k, v in params.items() if v not in (None, False, [], ()))


@dataclass
class Run:
    action: Action
    result: Result
    outputs: list[SheetOutput]  # generated sheets to write, the log included; empty for a read-only run
    files: list[tuple[Path, bytes]] = field(default_factory=list)  # files written beside the workbook
    log_moved: list[list] = field(default_factory=list)
    log_csv: Path | None = None

    @property
    def written(self) -> list[str]:
        return [o.name for o in self.outputs if not o.retitle] + [p.name for p, _ in self.files]

    def commit(self, book: Workbook) -> None:
        """Files are staged, the workbook saved once, then the files put in place: a workbook that
        cannot be saved (open in Excel) leaves no new file behind."""
        if self.log_moved and self.log_csv:
            spill(self.log_moved, self.log_csv)
        staged = []
        for path, _ in self.files:  # before anything is written: a file cannot replace a folder
            if folder := not_a_folder(path):
                raise UserError(folder + "；工作簿未修改")
        try:
            for path, data in self.files:
                tmp = temp_for(path)
                try:
                    path.parent.mkdir(parents=True, exist_ok=True)  # an export folder the user named, made
                    tmp.write_bytes(data)
                except OSError as e:  # a folder the user may not write, a disk full, a name too long
                    raise UserError(f"无法在 {path.parent} 中写入 {path.name}（{e.strerror or e}）：请换一个可以写入的文件夹，"
                                    "或腾出磁盘空间后再试；工作簿未修改") from None
                staged.append((tmp, path))
            if self.outputs:
                book.write(self.outputs)
            for tmp, path in staged:
                os.replace(tmp, path)
        finally:
            for tmp, _ in staged:
                if tmp.exists():
                    tmp.unlink()


@contextmanager
def fewer_collections():
    """Python's cycle collector by default runs every 700 new containers and then walks the young ones: reading a
    book makes millions (every row a list, every value kept to the end), so it ran thousands of times for nothing
    (a tenth of a validation at 600 children). A run raises the threshold and puts it back; cycles are still
    collected, in fewer passes."""
    before = gc.get_threshold()
    gc.set_threshold(100_000, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def perform(action: Action, book: Workbook, params: dict, write: bool = True, now: dt.datetime | None = None,
            front: str = "") -> Run:
    """Run the action; when it writes, add its row to 运行日志 (its 操作 says the front, 网页, when given). Files go
    to params["out"] when given, else beside the workbook."""
    start = time.perf_counter()
    reading = DigestBook(book)
    with fewer_collections():
        result = action.run(reading, **params)
    path = getattr(book, "path", None)
    out_dir = params.get("out")
    folder = out_dir or (path.parent if path else Path.cwd())
    files = [(folder / name, data) for name, data in result.files]
    if not (write and (result.outputs or files)):
        return Run(action, result, [])
    outputs = list(result.outputs)
    log_csv = csv_path(path) if path else None
    e, w = counts(result.problems)
    # a sheet only marked 已过期 was not computed by this run: the log (provenance) must not say it was written
    names = [o.name for o in outputs if not o.retitle] + [str(p) if out_dir else p.name for p, _ in files]
    stamp = (now or dt.datetime.now()).strftime("%Y-%m-%d %H:%M:%S")
    entry = [stamp, f"{action.label}（{front}）" if front else action.label, _param_text(params, action.params) or None,
             user_name(), e, w, "、".join(names), float(half_up(time.perf_counter() - start, 2)), __version__,
             reading.digest() or None]
    log = update(book, entry, log_csv.name if log_csv else "运行日志.csv")
    return Run(action, result, [*outputs, log.sheet], files, log.moved, log_csv)
