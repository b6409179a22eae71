"""FileBook: the workbook file on disk, headless. Fast reads with python-calamine; writes that
touch only generated sheets, atomically, keeping the previous file as a backup.
"""
from __future__ import annotations

import errno
import html
import io
import math
import os
import re
import shutil
import stat
import zipfile
import zlib
from pathlib import Path
from xml.etree.ElementTree import ParseError
from xml.parsers.expat import ExpatError

from python_calamine import CalamineError, CalamineWorkbook

from kgxl.core.cells import CellError, col_index
from kgxl.core.port import FAR_GAP, RawSheet, SheetOutput, check_generated
from kgxl.io import notes
from kgxl.io.package import Parts, apply_outputs, targets, workbook_sheets, write_edited
from kgxl.io.upgrade_package import recorded_layout

_ERROR_CELL = re.compile(rb'<c\b([^>]*\bt="e"[^>]*)>(.*?)</c>', re.S)
_CELL_A = re.compile(rb'<c\b(?=[^>]*\br="A\d+")([^>]*?)(?:/>|>(.*?)</c>)', re.S)
_TYPE = re.compile(rb'\bt="(\w+)"')
_VALUE = re.compile(rb"<(?:v|t)\b[^>]*>([^<]*)</(?:v|t)>")
_ROW_NUMBER = re.compile(rb'<row\b[^>]*?\br="(\d+)"')
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_WIDE = re.compile(rb'<c\b[^>]*?\br="[A-Z]{3}')  # a cell after FAR_COLUMNS: column AAA (703) or beyond
_ROW = re.compile(rb"<row\b[^>]*?(?:/>|>.*?</row>)", re.S)
_CELLS = re.compile(rb'<c\b[^>]*?\br="([A-Z]+\d+)"[^>]*?(?:/>|>.*?</c>)', re.S)
_FAR_CELL = re.compile(rb'<c\b[^>]*?\br="([A-Z]{3,}\d+)"[^>]*?(?:/>|>.*?</c>)', re.S)
_DIMENSION = re.compile(rb"<dimension\b[^>]*/>")


class BookError(Exception):
    """The file cannot be used at all (missing, not a workbook, locked, encrypted). Message is Chinese."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


def owner_file(path: Path) -> Path | None:
    """The lock file another program keeps beside a workbook it has open, if present: Microsoft Excel's and
    WPS's owner file ~$NAME (or ~$ over the name's first two characters, as Office does for long names),
    LibreOffice's .~lock.NAME#, and .~NAME, which WPS for Linux is reported to write (not verified here)."""
    names = ("~$" + path.name, "~$" + path.name[2:], f".~lock.{path.name}#", ".~" + path.name)
    return next((path.with_name(n) for n in names if path.with_name(n).exists()), None)


OPEN_IN = {"~$": "Excel 或 WPS", ".~lock.": "LibreOffice", ".~": "WPS"}


def _open_in(lock: Path) -> str:
    return next(who for prefix, who in OPEN_IN.items() if lock.name.startswith(prefix))


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


DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError, KeyError, ValueError, UnicodeDecodeError, CalamineError,
           ExpatError, ParseError)  # defusedxml's refusals are ValueErrors


def damaged(path: Path, error: Exception) -> BookError:
    """A package that cannot be read to the end: which part, and the way out (the backup kgxl keeps)."""
    backup = backup_path(path)
    way_out = (f"可以用上次运行前保存的备份 {backup.name} 恢复（先复制一份再改名）" if backup.exists()
               else "请用您保存的备份恢复，或在 Excel 中打开并“打开并修复”")
    return BookError("damaged", f"工作簿已损坏，无法读取（{type(error).__name__}：{str(error)[:120]}）：{path}。{way_out}")


