"""The package surgery of `kgxl upgrade`: an older workbook brought to this version's layout, every part the user
made kept as it is. What changes: sheets this version adds are moved in from a workbook built by this version
(the donor: headers, notes, dropdowns, widths, reference rows, their cell formats copied into this workbook's
styles); columns this version adds get their header cell after the sheet's last header (nothing typed moves);
the VBA project and the ribbon are this version's; the layout the workbook now has is recorded in it. What is
to change is decided elsewhere (kgxl.app.upgrade); this module only knows parts."""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field

from defusedxml.ElementTree import fromstring

from kgxl.core.cells import col_letter
from kgxl.core.port import SheetOutput
from kgxl.io import notes, sheet_xml
from kgxl.io.package import (
    MAIN_NS,
    STYLES,
    TYPES,
    UI_PART,
    UI_REL,
    VBA_CT,
    VBA_PART,
    VBA_REL,
    WB_RELS,
    WORKBOOK,
    ContentTypes,
    Parts,
    Relationships,
    add_sheet_entries,
    apply_outputs,
    rels_name,
    targets,
    workbook_sheets,
)
from kgxl.io.styles import StyleBook
from kgxl.io.workbook_xml import code_name, defined_names, set_code_name, set_defined_name, set_sheet_state
from kgxl.io.xml_nodes import escape

LAYOUT_NAME = "_kgxl_layout"  # the workbook-level defined name holding the layout a workbook has
MACRO_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"  # the workbook part's type in an .xlsm
ROOT_RELS = "_rels/.rels"


@dataclass
class Upgrade:
    layout: str
    donor: bytes = b""  # a workbook of this version holding the sheets to add
    sheets: list[tuple[str, str | None]] = field(default_factory=list)  # (sheet to add, the sheet it follows)
    columns: dict[str, tuple[int, list[tuple[str, float]]]] = field(default_factory=dict)  # sheet -> (header row,
    # [(header, width)]) added after its last header
    appends: list[SheetOutput] = field(default_factory=list)  # rows added below a sheet's own (基本信息's new items)
    vba: object = None  # code names -> the VBA project's bytes; None: a workbook without macros keeps none
    custom_ui: bytes | None = None
    hidden: list[str] = field(default_factory=list)  # added sheets the user does not see (xlwings.conf)


def macro_enabled(types: bytes) -> bool:
    """Whether the package is an .xlsm by its content types (the workbook part is macro-enabled)."""
    return MACRO_MAIN in ContentTypes(types).overrides.values()


def _add_project(parts: Parts, wb: str) -> str:
    """An .xlsm without a VBA project (the first releases' books) made ready for one: the workbook's codeName (the
    project's ThisWorkbook), the project's content type and relationship; the caller writes the project."""
    if code_name(wb.encode("utf-8")) is None:
        wb = set_code_name(wb, "ThisWorkbook")
    parts.add_default("bin", VBA_CT)
    rels = Relationships(parts.get(WB_RELS))
    rels.add(rels.fresh_id("rIdKgxl"), VBA_REL, "vbaProject.bin")
    parts.put(WB_RELS, rels.xml())
    return wb


def _add_ribbon(parts: Parts, custom_ui: bytes) -> None:
    rels = Relationships(parts.get(ROOT_RELS))
    rels.add(rels.fresh_id("rIdKgxl"), UI_REL, UI_PART)
    parts.put(ROOT_RELS, rels.xml())
    parts.put(UI_PART, custom_ui)


def recorded_layout(workbook: bytes) -> str | None:
    """The layout digest a kgxl workbook records in its hidden defined name (None when it has none)."""
    for attrs, text in defined_names(workbook):
        if attrs.get("name") == LAYOUT_NAME:
            return text.strip('"') or None
    return None


def _set_layout(wb: str, layout: str) -> str:
    return set_defined_name(wb, LAYOUT_NAME, f'"{layout}"', hidden=True)


def _inline_strings(xml: str, shared: list[str]) -> str:
    """Shared-string cells as inline strings (the donor's string table does not come along). The donor is a workbook
    kgxl builds itself (kgxl.io.book_builder, by openpyxl), in one known form: the one XML read here by pattern."""
    def one(m: re.Match) -> str:
        text = escape(shared[int(m.group(3))])
        return f'<c{m.group(1)}t="inlineStr"{m.group(2)}><is><t xml:space="preserve">{text}</t></is></c>'
    return re.sub(r'<c\b([^>]*?)t="s"([^>]*)><v>(\d+)</v></c>', one, xml)


