"""Write generated sheets into an xlsx/xlsm package, touching nothing else.

Only these parts change: the generated sheets' own parts (with their drawings and charts),
workbook.xml (sheet list, print titles), its relationships, [Content_Types].xml and styles.xml
(appended styles). Every other part (input sheets, VBA project, ribbon, drawings, charts,
comments) is copied unchanged.
calcChain.xml, Excel's formula-order cache, is dropped only when it names a replaced sheet (Excel rebuilds it).
"""
from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass
from xml.sax.saxutils import escape, unescape

from defusedxml.ElementTree import fromstring

from kgxl.core.port import SheetOutput
from kgxl.io import notes, workbook_xml
from kgxl.io.charts import (
    CHART_CT,
    CHART_REL,
    DRAWING_CT,
    DRAWING_REL,
    chart_xml,
    drawing_xml,
)
from kgxl.io.render import append_rows, plain_sheet, print_titles, render_sheet, retitle
from kgxl.io.styles import StyleBook
from kgxl.io.workbook_xml import MAIN_NS

WORKBOOK = "xl/workbook.xml"
WB_RELS = "xl/_rels/workbook.xml.rels"
TYPES = "[Content_Types].xml"
STYLES = "xl/styles.xml"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
SHEET_REL = REL_NS + "/worksheet"
CALC_REL = REL_NS + "/calcChain"
SHEET_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
VBA_PART, VBA_CT = "xl/vbaProject.bin", "application/vnd.ms-office.vbaProject"
VBA_REL = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
UI_PART = "customUI/customUI.xml"  # the ribbon (customUI, 2006 form) and its package relationship
UI_REL = "http://schemas.microsoft.com/office/2006/relationships/ui/extensibility"


@dataclass
class SheetEntry:
    name: str
    sheet_id: int
    rid: str
    part: str  # e.g. xl/worksheets/sheet3.xml


def _attr(tag: str, name: str) -> str | None:
    m = re.search(rf'\s{name}="([^"]*)"', tag)
    return unescape(m.group(1), {"&quot;": '"', "&apos;": "'"}) if m else None


def resolve(source_part: str, target: str) -> str:
    """The part name a relationship target of source_part points to."""
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source_part), target))


PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_COMMENT = re.compile(r"<!--.*?-->", re.S)


def workbook_sheets(files: dict[str, bytes]) -> list[SheetEntry]:
    """The sheets workbook.xml lists, in order, read with an XML parser that refuses DTDs and entities: namespace
    prefixes (x:sheet), comments (a commented-out sheet) and attribute order or quoting cannot mislead it."""
    wb = fromstring(files[WORKBOOK])
    rels = {r.get("Id"): r.get("Target") for r in fromstring(files[WB_RELS]).iter(f"{{{PKG_REL_NS}}}Relationship")}
    out = []
    for tag in wb.iter(f"{{{MAIN_NS}}}sheet"):
        rid = tag.get(f"{{{REL_NS}}}id")
        out.append(SheetEntry(tag.get("name"), int(tag.get("sheetId")), rid, resolve(WORKBOOK, rels[rid])))
    return out


def code_name(sheet_xml: bytes) -> str | None:
    """The sheet's codeName (the name of its VBA Document module), from its sheetPr near the top."""
    head = sheet_xml[:4000]
    if b"<!--" in head:  # a commented-out sheetPr is not the sheet's
        head = plain_sheet(sheet_xml)[:4000]
    m = re.search(rb'<(?:\w+:)?sheetPr\b[^>]*\bcodeName="([^"]+)"', head)
    return m.group(1).decode() if m else None


def _calc_chain_sheets(xml: bytes) -> set[int]:
    """The sheetIds calcChain.xml refers to (an entry without i= repeats the previous one's)."""
    ids, current = set(), 0
    for tag in re.findall(rb"<c\b[^>]*>", xml):
        m = re.search(rb'\si="(\d+)"', tag)
        current = int(m.group(1)) if m else current
        ids.add(current)
    return ids


