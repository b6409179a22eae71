"""Cell styles for generated sheets, appended to the workbook's own styles.xml.

styles.xml is read with the XML parser (kgxl.io.xml_nodes) and the new fonts, fills, borders, number formats and
cell formats are spliced in at the places the parser found: every byte of what is already there, including
namespace prefixes that mc:Ignorable refers to, stays as it was. A style we added once is found again by its exact
text, so re-running does not grow the file.
"""
from __future__ import annotations

from kgxl.io.xml_nodes import MAIN_NS, Node, escape, prefix, scan, set_attr, splice, tag_end

FONT_NAME = '<name val="等线"/><family val="2"/><charset val="134"/>'
TITLE_RGB, LINK_RGB = "1F3864", "0563C1"
FONTS = {
    "plain": f'<font><sz val="11"/>{FONT_NAME}</font>',
    "bold": f'<font><b/><sz val="11"/>{FONT_NAME}</font>',
    "title": f'<font><b/><sz val="14"/><color rgb="FF{TITLE_RGB}"/>{FONT_NAME}</font>',
    "link": f'<font><u/><sz val="11"/><color rgb="FF{LINK_RGB}"/>{FONT_NAME}</font>',
}
# fill colours by style name (RGB): the file adapter writes them into styles.xml, the Excel adapter sets them
FILL_RGB = {"header": "D9E1F2", "error": "FDE2E1", "warning": "FFF4CE", "total": "EDEDED"}
FILLS = {"none": None} | {  # fill 0 is always "none"
    k: f'<fill><patternFill patternType="solid"><fgColor rgb="FF{v}"/><bgColor indexed="64"/></patternFill></fill>'
    for k, v in FILL_RGB.items()}
_SIDE = '<{0} style="thin"><color rgb="FFBFBFBF"/></{0}>'
BORDER = "<border>" + "".join(_SIDE.format(s) for s in ("left", "right", "top", "bottom")) + "<diagonal/></border>"
BUILTIN_FORMATS = {"General": 0, "0": 1, "0.00": 2, "#,##0": 3, "#,##0.00": 4, "0%": 9, "0.00%": 10}
BLOCKS = ("numFmts", "fonts", "fills", "borders", "cellXfs")  # in styles.xml's order


class _Block:
    """One list of styles.xml (fonts, cellXfs…): its items' text, and those kgxl adds."""

    def __init__(self, xml: bytes, node: Node | None, children: list[Node]):
        self.node = node
        self.items = [xml[c.start:c.end].decode("utf-8") for c in children]
        self.attrs = [c.attrs for c in children]
        self.added: list[str] = []


