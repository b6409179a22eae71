"""A clean .xlsx holding copies of some sheets of the master package, for the education bureau.

Copied as they are: cell values and styles, column widths, merges, print setup, conditional formats,
drawings with their charts and images. Left behind: formulas (their cached values stay), shared
strings (inlined), comments, data validations, tables, controls, external hyperlinks and links to
sheets that stay home, defined names other than the copied sheets' print titles, areas and filters,
the VBA project, the ribbon, and every other sheet. Text that Excel would take for a formula if
retyped (= + - @) gets the quote-prefix style, so it stays text in the bureau's hands too.
"""
from __future__ import annotations

import datetime as dt
import io
import posixpath
import re
import zipfile
from dataclasses import dataclass

from defusedxml.ElementTree import fromstring

from kgxl.core.cells import split_ref
from kgxl.io import sheet_xml
from kgxl.io.package import (
    STYLES,
    TYPES,
    WB_RELS,
    WORKBOOK,
    Parts,
    Relationships,
    rels_name,
    resolve,
    targets,
    workbook_sheets,
)
from kgxl.io.styles import StyleBook
from kgxl.io.workbook_xml import defined_names
from kgxl.io.xml_nodes import MAIN_NS, REL_NS, Node, declared_prefix, drop_attr, escape, scan, set_attr, splice

MAIN_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
SHEET_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
STYLES_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"
THEME_CT = "application/vnd.openxmlformats-officedocument.theme+xml"
REL = REL_NS
KEPT_NAMES = ("_xlnm.Print_Titles", "_xlnm.Print_Area", "_xlnm._FilterDatabase")
FORMULA_START = ("=", "+", "-", "@", "＝", "＋", "－", "＠")  # full-width too: Chinese input methods type them

# elements of a worksheet that do not travel (with their content)
_DROPPED = {(MAIN_NS, t) for t in ("legacyDrawing", "legacyDrawingHF", "tableParts", "picture", "oleObjects",
                                    "controls", "dataValidations", "extLst", "sheetProtection", "protectedRanges")}
_DROPPED |= {("http://schemas.openxmlformats.org/markup-compatibility/2006", "AlternateContent")}


def _shared_strings(parts: Parts) -> list[tuple[bytes, str]]:
    """(inner XML, plain text) of each <si> (plain <t> or rich-text runs), by index."""
    target = next((t for typ, t in targets(parts, WORKBOOK) if typ.endswith("/sharedStrings")), None)
    if not target or target not in parts:
        return []
    xml = parts.get(target)
    out, si, texts = [], None, []
    for n in scan(xml, text={"t"}):
        if n.depth == 1 and n.local == "si":
            if si is not None:
                out.append((xml[si.open_end:si.close], "".join(texts)))
            si, texts = n, []
        elif n.local == "t" and si is not None:
            texts.append(n.text or "")
    if si is not None:
        out.append((xml[si.open_end:si.close], "".join(texts)))
    return out


class _QuoteStyles:
    """Cell formats with quotePrefix="1", appended to styles.xml: text that looks like a formula stays text."""

    def __init__(self, xml: bytes):
        self.book, self.map = StyleBook(xml), {}

    def quoted(self, s: int) -> int:
        if s not in self.map:
            self.map[s] = self.book.variant(s, quotePrefix="1")
        return self.map[s]

    def styles_xml(self) -> str:
        return self.book.xml


@dataclass(frozen=True)
class Blank:
    """Cells a copy leaves empty: those of the columns (letters) from first_row on, but for the header texts kept (a
    column's header, and the headers of the blocks below, stay); and words a copy masks inside any text (a staff
    name typed into 发现问题, a phone number): each character becomes ＊."""
    columns: frozenset[str] = frozenset()
    first_row: int = 1
    kept: frozenset[str] = frozenset()
    masked: re.Pattern | None = None

    def hides(self, ref: str, text: str) -> bool:
        letters, row = split_ref(ref)
        return letters in self.columns and row >= self.first_row and text.strip() not in self.kept

    def mask(self, text: str) -> str:
        return self.masked.sub(lambda m: "＊" * len(m.group(0)), text) if self.masked and text else text


