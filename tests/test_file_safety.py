"""What the file system and other programs do to a workbook: read-only files, symlinks, lock files of Excel,
WPS and LibreOffice, a full disk, folders that cannot be written, damaged packages, and two writers at once.
Each ends in exit 2 with a Chinese message and the user's file untouched, or in a complete write."""
import errno
import os
import re
import shutil
import stat
import subprocess
import sys
import threading
import zipfile

import pytest
from conftest import SAMPLE
from helpers import parts, replace_part
from python_calamine import CalamineWorkbook

from kgxl.front.cli import main
from kgxl.io.package import workbook_sheets

TODAY = ["--today", "2026-11-30"]


@pytest.fixture
def book(tmp_path):
    path = tmp_path / "Logistics.xlsm"
    shutil.copy2(SAMPLE, path)
    return path


def _untouched(path, before: bytes):
    assert path.read_bytes() == before
    assert not list(path.parent.glob("*.kgxl-tmp")) and not list(path.parent.glob("*.bak-tmp"))


def test_a_read_only_workbook_is_refused_and_stays_read_only(book, capsys):
    before = book.read_bytes()
    book.chmod(0o444)
    assert main(["validate", str(book), "--write", *TODAY]) == 2
    assert "只读" in capsys.readouterr().err
    _untouched(book, before)
    assert stat.S_IMODE(book.stat().st_mode) == 0o444 and not (book.parent / "Logistics.backup.xlsm").exists()


def test_a_write_keeps_the_workbooks_permissions(book):
    book.chmod(0o640)
    assert main(["validate", str(book), "--write", *TODAY]) == 0
    assert stat.S_IMODE(book.stat().st_mode) == 0o640


def test_a_symlinked_workbook_updates_its_target(tmp_path):
    real = tmp_path / "data" / "Logistics.xlsm"
    real.parent.mkdir()
    shutil.copy2(SAMPLE, real)
    link = tmp_path / "后勤.xlsm"
    link.symlink_to(real)
    assert main(["validate", str(link), "--write", *TODAY]) == 0
    assert link.is_symlink() and link.resolve() == real
    assert "校验结果" in CalamineWorkbook.from_path(str(real)).sheet_names
    assert (real.parent / "Logistics.backup.xlsm").read_bytes() == SAMPLE.read_bytes()


@pytest.mark.parametrize("lock, program", [("~$Logistics.xlsm", "Excel 或 WPS"), ("~$gistics.xlsm", "Excel 或 WPS"),
                                           (".~lock.Logistics.xlsm#", "LibreOffice"), (".~Logistics.xlsm", "WPS")])
def test_a_workbook_open_in_another_program_is_refused(book, capsys, lock, program):
    before = book.read_bytes()
    (book.parent / lock).write_text("someone")
    assert main(["refresh", str(book), *TODAY]) == 2
    err = capsys.readouterr().err
    assert program in err and lock in err and "请先保存并关闭" in err
    assert ("功能区“后勤助手”中的按钮" in err) == ("Excel" in program)  # never sends a WPS user to the ribbon (#43)
    _untouched(book, before)


def test_a_full_disk_is_a_user_error_and_the_book_is_kept(book, capsys, monkeypatch):
    import kgxl.io.filebook as filebook

    def full(src, dest, edit):
        with open(dest, "wb") as f:
            f.write(b"PK partial")
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(filebook, "write_edited", full)
    before = book.read_bytes()
    assert main(["refresh", str(book), *TODAY]) == 2
    err = capsys.readouterr().err
    assert "磁盘空间不足" in err and "MB" in err and "内部错误" not in err
    _untouched(book, before)


def test_an_export_folder_that_cannot_be_written_is_a_user_error(book, capsys):
    assert main(["refresh", str(book), *TODAY]) == 0
    before = book.read_bytes()
    assert main(["export", str(book), "--out", "/proc"]) == 2
    assert "无法在 /proc 中写入" in capsys.readouterr().err
    _untouched(book, before)


def _sheet_part(path, name="幼儿名册"):
    return next(e.part for e in workbook_sheets(parts(path)) if e.name == name)


def _cut_workbook_xml(path):
    replace_part(path, "xl/workbook.xml", parts(path)["xl/workbook.xml"][:300])


def _bad_utf8(path):
    part = _sheet_part(path)
    replace_part(path, part, parts(path)[part].replace("幼儿编号".encode(), b"\xff\xfe\xfa", 1))


