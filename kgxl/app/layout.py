"""Which version of the workbook's layout a kgxl release expects, and the hint an older workbook gets.

The layout is a digest of what a workbook must hold for this release: every input sheet's name and headers (or
items), the actions the ribbon offers and the VBA dispatcher behind them. `kgxl new`, `new-term`, `build-workbook`
and `upgrade` record it in the workbook (a hidden defined name); a workbook with another (or, for a kgxl master
workbook, none) is told to run `kgxl upgrade`."""
from __future__ import annotations

import hashlib
from importlib import resources

from kgxl.app.registry import current
from kgxl.core.problems import ERROR, WARNING, Problem

CONF_SHEET = "xlwings.conf"  # the sheet every kgxl master workbook has


def layout_of(actions) -> str:
    """The digest of the input sheets and of the actions given (kgxl.app.pipeline.layout: this release's)."""
    h = hashlib.sha256()
    for s in current().inputs:
        h.update(f"{s.sheet}\t{s.kind}\t{'|'.join(c.header for c in s.fields)}\n".encode())
    for a in actions:
        h.update(f"{a.id}\t{a.label}\t{a.group}\t{a.image}\t{a.help}\n".encode())
    h.update(resources.files("kgxl").joinpath("vba", "Kgxl.bas").read_bytes())
    return h.hexdigest()[:12]


def upgrade_hint(book, problems: list[Problem], settings_sheet: str, expected: str) -> list[Problem]:
    """One problem saying the workbook needs `kgxl upgrade`: an 错误 when a sheet or column it lacks is the cause
    of another 错误, else a 警告 (it still works, without what this release added)."""
    if not hasattr(book, "layout"):  # an adapter that cannot read the record (live Excel): nothing to say
        return []
    recorded = book.layout()
    if recorded == expected or (recorded is None and CONF_SHEET not in book.sheet_names()):
        return []
    lacking = any(p.code in ("missing_sheet", "missing_column") and p.severity == ERROR for p in problems)
    return [Problem(settings_sheet, "", "", "", "needs_upgrade",
                    "这个工作簿由旧版后勤助手生成，请先升级：关闭 Excel，在后勤助手网页上打开这个工作簿，点“升级工作簿”"
                    "（保留您填写的全部内容，原文件会备份）",
                    ERROR if lacking else WARNING)]