def _drop_calc_chain(parts: "Parts") -> None:
    parts.delete("xl/calcChain.xml")
    rels = parts.text(WB_RELS)
    rels = _COMMENT.sub("", rels)  # a prefixed relationship (r:Relationship) goes too: no dangling target
    parts.put(WB_RELS, re.sub(rf'<(\w+:)?Relationship\b[^>]*Type="{re.escape(CALC_REL)}"[^>]*/>', "", rels))
    parts.drop_types({"xl/calcChain.xml"})


TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types"


class ContentTypes:
    """[Content_Types].xml as data: read with the XML parser (so a namespace prefix or a comment cannot mislead an
    edit), written whole in the plain form."""

    def __init__(self, xml: bytes):
        self.defaults: dict[str, str] = {}  # extension (lower case) -> content type
        self.overrides: dict[str, str] = {}  # part name (no leading /) -> content type
        for el in fromstring(xml):
            local = el.tag.rsplit("}", 1)[-1]
            if local == "Default":
                self.defaults[el.get("Extension", "").lower()] = el.get("ContentType", "")
            elif local == "Override":
                self.overrides[el.get("PartName", "").lstrip("/")] = el.get("ContentType", "")

    def xml(self) -> bytes:
        q = {'"': "&quot;"}
        return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                f'<Types xmlns="{TYPES_NS}">'
                + "".join(f'<Default Extension="{escape(e, q)}" ContentType="{escape(c, q)}"/>'
                          for e, c in self.defaults.items())
                + "".join(f'<Override PartName="/{escape(n, q)}" ContentType="{escape(c, q)}"/>'
                          for n, c in self.overrides.items())
                + "</Types>").encode("utf-8")


class Parts:
    """The package's parts, read on demand; edits are kept here until the package is written."""

    def __init__(self, names: set[str], read):
        self.names, self._read = set(names), read
        self.files: dict[str, bytes] = {}
        self.changed: set[str] = set()
        self.deleted: set[str] = set()
        self._types: ContentTypes | None = None

    def __contains__(self, name: str) -> bool:
        return name in self.names and name not in self.deleted

    def get(self, name: str) -> bytes:
        if name not in self.files:
            self.files[name] = self._read(name)
        return self.files[name]

    def text(self, name: str) -> str:
        return self.get(name).decode("utf-8")

    def put(self, name: str, data: bytes | str) -> None:
        self.files[name] = data.encode("utf-8") if isinstance(data, str) else data
        self.names.add(name)
        self.changed.add(name)
        self.deleted.discard(name)

    def delete(self, name: str) -> None:
        self.deleted.add(name)
        self.changed.discard(name)
        self.files.pop(name, None)

    def fresh(self, pattern: str) -> str:
        """The first unused part name of a numbered pattern such as xl/charts/chart{}.xml (a part
        deleted in this edit is free again, so regenerating a sheet reuses its parts' names)."""
        n = 1
        while pattern.format(n) in self:
            n += 1
        self.names.add(pattern.format(n))
        self.deleted.discard(pattern.format(n))
        return pattern.format(n)

    @property
    def types(self) -> ContentTypes:
        if self._types is None:
            self._types = ContentTypes(self.get(TYPES))
        return self._types

    def add_type(self, part: str, content_type: str) -> None:
        self.types.overrides[part] = content_type
        self.put(TYPES, self.types.xml())

    def add_default(self, extension: str, content_type: str) -> None:
        """A content type by extension, unless the package has one for it."""
        if extension.lower() not in self.types.defaults:
            self.types.defaults[extension.lower()] = content_type
            self.put(TYPES, self.types.xml())

    def drop_types(self, parts: set[str]) -> None:
        for part in parts:
            self.types.overrides.pop(part, None)
        self.put(TYPES, self.types.xml())


def rels_name(part: str) -> str:
    folder, base = posixpath.split(part)
    return f"{folder}/_rels/{base}.rels"


