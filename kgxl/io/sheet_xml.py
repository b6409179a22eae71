"""Edits of a sheet the user owns (an input sheet, 运行日志, xlwings.conf, a report the user may have saved from
Excel), each placed where the XML parser found the element (kgxl.io.xml_nodes): its codeName, a cell set, cells
added after a header row's last, rows appended below the last, A1 retitled. Every other byte stays as it was.

A sheet is first brought to Excel's own form (plain): comments dropped (they mean nothing to Excel) and a prefix of
the spreadsheet namespace (x:row, as some programs write them) taken off with the namespace made the default, so
what kgxl adds is in the sheet's namespace."""
from __future__ import annotations

from xml.parsers import expat

from kgxl.core.cells import col_index, split_ref
from kgxl.io.xml_nodes import MAIN_NS, Node, all_of, drop_attr, first, has_attr, scan, set_attr, splice


def _comments_and_prefix(xml: bytes) -> tuple[list[tuple[int, int]], str | None]:
    """The byte ranges of the comments, and the prefix the spreadsheet namespace is declared with (None when it is
    the default namespace)."""
    parser = expat.ParserCreate(namespace_separator="}")
    comments, prefixes = [], {}

    def comment(_):
        i = parser.CurrentByteIndex
        comments.append((i, xml.index(b"-->", i) + 3))

    def declared(p, uri):
        prefixes.setdefault(uri, p)

    def refuse(*_):
        raise ValueError("DTDs and entities are not read")
    parser.CommentHandler, parser.StartNamespaceDeclHandler = comment, declared
    parser.StartDoctypeDeclHandler = parser.EntityDeclHandler = refuse
    parser.Parse(xml, True)
    return comments, prefixes.get(MAIN_NS)


def plain(xml: bytes) -> bytes:
    """The sheet in Excel's own form (see the module's note); a sheet already in it is returned as it is."""
    if b"<!--" not in xml and b":worksheet" not in xml[:2000]:
        return xml
    comments, p = _comments_and_prefix(xml)
    edits = [(a, b, b"") for a, b in comments]
    if p:
        nodes = scan(xml)
        root = nodes[0]
        head = xml[root.start:root.open_end]
        if has_attr(head, "xmlns"):  # a default namespace of another kind: left alone
            return splice(xml, edits)
        pb = p.encode()
        head = set_attr(drop_attr(head, f"xmlns:{p}"), "xmlns", MAIN_NS)
        for n in nodes:
            if n.ns != MAIN_NS:
                continue
            start = (n.start + 1, n.start + 2 + len(pb), b"") if n is not root else None
            if start:
                edits.append(start)
            if not n.empty:
                edits.append((n.close + 2, n.close + 3 + len(pb), b""))
        edits.append((root.start, root.open_end, b"<" + head[len(pb) + 2:]))
    return splice(xml, edits)


def code_name(xml: bytes) -> str | None:
    """The sheet's codeName (the name of its VBA Document module), from its sheetPr at the top."""
    pr = first(scan(xml, until="sheetData"), "sheetPr")
    return pr.attrs.get("codeName") if pr else None


def with_code_name(xml: bytes, name: str) -> bytes:
    """The sheet (plain) with codeName set where it has none."""
    xml = plain(xml)
    nodes = scan(xml, until="sheetData")
    pr = first(nodes, "sheetPr")
    if pr is None:
        root = nodes[0]
        return splice(xml, [(root.open_end, root.open_end, f'<sheetPr codeName="{name}"/>'.encode())])
    if "codeName" in pr.attrs:
        return xml
    return splice(xml, [(pr.start, pr.open_end, set_attr(xml[pr.start:pr.open_end], "codeName", name))])


def _rows(nodes: list[Node]) -> list[Node]:
    return all_of(nodes, "row")


def _cells_of(nodes: list[Node], row: Node) -> list[Node]:
    return [n for n in nodes if n.local == "c" and n.ns == MAIN_NS and row.open_end <= n.start < row.end]


def _open(xml: bytes, row: Node) -> bytes:
    """A row's start tag without its spans (Excel's hint, which a changed row no longer fits), never self-closed."""
    head = drop_attr(xml[row.start:row.open_end], "spans")
    return head[:-2].rstrip() + b">" if head.endswith(b"/>") else head


