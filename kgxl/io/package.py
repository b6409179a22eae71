"""Write generated sheets into an xlsx/xlsm package, touching nothing else.

Only these parts change: the generated sheets' own parts (with their drawings and charts),
workbook.xml (sheet list, print titles), its relationships, [Content_Types].xml and styles.xml
(appended styles). Every other part (input sheets, VBA project, ribbon, drawings, charts,
comments) is copied unchanged.
calcChain.xml, Excel's formula-order cache, is dropped only when it names a replaced sheet (Excel rebuilds it).
"""
from __future__ import annotations

import posixpath
import struct
import zipfile
import zlib
from dataclasses import dataclass

from defusedxml.ElementTree import fromstring

from kgxl.core.port import SheetOutput
from kgxl.io import notes, sheet_xml, workbook_xml
from kgxl.io.charts import (
    CHART_CT,
    CHART_REL,
    DRAWING_CT,
    DRAWING_REL,
    chart_xml,
    drawing_xml,
)
from kgxl.io.render import appended_rows, print_titles, render_sheet, title_cell
from kgxl.io.styles import StyleBook
from kgxl.io.xml_nodes import MAIN_NS, PKG_REL_NS, REL_NS, declared_prefix, escape, prefix, scan, splice

WORKBOOK = "xl/workbook.xml"
WB_RELS = "xl/_rels/workbook.xml.rels"
TYPES = "[Content_Types].xml"
STYLES = "xl/styles.xml"
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
    state: str | None = None  # hidden, veryHidden; None: visible


def resolve(source_part: str, target: str) -> str:
    """The part name a relationship target of source_part points to."""
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source_part), target))




def workbook_sheets(files: dict[str, bytes]) -> list[SheetEntry]:
    """The sheets workbook.xml lists, in order, read with an XML parser that refuses DTDs and entities: namespace
    prefixes (x:sheet), comments (a commented-out sheet) and attribute order or quoting cannot mislead it."""
    wb = fromstring(files[WORKBOOK])
    rels = {r.get("Id"): r.get("Target") for r in fromstring(files[WB_RELS]).iter(f"{{{PKG_REL_NS}}}Relationship")}
    out = []
    for tag in wb.iter(f"{{{MAIN_NS}}}sheet"):
        rid = tag.get(f"{{{REL_NS}}}id")
        out.append(SheetEntry(tag.get("name"), int(tag.get("sheetId")), rid, resolve(WORKBOOK, rels[rid]),
                              tag.get("state")))
    return out


def _calc_chain_sheets(xml: bytes) -> set[int]:
    """The sheetIds calcChain.xml refers to (an entry without i= repeats the previous one's)."""
    ids, current = set(), 0
    for c in fromstring(xml).iter(f"{{{MAIN_NS}}}c"):
        current = int(c.get("i", current))
        ids.add(current)
    return ids


def _drop_calc_chain(parts: "Parts") -> None:
    parts.delete("xl/calcChain.xml")
    rels = Relationships(parts.get(WB_RELS))
    rels.drop_type(CALC_REL)
    parts.put(WB_RELS, rels.xml())
    parts.drop_types({"xl/calcChain.xml"})


