"""FileBook: the workbook file on disk, headless. Fast reads with python-calamine; writes that
touch only generated sheets, atomically, keeping the previous file as a backup.
"""
from __future__ import annotations

import html
import os
import re
import shutil
import zipfile
from pathlib import Path

from python_calamine import CalamineWorkbook

from kgxl.core.cells import CellError, col_index
from kgxl.core.port import RawSheet, SheetOutput, check_generated
from kgxl.io.package import workbook_sheets, write_package

_ERROR_CELL = re.compile(rb'<c\b([^>]*\bt="e"[^>]*)>(.*?)</c>', re.S)
_CELL_A = re.compile(rb'<c\b(?=[^>]*\br="A\d+")([^>]*?)(?:/>|>(.*?)</c>)', re.S)
_TYPE = re.compile(rb'\bt="(\w+)"')
_VALUE = re.compile(rb"<(?:v|t)\b[^>]*>([^<]*)</(?:v|t)>")
_ROW_NUMBER = re.compile(rb'<row\b[^>]*?\br="(\d+)"')
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class BookError(Exception):
    """The file cannot be used at all (missing, not a workbook, locked, encrypted). Message is Chinese."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


def owner_file(path: Path) -> Path | None:
    """Excel's lock file (~$name) beside an open workbook, if present."""
    for candidate in (path.with_name("~$" + path.name), path.with_name("~$" + path.name[2:])):
        if candidate.exists():
            return candidate
    return None


def backup_path(path: Path) -> Path:
    return path.with_name(f"{path.stem}.backup{path.suffix}")


def _check_readable(path: Path) -> None:
    if not path.exists():
        raise BookError("missing", f"找不到文件：{path}")
    if path.is_dir():
        raise BookError("not_a_workbook", f"这是一个文件夹，不是工作簿：{path}")
    try:
        with path.open("rb") as f:
            head = f.read(8)
            f.seek(0)
            blob = f.read() if head == _OLE_MAGIC else b""
    except PermissionError:
        raise BookError("locked", f"无法读取文件（可能正被 Excel 或其他程序占用）：{path}") from None
    if head == _OLE_MAGIC:
        if "EncryptionInfo".encode("utf-16-le") in blob:
            raise BookError("encrypted", f"工作簿设置了打开密码，请在 Excel 中取消密码后再试：{path}")
        raise BookError("not_a_workbook", f"这是旧版 .xls 文件，请在 Excel 中另存为 .xlsm 后再试：{path}")
    if not zipfile.is_zipfile(path):
        raise BookError("not_a_workbook", f"不是 Excel 工作簿（.xlsx/.xlsm）：{path}")


class FileBook:
    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self._zip: zipfile.ZipFile | None = None
        _check_readable(self.path)
        try:
            self._book = CalamineWorkbook.from_path(str(self.path))
            with zipfile.ZipFile(self.path) as z:
                parts = {n: z.read(n) for n in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels")}
            self._parts = {e.name: e.part for e in workbook_sheets(parts)}
        except (zipfile.BadZipFile, KeyError, ValueError, AttributeError) as e:
            raise BookError("not_a_workbook", f"工作簿文件已损坏或不是 Excel 工作簿：{self.path}（{e}）") from None

    def package(self) -> Path:
        """The workbook as an .xlsx/.xlsm package (for copying sheets out of it)."""
        return self.path

    def sheet_names(self) -> list[str]:
        return list(self._book.sheet_names)

    def read(self, name: str) -> RawSheet:
        sheet = self._book.get_sheet_by_name(name)
        rows = sheet.to_python(skip_empty_area=False)
        merged = [tuple(map(tuple, m)) for m in (sheet.merged_cell_ranges or [])]
        self._mark_errors(name, rows)
        return RawSheet(name, rows, merged)

    def _part(self, name: str) -> bytes:
        """The sheet's XML as stored in the package (one open zip for all reads: opening it reads
        its whole directory again)."""
        if self._zip is None:
            self._zip = zipfile.ZipFile(self.path)
        return self._zip.read(self._parts[name])

    def _close(self) -> None:
        if self._zip is not None:  # Windows cannot replace a file that is open
            self._zip.close()
            self._zip = None

    def tail(self, name: str) -> tuple[int, object]:
        """The last row with a value and its column-A value, from the end of the sheet's XML (an
        append-only log need not be parsed whole)."""
        xml = self._part(name)
        end = xml.rfind(b"</sheetData>")
        while end > 0 and (start := xml.rfind(b"<row ", 0, end)) >= 0:
            row, end = xml[start:end], start
            if b"<v>" not in row and b"<is>" not in row:
                continue  # a row with formatting only
            number = int(_ROW_NUMBER.match(row).group(1))
            cell = _CELL_A.search(row)
            if not cell or not (value := _VALUE.search(cell.group(2) or b"")):
                return number, None
            kind = _TYPE.search(cell.group(1))
            kind = kind.group(1) if kind else b"n"
            if kind == b"s":  # shared strings live elsewhere: read the sheet the usual way
                return number, self.read(name).rows[number - 1][0]
            text = html.unescape(value.group(1).decode("utf-8"))
            if kind != b"n":
                return number, text
            n = float(text)
            return number, int(n) if n.is_integer() else n
        return 0, None

    def _mark_errors(self, name: str, rows: list[list]) -> None:
        """python-calamine reads error cells as ''; put the error text back from the sheet XML."""
        if name not in self._parts:
            return
        xml = self._part(name)
        if b't="e"' not in xml:
            return
        for attrs, body in _ERROR_CELL.findall(xml):
            ref = re.search(rb'\br="([A-Z]+)(\d+)"', attrs)
            value = re.search(rb"<v>([^<]*)</v>", body)
            if not ref or not value:
                continue
            r, c = int(ref.group(2)) - 1, col_index(ref.group(1).decode())
            while len(rows) <= r:
                rows.append([])
            row = rows[r]
            row.extend([""] * (c + 1 - len(row)))
            row[c] = CellError(value.group(1).decode("utf-8"))

    def write(self, outputs: list[SheetOutput]) -> Path:
        """Add or replace generated sheets in one save. Returns the backup path."""
        check_generated(outputs)
        lock = owner_file(self.path)
        if lock:
            raise BookError("locked", f"工作簿正在 Excel 中打开（发现 {lock.name}），请先关闭后再运行；"
                                      f"或在 Excel 中点击“后勤助手”按钮")
        tmp = self.path.with_name(f".{self.path.name}.kgxl-tmp")
        backup = backup_path(self.path)
        self._close()
        try:
            write_package(self.path, tmp, outputs)
            with tmp.open("rb+") as f:
                os.fsync(f.fileno())
            shutil.copy2(self.path, tmp.with_suffix(".bak-tmp"))
            os.replace(tmp.with_suffix(".bak-tmp"), backup)
            os.replace(tmp, self.path)
        except PermissionError:
            raise BookError("locked", f"无法写入工作簿（可能正被 Excel 或其他程序占用）：{self.path}") from None
        finally:
            for leftover in (tmp, tmp.with_suffix(".bak-tmp")):
                if leftover.exists():
                    leftover.unlink()
        self.__init__(self.path)
        return backup