class StyleBook:
    """Finds or appends fonts, fills, borders, number formats and cell formats in styles.xml."""

    def __init__(self, xml: str | bytes):
        self.source = xml.encode("utf-8") if isinstance(xml, str) else xml
        nodes = scan(self.source)
        self.root = nodes[0]
        self.prefix = prefix(self.source, self.root)
        self.blocks: dict[str, _Block] = {}
        for tag in BLOCKS:
            node = next((n for n in nodes if n.depth == 1 and n.local == tag and n.ns == MAIN_NS), None)
            children = [n for n in nodes if node and n.depth == 2 and node.start < n.start < node.end]
            self.blocks[tag] = _Block(self.source, node, children)
        self.formats = {a.get("formatCode"): int(a["numFmtId"]) for a in self.blocks["numFmts"].attrs
                        if a.get("numFmtId", "").isdigit()}  # custom number formats by their code

    def _own(self, text: str) -> str:
        """An item kgxl writes, in the part's own prefix (kgxl's text is unprefixed)."""
        if not self.prefix:
            return text
        return text.replace("</", "\0").replace("<", "<" + self.prefix).replace("\0", "</" + self.prefix)

    def _ensure(self, tag: str, text: str) -> int:
        block = self.blocks[tag]
        text = self._own(text)
        every = block.items + block.added
        if text in every:
            return every.index(text)
        if block.node is None and tag != "numFmts":
            raise ValueError(f"styles.xml has no <{tag}>")
        block.added.append(text)
        return len(every)

    def numfmt(self, code: str) -> int:
        if code in BUILTIN_FORMATS:
            return BUILTIN_FORMATS[code]
        if code not in self.formats:
            fid = max([163, *self.formats.values()]) + 1
            self._ensure("numFmts", f'<numFmt numFmtId="{fid}" formatCode="{escape(code, True)}"/>')
            self.formats[code] = fid
        return self.formats[code]

    def xf(self, font: str = "plain", fill: str = "none", fmt: str = "General", border: bool = True,
           align: str = "") -> int:
        font_id = self._ensure("fonts", FONTS[font])
        fill_id = self._ensure("fills", FILLS[fill]) if FILLS[fill] else 0
        border_id = self._ensure("borders", BORDER) if border else 0
        fmt_id = self.numfmt(fmt)
        alignment = f"<alignment {align}/>" if align else '<alignment vertical="center"/>'
        text = (f'<xf numFmtId="{fmt_id}" fontId="{font_id}" fillId="{fill_id}" borderId="{border_id}" xfId="0"'
                f' applyNumberFormat="1" applyFont="1" applyFill="1" applyBorder="1" applyAlignment="1">'
                f"{alignment}</xf>")
        return self._ensure("cellXfs", text)

    def copy_xf(self, source: "StyleBook", index: int) -> int:
        """The cell format `index` of another workbook's styles, found or appended here with its font, fill,
        border and number format: a sheet moved between workbooks keeps its look."""
        xfs = source.blocks["cellXfs"]
        attrs, xf = xfs.attrs[index], xfs.items[index].encode("utf-8")

        def item(tag: str, key: str) -> str:
            return source.blocks[tag].items[int(attrs.get(key, 0))]
        new = {"fontId": self._ensure("fonts", item("fonts", "fontId")),
               "fillId": self._ensure("fills", item("fills", "fillId")),
               "borderId": self._ensure("borders", item("borders", "borderId"))}
        fmt = int(attrs.get("numFmtId", 0))
        if fmt >= 164:  # a custom format: by its code (ids differ between workbooks)
            codes = {int(a["numFmtId"]): a.get("formatCode") for a in source.blocks["numFmts"].attrs}
            fmt = self.numfmt(codes[fmt])
        new["numFmtId"] = fmt
        head_end = tag_end(xf, 0)
        head = xf[:head_end]
        for key, value in new.items():
            head = set_attr(head, key, str(value))
        head = set_attr(head, "xfId", "0")
        return self._ensure("cellXfs", (head + xf[head_end:]).decode("utf-8"))

    def variant(self, index: int, **attrs: str) -> int:
        """This workbook's cell format `index` with some attributes set (quotePrefix="1"), found or appended."""
        xfs = self.blocks["cellXfs"]
        every = xfs.items + xfs.added
        xf = (every[index] if index < len(every) else
              '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>').encode("utf-8")
        end = tag_end(xf, 0)
        head = xf[:end]
        for key, value in attrs.items():
            head = set_attr(head, key, value)
        block = self.blocks["cellXfs"]
        text = (head + xf[end:]).decode("utf-8")
        if text in every:
            return every.index(text)
        block.added.append(text)
        return len(every)

    @property
    def xml(self) -> str:
        """styles.xml with what was added: each list's new items after its own, its count updated."""
        edits = []
        for tag, block in self.blocks.items():
            if not block.added:
                continue
            new = "".join(block.added).encode("utf-8")
            count = str(len(block.items) + len(block.added))
            node = block.node
            if node is None:  # numFmts comes first in styles.xml
                p = self.prefix
                edits.append((self.root.open_end, self.root.open_end,
                              f'<{p}numFmts count="{count}">'.encode() + new + f"</{p}numFmts>".encode()))
            elif node.empty:
                head = set_attr(self.source[node.start:node.open_end - 2].rstrip() + b">", "count", count)
                edits.append((node.start, node.end, head + new + f"</{self.prefix}{tag}>".encode()))
            else:
                edits.append((node.start, node.open_end, set_attr(self.source[node.start:node.open_end], "count", count)))
                edits.append((node.close, node.close, new))
        return splice(self.source, edits).decode("utf-8")
