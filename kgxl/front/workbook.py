"""`kgxl build-workbook`: the master workbook from the schemas plus the sample kindergarten.

Headers, widths, number formats, dropdowns and header notes all come from schemas/. The output
is deterministic: fixed document dates and zip timestamps, so the committed file equals a rebuild.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import shutil
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties

from kgxl.app.layout import CONF_SHEET
from kgxl.app.registry import current
from kgxl.core.schema import Column, SheetSchema, load_schemas
from kgxl.domains.health.growth import NORMS_CSV as HEALTH_NORMS_CSV
from kgxl.front import ribbon
from kgxl.io.ovba import Module, vba_project
from kgxl.sample.assets import categories
from kgxl.sample.care import diseases
from kgxl.sample.data import Sample, foods
from kgxl.sample.records import all_rows, nutrition_norms

FIXED_TIME = dt.datetime(2026, 9, 1, 8, 0, 0)
DV_ROWS = 2000  # dropdowns reach this far below the data
HEADER_FONT = Font(name="等线", bold=True)
HEADER_FILL = PatternFill("solid", fgColor="FFD9E1F2")
THIN = Side(style="thin", color="FFBFBFBF")
HEADER_BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
XLSM_CT = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
XLSX_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
DATE_FORMAT = "yyyy-mm-dd"
TIME_FORMAT = "hh:mm"
VBA_PART = "xl/vbaProject.bin"
VBA_CT = "application/vnd.ms-office.vbaProject"
VBA_REL = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
# RunPython's interpreter: the environment the README's Excel section has the user create
# ADD_WORKBOOK_TO_PYTHONPATH off: a .py file that happens to lie beside the workbook (a shared or Downloads folder)
# must never be imported in place of kgxl. USE UDF SERVER on: on Windows the buttons run in one Python that stays
# up between clicks (xlwings' COM server), so only the first click pays Python's start-up; macOS ignores it.
CONF = {"Interpreter_Win": r"%LOCALAPPDATA%\kgxl\Scripts\python.exe", "Interpreter_Mac": "$HOME/kgxl/bin/python",
        "Show Console": "False", "ADD_WORKBOOK_TO_PYTHONPATH": "False", "USE UDF SERVER": "True"}


def _note(c: Column, extra: str = "") -> Comment:
    comment = Comment(c.note(extra), "kgxl")
    comment.width, comment.height = 240, 100
    return comment


def _header(ws, col: int, text: str, width: float, note: Comment | None) -> None:
    cell = ws.cell(row=1, column=col, value=text)
    cell.font, cell.fill, cell.border = HEADER_FONT, HEADER_FILL, HEADER_BORDER
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    if note:
        cell.comment = note
    ws.column_dimensions[get_column_letter(col)].width = width


def _value(c: Column, v):
    if v is None or v == "":
        return None
    if c.type in ("number", "integer") and isinstance(v, str):
        return float(v)
    return v


def _dropdown(ws, c: Column, letter: str, schemas: dict[str, SheetSchema], first: int, last: int) -> None:
    if c.allowed:
        formula = '"' + ",".join(c.allowed) + '"'
    elif c.ref:
        target = schemas[c.ref[0]]
        tl = get_column_letter([x.key for x in target.columns].index(c.ref[1]) + 1)
        formula = f"'{target.sheet}'!${tl}$2:${tl}${DV_ROWS}"
    else:
        return
    dv = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=not c.ref,
                        errorTitle="输入有误", error=f"{c.header}：{c.help}", promptTitle=c.header, prompt=c.help[:250])
    dv.add(f"{letter}{first}:{letter}{last}")
    ws.add_data_validation(dv)


def _table_sheet(wb: Workbook, s: SheetSchema, rows: list[dict], schemas) -> None:
    ws = wb.create_sheet(s.sheet)
    extra = {"foods": "数据来源：《中国食物成分表 标准版 第6版》（OCR 读取，铁、锌等数值可能有误；"
                      "“数据核对”标注需核实的行请对照原书）",
             "nutrition_norms": "默认值及出处见 kgxl/data/README.md；未写上限的指标不评“过量”",
             "health_norms": "默认值及出处见 kgxl/data/README.md；按“基本信息”的生长评价标准（WS/T 423-2022 或 WHO）取用对应的行"}.get(s.key, "")
    for i, c in enumerate(s.columns, start=1):
        _header(ws, i, c.header, c.width, _note(c, extra if i == 2 else ""))
    for r, row in enumerate(rows, start=2):
        for i, c in enumerate(s.columns, start=1):
            v = _value(c, row.get(c.key))
            if v is None:
                continue
            cell = ws.cell(row=r, column=i, value=v)
            if c.type == "date":
                cell.number_format = DATE_FORMAT
            elif c.type == "time":
                cell.number_format = TIME_FORMAT
            elif c.format:
                cell.number_format = c.format
    for i, c in enumerate(s.columns, start=1):
        _dropdown(ws, c, get_column_letter(i), schemas, 2, max(len(rows) + 1, DV_ROWS))
    ws.freeze_panes = "A2"


def _settings_sheet(wb: Workbook, s: SheetSchema, values: dict) -> None:
    ws = wb.create_sheet(s.sheet)
    for i, c in enumerate(s.columns, start=1):
        _header(ws, i, c.header, c.width, None)
    for r, item in enumerate(s.items, start=2):
        ws.cell(row=r, column=1, value=item.header).font = HEADER_FONT
        cell = ws.cell(row=r, column=2, value=values.get(item.key))
        cell.number_format = DATE_FORMAT if item.type == "date" else item.format or "General"
        if item.type in ("text", "month"):
            cell.number_format = "@"
        ws.cell(row=r, column=3, value=item.help + ("（必填）" if item.required else ""))
        cell.comment = _note(item)
        if item.allowed:
            dv = DataValidation(type="list", formula1='"' + ",".join(item.allowed) + '"', allow_blank=True)
            dv.add(f"B{r}")
            ws.add_data_validation(dv)


def _register_sheet(wb: Workbook, s: SheetSchema, month: str, reg: dict) -> None:
    ws = wb.create_sheet(s.sheet_for(month))
    fixed = {c.key: c for c in s.columns}
    lead = [fixed["child_id"], fixed["name"], fixed["class_name"]]
    for i, c in enumerate(lead, start=1):
        _header(ws, i, c.header, c.width, _note(c))
    day_cols = s.day_columns
    marks = day_cols.marks
    for j, d in enumerate(reg["days"]):
        col = len(lead) + 1 + j
        _header(ws, col, None, day_cols.width, None)
        cell = ws.cell(row=1, column=col, value=d)
        cell.number_format = day_cols.header_format
    note_col = len(lead) + len(reg["days"]) + 1
    _header(ws, note_col, fixed["note"].header, fixed["note"].width, _note(fixed["note"]))
    ws.cell(row=1, column=len(lead) + 1).comment = Comment(day_cols.help, "kgxl")
    for r, row in enumerate(reg["rows"], start=2):
        ws.cell(row=r, column=1, value=row["child_id"])
        ws.cell(row=r, column=2, value=row["name"])
        ws.cell(row=r, column=3, value=row["class_name"])
        for j, d in enumerate(reg["days"]):
            ws.cell(row=r, column=len(lead) + 1 + j, value=row["marks"].get(d))
        ws.cell(row=r, column=note_col, value=row["note"])
    if reg["days"]:
        dv = DataValidation(type="list", formula1='"' + ",".join(marks) + '"', allow_blank=True,
                            promptTitle="出勤标记", prompt=day_cols.help)
        dv.add(f"{get_column_letter(len(lead) + 1)}2:{get_column_letter(note_col - 1)}{len(reg['rows']) + 1}")
        ws.add_data_validation(dv)
    ws.freeze_panes = "D2"
    # printed as kgxl month prints it: A4 landscape, one page wide, the header row on every page
    ws.page_setup.paperSize, ws.page_setup.orientation = ws.PAPERSIZE_A4, "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_title_rows = "1:1"


def reference_rows() -> dict[str, list]:
    """The reference sheets as kgxl ships them (食物成分, 营养标准, 体检标准, 传染病病种, 资产类别), for a workbook that has
    none."""
    with HEALTH_NORMS_CSV.open(encoding="utf-8") as f:
        health = list(csv.DictReader(f))
    return {"foods": foods(), "nutrition_norms": nutrition_norms(), "health_norms": health, "diseases": diseases(),
            "asset_categories": categories()}


def build_bytes(sample: Sample | None = None, runtime: list[Module] | None = None) -> bytes:
    """The master workbook; runtime replaces the embedded xlwings modules (a test build's stub)."""
    sample = sample or Sample()
    return book_bytes(all_rows(sample), sample.registers, macros=True, runtime=runtime)


def _conf_sheet(wb: Workbook) -> None:
    """xlwings' settings sheet (hidden): where RunPython finds the Python that has kgxl installed."""
    ws = wb.create_sheet(CONF_SHEET)
    for r, (key, value) in enumerate(CONF.items(), start=1):
        ws.cell(row=r, column=1, value=key)
        ws.cell(row=r, column=2, value=value)
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = 18, 48
    ws.sheet_state = "hidden"


def book_bytes(rows: dict[str, object], registers: dict[str, dict], macros: bool = False,
               runtime: list[Module] | None = None) -> bytes:
    """A workbook laid out by the schemas: rows by schema key (a dict for 基本信息, a list of
    dicts otherwise; absent keys make no sheet), registers by month ({"days": [...], "rows":
    [{child_id, name, class_name, marks: {day: mark}, note}]}). macros: with the ribbon, the VBA
    project and the xlwings.conf sheet."""
    schemas = load_schemas()
    wb = Workbook()
    wb.remove(wb.active)
    for s in current().inputs:
        key = s.key
        if s.monthly or key not in rows:
            continue
        if s.kind == "keyvalue":
            _settings_sheet(wb, s, rows[key])
        else:
            _table_sheet(wb, s, rows[key], schemas)
    for month, reg in registers.items():
        _register_sheet(wb, schemas["register"], month, reg)
    extra: dict[str, bytes] = {}
    if macros:
        _conf_sheet(wb)
        wb.code_name = "ThisWorkbook"
        for i, ws in enumerate(wb.worksheets, start=1):
            ws.sheet_properties.codeName = f"Sheet{i}"
        extra = {VBA_PART: vba_project(ribbon.modules([ws.sheet_properties.codeName for ws in wb.worksheets],
                                                      runtime)),
                 ribbon.PART: ribbon.custom_ui()}
    from kgxl.app.pipeline import layout
    from kgxl.io.upgrade_package import LAYOUT_NAME

    wb.defined_names[LAYOUT_NAME] = DefinedName(LAYOUT_NAME, attr_text=f'"{layout()}"', hidden=True)
    wb.properties.creator = wb.properties.lastModifiedBy = "kgxl"
    wb.properties.title = "幼儿园后勤工作簿"
    wb.properties.created = wb.properties.modified = FIXED_TIME
    buf = io.BytesIO()
    wb.save(buf)
    return normalize(buf.getvalue(), extra)


def _with_macros(name: str, body: bytes) -> bytes:
    """Declare the VBA project and the ribbon in the package's content types and relationships."""
    if name == "[Content_Types].xml":
        return body.replace(b"</Types>", f'<Default Extension="bin" ContentType="{VBA_CT}"/></Types>'.encode())
    if name == "xl/_rels/workbook.xml.rels":
        return body.replace(b"</Relationships>", f'<Relationship Id="rIdVBA" Type="{VBA_REL}" '
                            f'Target="vbaProject.bin"/></Relationships>'.encode())
    if name == "_rels/.rels":
        return body.replace(b"</Relationships>", f'<Relationship Id="rIdUI" Type="{ribbon.REL_TYPE}" '
                            f'Target="{ribbon.PART}"/></Relationships>'.encode())
    return body


def normalize(data: bytes, extra: dict[str, bytes] | None = None) -> bytes:
    """Make the package macro-enabled and byte-for-byte reproducible; extra parts (the VBA project,
    the ribbon) are added with their content types and relationships."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "[Content_Types].xml":
                body = body.replace(XLSX_CT.encode(), XLSM_CT.encode())
            elif info.filename == "docProps/core.xml":
                body = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp.encode(), body)
            if extra:
                body = _with_macros(info.filename, body)
            new = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            new.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(new, body)
        for name, body in (extra or {}).items():
            new = zipfile.ZipInfo(name, date_time=FIXED_TIME.timetuple()[:6])
            new.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(new, body)
    return out.getvalue()


def build_workbook(path: Path, force: bool = False) -> Path:
    """The sample workbook at path. An existing file may be a kindergarten's own workbook: it is refused unless
    force, and then kept as NAME.backup.xlsm."""
    from kgxl.core.actions import UserError

    if path.exists() and not force:
        raise UserError(f"{path} 已存在，未覆盖：示例工作簿全是虚构的数据，不能覆盖您的工作簿。确需重新生成示例时加 --force")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.kgxl-tmp")
    tmp.write_bytes(build_bytes())
    if path.exists():
        shutil.copy2(path, path.with_name(f"{path.stem}.backup{path.suffix}"))
    os.replace(tmp, path)
    return path