def _cell(xml: bytes, c: Node, inside: list[Node], shared, quotes: _QuoteStyles, blank: Blank | None) -> bytes:
    """A cell as it travels: its value only (no formula), strings inline; empty when blank hides it."""
    kind = c.attrs.get("t")
    head = drop_attr(xml[c.start:c.open_end], "t")
    head = head[:-2].rstrip() if head.endswith(b"/>") else head[:-1]
    value = next((n.text for n in inside if n.local == "v"), None)
    inline, text = None, value or ""
    if kind == "s" and value is not None:
        inline, text = shared[int(value)]
    elif kind == "str":
        inline = None if value is None else b"<t>" + escape(value).encode("utf-8") + b"</t>"
    elif kind == "inlineStr":
        holder = next((n for n in inside if n.local == "is"), None)
        inline = xml[holder.open_end:holder.close] if holder is not None else None
        text = "".join(n.text or "" for n in inside if n.local == "t")
    if blank and blank.hides(c.attrs.get("r", ""), text):
        return head + b"/>"
    if blank and inline is not None and (masked := blank.mask(text)) != text:
        inline = b'<t xml:space="preserve">' + escape(masked).encode("utf-8") + b"</t>"
    if inline is not None:
        if text.startswith(FORMULA_START):
            head = set_attr(head + b">", "s", str(quotes.quoted(int(c.attrs.get("s", 0)))))[:-1]
        return head + b' t="inlineStr"><is>' + inline + b"</is></c>"
    if value is None:
        return head + b"/>"
    t = f' t="{kind}"'.encode() if kind in ("b", "e", "n", "d") else b""
    return head + t + b"><v>" + escape(value).encode("utf-8") + b"</v></c>"


def _clean_sheet(xml: bytes, shared, quotes: _QuoteStyles, exported: set[str], first: bool,
                 blank: Blank | None = None, drawing=None) -> bytes:
    """The sheet as it travels (see the module's note); drawing(relationship id) gives its <drawing> element in the
    copy (b"" to leave it out)."""
    xml = sheet_xml.plain(xml)
    nodes = scan(xml, text={"v", "t"})
    rel = declared_prefix(xml, REL_NS)
    edits, views, i = [], 0, 0
    while i < len(nodes):
        n = nodes[i]
        tag = xml[n.start:n.open_end]
        if n.depth == 1 and (n.ns, n.local) in _DROPPED:
            edits.append((n.start, n.end, b""))
            i = _after(nodes, i)
            continue
        if n.local == "sheetPr" and "codeName" in n.attrs:
            edits.append((n.start, n.open_end, drop_attr(tag, "codeName")))
        elif n.local == "pageSetup" and rel and f"{REL_NS}}}id" in n.attrs:
            edits.append((n.start, n.open_end, drop_attr(tag, f"{rel}:id")))
        elif n.local == "sheetView":
            tag = drop_attr(tag, "tabSelected")
            edits.append((n.start, n.open_end, set_attr(tag, "tabSelected", "1") if first and not views else tag))
            views += 1
        elif n.local == "drawing" and n.depth == 1 and drawing is not None:
            edits.append((n.start, n.end, drawing(n.attrs.get(f"{REL_NS}}}id"))))
        elif n.local == "hyperlinks":
            end = _after(nodes, i)
            links = [h for h in nodes[i + 1:end] if h.local == "hyperlink"]
            gone = [h for h in links if not _keep_link(h, exported)]
            edits += [(n.start, n.end, b"")] if len(gone) == len(links) else [(h.start, h.end, b"") for h in gone]
            i = end
            continue
        elif n.local == "c" and n.ns == MAIN_NS:
            end = _after(nodes, i)
            edits.append((n.start, n.end, _cell(xml, n, nodes[i + 1:end], shared, quotes, blank)))
            i = end
            continue
        i += 1
    return splice(xml, edits)


def _after(nodes: list[Node], i: int) -> int:
    """The index just after node i's descendants."""
    k = i + 1
    while k < len(nodes) and nodes[k].depth > nodes[i].depth:
        k += 1
    return k


def _keep_link(h: Node, exported: set[str]) -> bool:
    """A link travels when it goes to a place in a sheet that travels too."""
    target = h.attrs.get("location")
    if not target or f"{REL_NS}}}id" in h.attrs:
        return False
    return target.split("!")[0].strip("'").replace("''", "'") in exported


