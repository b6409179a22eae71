"""The web page started from Excel (the ribbon's 升级工作簿): `kgxl ui BOOK`, the page with that workbook in use,
started on its own as 后勤助手.bat starts it (its own console window on Windows, which stops the page when closed),
so that it outlives the Python of the click that started it."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def page_command(book: Path) -> list[str]:
    """`python -m kgxl ui BOOK` with this install's Python: python.exe beside pythonw.exe (xlwings' server may run
    under the windowless one, which would leave the page's console invisible)."""
    python = Path(sys.executable)
    console = python.with_name("python.exe")
    if python.name.lower() == "pythonw.exe" and console.exists():
        python = console
    return [str(python), "-m", "kgxl", "ui", str(book)]


def log_file() -> Path:
    """Where the page's address goes off Windows (no console window there): the user's cache folder."""
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Logs" / "kgxl" / "ui.log"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "kgxl" / "ui.log"


def open_page(book: Path) -> subprocess.Popen:
    if sys.platform == "win32":
        return subprocess.Popen(page_command(book), creationflags=subprocess.CREATE_NEW_CONSOLE, cwd=book.parent)
    log = log_file()
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w", encoding="utf-8") as out:
        return subprocess.Popen(page_command(book), start_new_session=True, cwd=book.parent, stdout=out,
                                stderr=subprocess.STDOUT)
