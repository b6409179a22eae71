"""Edits of workbook.xml at the places an XML parser found: a new sheet's tag, the sheet-local defined names that
follow a sheet's position, and a defined name set (print titles, kgxl's layout record). Everything else in the part
stays as it was, byte for byte; a namespace prefix (x:sheet), a comment, single-quoted attributes or a '>' inside a
value cannot move an edit to the wrong place, since no regex looks for the elements.
"""
from __future__ import annotations

from defusedxml.ElementTree import fromstring

from kgxl.io.xml_nodes import MAIN_NS, Node, escape, prefix, quoteattr, scan, set_attr, splice


def _found(xml: bytes) -> list[Node]:
    return [n for n in scan(xml) if n.ns == MAIN_NS]


def insert_sheets(wb: str, new: list[tuple[str, int, str]], order: list[str], rel_prefix: str) -> str:
    """workbook.xml with a sheet tag for each new (name, sheetId, r:id), the tags then in `order` (every sheet's name:
    the workbook's in their order, the new ones among them); a sheet-local defined name follows its sheet to its new
    place. One parse and one splice for all of them (a first refresh adds some forty sheets)."""
    xml = wb.encode("utf-8")
    found = _found(xml)
    p = prefix(xml, found[0])
    sheets = [n for n in found if n.local == "sheet"]
    before = [n.attrs.get("name") for n in sheets]
    container = next(n for n in found if n.local == "sheets")
    at_end = container.end - len(f"</{p}sheets>")
    start = {name: n.start for name, n in zip(before, sheets)}
    tags = {name: f'<{p}sheet name={quoteattr(name)} sheetId="{sid}" {rel_prefix}:id="{rid}"/>' for name, sid, rid in new}
    edits, place = [], at_end
    for name in reversed(order):  # a new tag goes before the next sheet the workbook had, else last
        if name in tags:
            edits.append((place, place, tags[name].encode("utf-8")))
        else:
            place = start[name]
    edits.reverse()  # one place's tags in order (splice keeps the order of equal places)
    index = {name: i for i, name in enumerate(order)}
    for n in found:
        local = n.attrs.get("localSheetId")
        if n.local == "definedName" and local is not None and local.isdigit():
            moved = index[before[int(local)]] if int(local) < len(before) else int(local) + len(new)
            if moved != int(local):
                edits.append((n.start, n.open_end, set_attr(xml[n.start:n.open_end], "localSheetId", str(moved))))
    return splice(xml, edits).decode("utf-8")


def set_sheet_state(wb: str, name: str, state: str) -> str:
    """workbook.xml with the named sheet's state set (hidden, veryHidden, visible)."""
    xml = wb.encode("utf-8")
    sheet = next(n for n in _found(xml) if n.local == "sheet" and n.attrs.get("name") == name)
    return splice(xml, [(sheet.start, sheet.open_end, set_attr(xml[sheet.start:sheet.open_end], "state", state))]).decode()


def set_defined_name(wb: str, name: str, value: str, local: int | None = None, hidden: bool = False) -> str:
    """workbook.xml with the defined name (sheet-local when local is a sheet position) holding value (a formula or
    a quoted text, unescaped); it replaces the one of that name and scope, or joins definedNames (made after sheets
    when there is none)."""
    scope = f' localSheetId="{local}"' if local is not None else ""
    scope += ' hidden="1"' if hidden else ""
    text = escape(value, True)
    if wb.count('xmlns="') == 1 and f'xmlns="{MAIN_NS}"' in wb and \
            f"<definedName name={quoteattr(name)}{scope}>{text}</definedName>" in wb:
        return wb  # already so (unprefixed: the one default namespace); a refresh sets every print title, ~2 ms a scan
    xml = wb.encode("utf-8")
    found = _found(xml)
    p = prefix(xml, found[0])
    element = f"<{p}definedName name={quoteattr(name)}{scope}>{text}</{p}definedName>"
    for n in found:
        if n.local == "definedName" and n.attrs.get("name") == name and n.attrs.get("localSheetId") == (
                None if local is None else str(local)):
            return splice(xml, [(n.start, n.end, element.encode())]).decode("utf-8")
    names = next((n for n in found if n.local == "definedNames"), None)
    if names is not None and names.empty:
        return splice(xml, [(names.start, names.end, f"<{p}definedNames>{element}</{p}definedNames>".encode())]).decode()
    if names is not None:
        return splice(xml, [(names.open_end, names.open_end, element.encode())]).decode("utf-8")
    sheets = next(n for n in found if n.local == "sheets")  # definedNames follows sheets in the schema
    return splice(xml, [(sheets.end, sheets.end, f"<{p}definedNames>{element}</{p}definedNames>".encode())]).decode()


def defined_names(wb: bytes) -> list[tuple[dict[str, str], str]]:
    """(attributes, text) of every defined name, read with the parser."""
    return [(dict(e.attrib), e.text or "") for e in fromstring(wb).iter(f"{{{MAIN_NS}}}definedName")]


def code_name(wb: bytes) -> str | None:
    """The workbook's codeName (workbookPr), the name its VBA project's document module has."""
    node = next((n for n in _found(wb) if n.local == "workbookPr"), None)
    return None if node is None else node.attrs.get("codeName")


def set_code_name(wb: str, name: str) -> str:
    """workbook.xml with workbookPr's codeName set (the element made where the schema has it when there is none:
    after fileVersion and fileSharing, else first)."""
    xml = wb.encode("utf-8")
    found = _found(xml)
    node = next((n for n in found if n.local == "workbookPr"), None)
    if node is not None:
        return splice(xml, [(node.start, node.open_end, set_attr(xml[node.start:node.open_end], "codeName",
                                                                 name))]).decode("utf-8")
    p = prefix(xml, found[0])
    before = [n for n in found if n.local in ("fileVersion", "fileSharing")]
    at = before[-1].end if before else found[0].open_end
    return splice(xml, [(at, at, f"<{p}workbookPr codeName={quoteattr(name)}/>".encode())]).decode("utf-8")