def _shared(donor: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in donor.namelist():
        return []
    root = fromstring(donor.read("xl/sharedStrings.xml"))
    return ["".join(t.text or "" for t in si.iter(f"{{{MAIN_NS}}}t")) for si in root.iter(f"{{{MAIN_NS}}}si")]


def _code_names(parts: Parts) -> list[str]:
    names = []
    for e in workbook_sheets({WORKBOOK: parts.get(WORKBOOK), WB_RELS: parts.get(WB_RELS)}):
        name = sheet_xml.code_name(parts.get(e.part))
        if name:
            names.append(name)
    return names


def _name_every_sheet(parts: Parts) -> None:
    """A codeName for each sheet without one (the reports a refresh added): the VBA project written next gets a
    Document module for every sheet, as Excel would make it, so Excel has nothing to repair."""
    taken = set(_code_names(parts))
    n = 1
    for e in workbook_sheets({WORKBOOK: parts.get(WORKBOOK), WB_RELS: parts.get(WB_RELS)}):
        if sheet_xml.code_name(parts.get(e.part)) is None:
            while f"Sheet{n}" in taken:
                n += 1
            taken.add(f"Sheet{n}")
            parts.put(e.part, sheet_xml.with_code_name(parts.get(e.part), f"Sheet{n}"))


def _add_sheets(parts: Parts, u: Upgrade, wb: str) -> str:
    donor = zipfile.ZipFile(io.BytesIO(u.donor))
    donor_parts = {e.name: e.part for e in workbook_sheets({n: donor.read(n) for n in (WORKBOOK, WB_RELS)})}
    source_styles = StyleBook(donor.read(STYLES))
    styles = StyleBook(parts.text(STYLES))
    shared = _shared(donor)
    sheets = workbook_sheets({WORKBOOK: wb.encode("utf-8"), WB_RELS: parts.get(WB_RELS)})
    entries, order = {e.name: e for e in sheets}, [e.name for e in sheets]
    taken = set(_code_names(parts))
    cache: dict[int, int] = {}

    def style(m: re.Match) -> str:
        i = int(m.group(2))
        if i not in cache:
            cache[i] = styles.copy_xf(source_styles, i)
        return f'{m.group(1)}"{cache[i]}"'

    for name, after in u.sheets:
        wb = add_sheet_entries(parts, wb, [(name, after)], entries, order)
        entry = entries[name]
        part = donor_parts[name]
        xml = _inline_strings(donor.read(part).decode("utf-8"), shared)
        xml = re.sub(r'(<c\b[^>]*?\ss=|<row\b[^>]*?\ss=|<col\b[^>]*?\sstyle=)"(\d+)"', style, xml)
        n = 1
        while f"Sheet{n}" in taken:
            n += 1
        taken.add(f"Sheet{n}")
        parts.put(entry.part, sheet_xml.with_code_name(xml.encode("utf-8"), f"Sheet{n}"))
        rels = rels_name(part)
        if rels in donor.namelist():  # the header notes: comments and their drawing
            text = donor.read(rels).decode("utf-8")
            for kind, target in targets(Parts(set(donor.namelist()), donor.read), part):
                folder, ext = target.rsplit("/", 1)[0], target.rsplit(".", 1)[1]
                stem = re.sub(r"\d+\.\w+$", "", target.rsplit("/", 1)[1])
                new = parts.fresh(f"{folder}/{stem}{{}}.{ext}")
                parts.put(new, donor.read(target))
                if kind.endswith("/comments"):
                    parts.add_type(new, notes.COMMENTS_CT)
                text = text.replace(f'"/{target}"', f'"/{new}"').replace(
                    f'"../{target.split("/", 1)[1]}"', f'"../{new.split("/", 1)[1]}"')
            parts.put(rels_name(entry.part), text)
    for ext, content_type in ContentTypes(donor.read(TYPES)).defaults.items():  # e.g. vml, which the notes need
        parts.add_default(ext, content_type)
    parts.put(STYLES, styles.xml)
    return wb


def _header_cells(xml: bytes, row: int, headers: list[tuple[str, float]]) -> bytes:
    """Header cells after the last cell of the header row, in its last cell's format, with their widths."""
    def cells(last: int, style: str | None) -> bytes:
        s = f' s="{style}"' if style else ""
        return "".join(f'<c r="{col_letter(last + 1 + i)}{row}"{s} t="inlineStr"><is><t>{escape(h)}</t></is></c>'
                       for i, (h, _) in enumerate(headers)).encode("utf-8")
    xml, last = sheet_xml.extend_row(xml, row, cells)
    return sheet_xml.add_columns(xml, last + 2, [w for _, w in headers])


def apply_upgrade(parts: Parts, u: Upgrade) -> None:
    wb = parts.text(WORKBOOK)
    if u.sheets:
        wb = _add_sheets(parts, u, wb)
    for name in u.hidden:
        wb = set_sheet_state(wb, name, "hidden")
    adding = u.vba is not None and VBA_PART not in parts and macro_enabled(parts.get(TYPES))
    if adding:
        wb = _add_project(parts, wb)
    parts.put(WORKBOOK, _set_layout(wb, u.layout))
    entries = {e.name: e for e in workbook_sheets({WORKBOOK: parts.get(WORKBOOK), WB_RELS: parts.get(WB_RELS)})}
    for sheet, (row, headers) in u.columns.items():
        part = entries[sheet].part
        parts.put(part, _header_cells(parts.get(part), row, headers))
    if u.appends:
        apply_outputs(parts, u.appends)
    if u.vba is not None and (adding or VBA_PART in parts):
        _name_every_sheet(parts)
        parts.put(VBA_PART, u.vba(_code_names(parts)))
    if u.custom_ui is not None and UI_PART in parts:
        parts.put(UI_PART, u.custom_ui)
    elif u.custom_ui is not None and adding:
        _add_ribbon(parts, u.custom_ui)