def _corrupt_deflate(path):
    """Flip bytes inside a sheet's compressed stream (the zip directory stays valid)."""
    part = _sheet_part(path)
    with zipfile.ZipFile(path) as z:
        info = z.getinfo(part)
    data = bytearray(path.read_bytes())
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + 40
    data[start:start + 64] = bytes(64)
    path.write_bytes(bytes(data))


def _missing_sheet_part(path):
    files = parts(path)
    part = _sheet_part(path)
    buf = {n: b for n, b in files.items() if n != part}
    path.unlink()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, b in buf.items():
            z.writestr(n, b)


def _docx(path):
    path.unlink()
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                                          'package/2006/content-types"/>')
        z.writestr("word/document.xml", "<w:document/>")


@pytest.mark.parametrize("damage", [_cut_workbook_xml, _bad_utf8, _corrupt_deflate, _missing_sheet_part, _docx])
@pytest.mark.parametrize("command", ["validate", "refresh"])
def test_a_damaged_package_is_a_user_error(book, capsys, damage, command):
    shutil.copy2(SAMPLE, book.with_name("Logistics.backup.xlsm"))
    damage(book)
    before = book.read_bytes()
    assert main([command, str(book), *TODAY]) == 2
    err = capsys.readouterr().err
    assert "内部错误" not in err and ("已损坏" in err or "不是 Excel 工作簿" in err), err
    if "已损坏" in err:
        assert "Logistics.backup.xlsm" in err  # the way out
    _untouched(book, before)


@pytest.mark.slow
def test_two_writers_at_once_never_lose_a_result(book):
    """20 times two `validate --write` started together: each ends complete (exit 0) or exits 2, the 运行日志 gains
    one row per complete run, and a reader polling the file meanwhile always opens it."""
    cmd = [sys.executable, "-m", "kgxl", "validate", str(book), "--write", *TODAY]
    failures, stop = [], threading.Event()

    def read():
        while not stop.is_set():
            try:
                CalamineWorkbook.from_path(str(book)).get_sheet_by_name("幼儿名册").to_python()
            except Exception as e:  # noqa: BLE001 - any failure to open is what this test looks for
                failures.append(repr(e))

    def log_rows():
        return sum(1 for r in CalamineWorkbook.from_path(str(book)).get_sheet_by_name("运行日志").to_python()
                   if len(r) > 2 and r[2] == "校验数据")

    reader = threading.Thread(target=read)
    reader.start()
    completed = 0
    try:
        for _ in range(20):
            procs = [subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) for _ in range(2)]
            codes = [p.wait(timeout=120) for p in procs]
            assert set(codes) <= {0, 2}, [p.stderr.read() for p in procs]
            completed += codes.count(0)
    finally:
        stop.set()
        reader.join()
    assert failures == []
    assert completed == 40  # the second writer waits for the first: both complete
    assert log_rows() == completed
    assert not list(book.parent.glob("*.kgxl-tmp"))


def test_a_second_writer_waits_then_gives_up_in_chinese(book, capsys, monkeypatch):
    import kgxl.io.writer_lock as wl

    monkeypatch.setattr(wl, "WAIT", 0.3)
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; from pathlib import Path; from kgxl.io.writer_lock import writer_lock\n"
        f"with writer_lock(Path({str(book)!r})):\n    print('held', flush=True); time.sleep(5)")],
        stdout=subprocess.PIPE, text=True, env={**os.environ})
    try:
        assert holder.stdout.readline().strip() == "held"
        before = book.read_bytes()
        assert main(["validate", str(book), "--write", *TODAY]) == 2
        assert "另一个 kgxl 操作正在写入" in capsys.readouterr().err
        _untouched(book, before)
    finally:
        holder.kill()
        holder.wait()


def test_build_workbook_never_overwrites_a_users_file(tmp_path, capsys):
    mine = tmp_path / "我的园.xlsm"
    mine.write_bytes(b"a term of records")
    assert main(["build-workbook", "--out", str(mine)]) == 2
    assert "已存在，未覆盖" in capsys.readouterr().err and mine.read_bytes() == b"a term of records"
    assert main(["build-workbook", "--out", str(mine), "--force"]) == 0
    assert mine.with_name("我的园.backup.xlsm").read_bytes() == b"a term of records"
    assert "幼儿名册" in CalamineWorkbook.from_path(str(mine)).sheet_names


def _main_prefixed(xml: bytes) -> bytes:
    """workbook.xml as some programs write it: the spreadsheet namespace bound to x:, every element prefixed."""
    text = xml.decode()
    text = text.replace('xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"',
                        'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"', 1)
    text = re.sub(r"<(/?)(?![?!])(\w+)(?=[\s/>])", r"<\1x:\2", text)
    return text.encode()


