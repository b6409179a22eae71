"""One writer at a time per workbook: an OS lock on a small file beside it, held from reading the workbook to
replacing it, so two runs (two buttons, the command line and a scheduled job) cannot both compute from the same
old file and lose one result. A second writer waits up to WAIT seconds, then gets a Chinese BookError (exit 2).
The lock file is removed when the run ends, so the folder keeps only the workbook and its backup: the holder
deletes it while still holding the lock, and a writer that got the lock checks that its file is still the one at
that name (else a third writer could lock a new file while it holds the deleted one) and tries again. Holding
the lock, a writer removes what a killed run left (kgxl.io.atomic.leftovers). The OS releases the lock when a
process dies, so a crash never leaves the book locked; its lock file is removed by the next run."""
from __future__ import annotations

import contextlib
import os
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from kgxl.io.atomic import leftovers

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
    held = _HELD.__dict__.setdefault("paths", set())
    if not book.is_file() or lock_path(book) in held:  # nothing to lock (opening it will say why), or held already
        yield
        return
    wait = WAIT if wait is None else wait
    path = lock_path(book)
    deadline = time.monotonic() + wait
    fd = _acquire(path, book, wait, deadline)
    held.add(path)
    try:
        leftovers(book.resolve())
        yield
    finally:
        held.discard(path)
        if os.name != "nt":  # removed while held: a waiter that then gets the lock sees its file gone and retries
            with contextlib.suppress(OSError):
                os.unlink(path)
        _release(fd)
        os.close(fd)
        if os.name == "nt":  # an open file cannot be removed on Windows: after closing, if nobody took it meanwhile
            with contextlib.suppress(OSError):
                os.unlink(path)


def _acquire(path: Path, book: Path, wait: float, deadline: float) -> int:
    """An open descriptor of the lock file at path, locked; BookError when it cannot be made or stays held."""
    from kgxl.io.filebook import BookError

    while True:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as e:
            raise BookError("not_writable", f"无法在工作簿所在的文件夹中写入（{e.strerror}）：{path.parent}") from None
        if os.name == "nt":  # a dot does not hide a file on Windows
            import ctypes
            ctypes.windll.kernel32.SetFileAttributesW(str(path), 2)  # FILE_ATTRIBUTE_HIDDEN
        while not _try(fd):
            if time.monotonic() > deadline:
                os.close(fd)
                raise BookError("busy", f"另一个 kgxl 操作正在写入这个工作簿，等待 {wait:.0f} 秒后仍未结束：请稍后再试"
                                        f"（{book}）")
            time.sleep(0.1)
        if _same_file(fd, path):
            return fd
        _release(fd)  # the holder removed it on leaving: lock the file now at that name
        os.close(fd)


def _same_file(fd: int, path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(fd), os.stat(path))
    except OSError:
        return False