def targets(parts: Parts, part: str) -> list[tuple[str, str]]:
    """(type, absolute part name) of a part's internal relationships (read with the XML parser)."""
    rels = rels_name(part)
    if rels not in parts:
        return []
    return [(r.get("Type"), resolve(part, r.get("Target"))) for r in fromstring(parts.get(rels))
            if r.tag.rsplit("}", 1)[-1] == "Relationship" and r.get("TargetMode") != "External"]


def _drop_owned(parts: Parts, part: str) -> None:
    """Delete what a replaced sheet owned: drawings, charts, comments, tables (media may be shared: kept)."""
    gone: set[str] = set()

    def visit(p: str) -> None:
        for _, target in targets(parts, p):
            if target in parts and not target.startswith("xl/media/") and target not in gone:
                gone.add(target)
                visit(target)
        if rels_name(p) in parts:
            gone.add(rels_name(p))

    visit(part)
    for name in gone:
        parts.delete(name)
    parts.drop_types(gone)


def _add_charts(parts: Parts, out: SheetOutput, sheet_part: str) -> str:
    """Write the drawing and chart parts of an output; returns the sheet's relationship id for the drawing."""
    drawing = parts.fresh("xl/drawings/drawing{}.xml")
    chart_rids = []
    chart_rels = []
    for i, chart in enumerate(out.charts, start=1):
        name = parts.fresh("xl/charts/chart{}.xml")
        parts.put(name, chart_xml(out, chart))
        parts.add_type(name, CHART_CT)
        chart_rids.append(f"rId{i}")
        chart_rels.append(f'<Relationship Id="rId{i}" Type="{CHART_REL}" Target="../charts/{posixpath.basename(name)}"/>')
    parts.put(drawing, drawing_xml(out, chart_rids))
    parts.add_type(drawing, DRAWING_CT)
    parts.put(rels_name(drawing), _rels(chart_rels))
    rel = f'<Relationship Id="rId1" Type="{DRAWING_REL}" Target="../drawings/{posixpath.basename(drawing)}"/>'
    parts.put(rels_name(sheet_part), _rels([rel]))
    return "rId1"


def _add_notes(parts: Parts, out: SheetOutput, sheet_part: str) -> str:
    """Write an output's notes (the comments part and the VML drawing Excel draws them from) beside its sheet, whose
    relationships gain both; returns the relationship id of the drawing (the sheet's legacyDrawing)."""
    comments, vml = notes.render(out.notes)
    c_name, v_name = parts.fresh("xl/comments{}.xml"), parts.fresh("xl/drawings/vmlDrawing{}.vml")
    parts.put(c_name, comments)
    parts.add_type(c_name, notes.COMMENTS_CT)
    parts.put(v_name, vml)
    parts.add_type(v_name, notes.VML_CT)
    rels = [f'<Relationship Id="rIdKgxlNotes" Type="{notes.COMMENTS_REL}" Target="../{posixpath.basename(c_name)}"/>',
            f'<Relationship Id="rIdKgxlVml" Type="{notes.VML_REL}" Target="../drawings/{posixpath.basename(v_name)}"/>']
    name = rels_name(sheet_part)
    if name in parts:  # the drawing of its charts, written just before
        rels = re.findall(r"<Relationship\b[^>]*/>", parts.text(name)) + rels
    parts.put(name, _rels(rels))
    return "rIdKgxlVml"


def _rels(items: list[str]) -> str:
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{"".join(items)}'
            "</Relationships>")