def test_structure_parts_are_read_as_xml_not_matched_as_text(book, capsys):
    """A prefixed workbook.xml gets its new sheets listed; a commented-out sheet tag points nowhere (it once made the
    first refresh overwrite 基本信息 with 运行日志); a DOCTYPE is refused as damage, never expanded."""
    files = parts(book)
    wb = files["xl/workbook.xml"]
    replace_part(book, "xl/workbook.xml", _main_prefixed(wb))
    assert main(["refresh", str(book), *TODAY]) == 0
    names = CalamineWorkbook.from_path(str(book)).sheet_names
    assert {"出勤汇总", "卫生保健月报", "运行日志"} <= set(names)

    shutil.copy2(SAMPLE, book)
    first_rid = re.search(rb'<sheet [^>]*r:id="(\w+)"', wb).group(1).decode()
    ghost = f'<!--<sheet name="旧表" sheetId="99" r:id="{first_rid}"/>-->'.encode()
    replace_part(book, "xl/workbook.xml", wb.replace(b"<sheets>", b"<sheets>" + ghost, 1))
    assert main(["refresh", str(book), *TODAY]) == 0
    wbook = CalamineWorkbook.from_path(str(book))
    assert wbook.get_sheet_by_name("基本信息").to_python()[1][1] == "示例市阳光幼儿园"
    assert wbook.get_sheet_by_name("运行日志").to_python()[0][0] == "运行日志"

    shutil.copy2(SAMPLE, book)
    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
    replace_part(book, "xl/workbook.xml", bomb + (wb.split(b"?>", 1)[1] if wb.startswith(b"<?xml") else wb))
    capsys.readouterr()
    assert main(["validate", str(book), *TODAY]) == 2
    assert "已损坏" in capsys.readouterr().err


def test_content_types_are_edited_as_xml(book):
    """[Content_Types].xml with its namespace bound to a prefix and a commented-out Override (valid, as some programs
    write it): after 刷新汇总 and 生成本月出勤表 (new sheets, charts, notes), every part of the package has its content
    type, read back with an XML parser, and no part has two."""
    from defusedxml.ElementTree import fromstring

    ns = "http://schemas.openxmlformats.org/package/2006/content-types"
    types = parts(book)["[Content_Types].xml"].decode()
    types = types.replace(f'xmlns="{ns}"', f'xmlns:ct="{ns}"', 1)
    types = re.sub(r"<(/?)(?![?!])(\w+)(?=[\s/>])", r"<\1ct:\2", types)
    types = types.replace("</ct:Types>", '<!--<Override PartName="/xl/worksheets/sheet1.xml" ContentType="x"/>-->'
                                         "</ct:Types>")
    replace_part(book, "[Content_Types].xml", types.encode())
    assert main(["refresh", str(book), *TODAY]) == 0
    assert main(["month", str(book), "2026-12", *TODAY]) == 0
    files = parts(book)
    root = fromstring(files["[Content_Types].xml"])
    defaults = {e.get("Extension").lower() for e in root if e.tag.endswith("Default")}
    overrides = [e.get("PartName").lstrip("/") for e in root if e.tag.endswith("Override")]
    assert len(overrides) == len(set(overrides)) and set(overrides) <= set(files)
    untyped = [n for n in files if not n.endswith("/") and n != "[Content_Types].xml" and n not in overrides
               and n.rsplit(".", 1)[-1].lower() not in defaults]
    assert not untyped, untyped
    assert any(n.startswith("xl/comments") for n in overrides)  # the new register's header notes


def _sheet_prefixed(xml: bytes) -> bytes:
    """A sheet part as some programs write it: the spreadsheet namespace bound to x:, every element prefixed."""
    text = xml.decode()
    text = re.sub(r'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"',
                  'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"', text, count=1)
    return re.sub(r"<(/?)(?![?!])(\w+)(?=[\s/>])", r"<\1x:\2", text).encode()


def _part_of(book, name: str) -> str:
    files = parts(book)
    return next(e.part for e in workbook_sheets(files) if e.name == name)


