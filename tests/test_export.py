"""导出上报 on the sample workbook: a clean values-only copy, private by default, safe to open."""
import datetime as dt
import re
import shutil

import openpyxl
import pytest
from conftest import SAMPLE
from helpers import parts, replace_part

from kgxl.front.cli import main
from kgxl.io.filebook import FileBook
from kgxl.io.package import workbook_sheets

pytestmark = pytest.mark.slow  # whole refreshed workbooks copied out, printed by LibreOffice

TODAY = ["--today", "2026-11-21"]
NAME = "示例市阳光幼儿园"
DEFAULT_FILE = f"{NAME}_月度上报_2026-11.xlsx"
INJECTED = {"M": "=1+2", "N": "＠SUM(A1)"}  # typed into 签字 / 备注 of the inspection tab (full-width ＠ too)


def first_check(ws) -> int:
    """1-based row of the first check in the inspection tab (its table follows the summaries)."""
    return next(r[0].row for r in ws.iter_rows() if r[0].value == "日期" and "签字" in [c.value for c in r]) + 1


def _add_formula(path, sheet, ref, formula, cached):
    """Put a formula with its cached value into a sheet's XML (as Excel stores it)."""
    files = parts(path)
    entry = next(e for e in workbook_sheets(files) if e.name == sheet)
    xml = files[entry.part].decode()
    row = re.search(r"\d+", ref).group(0)
    xml = re.sub(rf'(<row\b[^>]*\br="{row}"[^>]*>.*?)(</row>)', lambda m: m.group(1) + f'<c r="{ref}"><f>{formula}</f>'
                 f"<v>{cached}</v></c>" + m.group(2), xml, count=1, flags=re.S)
    replace_part(path, entry.part, xml.encode())


@pytest.fixture(scope="module")
def master(tmp_path_factory):
    """The sample after 刷新汇总, with formula-like text typed into the inspection tab and a formula
    in 收费项目; refreshed again so the tab is kgxl's own rendering with the typed text kept."""
    folder = tmp_path_factory.mktemp("export")
    path = folder / "Logistics.xlsm"
    shutil.copy2(SAMPLE, path)
    assert main(["refresh", str(path), *TODAY]) == 0
    wb = openpyxl.load_workbook(path, keep_vba=True)
    ws = wb["2026年11月检查"]
    row = first_check(ws)
    for col, text in INJECTED.items():
        ws[f"{col}{row}"].value = text
        ws[f"{col}{row}"].data_type = "s"
    wb.save(path)
    _add_formula(path, "收费项目", "Z2", "1+2", 3)  # an input changed: the reports are computed again below
    assert main(["refresh", str(path), *TODAY]) == 0
    return path


def _put_text(path, sheet, ref, text):
    """Type a text into a cell below a sheet's rows, in its XML only (openpyxl would save every part again and drop
    the formulas' cached values, changing what the input sheets read as)."""
    files = parts(path)
    entry = next(e for e in workbook_sheets(files) if e.name == sheet)
    row = re.search(r"\d+", ref).group(0)
    cell = f'<row r="{row}"><c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c></row>'
    replace_part(path, entry.part, files[entry.part].replace(b"</sheetData>", cell.encode() + b"</sheetData>"))


def values(ws):
    return [list(r) for r in ws.iter_rows(values_only=True)]


