"""Write generated sheets into an xlsx/xlsm package, touching nothing else.

Only these parts change: the generated sheets' own parts, workbook.xml (sheet list, print
titles), its relationships, [Content_Types].xml and styles.xml (appended styles). Every other
part (input sheets, VBA project, ribbon, drawings, charts, comments) is copied unchanged.
calcChain.xml, Excel's formula-order cache, is dropped only when it names a replaced sheet (Excel rebuilds it).
"""
from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass
from xml.sax.saxutils import escape, unescape

from .port import SheetOutput
from .render import print_titles, render_sheet
from .styles import StyleBook

WORKBOOK = "xl/workbook.xml"
WB_RELS = "xl/_rels/workbook.xml.rels"
TYPES = "[Content_Types].xml"
STYLES = "xl/styles.xml"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
SHEET_REL = REL_NS + "/worksheet"
CALC_REL = REL_NS + "/calcChain"
SHEET_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"


@dataclass
class SheetEntry:
    name: str
    sheet_id: int
    rid: str
    part: str  # e.g. xl/worksheets/sheet3.xml


def _attr(tag: str, name: str) -> str | None:
    m = re.search(rf'\s{name}="([^"]*)"', tag)
    return unescape(m.group(1), {"&quot;": '"', "&apos;": "'"}) if m else None


def workbook_sheets(files: dict[str, bytes]) -> list[SheetEntry]:
    wb = files[WORKBOOK].decode("utf-8")
    prefix = re.search(rf'xmlns:(\w+)="{re.escape(REL_NS)}"', wb).group(1)
    rels = {(_attr(t, "Id")): _attr(t, "Target") for t in re.findall(r"<Relationship\b[^>]*>",
                                                                         files[WB_RELS].decode("utf-8"))}
    out = []
    for tag in re.findall(r"<sheet\b[^>]*/>", wb):
        rid = _attr(tag, f"{prefix}:id")
        target = rels[rid]
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        out.append(SheetEntry(_attr(tag, "name"), int(_attr(tag, "sheetId")), rid, part))
    return out


def _set_print_titles(wb: str, index: int, ref: str) -> str:
    """Replace the sheet's _xlnm.Print_Titles defined name (localSheetId = position)."""
    wb = re.sub(rf'<definedName\b[^>]*name="_xlnm.Print_Titles"[^>]*localSheetId="{index}"[^>]*>.*?</definedName>'
                rf'|<definedName\b[^>]*localSheetId="{index}"[^>]*name="_xlnm.Print_Titles"[^>]*>.*?</definedName>',
                "", wb, flags=re.S)
    name = f'<definedName name="_xlnm.Print_Titles" localSheetId="{index}">{escape(ref)}</definedName>'
    empty = re.search(r"<definedNames\s*/>", wb)
    if empty:
        return wb[:empty.start()] + f"<definedNames>{name}</definedNames>" + wb[empty.end():]
    if re.search(r"<definedNames\b", wb):
        return re.sub(r"(<definedNames\b[^>]*>)", lambda m: m.group(1) + name, wb, count=1)
    # definedNames comes right after sheets in the workbook schema
    return wb.replace("</sheets>", f"</sheets><definedNames>{name}</definedNames>", 1)


def _calc_chain_sheets(xml: bytes) -> set[int]:
    """The sheetIds calcChain.xml refers to (an entry without i= repeats the previous one's)."""
    ids, current = set(), 0
    for tag in re.findall(rb"<c\b[^>]*>", xml):
        m = re.search(rb'\si="(\d+)"', tag)
        current = int(m.group(1)) if m else current
        ids.add(current)
    return ids


def _drop_calc_chain(files: dict[str, bytes]) -> None:
    del files["xl/calcChain.xml"]
    rels = files[WB_RELS].decode("utf-8")
    files[WB_RELS] = re.sub(rf'<Relationship\b[^>]*Type="{re.escape(CALC_REL)}"[^>]*/>', "", rels).encode("utf-8")
    types = files[TYPES].decode("utf-8")
    files[TYPES] = re.sub(r'<Override\b[^>]*PartName="/xl/calcChain.xml"[^>]*/>', "", types).encode("utf-8")


