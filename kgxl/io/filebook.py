"""FileBook: the workbook file on disk, headless. Fast reads with python-calamine; writes that
touch only generated sheets, atomically, keeping the previous file as a backup.
"""
from __future__ import annotations

import errno
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

from kgxl.core.cells import CellError, col_index, split_ref
from kgxl.core.port import FAR_GAP, RawSheet, SheetOutput, check_generated
from kgxl.io import notes
from kgxl.io.atomic import backup_temp_for, temp_for
from kgxl.io.package import Parts, apply_outputs, copy_member, targets, workbook_sheets, write_edited
from kgxl.io.sheet_xml import plain
from kgxl.io.upgrade_package import recorded_layout
from kgxl.io.xml_nodes import MAIN_NS, all_of, first, scan, splice

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# The one pattern over a user's sheet: a suspicion test before python-calamine reads it (a cell in column AAA or
# beyond); what is then cut away is found by the XML parser. Parsing every sheet would cost ten times the read. Any
# attribute ending in r= with three capitals is suspect (a false alarm only costs that parse): a pattern anchored on
# "<c", or on a word boundary, is searched character by character, six times slower than on its literal "r=".
_WIDE = re.compile(rb'r=["\'][A-Z]{3}')


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
        self._calamine: CalamineWorkbook | None = None  # opened on the first read: a run that reads no sheet skips it
        _check_readable(self.path)
        try:
            with zipfile.ZipFile(self.path) as z:
                parts = {n: z.read(n) for n in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels")}
            self._parts = {e.name: e.part for e in workbook_sheets(parts)}
            self._layout = recorded_layout(parts["xl/workbook.xml"])
        except (*DAMAGED, AttributeError) as e:
            raise damaged(self.path, e) from None

    @property
    def _book(self) -> CalamineWorkbook:
        if self._calamine is None:
            self._calamine = CalamineWorkbook.from_path(str(self.path))
        return self._calamine

    def fingerprint(self, name: str) -> str | None:
        """What the package says of a sheet's XML without reading it (its checksum and size, and the shared strings'
        checksum, which its text cells point into): the same fingerprint, the same values."""
        try:
            if self._zip is None:
                self._zip = zipfile.ZipFile(self.path)
            info = self._zip.getinfo(self._parts[name])
            strings = next((i for i in self._zip.infolist() if i.filename == "xl/sharedStrings.xml"), None)
        except (KeyError, *DAMAGED):
            return None
        return f"{info.CRC:08x}.{info.file_size}.{strings.CRC if strings else 0:08x}"

    def package(self) -> Path:
        """The workbook as an .xlsx/.xlsm package (for copying sheets out of it)."""
        return self.path

    def layout(self) -> str | None:
        """The layout version recorded in the workbook (kgxl.app.layout), None when it has none."""
        return self._layout

    def sheet_names(self) -> list[str]:
        return list(self._parts)

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
                if info.filename == self._parts[name]:
                    zout.writestr(info.filename, xml)
                elif not info.filename.startswith("xl/media/"):  # what calamine reads; a large image stays out
                    copy_member(zin, info, zout)
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
        self._calamine = None

    def tail(self, name: str) -> tuple[int, object]:
        """The last row with a value and its column-A value, read by the XML parser from the end of the sheet (an
        append-only log need not be parsed whole)."""
        xml = plain(self._part(name))
        end = xml.rfind(b"</sheetData>")
        while end > 0 and (start := xml.rfind(b"<row", 0, end)) >= 0:
            row = _fragment(xml[start:end])
            end = start
            if row is None:
                continue
            cells = [n for n in row if n.local == "c"]
            if not any(n.local in ("v", "is") for n in row):
                continue  # a row with formatting only
            number = int(row[1].attrs.get("r", 0))
            a = next((c for c in cells if split_ref(c.attrs.get("r", ""))[0] == "A"), None)
            if a is None:
                return number, None
            inside = [n for n in row if a.start < n.start < a.end]
            text = next((n.text for n in inside if n.local in ("v", "t") and n.text is not None), None)
            kind = a.attrs.get("t", "n")
            if text is None:
                return number, None
            if kind == "s":  # shared strings live elsewhere: read the sheet the usual way
                return number, self.read(name).rows[number - 1][0]
            if kind != "n":
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
            raise BookError("locked", f"工作簿正在 {_open_in(lock)} 中打开（发现 {lock.name}），请先保存并关闭它后再运行"
                                      + ("；用 Excel 打开的，也可以直接点击功能区“后勤助手”中的按钮" if "Excel" in _open_in(lock) else ""))
        if not stat.S_IMODE(target.stat().st_mode) & 0o222:
            raise BookError("read_only", f"工作簿是只读文件，kgxl 不会替换它：{self.path}。如需写入，请在文件属性中取消"
                                         f"“只读”后再运行")
        tmp, backup_tmp = temp_for(target), backup_temp_for(target)
        backup = backup_path(target)
        self._close()
        try:
            write_edited(target, tmp, change)
            with tmp.open("rb+") as f:
                os.fsync(f.fileno())
            shutil.copymode(target, tmp)
            shutil.copy2(target, backup_tmp)
            os.replace(backup_tmp, backup)
            os.replace(tmp, target)
        except OSError as e:
            if e.errno is None:  # raised by kgxl's own code, not by the system: a fault for the maintainers
                raise
            raise _write_error(e, target) from None
        except DAMAGED as e:
            raise damaged(self.path, e) from None
        finally:
            for leftover in (tmp, backup_tmp):
                if leftover.exists():
                    leftover.unlink()
        self.__init__(self.path)
        return backup


def _fragment(row: bytes) -> list | None:
    """A row's bytes as the parser reads them (the root first, then the row and its cells), None when the bytes are
    not one whole row."""
    try:
        nodes = scan(b'<r xmlns="' + MAIN_NS.encode() + b'">' + row + b"</r>", text={"v", "t"})
    except (ExpatError, ValueError):
        return None
    return nodes if len(nodes) > 1 and nodes[1].local == "row" and nodes[1].depth == 1 and \
        not any(n.local == "row" for n in nodes[2:]) else None


def _mark_errors(xml: bytes, rows: list[list]) -> None:
    """python-calamine reads error cells as ''; put the error text back from the sheet XML."""
    if b't="e"' not in xml and b"t='e'" not in xml:
        return
    nodes = scan(xml, text={"v"})
    cell = None
    for n in nodes:
        if n.local == "c":
            cell = n if n.attrs.get("t") == "e" else None
        elif n.local == "v" and cell is not None and cell.start < n.start < cell.end:
            letters, number = split_ref(cell.attrs.get("r", ""))
            if not letters:
                continue
            r, c = number - 1, col_index(letters)
            while len(rows) <= r:
                rows.append([])
            row = rows[r]
            row.extend([""] * (c + 1 - len(row)))
            row[c] = CellError(n.text or "")


def without_strays(xml: bytes) -> tuple[bytes, list[tuple[str, str]]] | None:
    """None for a compact sheet (nearly always: two cheap looks at its XML). Else the XML without the cells far from
    the rest, and those cells: rows after a gap of more than FAR_GAP empty rows, and cells in column AAA or beyond."""
    last = xml.rfind(b"<row ")
    tail = _fragment(xml[last:xml.find(b"</row>", last) + 6]) if last >= 0 else None
    last_row = int(tail[1].attrs.get("r", 0)) if tail else 0
    if not last_row > FAR_GAP + 10 * xml.count(b"<row ") and not _WIDE.search(xml):
        return None
    xml = plain(xml)
    nodes = scan(xml, text={"v", "t"})
    numbers = sorted(int(r.attrs.get("r", 0)) for r in all_of(nodes, "row"))
    cut = next((b for a, b in zip(numbers, numbers[1:]) if b - a > FAR_GAP), None)
    stray, edits, far_row, cell, value = [], [], False, None, ""

    def done():  # the cell just read, when it is far
        if cell is not None and (far_row or len(split_ref(cell.attrs.get("r", ""))[0]) >= 3):
            shown = "（文字）" if value and cell.attrs.get("t") == "s" else value[:30]
            stray.append((cell.attrs.get("r", ""), shown))
            if not far_row:
                edits.append((cell.start, cell.end, b""))
    for n in nodes:
        if n.ns == MAIN_NS and n.local in ("row", "c"):
            done()
            cell, value = (n, "") if n.local == "c" else (None, "")
            if n.local == "row":
                far_row = cut is not None and int(n.attrs.get("r", 0)) >= cut
                if far_row:
                    edits.append((n.start, n.end, b""))
        elif n.local in ("v", "t") and cell is not None and n.start < cell.end:
            value += n.text or ""
    done()
    dimension = first(nodes, "dimension")
    if dimension is not None:
        edits.append((dimension.start, dimension.end, b""))
    return splice(xml, edits), [s for s in stray if s[1]]
