"""`kgxl upgrade`: an older kgxl workbook brought to this version, every value the user typed kept.

This module decides what the workbook lacks against the schemas (sheets, columns, 基本信息 items) and what of this
version it takes (VBA project, ribbon, the layout record); kgxl.io.upgrade_package does the surgery, in one atomic
write with the old file kept as the backup. Reports are then rebuilt by 刷新汇总 (the CLI runs it next)."""
from __future__ import annotations

import zipfile
from pathlib import Path

from kgxl.app import ribbon
from kgxl.app.books import CONF, book_bytes
from kgxl.app.layout import CONF_SHEET
from kgxl.app.pipeline import layout
from kgxl.app.registry import current
from kgxl.core.cells import norm
from kgxl.core.port import Block, SheetOutput
from kgxl.core.reading import find_header
from kgxl.io.ovba import vba_project
from kgxl.io.package import TYPES, VBA_PART
from kgxl.io.upgrade_package import Upgrade, macro_enabled


def macros_of(path) -> str:
    """"vba": the workbook has a VBA project; "none": an .xlsm without one (the first releases'); "xlsx": no macros."""
    with zipfile.ZipFile(path) as z:
        if VBA_PART in z.namelist():
            return "vba"
        return "none" if macro_enabled(z.read(TYPES)) else "xlsx"


def plan(book) -> Upgrade:
    names = set(book.sheet_names())
    u = Upgrade(layout())
    master = macros_of(book.path) != "xlsx"
    previous, missing = None, []
    for s in current().inputs:
        if s.monthly:
            continue
        if s.sheet not in names:
            u.sheets.append((s.sheet, previous))
            missing.append(s.key)
        elif s.kind == "keyvalue":
            labels = {norm(r[0]) for r in book.read(s.sheet).rows if r and isinstance(r[0], str)}
            new = [[i.header, None, i.help] for i in s.items if norm(i.header) not in labels]
            if new:
                u.appends.append(SheetOutput(s.sheet, [Block([None] * 3, new)], append=True, replaces_input=True))
        else:
            rows = book.read(s.sheet).rows
            r, found = find_header(rows, {norm(c.header) for c in s.columns})
            lacking = [(c.header, c.width) for c in s.columns if norm(c.header) not in found]
            if lacking and found:  # a sheet without any of its headers is the user's to look at
                u.columns[s.sheet] = (r + 1, lacking)
        previous = s.sheet
    if CONF_SHEET in names:  # settings this version adds; the user's own (the interpreter's path) stay
        keys = {str(r[0]).upper() for r in book.read(CONF_SHEET).rows if r and r[0]}
        new = [[k, v] for k, v in CONF.items() if k.upper() not in keys]
        if new:
            u.appends.append(SheetOutput(CONF_SHEET, [Block([None] * 2, new)], append=True, replaces_input=True))
    if master and CONF_SHEET not in names:  # the first releases' books: xlwings' settings sheet comes with the VBA
        u.sheets.append((CONF_SHEET, None))
        u.hidden.append(CONF_SHEET)
    if u.sheets:
        reference = current().reference_rows()
        u.donor = book_bytes({k: reference.get(k, []) for k in missing}, {}, macros=CONF_SHEET in u.hidden)
    u.vba = lambda code_names: vba_project(ribbon.modules(code_names))
    u.custom_ui = ribbon.custom_ui()
    return u


MACROS_SAID = {"vba": ("后勤助手按钮和宏已更新为当前版本。", "后勤助手按钮和宏将更新为当前版本。"),
               "none": ("已添加后勤助手按钮和宏（原工作簿没有）。", "将添加后勤助手按钮和宏（原工作簿没有）。"),
               "xlsx": ("工作簿不含宏（.xlsx），按钮未添加。", "工作簿不含宏（.xlsx），不会添加按钮。")}


def describe(u: Upgrade, macros: str, done: bool = True) -> str:
    """What the upgrade adds, in words: done, or (done=False) still to do. macros: as macros_of says."""
    lines = []
    shown = [n for n, _ in u.sheets if n not in u.hidden]
    if shown:
        lines.append("新增工作表：" + "、".join(shown))
    for sheet, (_, headers) in u.columns.items():
        lines.append(f"“{sheet}”新增列（加在最后一列之后）：" + "、".join(h for h, _ in headers))
    for out in u.appends:
        lines.append(f"“{out.name}”新增项目：" + "、".join(r[0] for r in out.blocks[0].rows))
    lines.append(MACROS_SAID[macros][0 if done else 1])
    return "\n".join(lines)


def upgrade_book(path: Path) -> str | None:
    """The workbook at path upgraded in one locked, atomic write (the old file kept as the backup); what was added,
    in words, or None when it is of this version already. The caller refreshes the reports next."""
    from kgxl.io.filebook import FileBook
    from kgxl.io.upgrade_package import apply_upgrade
    from kgxl.io.writer_lock import writer_lock

    with writer_lock(path):
        book = FileBook(path)
        if book.layout() == layout():
            return None
        u, macros = plan(book), macros_of(book.path)
        backup = book.edit(lambda parts: apply_upgrade(parts, u))
    return f"已升级：{path}（原文件备份为 {backup.name}）\n" + describe(u, macros)


def pending(path: Path) -> str | None:
    """What an upgrade would add, in words (None when the workbook is of this version), the file untouched."""
    from kgxl.io.filebook import FileBook

    book = FileBook(path)
    if book.layout() == layout():
        return None
    return describe(plan(book), macros_of(book.path), done=False)
