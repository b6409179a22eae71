"""Charts of generated sheets as DrawingML parts: a drawing anchored below the sheet's tables and
one clustered column chart per Chart. Values are cached in the chart so a reader that does not
recalculate (a viewer, openpyxl) still shows them; Excel and LibreOffice read the cell ranges.
"""
from __future__ import annotations

from kgxl.core.cells import col_letter, quote_sheet
from kgxl.core.port import Chart, Series, SheetOutput
from kgxl.io.render import width_of, xml_text

C_NS = "http://schemas.openxmlformats.org/drawingml/2006/chart"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XDR_NS = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
DRAWING_CT = "application/vnd.openxmlformats-officedocument.drawing+xml"
CHART_CT = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
DRAWING_REL = R_NS + "/drawing"
CHART_REL = R_NS + "/chart"


def _rich(text: str, size: int) -> str:
    return (f'<c:tx><c:rich><a:bodyPr/><a:p><a:pPr><a:defRPr sz="{size}" b="1"/></a:pPr>'
            f'<a:r><a:rPr lang="zh-CN" sz="{size}" b="1"/><a:t>{xml_text(text)}</a:t></a:r></a:p></c:rich></c:tx>')


def _ref(out: SheetOutput, first_row: int, s: Series) -> str:
    letter = col_letter(s.col)
    return f"{quote_sheet(out.name)}!${letter}${first_row + s.rows[0]}:${letter}${first_row + s.rows[1]}"


def _values(out: SheetOutput, chart: Chart, s: Series) -> list:
    rows = out.blocks[chart.block].rows[s.rows[0]:s.rows[1] + 1]
    return [r[s.col] if s.col < len(r) else None for r in rows]


def chart_xml(out: SheetOutput, chart: Chart) -> bytes:
    first = out.layout()[chart.block][1]
    cats = _values(out, chart, chart.categories)
    cat_cache = "".join(f'<c:pt idx="{i}"><c:v>{xml_text(str(v))}</c:v></c:pt>' for i, v in enumerate(cats))
    series = []
    for i, s in enumerate(chart.series):
        nums = _values(out, chart, s)
        num_cache = "".join(f'<c:pt idx="{j}"><c:v>{v!r}</c:v></c:pt>' for j, v in enumerate(nums)
                            if isinstance(v, (int, float)))
        series.append(
            f'<c:ser><c:idx val="{i}"/><c:order val="{i}"/><c:tx><c:v>{xml_text(s.name)}</c:v></c:tx>'
            '<c:invertIfNegative val="0"/>'
            f'<c:cat><c:strRef><c:f>{xml_text(_ref(out, first, chart.categories))}</c:f>'
            f'<c:strCache><c:ptCount val="{len(cats)}"/>{cat_cache}</c:strCache></c:strRef></c:cat>'
            f'<c:val><c:numRef><c:f>{xml_text(_ref(out, first, s))}</c:f>'
            f'<c:numCache><c:formatCode>General</c:formatCode><c:ptCount val="{len(nums)}"/>{num_cache}'
            '</c:numCache></c:numRef></c:val></c:ser>')
    y_range = (f'<c:max val="{chart.y_range[1]!r}"/><c:min val="{chart.y_range[0]!r}"/>' if chart.y_range else "")
    y_title = f"<c:title>{_rich(chart.y_title, 1000)}<c:overlay val=\"0\"/></c:title>" if chart.y_title else ""
    xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           f'<c:chartSpace xmlns:c="{C_NS}" xmlns:a="{A_NS}" xmlns:r="{R_NS}"><c:roundedCorners val="0"/>'
           f'<c:chart><c:title>{_rich(chart.title, 1200)}<c:overlay val="0"/></c:title>'
           '<c:autoTitleDeleted val="0"/><c:plotArea><c:layout/>'
           '<c:barChart><c:barDir val="col"/><c:grouping val="clustered"/><c:varyColors val="0"/>'
           f'{"".join(series)}<c:gapWidth val="150"/><c:axId val="5001"/><c:axId val="5002"/></c:barChart>'
           '<c:catAx><c:axId val="5001"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/>'
           '<c:axPos val="b"/><c:numFmt formatCode="General" sourceLinked="0"/><c:tickLblPos val="nextTo"/>'
           '<c:crossAx val="5002"/><c:crosses val="autoZero"/><c:auto val="1"/><c:lblAlgn val="ctr"/>'
           '<c:lblOffset val="100"/></c:catAx>'
           f'<c:valAx><c:axId val="5002"/><c:scaling><c:orientation val="minMax"/>{y_range}</c:scaling><c:delete val="0"/>'
           f'<c:axPos val="l"/><c:majorGridlines/>{y_title}'
           f'<c:numFmt formatCode="{xml_text(chart.y_format)}" sourceLinked="0"/><c:tickLblPos val="nextTo"/>'
           '<c:crossAx val="5001"/><c:crosses val="autoZero"/><c:crossBetween val="between"/></c:valAx>'
           '</c:plotArea><c:legend><c:legendPos val="b"/><c:overlay val="0"/></c:legend>'
           '<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart></c:chartSpace>')
    return xml.encode("utf-8")


def drawing_xml(out: SheetOutput, chart_rids: list[str]) -> bytes:
    """Charts stacked below the last table, each width_cols x height_rows cells."""
    row = out.last_row + 1
    anchors = []
    for i, (chart, rid) in enumerate(zip(out.charts, chart_rids)):
        cols = min(chart.width_cols, max(width_of(out), 6))
        anchors.append(
            f'<xdr:twoCellAnchor editAs="oneCell"><xdr:from><xdr:col>0</xdr:col><xdr:colOff>0</xdr:colOff>'
            f'<xdr:row>{row}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:to><xdr:col>{cols}</xdr:col>'
            f'<xdr:colOff>0</xdr:colOff><xdr:row>{row + chart.height_rows}</xdr:row><xdr:rowOff>0</xdr:rowOff>'
            f'</xdr:to><xdr:graphicFrame macro=""><xdr:nvGraphicFramePr><xdr:cNvPr id="{i + 2}" '
            f'name="图表 {i + 1}"/><xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr><xdr:xfrm><a:off x="0" y="0"/>'
            f'<a:ext cx="0" cy="0"/></xdr:xfrm><a:graphic><a:graphicData uri="{C_NS}">'
            f'<c:chart xmlns:c="{C_NS}" xmlns:r="{R_NS}" r:id="{rid}"/></a:graphicData></a:graphic>'
            '</xdr:graphicFrame><xdr:clientData/></xdr:twoCellAnchor>')
        row += chart.height_rows + 1
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<xdr:wsDr xmlns:xdr="{XDR_NS}" '
            f'xmlns:a="{A_NS}">{"".join(anchors)}</xdr:wsDr>').encode("utf-8")
