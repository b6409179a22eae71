"""Small workbook makers for adapter tests (real xlsx files, made by openpyxl), and edits typed into workbooks."""
import datetime as dt
import io
import zipfile
from pathlib import Path

import openpyxl

from kgxl.core.schema import load_schemas


def write_table(path: Path, key: str, rows: list[list], header: list | None = None, sheet: str | None = None,
                before: list[list] | None = None, merge: str | None = None) -> Path:
    """A workbook with one sheet laid out as the schema says (or with the given header)."""
    s = load_schemas()[key]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet or s.sheet
    for r in before or []:
        ws.append(r)
    ws.append(header or [c.header for c in s.columns])
    for r in rows:
        ws.append(r)
    if merge:
        ws.merge_cells(merge)
    wb.save(path)
    return path


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def replace_part(path: Path, name: str, data: bytes) -> None:
    src = parts(path)
    src[name] = data
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for n, b in src.items():
            z.writestr(n, b)
    path.write_bytes(buf.getvalue())


def table(key: str, rows: list[dict], month: str | None = None, days: list | None = None):
    """A typed Table from inline rows (dicts by column key), read the way a sheet is: no file."""
    from kgxl.core.port import RawSheet
    from kgxl.core.reading import read_table

    s = load_schemas()[key]
    cols = [c for c in s.columns if not (days and c.key == "note")]
    header = [c.header for c in cols] + list(days or []) + (["备注"] if days else [])
    body = [[r.get(c.key) for c in cols] + [r.get(d) for d in days or []] + ([r.get("note")] if days else [])
            for r in rows]
    t, problems = read_table(s, RawSheet(s.sheet_for(month) if month else s.sheet, [header, *body]))
    return t, problems


def set_cells(path: Path, sheet: str, cells: dict) -> None:
    """Type values into a sheet of a workbook file as Excel would store them, in its XML only (every other part and
    byte kept: charts, notes, the VBA project): text inline, numbers and dates (as serial numbers, in the style of
    the cell above, so a date still shows as one) as values."""
    import datetime as dt

    from kgxl.core.cells import split_ref, to_serial
    from kgxl.io.package import workbook_sheets
    from kgxl.io.render import inline_text
    from kgxl.io.sheet_xml import set_cell
    from kgxl.io.xml_nodes import scan

    files = parts(path)
    part = next(e.part for e in workbook_sheets(files) if e.name == sheet)
    xml = files[part]
    for ref, value in cells.items():
        letters, row = split_ref(ref)
        above = next((n for n in scan(xml) if n.local == "c" and n.attrs.get("r") == f"{letters}{row - 1}"), None)
        style = f' s="{above.attrs["s"]}"' if above is not None and "s" in above.attrs else ""
        if isinstance(value, str):
            cell = inline_text(ref, value)
        elif isinstance(value, dt.date):
            cell = f'<c r="{ref}"{style}><v>{to_serial(value)}</v></c>'
        else:
            cell = f'<c r="{ref}"{style}><v>{value}</v></c>'
        xml = set_cell(xml, ref, cell)
    replace_part(path, part, xml)


MARKS = 10


def _day(v):
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, str) and len(v) >= 10 and v[:4].isdigit():  # a date as an Excel client sends it
        return dt.date.fromisoformat(v[:10])
    return v if isinstance(v, dt.date) else None


def register_of(names: list[str], today: dt.date) -> str:
    """The register of today's month, else the latest before it."""
    months = sorted(n for n in names if n.startswith("出勤-") and n[3:] <= today.strftime("%Y-%m"))
    return months[-1]


def marks(rows: list[list], today: dt.date, variant: int = 0) -> dict[tuple[int, int], str]:
    """(0-based row, col) -> "病" for ten √ of past school days, every fifth child (variant 1-4: another fifth, so a
    process that stays up meets a state it has not seen)."""
    header, out = rows[0], {}
    for r, row in enumerate(rows[1:], start=1):
        for c, v in enumerate(row):
            day = _day(header[c]) if c < len(header) else None
            if v == "√" and day and day < today and len(out) < MARKS and (r + 1) % 5 == variant % 5:
                out[(r, c)] = "病"
    if len(out) < MARKS:
        raise SystemExit(f"fewer than {MARKS} marks to change before {today}")
    return out


def ten_marks(path: Path, today: dt.date, variant: int = 0) -> None:
    """The edit a typical day brings (issue 39): the health teacher types ten absences (√ → 病) into one register,
    on school days before today (marks, variant)."""
    from python_calamine import CalamineWorkbook

    from kgxl.core.cells import col_letter

    wb = CalamineWorkbook.from_path(str(path))
    sheet = register_of(wb.sheet_names, today)
    cells = marks(wb.get_sheet_by_name(sheet).to_python(), today, variant)
    set_cells(path, sheet, {f"{col_letter(c)}{r + 1}": v for (r, c), v in cells.items()})


def ten_marks_model(sheets: list, today: dt.date) -> None:
    """ten_marks on the tests' model of what Excel holds (remote_excel.SheetModel): the same cells."""
    m = next(s for s in sheets if s.name == register_of([s.name for s in sheets], today))
    m.values.update(marks(m.grid(), today))
