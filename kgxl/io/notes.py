"""Cell notes (Excel's comments, the yellow boxes) of a sheet: read from its comments part, and written as the
comments part and the VML drawing Excel draws them from. openpyxl's comment model does the XML (it is what
build-workbook writes the header notes with); kgxl.io.package wires the parts. openpyxl is imported when a sheet
has notes, not before (a cold start pays for it only then)."""
from __future__ import annotations

from kgxl.io.xml_nodes import REL_NS

COMMENTS_REL = REL_NS + "/comments"
VML_REL = REL_NS + "/vmlDrawing"
COMMENTS_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
VML_CT = "application/vnd.openxmlformats-officedocument.vmlDrawing"


def parse(xml: bytes) -> dict[str, tuple[str, str]]:
    """A comments part's notes: cell reference -> (text, author)."""
    from defusedxml.ElementTree import fromstring
    from openpyxl.comments.comment_sheet import CommentSheet

    sheet = CommentSheet.from_tree(fromstring(xml))
    return {ref: (c.content, c.author or "") for ref, c in sheet.comments}


def render(notes: dict[str, tuple[str, str]]) -> tuple[bytes, bytes]:
    """The comments part and its VML drawing for notes (cell reference -> (text, author))."""
    from openpyxl.comments.comment_sheet import CommentRecord, CommentSheet
    from openpyxl.xml.functions import tostring

    records = []
    for ref, (text, author) in notes.items():
        r = CommentRecord(ref=ref, author=author, height=100, width=240)  # build-workbook's header notes' size
        r.text.t = text
        records.append(r)
    sheet = CommentSheet.from_comments(records)
    return tostring(sheet.to_tree()), sheet.write_shapes()
