"""One writer at a time per workbook: an OS lock on a small file beside it, held from reading the workbook to
replacing it, so two runs (two buttons, the command line and a scheduled job) cannot both compute from the same
old file and lose one result. A second writer waits up to WAIT seconds, then gets a Chinese BookError (exit 2).
The lock file stays after the run: deleting it would let a third writer lock a new file while a second still
waits on the old one. The OS releases the lock when a process dies, so a crash never leaves the book locked."""
from __future__ import annotations

import os
import threading
import time
from contextlib import contextmanager
from pathlib import Path

WAIT = 30.0  # seconds: a refresh of a big workbook takes a few


def lock_path(book: Path) -> Path:
    real = book.resolve()
    return real.with_name(f".{real.name}.kgxl-lock")


def _try(fd: int) -> bool:
    try:
        if os.name == "nt":
            import msvcrt
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False


def _release(fd: int) -> None:
    if os.name == "nt":
        import msvcrt
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    else:
        import fcntl
        fcntl.flock(fd, fcntl.LOCK_UN)


_HELD = threading.local()  # the lock files this thread holds: a run inside a run (upgrade, then 刷新汇总) holds it once


@contextmanager
def writer_lock(book: Path, wait: float | None = None):
    from kgxl.io.filebook import BookError

    held = _HELD.__dict__.setdefault("paths", set())
    if not book.is_file() or lock_path(book) in held:  # nothing to lock (opening it will say why), or held already
        yield
        return
    wait = WAIT if wait is None else wait
    path = lock_path(book)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as e:
        raise BookError("not_writable", f"无法在工作簿所在的文件夹中写入（{e.strerror}）：{path.parent}") from None
    if os.name == "nt":  # a dot does not hide a file on Windows
        import ctypes
        ctypes.windll.kernel32.SetFileAttributesW(str(path), 2)  # FILE_ATTRIBUTE_HIDDEN
    try:
        deadline = time.monotonic() + wait
        while not _try(fd):
            if time.monotonic() > deadline:
                raise BookError("busy", f"另一个 kgxl 操作正在写入这个工作簿，等待 {wait:.0f} 秒后仍未结束：请稍后再试"
                                        f"（{book}）")
            time.sleep(0.1)
        held.add(path)
        try:
            yield
        finally:
            held.discard(path)
            _release(fd)
    finally:
        os.close(fd)
