"""Files kgxl writes are replaced whole: written beside the target under one temporary name, synced, then renamed
over it, so a crash leaves the old file or the new one, never half of one. The temporary name is the one place
a run can leave something behind (a kill -9): the next run on the same file removes it."""
from __future__ import annotations

import os
import shutil
from pathlib import Path


def temp_for(path: Path) -> Path:
    """The temporary file a write of path goes through (hidden on Linux and macOS by its dot)."""
    return path.with_name(f".{path.name}.kgxl-tmp")


def backup_temp_for(path: Path) -> Path:
    return temp_for(path).with_suffix(".bak-tmp")


def leftovers(path: Path) -> None:
    """Remove what a killed write of path left (call it holding the workbook's writer lock, or for a new file)."""
    for stale in (temp_for(path), backup_temp_for(path)):
        if stale.is_file():
            stale.unlink()


def not_a_folder(path: Path) -> str | None:
    """A Chinese sentence when path is taken by a folder (a file cannot replace it), else None."""
    return f"{path} 是一个文件夹，不能写成文件：请换一个文件名，或把这个文件夹改名后再试" if path.is_dir() else None


def write_atomic(path: Path, data: bytes, backup: Path | None = None) -> None:
    """path replaced by data; the file it replaces kept as backup when given. OSError as the system raised it."""
    tmp = temp_for(path)
    try:
        with tmp.open("wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if backup is not None and path.exists():
            shutil.copy2(path, backup)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
