"""Small workbook makers for adapter tests (real xlsx files, made by openpyxl)."""
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