def apply_outputs(parts: Parts, outputs: list[SheetOutput]) -> None:
    """Add or replace generated sheets in the package's parts."""
    sheets = workbook_sheets({WORKBOOK: parts.get(WORKBOOK), WB_RELS: parts.get(WB_RELS)})
    entries = {e.name: e for e in sheets}
    order = [e.name for e in sheets]
    styles = StyleBook(parts.text(STYLES))
    wb = _COMMENT.sub("", parts.text(WORKBOOK))  # a comment means nothing to Excel, and could hide a tag from a regex
    replaced: set[int] = set()
    for out in outputs:
        entry, code = entries.get(out.name), None
        if entry is None:
            wb, entry = add_sheet_entry(parts, wb, out.name, out.after, entries, order)
        elif out.append:
            parts.put(entry.part, append_rows(parts.get(entry.part), out, styles))
            continue
        elif out.retitle:
            parts.put(entry.part, retitle(parts.get(entry.part), out.titles[0]))
            continue
        else:
            replaced.add(entry.sheet_id)
            code = code_name(parts.get(entry.part))
            _drop_owned(parts, entry.part)
        rid = _add_charts(parts, out, entry.part) if out.charts else None
        notes_rid = _add_notes(parts, out, entry.part) if out.notes else None
        parts.put(entry.part, render_sheet(out, styles, rid, code, notes_rid))
        wb = workbook_xml.set_defined_name(wb, "_xlnm.Print_Titles", print_titles(out), order.index(out.name))
    parts.put(WORKBOOK, wb)
    parts.put(STYLES, styles.xml)
    if "xl/calcChain.xml" in parts and replaced & _calc_chain_sheets(parts.get("xl/calcChain.xml")):
        _drop_calc_chain(parts)


def add_sheet_entry(parts: Parts, wb: str, name: str, after: str | None, entries: dict[str, SheetEntry],
                    order: list[str]) -> tuple[str, SheetEntry]:
    """A new sheet's part name, relationship, content type and tag in workbook.xml (returned, edited); entries and
    order (the sheets by name, in workbook order) are updated. The caller writes the part. The sheet goes right
    after `after` when that sheet exists, else last."""
    prefix = re.search(rf'xmlns:(\w+)="{re.escape(REL_NS)}"', wb).group(1)
    part = parts.fresh("xl/worksheets/sheet{}.xml")
    rels = _COMMENT.sub("", parts.text(WB_RELS))
    used = {r.get("Id") for r in fromstring(parts.get(WB_RELS))}
    k = 1
    while f"rIdKgxl{k}" in used:
        k += 1
    entry = SheetEntry(name, max([0, *(e.sheet_id for e in entries.values())]) + 1, f"rIdKgxl{k}", part)
    close = re.search(r"</(\w+:)?Relationships>", rels)  # a prefixed root takes prefixed children
    rp = close.group(1) or ""
    rel = f'<{rp}Relationship Id="{entry.rid}" Type="{SHEET_REL}" Target="worksheets/{posixpath.basename(part)}"/>'
    parts.put(WB_RELS, rels[:close.start()] + rel + rels[close.start():])
    parts.add_type(part, SHEET_CT)
    position = order.index(after) + 1 if after in order else len(order)
    wb = workbook_xml.insert_sheet(wb, name, entry.sheet_id, entry.rid, position, prefix)
    entries[name] = entry
    order.insert(position, name)
    return wb, entry


# deflate level of the parts written: 3 is about 4x faster than zlib's default 6 on sheet XML, for ~4 % more bytes
LEVEL = 3


def write_package(src, dest, outputs: list[SheetOutput]) -> None:
    """Copy the package from src to dest with the outputs applied."""
    write_edited(src, dest, lambda parts: apply_outputs(parts, outputs))


def write_edited(src, dest, edit) -> None:
    """Copy the package from src to dest with edit(parts) applied; unchanged parts are copied as they are."""
    with zipfile.ZipFile(src) as zin:
        infos = zin.infolist()
        parts = Parts({i.filename for i in infos}, zin.read)
        edit(parts)
        with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
            for info in infos:
                name = info.filename
                if name in parts.deleted:
                    continue
                data = parts.files[name] if name in parts.changed else zin.read(info)
                zout.writestr(_info_like(info), data, compresslevel=LEVEL)  # unchanged parts too: level 6 costs 4x
            present = {i.filename for i in infos}
            for name in sorted(parts.changed - present):
                zout.writestr(zipfile.ZipInfo(name, date_time=infos[0].date_time), parts.files[name],
                              compress_type=zipfile.ZIP_DEFLATED, compresslevel=LEVEL)


def _info_like(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    new = zipfile.ZipInfo(info.filename, date_time=info.date_time)
    new.compress_type = zipfile.ZIP_DEFLATED
    new.external_attr = info.external_attr
    return new