def set_cell(xml: bytes, ref: str, cell: str) -> bytes:
    """The sheet (plain) with the cell at ref replaced by `cell` (its XML), or added in column order to its row, the
    row added in row order when missing."""
    xml = plain(xml)
    nodes = scan(xml)
    letters, number = split_ref(ref)
    new = cell.encode("utf-8")
    rows = _rows(nodes)
    row = next((r for r in rows if r.attrs.get("r") == str(number)), None)
    if row is None:
        later = next((r for r in rows if int(r.attrs.get("r", 0)) > number), None)
        text = f'<row r="{number}">'.encode() + new + b"</row>"
        if later is not None:
            return splice(xml, [(later.start, later.start, text)])
        return _into_sheet_data(xml, nodes, text)
    cells = _cells_of(nodes, row)
    kept = [xml[c.start:c.end] for c in cells if split_ref(c.attrs.get("r", ""))[0] != letters]
    order = [col_index(split_ref(c.attrs["r"])[0]) for c in cells if split_ref(c.attrs.get("r", ""))[0] != letters]
    at = sum(1 for o in order if o < col_index(letters))
    kept.insert(at, new)
    return splice(xml, [(row.start, row.end, _open(xml, row) + b"".join(kept) + b"</row>")])


def _into_sheet_data(xml: bytes, nodes: list[Node], text: bytes) -> bytes:
    data = first(nodes, "sheetData")
    if data.empty:
        return splice(xml, [(data.start, data.end, b"<sheetData>" + text + b"</sheetData>")])
    return splice(xml, [(data.close, data.close, text)])


def extend_row(xml: bytes, row: int, cells) -> tuple[bytes, int]:
    """The sheet (plain) with cells(index of the row's last column, -1 when it has none; that cell's style) -> their
    XML added after the last cell of the row (the row made, in row order, when missing); returns it and that index."""
    xml = plain(xml)
    nodes = scan(xml)
    rows = _rows(nodes)
    found = next((r for r in rows if r.attrs.get("r") == str(row)), None)
    have = _cells_of(nodes, found) if found else []
    last = max((col_index(split_ref(c.attrs.get("r", ""))[0]) for c in have if c.attrs.get("r")), default=-1)
    style = next((c.attrs["s"] for c in reversed(have) if "s" in c.attrs), None)
    text = cells(last, style)
    if found is None:
        later = next((r for r in rows if int(r.attrs.get("r", 0)) > row), None)
        new = f'<row r="{row}">'.encode() + text + b"</row>"
        return (splice(xml, [(later.start, later.start, new)]) if later is not None
                else _into_sheet_data(xml, nodes, new)), last
    if found.empty:
        return splice(xml, [(found.start, found.end, _open(xml, found) + text + b"</row>")]), last
    return splice(xml, [(found.start, found.open_end, _open(xml, found)), (found.close, found.close, text)]), last


def add_columns(xml: bytes, first_col: int, widths: list[float]) -> bytes:
    """Column widths from first_col (1-based) on, unless a <col> already covers first_col."""
    nodes = scan(xml, until="sheetData")
    cols = [n for n in nodes if n.local == "col" and n.ns == MAIN_NS]
    if any(int(c.attrs.get("min", 0)) <= first_col <= int(c.attrs.get("max", 0)) for c in cols):
        return xml
    new = "".join(f'<col min="{first_col + i}" max="{first_col + i}" width="{w}" customWidth="1"/>'
                  for i, w in enumerate(widths)).encode()
    holder = first(nodes, "cols")
    if holder is not None and not holder.empty:
        return splice(xml, [(holder.close, holder.close, new)])
    if holder is not None:
        return splice(xml, [(holder.start, holder.end, b"<cols>" + new + b"</cols>")])
    data = first(nodes, "sheetData")
    return splice(xml, [(data.start, data.start, b"<cols>" + new + b"</cols>")])


def retitle(xml: bytes, cell: callable) -> bytes:
    """The sheet (plain) with cell A1 made by cell(style of the A1 there), everything else as it was; a sheet
    without A1 stays as it is."""
    xml = plain(xml)
    nodes = scan(xml)
    a1 = next((c for c in all_of(nodes, "c") if c.attrs.get("r") == "A1"), None)
    if a1 is None:
        return xml
    return splice(xml, [(a1.start, a1.end, cell(int(a1.attrs.get("s", 0))).encode("utf-8"))])


def append_rows(xml: bytes, rows: callable) -> bytes:
    """The sheet (plain) with rows(first row number) -> (their XML, last row number) added below its last row,
    leaving every byte of its rows as it was; the dimension and the autofilter grow to cover them."""
    xml = plain(xml)
    nodes = scan(xml)
    data = first(nodes, "sheetData")
    existing = _rows(nodes)
    start = int(existing[-1].attrs.get("r", len(existing))) + 1 if existing else 1
    new, last = rows(start)
    edits = [(data.start, data.end, b"<sheetData>" + new + b"</sheetData>")] if data.empty else [
        (data.close, data.close, new)]
    for n in nodes:
        if n.ns == MAIN_NS and n.local in ("dimension", "autoFilter") and ":" in n.attrs.get("ref", ""):
            a, b = n.attrs["ref"].split(":")
            letters, end = split_ref(b)
            if end < last:
                tag = set_attr(xml[n.start:n.open_end], "ref", f"{a}:{letters}{last}")
                edits.append((n.start, n.open_end, tag))
    return splice(xml, edits)