def apply_outputs(files: dict[str, bytes], outputs: list[SheetOutput], part_names: set[str]) -> set[str]:
    """Add or replace generated sheets in the package's parts (in place). Returns the changed part names.

    files holds the parts to edit; part_names is every part in the package (new parts must not collide).
    """
    sheets = workbook_sheets(files)
    entries = {e.name: e for e in sheets}
    order = [e.name for e in sheets]
    styles = StyleBook(files[STYLES].decode("utf-8"))
    wb = files[WORKBOOK].decode("utf-8")
    prefix = re.search(rf'xmlns:(\w+)="{re.escape(REL_NS)}"', wb).group(1)
    changed = {WORKBOOK, STYLES}
    replaced: set[int] = set()
    for out in outputs:
        entry = entries.get(out.name)
        if entry is None:
            n = 1
            while f"xl/worksheets/sheet{n}.xml" in part_names:
                n += 1
            rels = files[WB_RELS].decode("utf-8")
            used = set(re.findall(r'Id="([^"]+)"', rels))
            k = 1
            while f"rIdKgxl{k}" in used:
                k += 1
            entry = SheetEntry(out.name, max([0, *(e.sheet_id for e in entries.values())]) + 1,
                               f"rIdKgxl{k}", f"xl/worksheets/sheet{n}.xml")
            rel = f'<Relationship Id="{entry.rid}" Type="{SHEET_REL}" Target="worksheets/sheet{n}.xml"/>'
            files[WB_RELS] = rels.replace("</Relationships>", rel + "</Relationships>").encode("utf-8")
            types = files[TYPES].decode("utf-8")
            ct = f'<Override PartName="/{entry.part}" ContentType="{SHEET_CT}"/>'
            files[TYPES] = types.replace("</Types>", ct + "</Types>").encode("utf-8")
            wb = wb.replace("</sheets>", f'<sheet name="{escape(out.name, {chr(34): "&quot;"})}" '
                                         f'sheetId="{entry.sheet_id}" {prefix}:id="{entry.rid}"/></sheets>', 1)
            entries[out.name] = entry
            part_names = part_names | {entry.part}
            order.append(out.name)
            changed |= {WB_RELS, TYPES}
        else:
            replaced.add(entry.sheet_id)
        files[entry.part] = render_sheet(out, styles)
        changed.add(entry.part)
        wb = _set_print_titles(wb, order.index(out.name), print_titles(out))
    files[WORKBOOK] = wb.encode("utf-8")
    files[STYLES] = styles.xml.encode("utf-8")
    if "xl/calcChain.xml" in files and replaced & _calc_chain_sheets(files["xl/calcChain.xml"]):
        _drop_calc_chain(files)
        changed |= {WB_RELS, TYPES}
    return changed


def write_package(src, dest, outputs: list[SheetOutput]) -> None:
    """Copy the package from src to dest with the outputs applied."""
    with zipfile.ZipFile(src) as zin:
        infos = zin.infolist()
        present = {i.filename for i in infos}
        files = {n: zin.read(n) for n in (WORKBOOK, WB_RELS, TYPES, STYLES, "xl/calcChain.xml") if n in present}
        changed = apply_outputs(files, outputs, present)
        with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
            for info in infos:
                name = info.filename
                if name in changed or name in files:
                    if name in files:  # a dropped part (calcChain) is absent from files
                        zout.writestr(_info_like(info), files[name])
                    continue
                if name == "xl/calcChain.xml":
                    continue
                with zin.open(info) as fin, zout.open(_info_like(info), "w") as fout:
                    while chunk := fin.read(1 << 20):
                        fout.write(chunk)
            for name in sorted(changed - present):
                zout.writestr(zipfile.ZipInfo(name, date_time=infos[0].date_time), files[name],
                              compress_type=zipfile.ZIP_DEFLATED)


def _info_like(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    new = zipfile.ZipInfo(info.filename, date_time=info.date_time)
    new.compress_type = zipfile.ZIP_DEFLATED
    new.external_attr = info.external_attr
    return new
