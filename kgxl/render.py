"""SheetOutput -> worksheet XML (SpreadsheetML), for the file adapter.

Strings are written inline (no shared-string table to rewrite), values only: a generated sheet
never holds a formula, so text that starts with '=' stays text.
"""
from __future__ import annotations

import datetime as dt
import re
from xml.sax.saxutils import escape, quoteattr

from .cells import col_letter, to_serial
from .port import SheetOutput
from .styles import StyleBook

NS = ('xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
DATE_FORMAT = "yyyy-mm-dd"


def xml_text(s: str) -> str:
    return escape(_ILLEGAL.sub("", s))


def quote_sheet(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


class _Styles:
    """Style ids needed by one sheet, created on first use."""

    def __init__(self, book: StyleBook):
        self.book, self.cache = book, {}

    def get(self, **kw) -> int:
        key = tuple(sorted(kw.items()))
        if key not in self.cache:
            self.cache[key] = self.book.xf(**kw)
        return self.cache[key]


def _cell(ref: str, v, style: int, date_style: int) -> str:
    if v is None or (isinstance(v, float) and v != v):
        return f'<c r="{ref}" s="{style}"/>'
    if isinstance(v, bool):
        return f'<c r="{ref}" s="{style}" t="b"><v>{int(v)}</v></c>'
    if isinstance(v, (int, float)):
        return f'<c r="{ref}" s="{style}"><v>{v!r}</v></c>'
    if isinstance(v, (dt.date, dt.datetime)):
        return f'<c r="{ref}" s="{date_style}"><v>{to_serial(v)!r}</v></c>'
    s = str(v)
    space = ' xml:space="preserve"' if s != s.strip() or "\n" in s else ""
    return f'<c r="{ref}" s="{style}" t="inlineStr"><is><t{space}>{xml_text(s)}</t></is></c>'


def render_sheet(out: SheetOutput, book: StyleBook) -> bytes:
    st = _Styles(book)
    ncols = max(len(out.header), max((len(r) for r in out.rows), default=0), 1)
    last_col = col_letter(ncols - 1)
    h = out.header_row
    parts = []
    merges = []
    for i, title in enumerate(out.titles):
        style = st.get(font="title" if i == 0 else "bold", border=False)
        parts.append(f'<row r="{i + 1}">{_cell(f"A{i + 1}", title, style, style)}</row>')
        merges.append(f"A{i + 1}:{last_col}{i + 1}")
    hs = st.get(font="bold", fill="header", align='horizontal="center" vertical="center" wrapText="1"')
    cells = "".join(_cell(f"{col_letter(c)}{h + 1}", v, hs, hs) for c, v in enumerate(out.header))
    parts.append(f'<row r="{h + 1}">{cells}</row>')
    links = {(l.row, l.col) for l in out.links}
    for r, row in enumerate(out.rows):
        excel_row = h + 2 + r
        fill = out.row_styles.get(r, "none")
        cells = []
        for c in range(ncols):
            v = row[c] if c < len(row) else None
            fmt = out.formats.get(c, "General")
            font = "link" if (r, c) in links else "plain"
            style = st.get(font=font, fill=fill, fmt=fmt)
            date_style = st.get(font=font, fill=fill, fmt=fmt if fmt != "General" else DATE_FORMAT)
            cells.append(_cell(f"{col_letter(c)}{excel_row}", v, style, date_style))
        parts.append(f'<row r="{excel_row}">{"".join(cells)}</row>')
    last_row = h + 1 + len(out.rows)
    cols = "".join(f'<col min="{i + 1}" max="{i + 1}" width="{w}" customWidth="1"/>' for i, w in enumerate(out.widths))
    xml = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet {NS}>',
           f'<sheetPr><tabColor rgb="{out.tab_color}"/><pageSetUpPr fitToPage="1"/></sheetPr>',
           f'<dimension ref="A1:{last_col}{last_row}"/>',
           '<sheetViews><sheetView workbookViewId="0">'
           f'<pane ySplit="{h + 1}" topLeftCell="A{h + 2}" activePane="bottomLeft" state="frozen"/>'
           '</sheetView></sheetViews>',
           '<sheetFormatPr defaultRowHeight="15"/>',
           f"<cols>{cols}</cols>" if cols else "",
           f"<sheetData>{''.join(parts)}</sheetData>"]
    if out.rows:
        xml.append(f'<autoFilter ref="A{h + 1}:{last_col}{last_row}"/>')
    if merges:
        xml.append(f'<mergeCells count="{len(merges)}">' + "".join(f'<mergeCell ref="{m}"/>' for m in merges)
                   + "</mergeCells>")
    if out.links:
        xml.append("<hyperlinks>" + "".join(
            f'<hyperlink ref="{col_letter(l.col)}{h + 2 + l.row}" location={quoteattr(l.target)}/>'
            for l in out.links) + "</hyperlinks>")
    xml.append('<pageMargins left="0.5" right="0.5" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>')
    orientation = "landscape" if out.landscape else "portrait"
    xml.append(f'<pageSetup paperSize="9" orientation="{orientation}" fitToWidth="1" fitToHeight="0"/>')
    header = f"<oddHeader>&amp;C{xml_text(out.page_header)}</oddHeader>" if out.page_header else ""
    xml.append(f"<headerFooter>{header}<oddFooter>&amp;C第 &amp;P 页，共 &amp;N 页</oddFooter></headerFooter>")
    xml.append("</worksheet>")
    return "".join(xml).encode("utf-8")


def print_titles(out: SheetOutput) -> str:
    """The rows to repeat on every printed page: titles and header."""
    return f"{quote_sheet(out.name)}!$1:${out.header_row + 1}"
