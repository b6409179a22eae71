"""Every workbook kgxl makes, laid out by the schemas: headers, widths, number formats, dropdowns and header notes
all come from schemas/; the rows and, for a master workbook, the ribbon, the VBA project and xlwings' settings
sheet are given. The output is deterministic: fixed document dates and zip timestamps, so the committed sample
equals a rebuild. openpyxl writes the workbook (the user's own workbooks are edited by kgxl.io.package instead)."""
from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass
from typing import Callable

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties

from kgxl.core.schema import Column, SheetSchema
from kgxl.io.package import UI_PART, UI_REL, VBA_CT, VBA_PART, VBA_REL


@dataclass(frozen=True)
class Macros:
    """What makes a master workbook's buttons work: the VBA project (built from the sheets' code names), the
    ribbon, and xlwings' settings sheet."""
    vba: Callable[[list[str]], bytes]
    custom_ui: bytes
    conf_sheet: str
    conf: dict[str, str]


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
    for i, c in enumerate(s.columns, start=1):
        _header(ws, i, c.header, c.width, _note(c, s.data_note if i == 2 else ""))
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


def _conf_sheet(wb: Workbook, name: str, conf: dict[str, str]) -> None:
    """xlwings' settings sheet (hidden): where RunPython finds the Python that has kgxl installed."""
    ws = wb.create_sheet(name)
    for r, (key, value) in enumerate(conf.items(), start=1):
        ws.cell(row=r, column=1, value=key)
        ws.cell(row=r, column=2, value=value)
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = 18, 48
    ws.sheet_state = "hidden"


def _with_macros(name: str, body: bytes) -> bytes:
    """Declare the VBA project and the ribbon in the package's content types and relationships."""
    if name == "[Content_Types].xml":
        return body.replace(b"</Types>", f'<Default Extension="bin" ContentType="{VBA_CT}"/></Types>'.encode())
    if name == "xl/_rels/workbook.xml.rels":
        return body.replace(b"</Relationships>", f'<Relationship Id="rIdVBA" Type="{VBA_REL}" '
                            f'Target="vbaProject.bin"/></Relationships>'.encode())
    if name == "_rels/.rels":
        return body.replace(b"</Relationships>", f'<Relationship Id="rIdUI" Type="{UI_REL}" '
                            f'Target="{UI_PART}"/></Relationships>'.encode())
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


def book_bytes(inputs: list[SheetSchema], rows: dict[str, object], registers: dict[str, dict],
               macros: Macros | None = None, layout: tuple[str, str] | None = None) -> bytes:
    """A workbook with the input sheets of `inputs` (in that order) that `rows` has: by schema key, a dict for a
    key/value sheet, a list of dicts otherwise; registers by month ({"days": [...], "rows": [{child_id, name,
    class_name, marks: {day: mark}, note}]}). layout: (defined name, value) recording the layout version."""
    schemas = {s.key: s for s in inputs}
    wb = Workbook()
    wb.remove(wb.active)
    for s in inputs:
        if s.monthly or s.key not in rows:
            continue
        if s.kind == "keyvalue":
            _settings_sheet(wb, s, rows[s.key])
        else:
            _table_sheet(wb, s, rows[s.key], schemas)
    register = next((s for s in inputs if s.kind == "register"), None)
    for month, reg in registers.items():
        _register_sheet(wb, register, month, reg)
    extra: dict[str, bytes] = {}
    if macros:
        _conf_sheet(wb, macros.conf_sheet, macros.conf)
        wb.code_name = "ThisWorkbook"
        for i, ws in enumerate(wb.worksheets, start=1):
            ws.sheet_properties.codeName = f"Sheet{i}"
        extra = {VBA_PART: macros.vba([ws.sheet_properties.codeName for ws in wb.worksheets]),
                 UI_PART: macros.custom_ui}
    if layout:
        wb.defined_names[layout[0]] = DefinedName(layout[0], attr_text=f'"{layout[1]}"', hidden=True)
    wb.properties.creator = wb.properties.lastModifiedBy = "kgxl"
    wb.properties.title = "幼儿园后勤工作簿"
    wb.properties.created = wb.properties.modified = FIXED_TIME
    buf = io.BytesIO()
    wb.save(buf)
    return normalize(buf.getvalue(), extra)