def test_sheets_kgxl_splices_into_may_be_prefixed_or_commented(book, capsys):
    """#23: the sheet parts kgxl splices rather than rewrites (运行日志 gets a row appended; a report's title is
    marked 已过期) in the valid but unusual form some programs write: elements prefixed x:, and a comment holding a
    row or an A1 cell. The new row follows the real last row, the title is the real A1's, and the parts stay well-formed
    in the sheet's own namespace."""
    from defusedxml.ElementTree import fromstring

    main_ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    assert main(["refresh", str(book), *TODAY]) == 0
    log = _part_of(book, "运行日志")
    xml = _sheet_prefixed(parts(book)[log]).replace(
        b"</x:sheetData>", b'<!--<x:row r="999"><x:c r="A999"><x:v>1</x:v></x:c></x:row>--></x:sheetData>')
    replace_part(book, log, xml)
    report = _part_of(book, "出勤汇总")
    xml = _sheet_prefixed(parts(book)[report]).replace(
        b"<x:sheetData>", b'<x:sheetData><!--<x:c r="A1" t="inlineStr"><x:is><x:t>\xe5\x81\x87</x:t></x:is></x:c>-->', 1)
    replace_part(book, report, xml)
    assert main(["validate", str(book), "--write", *TODAY]) == 0
    rows = CalamineWorkbook.from_path(str(book)).get_sheet_by_name("运行日志").to_python()
    assert [r[0] for r in rows[3:] if r[0] != ""] == [1, 2] and len(rows) == 5
    root = fromstring(parts(book)[log])
    assert len(list(root.iter(f"{main_ns}row"))) == 5 and not [e for e in root.iter() if e.tag == "row"]

    wb = parts(book)
    roster = _part_of(book, "幼儿名册")
    replace_part(book, roster, wb[roster].replace(b">\xe7\x94\xb7<", b">\xe6\x9c\xaa\xe7\x9f\xa5<", 1))  # 男 → 未知
    assert main(["refresh", str(book), *TODAY]) == 1  # stopped on the 错误: the reports are marked out of date
    title = CalamineWorkbook.from_path(str(book)).get_sheet_by_name("出勤汇总").to_python()[0][0]
    assert title.startswith("【已过期") and "出勤汇总" in title
    assert fromstring(parts(book)[report]).find(f".//{main_ns}c").get("r") == "A1"
    # kgxl setup-excel sets one cell of a (here prefixed, commented) xlwings.conf: the sheet is read the same after
    from kgxl.app.excel_setup import setup_excel
    conf = _part_of(book, "xlwings.conf")
    replace_part(book, conf, _sheet_prefixed(parts(book)[conf]).replace(
        b"<x:sheetData>", b'<x:sheetData><!--<x:row r="1"><x:c r="B1"><x:v>0</x:v></x:c></x:row>-->', 1))
    before = dict(r[:2] for r in CalamineWorkbook.from_path(str(book)).get_sheet_by_name("xlwings.conf").to_python())
    setup_excel(book, r"C:\kgxl\python.exe", "win32")
    after = dict(r[:2] for r in CalamineWorkbook.from_path(str(book)).get_sheet_by_name("xlwings.conf").to_python())
    assert after == {**before, "Interpreter_Win": r"C:\kgxl\python.exe"}


def test_workbook_xml_in_single_quotes_keeps_one_right_print_title_per_sheet(book):
    """#23: workbook.xml rewritten with single-quoted attributes (valid XML, as some programs write it) after a first
    refresh gave every report its print titles. A new register inserted among the sheets (every later sheet's
    print titles move one place up), then a refresh that replaces the reports, leave one print-titles name per
    sheet, each at the position of the sheet it names: the edits are placed by an XML parser (kgxl.io.workbook_xml),
    not found by a pattern."""
    from defusedxml.ElementTree import fromstring

    ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    assert main(["refresh", str(book), *TODAY]) == 0
    wb = parts(book)["xl/workbook.xml"].decode()
    wb = re.sub(r"<(?:\w+:)?(?:sheet|definedName|workbookView)\b[^>]*>",
                lambda m: re.sub(r'([\w:]+)="([^"]*)"', r"\1='\2'", m.group(0)), wb)
    assert "sheetId='1'" in wb and "localSheetId='" in wb
    replace_part(book, "xl/workbook.xml", wb.encode())
    assert main(["month", str(book), "2026-12", *TODAY]) == 0  # inserted after 出勤-2026-11, before the reports
    assert main(["refresh", str(book), *TODAY]) == 0
    root = fromstring(parts(book)["xl/workbook.xml"])
    sheets = [s.get("name") for s in root.iter(f"{ns}sheet")]
    assert len(sheets) == len(set(sheets)) and {"出勤汇总", "运行日志"} <= set(sheets)
    titles = [(int(d.get("localSheetId")), d.text) for d in root.iter(f"{ns}definedName")
              if d.get("name") == "_xlnm.Print_Titles"]
    assert len(titles) == len({i for i, _ in titles}) >= 30
    assert all(text.rsplit("!", 1)[0].strip("'").replace("''", "'") == sheets[i] for i, text in titles), titles