class _Copier:
    """Copies parts with their relationships under fresh names in the new package."""

    def __init__(self, src: Parts, out: dict[str, bytes]):
        self.src, self.out = src, out
        self.types: dict[str, str] = {}
        self.done: dict[str, str] = {}
        self.overrides, self.defaults = src.types.overrides, src.types.defaults

    def _fresh(self, part: str) -> str:
        folder, base = posixpath.split(part)
        stem, ext = posixpath.splitext(base)
        stem = re.sub(r"\d+$", "", stem) or "part"
        n = 1
        while f"{folder}/{stem}{n}{ext}" in self.out:
            n += 1
        return f"{folder}/{stem}{n}{ext}"

    def copy(self, part: str) -> str:
        if part in self.done:
            return self.done[part]
        new = self._fresh(part)
        self.done[part] = new
        self.out[new] = b""  # reserve the name
        ext = posixpath.splitext(part)[1].lstrip(".").lower()
        if part in self.overrides:
            self.types[new] = self.overrides[part]
        elif ext not in self.defaults:
            raise ValueError(f"no content type for {part}")
        data = self.src.get(part)
        rels = rels_name(part)
        if rels in self.src:
            copied_rels = Relationships()
            for r in Relationships(self.src.get(rels)).items:
                if r.get("TargetMode") == "External":
                    continue  # nothing outside the file travels
                absolute = resolve(part, r["Target"])
                if absolute not in self.src:
                    continue
                copied = self.copy(absolute)
                copied_rels.add(r["Id"], r["Type"], posixpath.relpath(copied, posixpath.dirname(new)))
            self.out[rels_name(new)] = copied_rels.xml()
        self.out[new] = data
        return new


def _core(company: str, title: str, now: dt.datetime, keywords: str = "") -> str:
    stamp = now.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:title>{escape(title)}</dc:title><dc:creator>{escape(company)}</dc:creator>"
            f"<cp:lastModifiedBy>{escape(company)}</cp:lastModifiedBy>"
            + (f"<cp:keywords>{escape(keywords)}</cp:keywords>" if keywords else "") +
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified></cp:coreProperties>')


def _app(company: str, names: list[str]) -> str:
    titles = "".join(f"<vt:lpstr>{escape(n)}</vt:lpstr>" for n in names)
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
            'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
            f"<Application>kgxl</Application><Company>{escape(company)}</Company>"
            '<HeadingPairs><vt:vector size="2" baseType="variant"><vt:variant><vt:lpstr>工作表</vt:lpstr></vt:variant>'
            f'<vt:variant><vt:i4>{len(names)}</vt:i4></vt:variant></vt:vector></HeadingPairs>'
            f'<TitlesOfParts><vt:vector size="{len(names)}" baseType="lpstr">{titles}</vt:vector></TitlesOfParts>'
            "</Properties>")


def sheet_states(src) -> dict[str, str]:
    """Sheet name -> visible | hidden | veryHidden, from the master package."""
    with zipfile.ZipFile(src) as z:
        wb = fromstring(z.read(WORKBOOK))
    return {t.get("name"): t.get("state") or "visible" for t in wb.iter(f"{{{MAIN_NS}}}sheet")}