def _write_error(e: OSError, target: Path) -> BookError:
    """Why the new file could not be written, in words the user can act on; the workbook is unchanged."""
    if e.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        need = max(1, math.ceil(2 * target.stat().st_size / 2**20))
        return BookError("disk_full", f"磁盘空间不足，工作簿未修改：请在 {target.parent} 所在的磁盘上腾出至少 {need} MB "
                                      f"（新文件和备份各一份）后再运行")
    if e.errno in (errno.EACCES, errno.EPERM, errno.EROFS) and not os.access(target.parent, os.W_OK):
        return BookError("not_writable", f"没有权限在 {target.parent} 中写入，工作簿未修改：请把工作簿放到可以写入的文件夹")
    if isinstance(e, PermissionError):
        return BookError("locked", f"无法写入工作簿（可能正被 Excel 或其他程序占用）：{target}")
    return BookError("not_writable", f"无法写入工作簿（{e.strerror or e}），工作簿未修改：{target}")


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
            self._layout = recorded_layout(parts["xl/workbook.xml"])
        except (*DAMAGED, AttributeError) as e:
            raise damaged(self.path, e) from None

    def package(self) -> Path:
        """The workbook as an .xlsx/.xlsm package (for copying sheets out of it)."""
        return self.path

    def layout(self) -> str | None:
        """The layout version recorded in the workbook (kgxl.app.layout), None when it has none."""
        return self._layout

    def sheet_names(self) -> list[str]:
        return list(self._book.sheet_names)

    def read(self, name: str) -> RawSheet:
        try:
            xml = self._part(name) if name in self._parts else b""
            bounded = without_strays(xml)
            if bounded is None:
                sheet, stray = self._book.get_sheet_by_name(name), []
            else:  # never let the reader allocate the grid up to a stray far cell
                xml, stray = bounded
                sheet = self._with_part(name, xml).get_sheet_by_name(name)
            rows = sheet.to_python(skip_empty_area=False)
            merged = [tuple(map(tuple, m)) for m in (sheet.merged_cell_ranges or [])]
            _mark_errors(xml, rows)
        except DAMAGED as e:
            raise damaged(self.path, e) from None
        return RawSheet(name, rows, merged, stray)

    def notes(self, name: str) -> dict[str, tuple[str, str]]:
        """The sheet's notes (Excel comments), from the comments part its relationships name."""
        if name not in self._parts:
            return {}
        self._part(name)  # opens the package once for all reads
        try:
            parts = Parts(set(self._zip.namelist()), self._zip.read)
            found = [t for kind, t in targets(parts, self._parts[name]) if kind == notes.COMMENTS_REL and t in parts]
            return notes.parse(parts.get(found[0])) if found else {}
        except DAMAGED as e:
            raise damaged(self.path, e) from None

    def _with_part(self, name: str, xml: bytes) -> CalamineWorkbook:
        """The workbook in memory with one sheet's XML replaced (stored, not compressed: it is read once)."""
        buf = io.BytesIO()
        with zipfile.ZipFile(self.path) as zin, zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zout:
            for info in zin.infolist():
                zout.writestr(info.filename, xml if info.filename == self._parts[name] else zin.read(info))
        buf.seek(0)
        return CalamineWorkbook.from_filelike(buf)

    def _part(self, name: str) -> bytes:
        """The sheet's XML as stored in the package (one open zip for all reads: opening it reads
        its whole directory again)."""
        try:
            if self._zip is None:
                self._zip = zipfile.ZipFile(self.path)
            return self._zip.read(self._parts[name])
        except DAMAGED as e:
            raise damaged(self.path, e) from None

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

    def write(self, outputs: list[SheetOutput]) -> Path:
        """Add or replace generated sheets in one save. Returns the backup path."""
        check_generated(outputs)
        return self.edit(lambda parts: apply_outputs(parts, outputs))

    def edit(self, change) -> Path:
        """Replace the workbook by a copy with change(parts) applied (kgxl.io.package.Parts), atomically, the old
        file kept as the backup. Returns the backup path.

        A symlinked workbook updates its target (the link stays a link); the new file keeps the old one's
        permissions; a read-only workbook, or one open in another program, is refused and left as it is."""
        target = self.path.resolve()
        lock = owner_file(self.path) or owner_file(target)
        if lock:
            raise BookError("locked", f"工作簿正在 {_open_in(lock)} 中打开（发现 {lock.name}），请先关闭后再运行；"
                                      f"在 Excel 中也可以点击“后勤助手”按钮")
        if not stat.S_IMODE(target.stat().st_mode) & 0o222:
            raise BookError("read_only", f"工作簿是只读文件，kgxl 不会替换它：{self.path}。如需写入，请在文件属性中取消"
                                         f"“只读”后再运行")
        tmp = target.with_name(f".{target.name}.kgxl-tmp")
        backup = backup_path(target)
        self._close()
        try:
            write_edited(target, tmp, change)
            with tmp.open("rb+") as f:
                os.fsync(f.fileno())
            shutil.copymode(target, tmp)
            shutil.copy2(target, tmp.with_suffix(".bak-tmp"))
            os.replace(tmp.with_suffix(".bak-tmp"), backup)
            os.replace(tmp, target)
        except OSError as e:
            if e.errno is None:  # raised by kgxl's own code, not by the system: a fault for the maintainers
                raise
            raise _write_error(e, target) from None
        except DAMAGED as e:
            raise damaged(self.path, e) from None
        finally:
            for leftover in (tmp, tmp.with_suffix(".bak-tmp")):
                if leftover.exists():
                    leftover.unlink()
        self.__init__(self.path)
        return backup


def _mark_errors(xml: bytes, rows: list[list]) -> None:
    """python-calamine reads error cells as ''; put the error text back from the sheet XML."""
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


def without_strays(xml: bytes) -> tuple[bytes, list[tuple[str, str]]] | None:
    """None for a compact sheet (nearly always: two cheap looks at its XML). Else the XML without the cells far from
    the rest, and those cells: rows after a gap of more than FAR_GAP empty rows, and cells in column AAA or beyond."""
    last = xml.rfind(b"<row ")
    m = _ROW_NUMBER.match(xml, last) if last >= 0 else None
    if not (m and int(m.group(1)) > FAR_GAP + 10 * xml.count(b"<row ")) and not _WIDE.search(xml):
        return None
    rows = [(int(_ROW_NUMBER.match(r.group(0)).group(1)), r) for r in _ROW.finditer(xml)]
    numbers = sorted(n for n, _ in rows)
    cut = next((b for a, b in zip(numbers, numbers[1:]) if b - a > FAR_GAP), None)
    stray, out, pos = [], [], 0
    for n, r in rows:
        out.append(xml[pos:r.start()])
        pos = r.end()
        if cut is not None and n >= cut:
            stray += [(c.group(1).decode(), _shown(c.group(0))) for c in _CELLS.finditer(r.group(0))]
            continue
        kept = r.group(0)
        for far in _FAR_CELL.finditer(kept):
            stray.append((far.group(1).decode(), _shown(far.group(0))))
        out.append(_FAR_CELL.sub(b"", kept))
    out.append(xml[pos:])
    return _DIMENSION.sub(b"", b"".join(out)), [s for s in stray if s[1]]


def _shown(cell: bytes) -> str:
    """A far cell's value as the user might recognise it ("" when it holds none; a shared string by its kind)."""
    v = _VALUE.search(cell)
    if not v:
        return ""
    if re.match(rb'<c\b[^>]*\bt="s"', cell):
        return "（文字）"
    return html.unescape(v.group(1).decode("utf-8", "replace"))[:30]
