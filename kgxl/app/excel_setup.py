"""`kgxl setup-excel`: point a workbook's 后勤助手 buttons at the Python kgxl is installed in (the xlwings.conf
sheet's Interpreter_Win or Interpreter_Mac), as the install scripts do after `kgxl new`. One locked, atomic write
with a backup, like every write."""
from __future__ import annotations

import sys
from pathlib import Path

from kgxl.app.layout import CONF_SHEET
from kgxl.core.actions import UserError
from kgxl.io.filebook import FileBook
from kgxl.io.package import workbook_sheets
from kgxl.io.render import inline_text
from kgxl.io.sheet_xml import set_cell

KEYS = {"win32": "Interpreter_Win", "darwin": "Interpreter_Mac"}


def setup_excel(path: Path, python: str | None = None, platform: str = sys.platform) -> str:
    """Writes the interpreter path for this platform; returns (key, path) in words."""
    key = KEYS.get(platform)
    if key is None:
        raise UserError("Excel 的后勤助手按钮只在 Windows 和 macOS 上使用；本机请使用后勤助手网页")
    python = python or sys.executable
    book = FileBook(path)
    if CONF_SHEET not in book.sheet_names():
        raise UserError(f"工作簿中没有 {CONF_SHEET} 表（不是后勤助手的主工作簿，或是旧版本：请先升级工作簿）")
    rows = book.read(CONF_SHEET).rows
    found = [i for i, r in enumerate(rows) if r and r[0] == key]
    row = found[0] + 1 if found else len(rows) + 1

    def edit(parts):
        part = {e.name: e.part for e in workbook_sheets({n: parts.get(n) for n in ("xl/workbook.xml",
                                                                                     "xl/_rels/workbook.xml.rels")})}
        xml = parts.get(part[CONF_SHEET])
        if not found:
            xml = set_cell(xml, f"A{row}", inline_text(f"A{row}", key))
        parts.put(part[CONF_SHEET], set_cell(xml, f"B{row}", inline_text(f"B{row}", python)))
    book.edit(edit)
    return f"已设置 {path.name} 的后勤助手按钮使用的 Python：{python}（{CONF_SHEET} 表 {key}）"
