"""Cell styles for generated sheets, appended to the workbook's own styles.xml as text.

We edit styles.xml as text (not through an XML library) so that every byte of what is already
there, including namespace prefixes that mc:Ignorable refers to, stays as it was. A style we
added once is found again by its exact text, so re-running does not grow the file.
"""
from __future__ import annotations

import re

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

_BLOCK = r"<{tag}\b[^>]*?(?:/>|>(.*?)</{tag}>)"


def _items(xml: str, tag: str, item: str) -> tuple[re.Match | None, list[str]]:
    block = re.search(_BLOCK.format(tag=tag), xml, re.S)
    if not block or block.group(1) is None:
        return block, []
    return block, re.findall(rf"<{item}\b[^>]*?/>|<{item}\b.*?</{item}>", block.group(1), re.S)


class StyleBook:
    """Finds or appends fonts, fills, borders, number formats and cell formats in styles.xml."""

    def __init__(self, xml: str):
        self.xml = xml

    def _ensure(self, tag: str, item: str, text: str) -> int:
        block, items = _items(self.xml, tag, item)
        if text in items:
            return items.index(text)
        if block is None:
            raise ValueError(f"styles.xml has no <{tag}>")
        items.append(text)
        open_tag = re.match(rf"<{tag}\b[^>]*?(?=/?>)", block.group(0)).group(0)
        open_tag = re.sub(r'\scount="\d+"', "", open_tag) + f' count="{len(items)}"'
        new = f"{open_tag}>{''.join(items)}</{tag}>"
        self.xml = self.xml[:block.start()] + new + self.xml[block.end():]
        return len(items) - 1

    def numfmt(self, code: str) -> int:
        if code in BUILTIN_FORMATS:
            return BUILTIN_FORMATS[code]
        esc = code.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
        block, items = _items(self.xml, "numFmts", "numFmt")
        ids = {}
        for it in items:
            m = re.search(r'numFmtId="(\d+)".*?formatCode="([^"]*)"', it) or re.search(
                r'formatCode="([^"]*)".*?numFmtId="(\d+)"', it)
            if m:
                a, b = m.groups()
                fid, fcode = (int(a), b) if a.isdigit() else (int(b), a)
                ids[fcode] = fid
        if esc in ids:
            return ids[esc]
        fid = max([163, *ids.values()]) + 1
        text = f'<numFmt numFmtId="{fid}" formatCode="{esc}"/>'
        if block is None:
            head = re.search(r"<styleSheet\b[^>]*>", self.xml)
            self.xml = self.xml[:head.end()] + f'<numFmts count="1">{text}</numFmts>' + self.xml[head.end():]
        else:
            self._ensure("numFmts", "numFmt", text)
        return fid

    def xf(self, font: str = "plain", fill: str = "none", fmt: str = "General", border: bool = True,
           align: str = "") -> int:
        font_id = self._ensure("fonts", "font", FONTS[font])
        fill_id = self._ensure("fills", "fill", FILLS[fill]) if FILLS[fill] else 0
        border_id = self._ensure("borders", "border", BORDER) if border else 0
        fmt_id = self.numfmt(fmt)
        alignment = f"<alignment {align}/>" if align else '<alignment vertical="center"/>'
        text = (f'<xf numFmtId="{fmt_id}" fontId="{font_id}" fillId="{fill_id}" borderId="{border_id}" xfId="0"'
                f' applyNumberFormat="1" applyFont="1" applyFill="1" applyBorder="1" applyAlignment="1">'
                f"{alignment}</xf>")
        return self._ensure("cellXfs", "xf", text)

    def copy_xf(self, source: str, index: int) -> int:
        """The cell format `index` of another styles.xml (source), found or appended here with its font, fill,
        border and number format: a sheet moved between workbooks keeps its look."""
        xf = _items(source, "cellXfs", "xf")[1][index]
        ids = {k: int(v) for k, v in re.findall(r'\b(numFmtId|fontId|fillId|borderId)="(\d+)"', xf)}
        new = {"fontId": self._ensure("fonts", "font", _items(source, "fonts", "font")[1][ids.get("fontId", 0)]),
               "fillId": self._ensure("fills", "fill", _items(source, "fills", "fill")[1][ids.get("fillId", 0)]),
               "borderId": self._ensure("borders", "border",
                                        _items(source, "borders", "border")[1][ids.get("borderId", 0)])}
        fmt = ids.get("numFmtId", 0)
        if fmt >= 164:  # a custom format: by its code (ids differ between workbooks)
            code = re.search(rf'<numFmt\b[^>]*numFmtId="{fmt}"[^>]*formatCode="([^"]*)"', source) or re.search(
                rf'<numFmt\b[^>]*formatCode="([^"]*)"[^>]*numFmtId="{fmt}"', source)
            fmt = self.numfmt(code.group(1).replace("&quot;", '"').replace("&lt;", "<").replace("&amp;", "&"))
        new["numFmtId"] = fmt
        text = re.sub(r'\b(numFmtId|fontId|fillId|borderId)="\d+"', lambda m: f'{m.group(1)}="{new[m.group(1)]}"', xf)
        text = re.sub(r'\bxfId="\d+"', 'xfId="0"', text)
        return self._ensure("cellXfs", "xf", text)