def export_package(src, names: list[str], company: str, title: str, now: dt.datetime,
                   blank: dict[str, Blank] | None = None, keywords: str = "") -> bytes:
    """The new .xlsx, holding the named sheets of the package at src (a path or file), in that order. blank: sheet ->
    the cells left empty in the copy; keywords: the core properties' keywords (what the export is, for the bureau's
    collect)."""
    with zipfile.ZipFile(src) as z:
        parts = Parts(set(z.namelist()), z.read)
        sheets = workbook_sheets({WORKBOOK: parts.get(WORKBOOK), WB_RELS: parts.get(WB_RELS)})
        entries = {e.name: e for e in sheets}
        position = {e.name: i for i, e in enumerate(sheets)}
        shared = _shared_strings(parts)
        quotes = _QuoteStyles(parts.get(STYLES))
        out: dict[str, bytes] = {}
        copier = _Copier(parts, out)
        theme = next((t for typ, t in targets(parts, WORKBOOK) if typ.endswith("/theme")), None)
        sheet_tags, wb_rels, defined = [], Relationships(), []
        exported = set(names)
        for i, name in enumerate(names, start=1):
            entry = entries[name]
            part = f"xl/worksheets/sheet{i}.xml"

            def drawing(rid: str | None, sheet_part=entry.part, part=part) -> bytes:
                target = _rel_target(parts, sheet_part, rid)
                if target not in parts:
                    return b""
                new = copier.copy(target)
                rels = Relationships()
                rels.add("rId1", f"{REL}/drawing", f"../drawings/{posixpath.basename(new)}")
                out[rels_name(part)] = rels.xml()
                return f'<drawing xmlns:r="{REL}" r:id="rId1"/>'.encode()
            xml = _clean_sheet(parts.get(entry.part), shared, quotes, exported, i == 1, (blank or {}).get(name),
                               drawing)
            out[part] = xml
            copier.types[part] = SHEET_CT
            sheet_tags.append(f'<sheet name="{escape(name, True)}" sheetId="{i}" r:id="rId{i}"/>')
            wb_rels.add(f"rId{i}", f"{REL}/worksheet", f"worksheets/sheet{i}.xml")
            defined += _local_names(parts.text(WORKBOOK), position[name], i - 1, name)
        n = len(names)
        out["xl/styles.xml"] = quotes.styles_xml().encode("utf-8")
        copier.types["xl/styles.xml"] = STYLES_CT
        wb_rels.add(f"rId{n + 1}", f"{REL}/styles", "styles.xml")
        if theme and theme in parts:
            out["xl/theme/theme1.xml"] = parts.get(theme)
            copier.types["xl/theme/theme1.xml"] = THEME_CT
            wb_rels.add(f"rId{n + 2}", f"{REL}/theme", "theme/theme1.xml")
    names_xml = f"<definedNames>{''.join(defined)}</definedNames>" if defined else ""
    out[WORKBOOK] = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                     f'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="{REL}">'
                     '<workbookPr/><bookViews><workbookView activeTab="0"/></bookViews>'
                     f"<sheets>{''.join(sheet_tags)}</sheets>{names_xml}<calcPr calcId=\"191029\"/></workbook>").encode("utf-8")
    out[WB_RELS] = wb_rels.xml()
    out["docProps/core.xml"] = _core(company, title, now, keywords).encode("utf-8")
    out["docProps/app.xml"] = _app(company, names).encode("utf-8")
    package_rels = Relationships()
    package_rels.add("rId1", f"{REL}/officeDocument", "xl/workbook.xml")
    package_rels.add("rId2", "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
                     "docProps/core.xml")
    package_rels.add("rId3", f"{REL}/extended-properties", "docProps/app.xml")
    out["_rels/.rels"] = package_rels.xml()
    types = {WORKBOOK: MAIN_CT, "docProps/core.xml": "application/vnd.openxmlformats-package.core-properties+xml",
             "docProps/app.xml": "application/vnd.openxmlformats-officedocument.extended-properties+xml", **copier.types}
    used = {posixpath.splitext(p)[1].lstrip(".").lower() for p in out} - {"xml", "rels"}
    defaults = {"rels": "application/vnd.openxmlformats-package.relationships+xml", "xml": "application/xml",
                **{e: copier.defaults[e] for e in used if e in copier.defaults}}
    out[TYPES] = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                  '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                  + "".join(f'<Default Extension="{e}" ContentType="{c}"/>' for e, c in sorted(defaults.items()))
                  + "".join(f'<Override PartName="/{p}" ContentType="{c}"/>' for p, c in sorted(types.items()))
                  + "</Types>").encode("utf-8")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name in [TYPES, "_rels/.rels", "docProps/core.xml", "docProps/app.xml", WORKBOOK, WB_RELS]:
            z.writestr(name, out.pop(name))
        for name in sorted(out):
            z.writestr(name, out[name])
    return buf.getvalue()


def _rel_target(parts: Parts, part: str, rid: str | None) -> str | None:
    rels = rels_name(part)
    if rels not in parts or rid is None:
        return None
    return next((resolve(part, r["Target"]) for r in Relationships(parts.get(rels)).items
                 if r.get("Id") == rid and r.get("TargetMode") != "External"), None)


def _local_names(wb: str, old_index: int, new_index: int, sheet: str) -> list[str]:
    """The sheet's own print titles, print area and filter range, renumbered; only those naming the sheet itself."""
    out = []
    for attrs, ref in defined_names(wb.encode("utf-8")):
        if attrs.get("localSheetId") != str(old_index) or attrs.get("name") not in KEPT_NAMES:
            continue
        quoted = "'" + sheet.replace("'", "''") + "'!"
        refs = [r.strip() for r in ref.split(",")]
        if all(r.startswith((quoted, sheet + "!")) for r in refs):
            hidden = ' hidden="1"' if attrs.get("hidden") in ("1", "true") else ""
            out.append(f'<definedName name="{attrs["name"]}" localSheetId="{new_index}"{hidden}>{escape(ref)}'
                       "</definedName>")
    return out