def _only_book_and_backup(book):
    assert sorted(p.name for p in book.parent.iterdir()) == sorted({book.name, "Logistics.backup.xlsm"})


def test_nothing_is_left_beside_the_workbook(book, capsys, monkeypatch):
    """After a refresh, after one refused (another writer holds the book; the disk is full) and after a kill -9 in
    the middle of one followed by another, the folder holds the workbook and its backup only (the lock file stayed
    after every run, and a killed run's temporary file for ever)."""
    import kgxl.io.writer_lock as wl

    assert main(["refresh", str(book), *TODAY]) == 0
    _only_book_and_backup(book)
    monkeypatch.setattr(wl, "WAIT", 0.3)
    holder = subprocess.Popen([sys.executable, "-c", (
        "import time; from pathlib import Path; from kgxl.io.writer_lock import writer_lock\n"
        f"with writer_lock(Path({str(book)!r})):\n    print('held', flush=True); time.sleep(3)")],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        assert main(["refresh", str(book), *TODAY]) == 2
    finally:
        holder.kill()
        holder.wait()
    capsys.readouterr()
    assert main(["validate", str(book), "--write", *TODAY]) == 0  # the killed holder's lock file goes with this run
    _only_book_and_backup(book)

    real_fsync = os.fsync

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    assert main(["refresh", str(book), *TODAY]) == 2
    monkeypatch.setattr(os, "fsync", real_fsync)
    _only_book_and_backup(book)

    # kill -9 while the new workbook is being written: its temporary file is there, then gone with the next run
    run = subprocess.Popen([sys.executable, "-c", (
        "import os, sys\nimport kgxl.io.filebook as fb\nreal = fb.write_edited\n"
        "def slow(target, tmp, change):\n    real(target, tmp, change); print('written', flush=True); os.kill(os.getpid(), 9)\n"
        "fb.write_edited = slow\nfrom kgxl.front.cli import main\n"
        f"main(['refresh', {str(book)!r}, '--today', '2026-11-30'])")], stdout=subprocess.PIPE, text=True)
    assert run.stdout.readline().strip() == "written" and run.wait(timeout=60) == -9
    assert (book.parent / f".{book.name}.kgxl-tmp").exists()
    assert main(["refresh", str(book), *TODAY]) == 0
    _only_book_and_backup(book)


LIMIT = 3 << 30  # the address space the refresh below may use: a part larger than it cannot be held whole


def _raw_member(path, name) -> tuple:
    """A member's CRC, sizes and the digest of its compressed bytes as stored."""
    import hashlib
    import struct

    with zipfile.ZipFile(path) as z, open(path, "rb") as f:
        info = z.getinfo(name)
        f.seek(info.header_offset)
        head = f.read(30)
        f.seek(info.header_offset + 30 + sum(struct.unpack("<HH", head[26:30])))
        digest, left = hashlib.sha256(), info.compress_size
        while left:
            chunk = f.read(min(1 << 20, left))
            digest.update(chunk)
            left -= len(chunk)
        return info.CRC, info.compress_size, info.file_size, digest.hexdigest()


@pytest.mark.slow
def test_a_part_larger_than_memory_is_copied_not_held(book):
    """An unreferenced 4 GiB part under xl/media (a few MB compressed), refreshed in a process whose address space is
    limited to 3 GiB: the refresh completes (it died with MemoryError in zipfile) and the part is byte-identical."""
    import resource

    with zipfile.ZipFile(book, "a", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        with z.open("xl/media/huge.bin", "w", force_zip64=True) as f:
            block = bytes(1 << 24)
            for _ in range(256):  # 4 GiB of zeros
                f.write(block)
    before = _raw_member(book, "xl/media/huge.bin")
    assert before[2] == 4 << 30 > LIMIT

    def limited():
        resource.setrlimit(resource.RLIMIT_AS, (LIMIT, LIMIT))

    run = subprocess.run([sys.executable, "-m", "kgxl", "refresh", str(book), *TODAY], capture_output=True, text=True,
                         timeout=300, preexec_fn=limited)
    assert run.returncode == 0, run.stderr[-2000:]
    assert _raw_member(book, "xl/media/huge.bin") == before
    assert "体格发育评价" in CalamineWorkbook.from_path(str(book)).sheet_names
