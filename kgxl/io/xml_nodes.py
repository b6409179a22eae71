"""A part of a user's workbook as an XML parser reads it: its elements with their byte offsets, attributes and (where
asked) text, and edits spliced in at those offsets. Every byte kgxl does not change stays as it was; a namespace
prefix (x:row), a comment, single-quoted attributes or a '>' inside a value cannot move an edit to the wrong place,
since no pattern looks for the elements. DTDs and entities are refused (expat, as defusedxml does)."""
from __future__ import annotations

from dataclasses import dataclass
from xml.parsers import expat

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"


@dataclass
class Node:
    ns: str  # the element's namespace URI
    local: str  # its local name
    attrs: dict[str, str]  # as the parser read them (a namespaced attribute as "uri}name")
    start: int  # byte offset of its start tag
    open_end: int  # just after its start tag
    end: int = 0  # just after the element (its end tag, or the start tag when it is empty)
    close: int = 0  # where its end tag starts (its content's end); open_end when it is empty
    depth: int = 0  # 0 for the root
    text: str | None = None  # its character data, when scan() was asked for it

    @property
    def empty(self) -> bool:
        return self.open_end == self.end

    def attr(self, name: str, ns: str = "") -> str | None:
        return self.attrs.get(f"{ns}}}{name}" if ns else name)


def tag_end(xml: bytes, i: int) -> int:
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
    raise ValueError("a tag without its end")


_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_ATTR = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;", "\n": "&#10;",
                       "\r": "&#13;", "\t": "&#9;"})


def escape(text: str, quotes: bool = False) -> str:
    """Text as XML character data (quotes: as an attribute's value, quotes and line breaks too). Here rather than
    xml.sax.saxutils, whose import brings urllib and the email parser to every start."""
    return text.translate(_ATTR if quotes else _TEXT)


def quoteattr(text: str) -> str:
    return f'"{escape(text, True)}"'


class _Stop(Exception):
    pass


def scan(xml: bytes, text: frozenset[str] | set[str] = frozenset(), until: str | None = None) -> list[Node]:
    """The elements of the part in document order. text: local names whose character data to keep; until: stop
    after the first element of that local name has started (a look at the top of a big sheet)."""
    parser = expat.ParserCreate(namespace_separator="}")
    out: list[Node] = []
    stack: list[Node] = []
    chunks: dict[int, list[str]] = {}

    def refuse(*_):
        raise ValueError("DTDs and entities are not read")

    def start(name, attrs):
        i = parser.CurrentByteIndex
        ns, _, local = name.rpartition("}")
        node = Node(ns, local, attrs, i, tag_end(xml, i), depth=len(stack))
        out.append(node)
        stack.append(node)
        if local in text:
            chunks[id(node)] = []
        if local == until:
            raise _Stop

    def end(name):
        node = stack.pop()
        if xml[node.open_end - 2:node.open_end] == b"/>":
            node.end = node.close = node.open_end
        else:
            node.close = parser.CurrentByteIndex
            node.end = tag_end(xml, node.close)
        if id(node) in chunks:
            node.text = "".join(chunks.pop(id(node)))

    def data(s):
        if stack and id(stack[-1]) in chunks:
            chunks[id(stack[-1])].append(s)

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.StartElementHandler, parser.EndElementHandler = start, end
    if text:
        parser.CharacterDataHandler = data
    try:
        parser.Parse(xml, True)
    except _Stop:
        pass
    return out


def declared_prefix(xml: bytes, uri: str) -> str | None:
    """The prefix the part declares for a namespace (the first declaration), None when it declares none."""
    parser = expat.ParserCreate(namespace_separator="}")
    found: dict[str, str] = {}

    def declared(p, u):
        found.setdefault(u, p)

    def refuse(*_):
        raise ValueError("DTDs and entities are not read")
    parser.StartNamespaceDeclHandler = declared
    parser.StartDoctypeDeclHandler = parser.EntityDeclHandler = refuse
    parser.Parse(xml, True)
    return found.get(uri)


def prefix(xml: bytes, node: Node) -> str:
    """'x:' when the element is written with a prefix, else ''."""
    name = xml[node.start + 1:node.open_end].split(maxsplit=1)[0].rstrip(b"/>")
    return name.split(b":")[0].decode() + ":" if b":" in name else ""


def splice(xml: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    """The part with each (start, end, new bytes) edit applied; edits must not overlap."""
    out, pos = [], 0
    for start, end, new in sorted(edits, key=lambda e: (e[0], e[1])):
        if start < pos:
            raise ValueError("overlapping edits")
        out += [xml[pos:start], new]
        pos = end
    out.append(xml[pos:])
    return b"".join(out)


def first(nodes: list[Node], local: str, ns: str = MAIN_NS) -> Node | None:
    return next((n for n in nodes if n.local == local and n.ns == ns), None)


def all_of(nodes: list[Node], local: str, ns: str = MAIN_NS) -> list[Node]:
    return [n for n in nodes if n.local == local and n.ns == ns]


def _attributes(tag: bytes) -> list[tuple[bytes, int, int]]:
    """(name, value start, value end) of each attribute of a start tag, read quote by quote."""
    out, i, n = [], 1, len(tag)
    while i < n and tag[i] not in b" \t\r\n/>":  # the element's name
        i += 1
    while i < n:
        while i < n and tag[i] in b" \t\r\n":
            i += 1
        if i >= n or tag[i] in b"/>":
            break
        eq = tag.index(b"=", i)
        name = tag[i:eq].strip()
        j = eq + 1
        while tag[j] in b" \t\r\n":
            j += 1
        quote = tag[j]
        close = tag.index(bytes([quote]), j + 1)
        out.append((name, j + 1, close))
        i = close + 1
    return out


def has_attr(tag: bytes, name: str) -> bool:
    return any(attr == name.encode() for attr, _, _ in _attributes(tag))


def set_attr(tag: bytes, name: str, value: str) -> bytes:
    """A start tag with the attribute (by its name as written, prefix included) set to value, escaped; every other
    byte of the tag as it was."""
    text = escape(value, True).encode("utf-8")
    for attr, start, end in _attributes(tag):
        if attr == name.encode():
            return tag[:start] + text + tag[end:]
    cut = len(tag) - (2 if tag.endswith(b"/>") else 1)
    return tag[:cut].rstrip() + b" " + name.encode() + b'="' + text + b'"' + tag[cut:]


def drop_attr(tag: bytes, name: str) -> bytes:
    """A start tag without the attribute (by its name as written)."""
    for attr, start, end in _attributes(tag):
        if attr == name.encode():
            begin = tag.rindex(attr, 0, start)
            while begin > 0 and tag[begin - 1] in b" \t\r\n":
                begin -= 1
            return tag[:begin] + tag[end + 1:]
    return tag
