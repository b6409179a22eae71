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
from xml.sax.saxutils import escape, unescape

from kgxl.io.package import (
    STYLES,
    TYPES,
    WB_RELS,
    WORKBOOK,
    Parts,
    _attr,
    _rels,
    rels_name,
    resolve,
    targets,
    workbook_sheets,
)
from kgxl.io.workbook_xml import defined_names

MAIN_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
SHEET_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
STYLES_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"
THEME_CT = "application/vnd.openxmlformats-officedocument.theme+xml"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
KEPT_NAMES = ("_xlnm.Print_Titles", "_xlnm.Print_Area", "_xlnm._FilterDatabase")
FORMULA_START = ("=", "+", "-", "@", "＝", "＋", "－", "＠")  # full-width too: Chinese input methods type them

# elements of a worksheet that do not travel (each may be empty-tagged or have content)
_DROPPED = ("legacyDrawing", "legacyDrawingHF", "tableParts", "picture", "oleObjects", "controls",
            "dataValidations", "extLst", "sheetProtection", "protectedRanges", "mc:AlternateContent")
_CELL = re.compile(r"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
_TYPE_ATTR = re.compile(r'\st="[^"]*"')


def _drop(xml: str, tag: str) -> str:
    return re.sub(rf"<{tag}\b[^>]*?/>|<{tag}\b[^>]*?>.*?</{tag}>", "", xml, flags=re.S)


def _shared_strings(parts: Parts) -> list[str]:
    """Inner XML of each <si> (plain <t> or rich-text runs), by index."""
    target = next((t for typ, t in targets(parts, WORKBOOK) if typ.endswith("/sharedStrings")), None)
    if not target or target not in parts:
        return []
    return re.findall(r"<si>(.*?)</si>|<si/>", parts.text(target), re.S)


def _plain(inner: str) -> str:
    return unescape("".join(re.findall(r"<t\b[^>]*>(.*?)</t>", inner, re.S)))


class _QuoteStyles:
    """cellXfs clones with quotePrefix="1", appended to styles.xml."""

    def __init__(self, xml: str):
        self.xml, self.map = xml, {}
        block = re.search(r"<cellXfs\b[^>]*>(.*?)</cellXfs>", xml, re.S)
        self.xfs = re.findall(r"<xf\b[^>]*?/>|<xf\b.*?</xf>", block.group(1), re.S) if block else []

    def quoted(self, s: int) -> int:
        if s not in self.map:
            base = self.xfs[s] if s < len(self.xfs) else '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
            base = re.sub(r'\squotePrefix="[^"]*"', "", base)
            self.xfs.append(re.sub(r"^<xf\b", '<xf quotePrefix="1"', base))
            self.map[s] = len(self.xfs) - 1
        return self.map[s]

    def styles_xml(self) -> str:
        if not self.map:
            return self.xml
        return re.sub(r"<cellXfs\b[^>]*>.*?</cellXfs>", lambda m: f'<cellXfs count="{len(self.xfs)}">{"".join(self.xfs)}</cellXfs>',
                      self.xml, count=1, flags=re.S)


@dataclass(frozen=True)
class Blank:
    """Cells a copy leaves empty: those of the columns (letters) from first_row on, but for the header texts kept (a
    column's header, and the headers of the blocks below, stay)."""
    columns: frozenset[str]
    first_row: int
    kept: frozenset[str] = frozenset()

    def hides(self, ref: str, kind: str | None, body: str, shared: list[str]) -> bool:
        m = re.match(r"([A-Z]+)(\d+)", ref)
        if not m or m.group(1) not in self.columns or int(m.group(2)) < self.first_row:
            return False
        value = re.search(r"<v>(.*?)</v>", body, re.S)
        text = _plain(shared[int(value.group(1))]) if kind == "s" and value else _plain(body)
        return text.strip() not in self.kept


def _clean_cells(xml: str, shared: list[str], quotes: _QuoteStyles, blank: Blank | None = None) -> str:
    """Values only; the cells of blank leave empty (columns naming people)."""
    def cell(m: re.Match) -> str:
        attrs, body = m.group(1), m.group(2) or ""
        if blank and blank.hides(_attr(attrs, "r") or "", _attr(attrs, "t"), body, shared):
            return "<c" + _TYPE_ATTR.sub("", attrs) + "/>"
        kind = _attr(attrs, "t")
        body = re.sub(r"<f\b[^>]*?/>|<f\b[^>]*>.*?</f>", "", body, flags=re.S)
        value = re.search(r"<v>(.*?)</v>", body, re.S)
        inline = None
        if kind == "s" and value:
            inline = shared[int(value.group(1))]
        elif kind == "str":
            inline = f"<t>{value.group(1)}</t>" if value else None
        elif kind == "inlineStr":
            found = re.search(r"<is>(.*?)</is>", body, re.S)
            inline = found.group(1) if found else None
        attrs = re.sub(r'\st="[^"]*"', "", attrs)
        if inline is not None:
            if _plain(inline).startswith(FORMULA_START):
                s = int(_attr(attrs, "s") or 0)
                attrs = re.sub(r'\ss="\d+"', "", attrs) + f' s="{quotes.quoted(s)}"'
            return f'<c{attrs} t="inlineStr"><is>{inline}</is></c>'
        if value is None:
            return f"<c{attrs}/>"
        t = f' t="{kind}"' if kind in ("b", "e", "n", "d") else ""
        return f"<c{attrs}{t}><v>{value.group(1)}</v></c>"
    return _CELL.sub(cell, xml)


def _clean_sheet(xml: str, shared: list[str], quotes: _QuoteStyles, exported: set[str], first: bool,
                 blank: Blank | None = None) -> str:
    for tag in _DROPPED:
        xml = _drop(xml, tag)
    xml = re.sub(r'(<sheetPr\b[^>]*?)\scodeName="[^"]*"', r"\1", xml)
    xml = re.sub(r'(<pageSetup\b[^>]*?)\sr:id="[^"]*"', r"\1", xml)
    xml = re.sub(r'\stabSelected="[^"]*"', "", xml)
    if first:
        xml = re.sub(r"<sheetView\b", '<sheetView tabSelected="1"', xml, count=1)

    def keep_link(tag: str) -> bool:
        target = _attr(tag, "location")
        if not target or _attr(tag, "r:id"):
            return False
        sheet = target.split("!")[0].strip("'").replace("''", "'")
        return sheet in exported
    links = re.search(r"<hyperlinks>(.*?)</hyperlinks>", xml, re.S)
    if links:
        kept = [t for t in re.findall(r"<hyperlink\b[^>]*/>", links.group(1)) if keep_link(t)]
        xml = xml[:links.start()] + (f"<hyperlinks>{''.join(kept)}</hyperlinks>" if kept else "") + xml[links.end():]
    data = re.search(r"<sheetData\b.*?</sheetData>|<sheetData\s*/>", xml, re.S)
    return xml[:data.start()] + _clean_cells(data.group(0), shared, quotes, blank) + xml[data.end():]


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
            items = []
            for tag in re.findall(r"<Relationship\b[^>]*>", self.src.text(rels)):
                if _attr(tag, "TargetMode") == "External":
                    continue  # nothing outside the file travels
                absolute = resolve(part, _attr(tag, "Target"))
                if absolute not in self.src:
                    continue
                copied = self.copy(absolute)
                rel_target = posixpath.relpath(copied, posixpath.dirname(new))
                items.append(f'<Relationship Id="{_attr(tag, "Id")}" Type="{_attr(tag, "Type")}" '
                             f'Target="{escape(rel_target)}"/>')
            self.out[rels_name(new)] = _rels(items).encode("utf-8")
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
        wb = z.read(WORKBOOK).decode("utf-8")
    return {_attr(t, "name"): _attr(t, "state") or "visible" for t in re.findall(r"<sheet\b[^>]*/>", wb)}


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
        quotes = _QuoteStyles(parts.text(STYLES))
        out: dict[str, bytes] = {}
        copier = _Copier(parts, out)
        theme = next((t for typ, t in targets(parts, WORKBOOK) if typ.endswith("/theme")), None)
        sheet_tags, wb_rels, defined = [], [], []
        exported = set(names)
        for i, name in enumerate(names, start=1):
            entry = entries[name]
            xml = _clean_sheet(parts.text(entry.part), shared, quotes, exported, i == 1, (blank or {}).get(name))
            drawing = re.search(r'<drawing\b[^>]*?r:id="([^"]+)"[^>]*/>', xml)
            part = f"xl/worksheets/sheet{i}.xml"
            if drawing:
                target = _rel_target(parts, entry.part, drawing.group(1))
                if target in parts:
                    new = copier.copy(target)
                    out[rels_name(part)] = _rels([f'<Relationship Id="rId1" Type="{REL}/drawing" Target="../drawings/'
                                                  f'{posixpath.basename(new)}"/>']).encode("utf-8")
                    xml = xml[:drawing.start()] + f'<drawing xmlns:r="{REL}" r:id="rId1"/>' + xml[drawing.end():]
                else:
                    xml = xml[:drawing.start()] + xml[drawing.end():]
            out[part] = xml.encode("utf-8")
            copier.types[part] = SHEET_CT
            sheet_tags.append(f'<sheet name="{escape(name, {chr(34): "&quot;"})}" sheetId="{i}" r:id="rId{i}"/>')
            wb_rels.append(f'<Relationship Id="rId{i}" Type="{REL}/worksheet" Target="worksheets/sheet{i}.xml"/>')
            defined += _local_names(parts.text(WORKBOOK), position[name], i - 1, name)
        n = len(names)
        out["xl/styles.xml"] = quotes.styles_xml().encode("utf-8")
        copier.types["xl/styles.xml"] = STYLES_CT
        wb_rels.append(f'<Relationship Id="rId{n + 1}" Type="{REL}/styles" Target="styles.xml"/>')
        if theme and theme in parts:
            out["xl/theme/theme1.xml"] = parts.get(theme)
            copier.types["xl/theme/theme1.xml"] = THEME_CT
            wb_rels.append(f'<Relationship Id="rId{n + 2}" Type="{REL}/theme" Target="theme/theme1.xml"/>')
    names_xml = f"<definedNames>{''.join(defined)}</definedNames>" if defined else ""
    out[WORKBOOK] = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                     f'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="{REL}">'
                     '<workbookPr/><bookViews><workbookView activeTab="0"/></bookViews>'
                     f"<sheets>{''.join(sheet_tags)}</sheets>{names_xml}<calcPr calcId=\"191029\"/></workbook>").encode("utf-8")
    out[WB_RELS] = _rels(wb_rels).encode("utf-8")
    out["docProps/core.xml"] = _core(company, title, now, keywords).encode("utf-8")
    out["docProps/app.xml"] = _app(company, names).encode("utf-8")
    out["_rels/.rels"] = _rels([
        f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/>',
        f'<Relationship Id="rId2" Type="{PKG_REL}/metadata/core-properties" Target="docProps/core.xml"/>',
        f'<Relationship Id="rId3" Type="{REL}/extended-properties" Target="docProps/app.xml"/>']).encode("utf-8")
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


def _rel_target(parts: Parts, part: str, rid: str) -> str | None:
    rels = rels_name(part)
    if rels not in parts:
        return None
    for tag in re.findall(r"<Relationship\b[^>]*>", parts.text(rels)):
        if _attr(tag, "Id") == rid and _attr(tag, "TargetMode") != "External":
            return resolve(part, _attr(tag, "Target"))
    return None


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
