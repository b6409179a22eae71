"""SheetOutput -> worksheet XML (SpreadsheetML), for the file adapter.

Strings are written inline (no shared-string table to rewrite), values only: a generated sheet
never holds a formula, so text that starts with '=' stays text.
"""
from __future__ import annotations

import datetime as dt
import math
import numbers
import re

from kgxl.core.cells import col_letter, is_blank, quote_sheet, to_serial
from kgxl.core.port import Block, SheetOutput
from kgxl.io.styles import StyleBook
from kgxl.io.xml_nodes import escape, quoteattr

NS = ('xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
DATE_FORMAT = "yyyy-mm-dd"
HEADER_DATE_FORMAT = "m/d"  # a date in a header row heads a day column


def xml_text(s: str) -> str:
    return escape(_ILLEGAL.sub("", s))


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
    if isinstance(v, str):
        space = ' xml:space="preserve"' if v != v.strip() or "\n" in v else ""
        return f'<c r="{ref}" s="{style}" t="inlineStr"><is><t{space}>{xml_text(v)}</t></is></c>'
    if is_blank(v):  # None or NaN: text was written above
        return f'<c r="{ref}" s="{style}"/>'
    if isinstance(v, bool):
        return f'<c r="{ref}" s="{style}" t="b"><v>{int(v)}</v></c>'
    if isinstance(v, numbers.Integral):  # numpy's too
        return f'<c r="{ref}" s="{style}"><v>{int(v)}</v></c>'
    if isinstance(v, numbers.Real):
        return f'<c r="{ref}" s="{style}"><v>{float(v)!r}</v></c>'
    if isinstance(v, (dt.date, dt.datetime)):
        return f'<c r="{ref}" s="{date_style}"><v>{to_serial(v)!r}</v></c>'
    return _cell(ref, str(v), style, date_style)


def width_of(out: SheetOutput) -> int:
    return max([1, *(max(len(b.header), max((len(r) for r in b.rows), default=0), b.span + 1) for b in out.blocks)])


def spans(b: Block, header_row: int, first: int) -> list[tuple[int, int, int, int]]:
    """Where the block merges across (b.span, b.joins): [(first sheet row, first column, last column, rows)], each a
    rectangle whose every row is merged on its own (the header's and each data row's cells); [] without either."""
    rows = first + len(b.rows) - header_row
    out = [(header_row, c0, c1, rows) for c0, c1 in b.joins]
    return out + ([(header_row, len(b.header) - 1, b.span, rows)] if b.span else [])


def _units(text: str) -> float:
    """Column width units a text takes: about 2 for a CJK character, 1.1 for others."""
    return sum(2 if ord(ch) >= 0x2E80 else 1.1 for ch in text)


def _lines(text, width: float) -> int:
    """Wrapped lines a title or header needs in a column (a CJK character is about 2 width units)."""
    return max(1, -(-len(str(text)) * 2 // max(int(width), 1)))


def _cell_lines(text: str, width: float) -> int:
    """Lines a wrapped data cell takes: one per "\n", and a long line over several."""
    return sum(max(1, math.ceil(_units(part) / max(width, 1))) for part in text.split("\n"))


def _block_rows(b: Block, header_row: int, first: int, st: _Styles, widths: list[float]) -> list[str]:
    parts = []
    if b.title:
        s = st.get(font="bold", border=False)
        parts.append(f'<row r="{header_row - 1}">{_cell(f"A{header_row - 1}", b.title, s, s)}</row>')
    align = 'horizontal="center" vertical="center" wrapText="1"'
    hs = st.get(font="bold", fill="header", align=align)
    hd = st.get(font="bold", fill="header", align=align, fmt=HEADER_DATE_FORMAT)
    header = list(b.header) + [None] * (b.span + 1 - len(b.header) if b.span else 0)  # a span's cells bordered
    cells = "".join(_cell(f"{col_letter(c)}{header_row}", v, hs, hd) for c, v in enumerate(header))
    lines = max([1, *(_lines(v, widths[c]) for c, v in enumerate(b.header) if isinstance(v, str) and c < len(widths))])
    height = f' ht="{15 * lines + 3}" customHeight="1"' if lines > 1 else ""
    parts.append(f'<row r="{header_row}"{height}>{cells}</row>')
    return parts + _data_rows(b, first, st, widths)


def _data_rows(b: Block, first: int, st: _Styles, widths: list[float] | None = None) -> list[str]:
    """The block's data rows as <row> elements, the first at sheet row `first`."""
    ncols = max(len(b.header), max((len(r) for r in b.rows), default=0), b.span + 1)
    links = {(l.row, l.col) for l in b.links}
    letters = [col_letter(c) for c in range(ncols)]
    styles: dict[tuple, tuple[int, int]] = {}  # (column, fill, font, own format) -> (style, date style)

    wrap = set(b.wrap)

    def style_of(c: int, fill: str, font: str, own: str | None = None) -> tuple[int, int]:
        key = (c, fill, font, own)
        if key not in styles:
            fmt = own or b.formats.get(c, "General")
            # a block with wrapped text has tall rows: every cell of it at the top, the label beside its figure
            extra = ({"align": 'vertical="top" wrapText="1"'} if c in wrap else
                     {"align": 'vertical="top"'} if wrap else {})
            styles[key] = (st.get(font=font, fill=fill, fmt=fmt, **extra),
                           st.get(font=font, fill=fill, fmt=fmt if fmt != "General" else DATE_FORMAT, **extra))
        return styles[key]
    parts = []
    for r, row in enumerate(b.rows):
        excel_row = first + r
        fill = b.row_styles.get(r, "none")
        plain = "bold" if fill == "total" else "plain"
        cells = []
        for c in range(ncols):
            v = row[c] if c < len(row) else None
            key = min(c, len(b.header) - 1) if b.span else c  # a span's cells take its first cell's style
            style, date_style = style_of(key, fill, "link" if (r, c) in links else plain, b.cell_formats.get((r, c)))
            cells.append(_cell(f"{letters[c]}{excel_row}", v, style, date_style))
        lines = max([1, b.tall, *(_cell_lines(row[c], widths[c] if widths and c < len(widths) else 10)
                          for c in wrap if c < len(row) and isinstance(row[c], str))])
        height = f' ht="{15 * lines + 3}" customHeight="1"' if lines > 1 else ""
        parts.append(f'<row r="{excel_row}"{height}>{"".join(cells)}</row>')
    return parts


def inline_text(ref: str, text: str) -> str:
    """A cell holding text as an inline string (spaces kept)."""
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{xml_text(text)}</t></is></c>'


def title_cell(title: str, style: int) -> str:
    """Cell A1 holding a title, in the given style (a report marked 已过期 keeps its own)."""
    return _cell("A1", title, style, 0)


def appended_rows(out: SheetOutput, first: int, book: StyleBook) -> tuple[bytes, int]:
    """The output's data rows numbered from first (a row appended to 运行日志 or an input sheet), and the last."""
    return "".join(_data_rows(out.blocks[0], first, _Styles(book))).encode("utf-8"), first + len(out.blocks[0].rows) - 1


def _validations(out: SheetOutput, layout) -> str:
    items = []
    for b, (_, first) in zip(out.blocks, layout):
        for ch in b.choices:
            ref = f"{col_letter(ch.cols[0])}{first + ch.rows[0]}:{col_letter(ch.cols[1])}{first + ch.rows[1]}"
            formula = xml_text('"' + ",".join(ch.values) + '"')
            prompt = f' promptTitle="选择" prompt={quoteattr(ch.prompt)}' if ch.prompt else ""
            items.append(f'<dataValidation type="list" errorStyle="warning" allowBlank="1" showInputMessage="1" '
                         f'showErrorMessage="1" errorTitle="输入有误" error={quoteattr("请从下拉列表中选择：" + "、".join(ch.values))}'
                         f'{prompt} sqref="{ref}"><formula1>{formula}</formula1></dataValidation>')
    return f'<dataValidations count="{len(items)}">{"".join(items)}</dataValidations>' if items else ""


def render_sheet(out: SheetOutput, book: StyleBook, drawing_rid: str | None = None, code_name: str | None = None,
                 notes_rid: str | None = None) -> bytes:
    """The sheet's XML; code_name: the codeName the sheet had (its VBA Document module stays its own); notes_rid:
    the relationship of the VML drawing its notes are drawn from."""
    st = _Styles(book)
    ncols = width_of(out)
    last_col = col_letter(ncols - 1)
    layout = out.layout()
    parts, merges = [], []
    line = max(sum(out.widths[:ncols]) if out.widths else 10 * ncols, 20)
    for i, title in enumerate(out.titles):
        if i == 0:
            style, height = st.get(font="title", border=False), ""
        else:  # notes under the title wrap inside the merged width (a CJK character is about 2 width units)
            style = st.get(font="bold", border=False, align='vertical="top" wrapText="1"')
            lines = _lines(title, line)
            height = f' ht="{15 * lines + 3}" customHeight="1"' if lines > 1 else ""
        parts.append(f'<row r="{i + 1}"{height}>{_cell(f"A{i + 1}", title, style, style)}</row>')
        merges.append(f"A{i + 1}:{last_col}{i + 1}")
    for b, (header_row, first) in zip(out.blocks, layout):
        parts += _block_rows(b, header_row, first, st, out.widths)
        for row, c0, c1, n in spans(b, header_row, first):
            merges += [f"{col_letter(c0)}{r}:{col_letter(c1)}{r}" for r in range(row, row + n)]
    last_row = out.last_row
    single = len(out.blocks) == 1 and not out.blocks[0].title
    split_row = out.repeat_rows if out.blocks and not out.blocks[0].title else len(out.titles)
    cols = "".join(f'<col min="{i + 1}" max="{i + 1}" width="{w}" customWidth="1"/>' for i, w in enumerate(out.widths))
    pane = ""
    if split_row or out.freeze_cols:
        x = f' xSplit="{out.freeze_cols}"' if out.freeze_cols else ""
        y = f' ySplit="{split_row}"' if split_row else ""
        active = "bottomRight" if x and y else "bottomLeft" if y else "topRight"
        pane = (f'<pane{x}{y} topLeftCell="{col_letter(out.freeze_cols)}{split_row + 1}" activePane="{active}" '
                f'state="frozen"/>')
    xml = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet {NS}>',
           f'<sheetPr{f" codeName={quoteattr(code_name)}" if code_name else ""}><tabColor rgb="{out.tab_color}"/>'
           '<pageSetUpPr fitToPage="1"/></sheetPr>',
           f'<dimension ref="A1:{last_col}{max(last_row, 1)}"/>',
           f'<sheetViews><sheetView workbookViewId="0">{pane}</sheetView></sheetViews>',
           '<sheetFormatPr defaultRowHeight="15"/>',
           f"<cols>{cols}</cols>" if cols else "",
           f"<sheetData>{''.join(parts)}</sheetData>"]
    if single and out.blocks[0].rows:
        xml.append(f'<autoFilter ref="A{layout[0][0]}:{last_col}{last_row}"/>')
    if merges:
        xml.append(f'<mergeCells count="{len(merges)}">' + "".join(f'<mergeCell ref="{m}"/>' for m in merges)
                   + "</mergeCells>")
    xml.append(_validations(out, layout))
    links = [(l, first) for b, (_, first) in zip(out.blocks, layout) for l in b.links]
    if links:
        xml.append("<hyperlinks>" + "".join(
            f'<hyperlink ref="{col_letter(l.col)}{first + l.row}" location={quoteattr(l.target)}/>'
            for l, first in links) + "</hyperlinks>")
    xml.append('<pageMargins left="0.5" right="0.5" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>')
    orientation = "landscape" if out.landscape else "portrait"
    xml.append(f'<pageSetup paperSize="9" orientation="{orientation}" fitToWidth="1" fitToHeight="0" '
               'firstPageNumber="1" useFirstPageNumber="1"/>')  # each sheet numbered from 1 when printed together
    header = f"<oddHeader>&amp;C{xml_text(out.page_header)}</oddHeader>" if out.page_header else ""
    # no "共 &N 页": when sheets print together (the export's PDF) LibreOffice counts every sheet's pages in &N
    xml.append(f"<headerFooter>{header}<oddFooter>&amp;C第 &amp;P 页</oddFooter></headerFooter>")
    breaks = out.page_breaks()  # charts, and blocks that start a page, are not cut across two pages
    if breaks:
        xml.append(f'<rowBreaks count="{len(breaks)}" manualBreakCount="{len(breaks)}">'
                   + "".join(f'<brk id="{r}" max="16383" man="1"/>' for r in breaks) + "</rowBreaks>")
    if drawing_rid:
        xml.append(f'<drawing r:id="{drawing_rid}"/>')
    if notes_rid:
        xml.append(f'<legacyDrawing r:id="{notes_rid}"/>')
    xml.append("</worksheet>")
    return "".join(xml).encode("utf-8")


def print_titles(out: SheetOutput) -> str:
    """The rows to repeat on every printed page."""
    first, last = out.print_rows()
    return f"{quote_sheet(out.name)}!${first}:${last}"