def roster_identifiers(path):
    ws = openpyxl.load_workbook(path, read_only=True)["幼儿名册"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    texts = {str(r[0]) for r in rows if r[0]} | {r[1] for r in rows if r[1]}
    births = {r[3].date() if isinstance(r[3], dt.datetime) else r[3] for r in rows if r[3]}
    return texts, births


def test_default_export_is_a_clean_private_copy(master, tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    assert main(["export", str(master), "--month", "2026-11", "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "已导出 14 张表：出勤汇总、营养分析、伙食账目公示、收费公示、预算执行、资助情况、体检统计、卫生保健月报、消毒记录汇总、资产台账汇总、维修情况、能耗统计、乘车情况统计、2026年11月检查" in text and "校验" not in text
    assert "2026年11月检查 中教职工姓名的列（责任人、检查人、签字）已留空" in text
    path = out / DEFAULT_FILE
    assert [p.name for p in out.iterdir()] == [DEFAULT_FILE]
    from kgxl.app.pipeline import ACTIONS
    assert "“园所名称_月度上报_月份.xlsx”" in ACTIONS["export"].help  # the name the help promises (#42)
    files = parts(path)
    # no VBA, ribbon, comments, tables, links or shared strings; a plain workbook content type
    assert not [n for n in files if re.search(r"vba|customUI|comment|externalLink|table|sharedStrings|vml", n, re.I)]
    types = files["[Content_Types].xml"].decode()
    assert "macroEnabled" not in types and "spreadsheetml.sheet.main+xml" in types
    wb_xml = files["xl/workbook.xml"].decode()
    tab_home = openpyxl.load_workbook(master)["2026年11月检查"]
    names = re.findall(r"<definedName\b[^>]*>(.*?)</definedName>", wb_xml)
    assert names == ["'出勤汇总'!$1:$2", "'营养分析'!$1:$2", "'伙食账目公示'!$1:$2", "'收费公示'!$1:$3", "'预算执行'!$1:$2",
                     "'资助情况'!$1:$2", "'体检统计'!$1:$5", "'卫生保健月报'!$1:$3", "'消毒记录汇总'!$1:$2",
                     "'资产台账汇总'!$1:$2",
                     "'维修情况'!$1:$2", "'能耗统计'!$1:$2", "'乘车情况统计'!$1:$3",
                     f"'2026年11月检查'!${first_check(tab_home) - 1}:${first_check(tab_home) - 1}"]  # the checks' header
    assert 'state="' not in wb_xml  # every sheet visible
    assert not any(b"<f>" in data or b"<f " in data for n, data in files.items() if n.startswith("xl/worksheets/"))

    export = openpyxl.load_workbook(path)
    home = openpyxl.load_workbook(master)
    assert export.sheetnames == ["出勤汇总", "营养分析", "伙食账目公示", "收费公示", "预算执行", "资助情况", "体检统计", "卫生保健月报",
                                "消毒记录汇总", "资产台账汇总", "维修情况", "能耗统计", "乘车情况统计", "2026年11月检查"]
    props = export.properties
    assert props.creator == NAME and props.lastModifiedBy == NAME and props.title == f"{NAME} 2026年11月 月度上报"
    staff = {r[1] for r in home["基本信息"].iter_rows(values_only=True) if r[0] in ("园长", "会计", "保健老师")}
    props_xml = files["docProps/app.xml"].decode() + files["docProps/core.xml"].decode()
    assert len(staff) == 3 and not [p for p in staff if p in props_xml]
    staff = {"2026年11月检查": ("责任人", "检查人", "签字")}  # emptied by default: staff names stay home
    for name in export.sheetnames:
        mine, theirs = export[name], home[name]
        if name in staff:
            _compare_without_staff(values(mine), values(theirs), staff[name])
        else:
            assert values(mine) == values(theirs), name
        assert mine.print_title_rows == theirs.print_title_rows
        assert mine.page_setup.orientation == theirs.page_setup.orientation
        assert mine.page_setup.paperSize == theirs.page_setup.paperSize
        assert {k: d.width for k, d in mine.column_dimensions.items()} == \
               {k: d.width for k, d in theirs.column_dimensions.items()}
        assert mine.merged_cells.ranges == theirs.merged_cells.ranges
    assert len(export["出勤汇总"]._charts) == 1 and len(export["营养分析"]._charts) == 1
    # formula-like text stays text, and stays text when retyped in Excel (quote prefix)
    tab = export["2026年11月检查"]
    row = first_check(tab)
    for col, text in INJECTED.items():
        cell = tab[f"{col}{row}"]
        if col == "M":  # 签字: emptied in the default export (the chosen-sheet test sees the text)
            assert cell.value is None
            continue
        assert (cell.value, cell.data_type, cell.quotePrefix) == (text, "s", True)
    assert not tab[f"C{row}"].quotePrefix
    # privacy: no child's name, 幼儿编号 or birth date anywhere
    texts, births = roster_identifiers(master)
    for ws in export:
        for row in ws.iter_rows(values_only=True):
            for v in row:
                if isinstance(v, str):
                    assert v not in texts and not any(len(t) >= 2 and t in v for t in texts), (ws.title, v)
                if isinstance(v, dt.datetime):
                    assert v.date() not in births, (ws.title, v)
    # the master's 运行日志 says what was exported
    log = values(openpyxl.load_workbook(master)["运行日志"])
    assert log[-1][2] == "导出上报" and log[-1][7] == str(out / DEFAULT_FILE)


def _compare_without_staff(mine: list[list], theirs: list[list], headers: tuple[str, ...]) -> None:
    """Equal but for the columns naming staff, which are empty below their first header (headers kept)."""
    hits = [(r, c) for r, row in enumerate(theirs) for c, v in enumerate(row) if v in headers]
    cols, first = {c for _, c in hits}, min(r for r, _ in hits)
    assert cols and any(theirs[r][c] not in (None, *headers) for r in range(first + 1, len(theirs)) for c in cols)
    for r, (a, b) in enumerate(zip(mine, theirs)):
        for c, (x, y) in enumerate(zip(a, b)):
            assert x == (y if c not in cols or r <= first or y in headers else None), (r, c, x, y)


def test_a_chosen_inspection_tab_keeps_its_staff_names(master, tmp_path, capsys):
    assert main(["export", str(master), "--month", "2026-11", "--out", str(tmp_path), "--sheets", "2026年11月检查"]) == 0
    assert "已留空" not in capsys.readouterr().out
    tab = openpyxl.load_workbook(next(tmp_path.glob("*.xlsx")))["2026年11月检查"]
    assert values(tab) == values(openpyxl.load_workbook(master)["2026年11月检查"])
    row = first_check(tab)
    assert (tab[f"M{row}"].value, tab[f"M{row}"].quotePrefix) == (INJECTED["M"], True)


def test_a_chosen_sheet_leaves_with_values_only_and_the_export_says_what_is_personal(master, tmp_path, capsys):
    assert main(["export", str(master), "--month", "2026-11", "--out", str(tmp_path),
                 "--sheets", "收费项目", "幼儿出勤统计"]) == 0
    text = capsys.readouterr().out
    assert "幼儿出勤统计 含幼儿个人信息" in text and "按您的选择导出" in text
    export = openpyxl.load_workbook(tmp_path / DEFAULT_FILE)
    home = openpyxl.load_workbook(master)
    assert export.sheetnames == ["收费项目", "幼儿出勤统计"]
    fees = export["收费项目"]
    assert fees["Z2"].value == 3 and fees["Z2"].data_type == "n"  # the formula's value, not the formula
    for name in export.sheetnames:  # shared strings of an openpyxl-written input sheet are inlined exactly
        mine = values(export[name])
        theirs = values(home[name])
        if name == "收费项目":
            theirs[1][25] = 3
        assert mine == theirs, name


def test_default_set_leaves_out_a_sheet_with_child_data(master, tmp_path, capsys):
    book = tmp_path / "b.xlsm"
    shutil.copy2(master, book)
    kid = openpyxl.load_workbook(book, read_only=True)["幼儿名册"]["B2"].value
    _put_text(book, "出勤汇总", "A200", f"备注：{kid} 转园")  # typed on the report: its data stay current
    assert main(["export", str(book), "--month", "2026-11"]) == 0
    text = capsys.readouterr().out
    assert "出勤汇总 含幼儿个人信息（姓名、编号或出生日期），未导出；如确需上报，请另行选择要导出的表" in text
    assert openpyxl.load_workbook(tmp_path / f"{NAME}_月度上报_2026-11.xlsx").sheetnames == [
        "营养分析", "伙食账目公示", "收费公示", "预算执行", "资助情况", "体检统计", "卫生保健月报", "消毒记录汇总", "资产台账汇总", "维修情况",
        "能耗统计", "乘车情况统计", "2026年11月检查"]


def _left(folder) -> list[str]:
    """Everything in folder (the writers' lock file is removed when a run ends: kgxl.io.writer_lock)."""
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize("args, message", [
    (["--month", "2026-10"], "不是 2026年10月 的"),
    (["--sheets", "没有这张表"], "没有这些工作表"),
    (["--sheets", "校验结果"], "隐藏"),
])
def test_refusals_write_nothing(master, tmp_path, capsys, args, message):
    book = tmp_path / "b.xlsm"
    shutil.copy2(master, book)
    files = parts(book)
    wb_xml = re.sub(r'(<sheet name="校验结果"[^>]*?)\s+state="\w+"', r"\1", files["xl/workbook.xml"].decode())
    wb_xml = wb_xml.replace('<sheet name="校验结果"', '<sheet name="校验结果" state="hidden"')  # one state, valid XML
    replace_part(book, "xl/workbook.xml", wb_xml.encode())
    before = book.read_bytes()
    assert main(["export", str(book), *args]) == 2
    assert message in capsys.readouterr().err
    assert book.read_bytes() == before
    assert _left(tmp_path) == ["b.xlsm"]


def test_an_export_name_taken_by_a_folder_is_refused_in_chinese(master, tmp_path, capsys):
    """Was an internal fault (IsADirectoryError): exit 2, the folder named, nothing written, the workbook as it was."""
    book = tmp_path / "b.xlsm"
    shutil.copy2(master, book)
    out = tmp_path / "上报"
    (out / f"{NAME}_月度上报_2026-11.xlsx").mkdir(parents=True)
    before = book.read_bytes()
    assert main(["export", str(book), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "是一个文件夹" in err and f"{NAME}_月度上报_2026-11.xlsx" in err and "Traceback" not in err
    assert book.read_bytes() == before
    assert _left(tmp_path) == ["b.xlsm", "上报"] and _left(out) == [f"{NAME}_月度上报_2026-11.xlsx"]


def test_export_file_is_not_left_behind_when_the_master_is_open(master, tmp_path):
    book = tmp_path / "b.xlsm"
    shutil.copy2(master, book)
    (tmp_path / "~$b.xlsm").write_text("")
    assert main(["export", str(book)]) == 2
    assert _left(tmp_path) == ["b.xlsm", "~$b.xlsm"]
    assert FileBook(book).sheet_names() == FileBook(master).sheet_names()


def test_an_exported_run_log_leaves_the_login_names_behind(master, tmp_path):
    assert main(["export", str(master), "--sheets", "运行日志", "--out", str(tmp_path)]) == 0
    rows = values(openpyxl.load_workbook(next(tmp_path.glob("*.xlsx")))["运行日志"])
    header = rows.index(next(r for r in rows if r[0] == "序号"))
    user = rows[header].index("用户")
    assert len(rows) > header + 2 and all(r[user] is None for r in rows[header + 1:])
    assert all(r[2] for r in rows[header + 1:])  # the rest of each row travels
    home = values(openpyxl.load_workbook(master)["运行日志"])
    assert all(r[user] for r in home[header + 1:])  # the workbook keeps them


def test_staff_names_and_phones_typed_in_free_text_stay_home(tmp_path, capsys):
    """#41: a staff name typed into 发现问题 reached the bureau, and a mobile number (holding a 幼儿编号's digits)
    withheld the whole tab as "含幼儿个人信息": the default export masks both and the tab goes."""
    from helpers import set_cells

    path = tmp_path / "Logistics.xlsm"
    shutil.copy2(SAMPLE, path)
    book = FileBook(path)
    staff = book.read("教职工").rows[1][1]
    child = book.read("幼儿名册").rows[1][0]
    log = book.read("检查记录").rows
    row = next(i for i, r in enumerate(log) if i and isinstance(r[0], dt.date) and r[0].month == 11 and r[3] == "不合格")
    phone = f"138{child}1"
    set_cells(path, "检查记录", {f"F{row + 1}": f"护栏松动，{staff}发现，电话{phone}"})
    assert main(["refresh", str(path), *TODAY]) == 0
    out = tmp_path / "out"
    out.mkdir()
    assert main(["export", str(path), "--month", "2026-11", "--out", str(out)]) == 0
    said = capsys.readouterr().out
    assert "2026年11月检查" in said.split("已导出")[1].split("。")[0] and "姓名和手机号码已替换为＊" in said
    ws = openpyxl.load_workbook(out / DEFAULT_FILE)["2026年11月检查"]
    text = " ".join(str(v) for r in ws.iter_rows(values_only=True) for v in r if v is not None)
    assert "护栏松动，" + "＊" * len(staff) + "发现，电话" + "＊" * 11 in text
    assert staff not in text and phone not in text


def test_an_export_name_neither_escapes_nor_hides_nor_overflows(tmp_path):
    """#41: a kindergarten named ../逃逸幼儿园 exported to a hidden .._逃逸….xlsx that collect skipped; a name of 80
    CJK characters made the file name too long for the disk."""
    from kgxl.app.export import NAME_BYTES, file_name

    assert file_name("../逃逸幼儿园", "月度上报", "2026-11", ".xlsx") == "逃逸幼儿园_月度上报_2026-11.xlsx"
    assert file_name(".隐藏园", "收费公示", "2026-11", ".pdf") == "隐藏园_收费公示_2026-11.pdf"
    long = file_name("很" * 80 + "长的幼儿园", "月度上报", "2026-11", ".xlsx")
    assert len(long.encode()) <= NAME_BYTES and long.endswith("_月度上报_2026-11.xlsx") and long.startswith("很很")
    (tmp_path / long).write_bytes(b"x")  # the disk takes it


def test_a_staff_sheet_is_said_to_name_staff_not_children(master, tmp_path, capsys):
    """#43: 资产清点表 names staff (责任人), and the export said it held children's personal data."""
    assert main(["export", str(master), "--month", "2026-11", "--out", str(tmp_path), "--sheets", "资产清点表"]) == 0
    text = capsys.readouterr().out
    assert "注意：资产清点表 含教职工姓名、工号或电话，是按您的选择导出的" in text and "幼儿个人信息" not in text
    assert "--sheets" not in text


def test_an_export_folder_not_there_yet_is_made(master, tmp_path, capsys):
    """#43: `--out 不存在的文件夹` refused; the folder is made when the file is written (and a file there is refused)."""
    out = tmp_path / "上报" / "2026年11月"
    assert main(["export", str(master), "--month", "2026-11", "--out", str(out)]) == 0
    assert [p.name for p in out.iterdir()] == [DEFAULT_FILE]
    taken = tmp_path / "一个文件"
    taken.write_text("x")
    assert main(["export", str(master), "--month", "2026-11", "--out", str(taken)]) == 2
    assert "不是文件夹" in capsys.readouterr().err