class Relationships:
    """A relationships part, read with the XML parser (a prefix or a comment cannot mislead it); what kgxl adds goes
    in before the part's end and what it drops is cut out where the parser found it, every other byte kept."""

    def __init__(self, xml: bytes | None = None):
        self.source, self.added = xml, []
        nodes = scan(xml) if xml else []
        self.root = nodes[0] if nodes else None
        self.nodes = [n for n in nodes if n.depth == 1 and n.local == "Relationship"]
        self.dropped: set[int] = set()

    @property
    def items(self) -> list[dict[str, str]]:
        return [n.attrs for i, n in enumerate(self.nodes) if i not in self.dropped] + self.added

    def add(self, rid: str, kind: str, target: str) -> None:
        self.added.append({"Id": rid, "Type": kind, "Target": target})

    def drop_type(self, kind: str) -> None:
        self.dropped |= {i for i, n in enumerate(self.nodes) if n.attrs.get("Type") == kind}
        self.added = [r for r in self.added if r["Type"] != kind]

    def fresh_id(self, stem: str) -> str:
        used, k = {r.get("Id") for r in self.items}, 1
        while f"{stem}{k}" in used:
            k += 1
        return f"{stem}{k}"

    def xml(self) -> bytes:
        p = prefix(self.source, self.root) if self.root else ""
        new = "".join(f"<{p}Relationship " + " ".join(f'{k}="{escape(v, True)}"' for k, v in r.items()) + "/>"
                      for r in self.added).encode("utf-8")
        if self.root is None:
            return (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                    + f'<Relationships xmlns="{PKG_REL_NS}">'.encode() + new + b"</Relationships>")
        edits = [(self.nodes[i].start, self.nodes[i].end, b"") for i in self.dropped]
        root = self.root
        if root.empty:
            head = self.source[root.start:root.open_end - 2].rstrip() + b">"
            edits.append((root.start, root.end, head + new + f"</{p}Relationships>".encode()))
        else:
            edits.append((root.close, root.close, new))
        return splice(self.source, edits)


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
        return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                f'<Types xmlns="{TYPES_NS}">'
                + "".join(f'<Default Extension="{escape(e, True)}" ContentType="{escape(c, True)}"/>'
                          for e, c in self.defaults.items())
                + "".join(f'<Override PartName="/{escape(n, True)}" ContentType="{escape(c, True)}"/>'
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
        self._types_edited = False

    def __contains__(self, name: str) -> bool:
        return name in self.names and name not in self.deleted

    def get(self, name: str) -> bytes:
        if name == TYPES and self._types_edited:  # written out when asked for, not at each edit of a type
            self.files[TYPES], self._types_edited = self.types.xml(), False
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
        self._edited_types()

    def add_default(self, extension: str, content_type: str) -> None:
        """A content type by extension, unless the package has one for it."""
        if extension.lower() not in self.types.defaults:
            self.types.defaults[extension.lower()] = content_type
            self._edited_types()

    def drop_types(self, parts: set[str]) -> None:
        if [part for part in parts if self.types.overrides.pop(part, None) is not None]:
            self._edited_types()

    def _edited_types(self) -> None:
        """After an edit of self.types (read by then): the part is changed, and get(TYPES) writes it out from them."""
        self.changed.add(TYPES)
        self._types_edited = True


def rels_name(part: str) -> str:
    folder, base = posixpath.split(part)
    return f"{folder}/_rels/{base}.rels"


def targets(parts: Parts, part: str) -> list[tuple[str, str]]:
    """(type, absolute part name) of a part's internal relationships (read with the XML parser)."""
    rels = rels_name(part)
    if rels not in parts:
        return []
    return [(r.get("Type"), resolve(part, r.get("Target"))) for r in Relationships(parts.get(rels)).items
            if r.get("TargetMode") != "External"]


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
    chart_rels = Relationships()
    for i, chart in enumerate(out.charts, start=1):
        name = parts.fresh("xl/charts/chart{}.xml")
        parts.put(name, chart_xml(out, chart))
        parts.add_type(name, CHART_CT)
        chart_rels.add(f"rId{i}", CHART_REL, f"../charts/{posixpath.basename(name)}")
    parts.put(drawing, drawing_xml(out, [r["Id"] for r in chart_rels.items]))
    parts.add_type(drawing, DRAWING_CT)
    parts.put(rels_name(drawing), chart_rels.xml())
    sheet_rels = Relationships()
    sheet_rels.add("rId1", DRAWING_REL, f"../drawings/{posixpath.basename(drawing)}")
    parts.put(rels_name(sheet_part), sheet_rels.xml())
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
    name = rels_name(sheet_part)
    rels = Relationships(parts.get(name) if name in parts else None)  # the drawing of its charts, written just before
    rels.add("rIdKgxlNotes", notes.COMMENTS_REL, f"../{posixpath.basename(c_name)}")
    rels.add("rIdKgxlVml", notes.VML_REL, f"../drawings/{posixpath.basename(v_name)}")
    parts.put(name, rels.xml())
    return "rIdKgxlVml"


def apply_outputs(parts: Parts, outputs: list[SheetOutput]) -> None:
    """Add or replace generated sheets in the package's parts."""
    sheets = workbook_sheets({WORKBOOK: parts.get(WORKBOOK), WB_RELS: parts.get(WB_RELS)})
    entries = {e.name: e for e in sheets}
    order = [e.name for e in sheets]
    styles = StyleBook(parts.text(STYLES))
    wb = parts.text(WORKBOOK)
    replaced: set[int] = set()
    fresh: dict[str, str | None] = {}  # the new sheets, each placed as its first output says
    for o in outputs:
        if o.name not in entries:
            fresh.setdefault(o.name, o.after)
    wb = add_sheet_entries(parts, wb, list(fresh.items()), entries, order)
    for out in outputs:
        entry, code = entries[out.name], None
        if out.name in fresh:  # added just now: nothing of it to keep or drop
            del fresh[out.name]
        elif out.append:
            parts.put(entry.part, sheet_xml.append_rows(parts.get(entry.part),
                                                        lambda first, o=out: appended_rows(o, first, styles)))
            continue
        elif out.retitle:
            parts.put(entry.part, sheet_xml.retitle(parts.get(entry.part),
                                                    lambda style, t=out.titles[0]: title_cell(t, style)))
            continue
        else:
            replaced.add(entry.sheet_id)
            code = sheet_xml.code_name(parts.get(entry.part))
            _drop_owned(parts, entry.part)
        rid = _add_charts(parts, out, entry.part) if out.charts else None
        notes_rid = _add_notes(parts, out, entry.part) if out.notes else None
        parts.put(entry.part, render_sheet(out, styles, rid, code, notes_rid))
        wb = workbook_xml.set_defined_name(wb, "_xlnm.Print_Titles", print_titles(out), order.index(out.name))
        if out.hidden and entry.state != "hidden":  # already so: no scan of workbook.xml
            wb = workbook_xml.set_sheet_state(wb, out.name, "hidden")
    parts.put(WORKBOOK, wb)
    parts.put(STYLES, styles.xml)
    if "xl/calcChain.xml" in parts and replaced & _calc_chain_sheets(parts.get("xl/calcChain.xml")):
        _drop_calc_chain(parts)


def add_sheet_entries(parts: Parts, wb: str, new: list[tuple[str, str | None]], entries: dict[str, SheetEntry],
                      order: list[str]) -> str:
    """New sheets (name, after), in turn: each one's part name, relationship, content type and tag in workbook.xml
    (returned, edited); entries and order (the sheets by name, in workbook order) are updated. The caller writes the
    parts. A sheet goes right after `after` when that sheet exists by then, else last."""
    if not new:
        return wb
    rels = Relationships(parts.get(WB_RELS))
    added = []
    for name, after in new:
        part = parts.fresh("xl/worksheets/sheet{}.xml")
        entry = SheetEntry(name, max([0, *(e.sheet_id for e in entries.values())]) + 1, rels.fresh_id("rIdKgxl"), part)
        rels.add(entry.rid, SHEET_REL, f"worksheets/{posixpath.basename(part)}")
        parts.add_type(part, SHEET_CT)
        position = order.index(after) + 1 if after in order else len(order)
        entries[name] = entry
        order.insert(position, name)
        added.append((name, entry.sheet_id, entry.rid))
    parts.put(WB_RELS, rels.xml())
    return workbook_xml.insert_sheets(wb, added, order, declared_prefix(wb.encode("utf-8"), REL_NS))


# deflate level of the parts written: 3 is about 4x faster than zlib's default 6 on sheet XML, for ~4 % more bytes
LEVEL = 3


def write_package(src, dest, outputs: list[SheetOutput]) -> None:
    """Copy the package from src to dest with the outputs applied."""
    write_edited(src, dest, lambda parts: apply_outputs(parts, outputs))


def write_edited(src, dest, edit) -> None:
    """Copy the package from src to dest with edit(parts) applied. A part the edit leaves alone is copied as its
    compressed bytes, never inflated whole and never compressed again (a large image costs no memory and no time),
    its checksum verified on the way: a damaged part stops the copy as reading it would."""
    with zipfile.ZipFile(src) as zin:
        infos = zin.infolist()
        parts = Parts({i.filename for i in infos}, zin.read)
        edit(parts)
        with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
            for info in infos:
                name = info.filename
                if name in parts.deleted:
                    continue
                if name in parts.changed:
                    zout.writestr(_info_like(info), parts.get(name), compresslevel=LEVEL)
                else:
                    copy_member(zin, info, zout)
            present = {i.filename for i in infos}
            for name in sorted(parts.changed - present):
                zout.writestr(zipfile.ZipInfo(name, date_time=infos[0].date_time), parts.get(name),
                              compress_type=zipfile.ZIP_DEFLATED, compresslevel=LEVEL)


CHUNK = 1 << 20


def copy_member(zin: zipfile.ZipFile, info: zipfile.ZipInfo, zout: zipfile.ZipFile) -> None:
    """One member of zin into zout as its compressed bytes are (zipfile has no public way to do it: its writer's own
    bookkeeping is followed, as writestr leaves it)."""
    if info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        zout.writestr(_info_like(info), zin.read(info), compresslevel=LEVEL)  # nothing kgxl meets in a workbook
        return
    zin.fp.seek(info.header_offset)
    head = zin.fp.read(zipfile.sizeFileHeader)
    if len(head) != zipfile.sizeFileHeader or head[:4] != zipfile.stringFileHeader:
        raise zipfile.BadZipFile(f"{info.filename}: bad local header")
    name_len, extra_len = struct.unpack("<HH", head[26:30])
    zin.fp.seek(info.header_offset + zipfile.sizeFileHeader + name_len + extra_len)
    new = zipfile.ZipInfo(info.filename, date_time=info.date_time)
    new.compress_type, new.external_attr, new.create_system = info.compress_type, info.external_attr, info.create_system
    new.CRC, new.compress_size, new.file_size = info.CRC, info.compress_size, info.file_size
    new.flag_bits = info.flag_bits & 0x800  # UTF-8 names; sizes are known: no data descriptor
    zip64 = new.file_size > zipfile.ZIP64_LIMIT or new.compress_size > zipfile.ZIP64_LIMIT
    inflate = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    crc, left = 0, info.compress_size
    with zout._lock:  # as ZipFile.open(mode="w") does
        new.header_offset = zout.fp.tell()
        zout.fp.write(new.FileHeader(zip64))
        while left:
            chunk = zin.fp.read(min(CHUNK, left))
            if not chunk:
                raise zipfile.BadZipFile(f"{info.filename}: truncated")
            left -= len(chunk)
            zout.fp.write(chunk)
            if inflate is not None:
                while chunk:  # inflated a bounded piece at a time, for the checksum only
                    crc = zlib.crc32(inflate.decompress(chunk, CHUNK), crc)
                    chunk = inflate.unconsumed_tail
            else:
                crc = zlib.crc32(chunk, crc)
        if inflate is not None:
            crc = zlib.crc32(inflate.flush(), crc)
        if crc != info.CRC:
            raise zipfile.BadZipFile(f"Bad CRC-32 for file {info.filename!r}")
        zout.filelist.append(new)
        zout.NameToInfo[new.filename] = new
        zout.start_dir = zout.fp.tell()
        zout._didModify = True


def _info_like(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    new = zipfile.ZipInfo(info.filename, date_time=info.date_time)
    new.compress_type = zipfile.ZIP_DEFLATED
    new.external_attr = info.external_attr
    return new
