"""Writing generated sheets leaves everything else exactly as it was."""
import io
import re
import zipfile

import openpyxl
import pytest
from helpers import parts
from openpyxl.chart import BarChart, Reference
from openpyxl.comments import Comment
from openpyxl.drawing.image import Image
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from PIL import Image as PILImage

from kgxl.front.cli import main
from kgxl.io import package
from kgxl.io.filebook import backup_path

CUSTOM_UI = ('<customUI xmlns="http://schemas.microsoft.com/office/2006/01/customui"><ribbon><tabs>'
             '<tab id="t" label="后勤助手"><group id="g" label="数据"><button id="validate" label="校验数据" '
             'onAction="KgxlButton"/></group></tab></tabs></ribbon></customUI>').encode()
UI_REL = "http://schemas.microsoft.com/office/2006/relationships/ui/extensibility"
VBA_REL = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
# An opaque stand-in for the VBA project: preservation means these bytes come back unchanged.
VBA_BYTES = bytes(range(256)) * 40


def rich_workbook(path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "班级"
    ws.append(["班级", "年龄段", "班主任", "保育员"])
    for i, (c, g) in enumerate((("小一班", "小班"), ("中一班", "中班"), ("大一班", "大班"))):
        ws.append([c, g, f"老师{i}", f"阿姨{i}"])
    ws["A1"].comment = Comment("班级名称，全园唯一", "kgxl")
    roster = wb.create_sheet("幼儿名册")
    roster.append(["幼儿编号", "姓名", "性别", "出生日期", "班级", "入园日期", "离园日期", "备注"])
    roster.append(["2026001", "测试", "男", None, "小一班", None, None, "=1+1"])
    dv = DataValidation(type="list", formula1="'班级'!$A$2:$A$100")
    dv.add("E2:E500")
    roster.add_data_validation(dv)
    buf = io.BytesIO()
    PILImage.new("RGB", (40, 20), (200, 30, 30)).save(buf, "PNG")
    roster.add_image(Image(buf), "J2")
    chart_sheet = wb.create_sheet("图表")
    chart_sheet.append(["班级", "人数"])
    for row in (("小一班", 30), ("中一班", 31), ("大一班", 29)):
        chart_sheet.append(row)
    chart = BarChart()
    chart.add_data(Reference(chart_sheet, min_col=2, min_row=1, max_row=4), titles_from_data=True)
    chart_sheet.add_chart(chart, "D2")
    wb.defined_names["班级列表"] = DefinedName("班级列表", attr_text="'班级'!$A$2:$A$100")
    wb.save(path)
    # add the VBA project and the ribbon as Excel would have them
    files = parts(path)
    files["xl/vbaProject.bin"] = VBA_BYTES
    files["customUI/customUI.xml"] = CUSTOM_UI
    ct = files["[Content_Types].xml"].decode()
    ct = ct.replace("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                    "application/vnd.ms-excel.sheet.macroEnabled.main+xml")
    ct = ct.replace("</Types>", '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>')
    files["[Content_Types].xml"] = ct.encode()
    rels = files["xl/_rels/workbook.xml.rels"].decode()
    files["xl/_rels/workbook.xml.rels"] = rels.replace(
        "</Relationships>", f'<Relationship Id="rIdVba" Type="{VBA_REL}" Target="vbaProject.bin"/></Relationships>').encode()
    root = files["_rels/.rels"].decode()
    files["_rels/.rels"] = root.replace(
        "</Relationships>", f'<Relationship Id="rIdUi" Type="{UI_REL}" Target="customUI/customUI.xml"/></Relationships>').encode()
    # a calcChain, as Excel keeps for formulas
    files["xl/calcChain.xml"] = b'<calcChain xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><c r="H2" i="2"/></calcChain>'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return path


@pytest.fixture
def rich(tmp_path):
    return rich_workbook(tmp_path / "rich.xlsm")


EDITED = {package.WORKBOOK, package.WB_RELS, package.TYPES, package.STYLES}


def test_every_other_part_is_byte_identical(rich):
    before = parts(rich)
    main(["validate", str(rich), "--write"])
    after = parts(rich)
    new = set(after) - set(before)  # 校验结果 and 运行日志
    assert len(new) == 2 and all(re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n) for n in new)
    for name, data in before.items():
        if name not in EDITED:
            assert after[name] == data, name
    assert after["xl/vbaProject.bin"] == VBA_BYTES and after["customUI/customUI.xml"] == CUSTOM_UI


def test_edited_parts_only_gain(rich):
    before = parts(rich)
    main(["validate", str(rich), "--write"])
    main(["validate", str(rich), "--write"])  # replacing the generated sheet must not grow anything
    after = parts(rich)
    old = before[package.WB_RELS].decode()
    assert after[package.WB_RELS].decode().startswith(old[:old.rindex("</")])
    # content types are data (kgxl.io.package.ContentTypes): every entry kept, only new parts' added
    old_types, new_types = package.ContentTypes(before[package.TYPES]), package.ContentTypes(after[package.TYPES])
    assert new_types.defaults == old_types.defaults
    assert old_types.overrides.items() <= new_types.overrides.items()
    assert set(new_types.overrides) - set(old_types.overrides) <= set(after) - set(before)
    wb_old, wb_new = before[package.WORKBOOK].decode(), after[package.WORKBOOK].decode()
    for tag in re.findall(r"<sheet\b[^>]*/>|<definedName\b.*?</definedName>", wb_old):
        assert tag in wb_new
    assert wb_new.count("_xlnm.Print_Titles") == 2  # 校验结果 and 运行日志, each once
    old_xfs = re.search(r"<cellXfs.*?</cellXfs>", before[package.STYLES].decode(), re.S).group(0)
    new_xfs = re.search(r"<cellXfs.*?</cellXfs>", after[package.STYLES].decode(), re.S).group(0)
    old_items = re.findall(r"<xf\b.*?(?:/>|</xf>)", old_xfs, re.S)
    assert re.findall(r"<xf\b.*?(?:/>|</xf>)", new_xfs, re.S)[:len(old_items)] == old_items


def test_second_write_is_identical_to_first(rich):
    main(["validate", str(rich), "--write"])
    first = parts(rich)
    main(["validate", str(rich), "--write"])
    second = parts(rich)
    assert set(first) == set(second)
    changed = [name for name in first if first[name] != second[name]]
    assert len(changed) == 1 and "运行日志".encode() in second[changed[0]]  # only the log gained its row


def test_openpyxl_still_sees_every_feature(rich):
    main(["validate", str(rich), "--write"])
    wb = openpyxl.load_workbook(rich, keep_vba=True)
    assert wb.sheetnames == ["班级", "幼儿名册", "图表", "校验结果", "运行日志"]
    roster = wb["幼儿名册"]
    assert roster.data_validations.dataValidation[0].formula1 == "'班级'!$A$2:$A$100"
    assert len(roster._images) == 1 and len(wb["图表"]._charts) == 1
    assert wb["班级"]["A1"].comment.text.startswith("班级名称")
    assert "班级列表" in wb.defined_names
    assert roster["H2"].value == "=1+1"
    assert wb.vba_archive is not None


def test_backup_keeps_previous_version_and_failure_leaves_file_alone(rich, monkeypatch):
    original = rich.read_bytes()
    main(["validate", str(rich), "--write"])
    assert backup_path(rich).read_bytes() == original
    written = rich.read_bytes()

    def boom(*a, **k):
        raise OSError("disk full")

    monkeypatch.setattr(package, "render_sheet", boom)
    assert main(["validate", str(rich), "--write"]) == 3
    assert rich.read_bytes() == written
    assert [p.name for p in rich.parent.iterdir() if "kgxl-tmp" in p.name] == []


def test_calc_chain_dropped_only_when_it_names_a_replaced_sheet(rich):
    main(["validate", str(rich), "--write"])
    files = parts(rich)
    sheet_id = re.search(r'<sheet name="校验结果" sheetId="(\d+)"', files[package.WORKBOOK].decode()).group(1)
    chain = f'<calcChain xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><c r="H2" i="2"/><c r="A9" i="{sheet_id}"/></calcChain>'
    from helpers import replace_part
    replace_part(rich, "xl/calcChain.xml", chain.encode())
    main(["validate", str(rich), "--write"])
    after = parts(rich)
    assert "xl/calcChain.xml" not in after
    assert "calcChain" not in after[package.WB_RELS].decode() + after[package.TYPES].decode()
    openpyxl.load_workbook(rich)
