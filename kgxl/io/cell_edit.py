"""One cell of a sheet's XML set to a text, every other byte kept: for the few settings kgxl writes into a sheet
the user owns (the interpreter path in xlwings.conf)."""
from __future__ import annotations

import re
from xml.sax.saxutils import escape

from kgxl.core.cells import col_index

_ROW = r'<row\b[^>]*\br="{row}"[^>]*?(?:/>|>(.*?)</row>)'


def set_cell_text(xml: str, ref: str, text: str) -> str:
    """The sheet with cell ref (e.g. B1) holding text as an inline string (a cell there is replaced, else added in
    column order to its row, the row added in row order when missing)."""
    letters, row = re.fullmatch(r"([A-Z]+)(\d+)", ref).groups()
    cell = f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(text)}</t></is></c>'
    m = re.search(_ROW.format(row=row), xml, re.S)
    if m is None:
        later = [r for r in re.finditer(r'<row\b[^>]*\br="(\d+)"', xml) if int(r.group(1)) > int(row)]
        new_row = f'<row r="{row}">{cell}</row>'
        if later:
            return xml[:later[0].start()] + new_row + xml[later[0].start():]
        xml = re.sub(r"<sheetData\s*/>", "<sheetData></sheetData>", xml, count=1)
        return xml.replace("</sheetData>", new_row + "</sheetData>", 1)
    head = re.match(r"<row\b[^>]*?(?=/?>)", m.group(0)).group(0)
    head = re.sub(r'\sspans="[^"]*"', "", head)
    cells = re.findall(r"<c\b[^>]*?(?:/>|>.*?</c>)", m.group(1) or "", re.S)
    kept = [c for c in cells if re.search(r'\br="([A-Z]+)\d+"', c).group(1) != letters]
    kept.append(cell)
    kept.sort(key=lambda c: col_index(re.search(r'\br="([A-Z]+)\d+"', c).group(1)))
    return xml[:m.start()] + head + ">" + "".join(kept) + "</row>" + xml[m.end():]
