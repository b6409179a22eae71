"""Edits of workbook.xml at the places an XML parser found: a new sheet's tag, the sheet-local defined names that
follow a sheet's position, and a defined name set (print titles, kgxl's layout record). Everything else in the part
stays as it was, byte for byte; a namespace prefix (x:sheet), a comment, single-quoted attributes or a '>' inside a
value cannot move an edit to the wrong place, since no regex looks for the elements.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from xml.parsers import expat
from xml.sax.saxutils import escape, quoteattr

from defusedxml.ElementTree import fromstring

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


@dataclass
class Node:
    local: str  # the element's name in the spreadsheet namespace
    attrs: dict[str, str]  # as the parser read them (namespaced attributes as "uri}name")
    start: int  # byte offset of its start tag
    open_end: int  # just after its start tag
    end: int  # just after the element (its end tag, or the start tag when it is empty)

    @property
    def empty(self) -> bool:
        return self.open_end == self.end


def _tag_end(xml: bytes, i: int) -> int:
    """Just after the tag starting at i ('>' inside a quoted value is not its end)."""
    quote = None
    for j in range(i + 1, len(xml)):
        ch = xml[j]
        if quote:
            if ch == quote:
                quote = None
        elif ch in (0x22, 0x27):
            quote = ch
        elif ch == 0x3E:
            return j + 1
    raise ValueError("workbook.xml: a tag without its end")


def nodes(xml: bytes) -> list[Node]:
    """The spreadsheet-namespace elements of the part, in document order (DTDs and entities refused)."""
    parser = expat.ParserCreate(namespace_separator="}")
    out: list[Node] = []
    stack: list[Node | None] = []

    def refuse(*_):
        raise ValueError("workbook.xml: DTDs and entities are not read")

    def start(name, attrs):
        i = parser.CurrentByteIndex
        uri, _, local = name.rpartition("}")
        node = None
        if uri == MAIN_NS:
            node = Node(local, dict(attrs), i, _tag_end(xml, i), 0)
            out.append(node)
        stack.append(node)

    def end(name):
        node = stack.pop()
        if node is not None:
            self_closing = xml[node.open_end - 2:node.open_end] == b"/>"
            node.end = node.open_end if self_closing else _tag_end(xml, parser.CurrentByteIndex)

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.StartElementHandler, parser.EndElementHandler = start, end
    parser.Parse(xml, True)
    return out


def _prefix(found: list[Node], xml: bytes) -> str:
    """'x:' when the part writes the spreadsheet namespace with a prefix, else ''."""
    root = found[0]
    m = re.match(rb"<(\w+:)?", xml[root.start:root.open_end])
    return m.group(1).decode() if m.group(1) else ""


def _splice(xml: bytes, at: int, until: int, text: str) -> bytes:
    return xml[:at] + text.encode("utf-8") + xml[until:]


def insert_sheet(wb: str, name: str, sheet_id: int, rid: str, position: int, rel_prefix: str) -> str:
    """workbook.xml with a sheet tag at position among the sheets (the last place when position is their count); the
    sheet-local defined names of the sheets from position on follow them one place up."""
    xml = wb.encode("utf-8")
    found = nodes(xml)
    p = _prefix(found, xml)
    sheets = [n for n in found if n.local == "sheet"]
    tag = f'<{p}sheet name={quoteattr(name)} sheetId="{sheet_id}" {rel_prefix}:id="{rid}"/>'
    if position < len(sheets):
        at = sheets[position].start
    else:
        container = next(n for n in found if n.local == "sheets")
        at = container.end - len(f"</{p}sheets>")
    xml = _splice(xml, at, at, tag)
    for n in reversed([n for n in nodes(xml) if n.local == "definedName"]):
        local = n.attrs.get("localSheetId")
        if local is not None and local.isdigit() and int(local) >= position:
            opening = xml[n.start:n.open_end].decode("utf-8")
            opening = re.sub(r"""(\slocalSheetId\s*=\s*)(["'])\d+\2""", rf'\g<1>"{int(local) + 1}"', opening)
            xml = _splice(xml, n.start, n.open_end, opening)
    return xml.decode("utf-8")


def set_defined_name(wb: str, name: str, value: str, local: int | None = None, hidden: bool = False) -> str:
    """workbook.xml with the defined name (sheet-local when local is a sheet position) holding value (a formula or
    a quoted text, unescaped); it replaces the one of that name and scope, or joins definedNames (made after sheets
    when there is none)."""
    xml = wb.encode("utf-8")
    found = nodes(xml)
    p = _prefix(found, xml)
    scope = f' localSheetId="{local}"' if local is not None else ""
    scope += ' hidden="1"' if hidden else ""
    text = escape(value, {'"': "&quot;"})
    element = f"<{p}definedName name={quoteattr(name)}{scope}>{text}</{p}definedName>"
    for n in found:
        if n.local == "definedName" and n.attrs.get("name") == name and n.attrs.get("localSheetId") == (
                None if local is None else str(local)):
            return _splice(xml, n.start, n.end, element).decode("utf-8")
    names = next((n for n in found if n.local == "definedNames"), None)
    if names is not None and names.empty:
        return _splice(xml, names.start, names.end, f"<{p}definedNames>{element}</{p}definedNames>").decode("utf-8")
    if names is not None:
        return _splice(xml, names.open_end, names.open_end, element).decode("utf-8")
    sheets = next(n for n in found if n.local == "sheets")  # definedNames follows sheets in the schema
    return _splice(xml, sheets.end, sheets.end, f"<{p}definedNames>{element}</{p}definedNames>").decode("utf-8")


def defined_names(wb: bytes) -> list[tuple[dict[str, str], str]]:
    """(attributes, text) of every defined name, read with the parser."""
    return [(dict(e.attrib), e.text or "") for e in fromstring(wb).iter(f"{{{MAIN_NS}}}definedName")]
