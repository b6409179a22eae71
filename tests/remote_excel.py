"""xlwings' remote engine as the tests' Excel: a workbook file turned into the payload an Excel
client sends, and the actions the engine returns applied back to a model of the sheets.

Only the actions kgxl's ExcelBook uses are modelled; any other action fails the test that met it.
"""
import copy
import datetime as dt
import re
from dataclasses import dataclass, field

import xlwings as xw
from python_calamine import CalamineWorkbook

ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _out(v):
    """A calamine value as an Excel client sends it (dates as ISO strings with a Z)."""
    if isinstance(v, dt.datetime):
        return v.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    if isinstance(v, dt.date):
        return f"{v.isoformat()}T00:00:00.000Z"
    if isinstance(v, dt.time):  # a time-only cell is a VBA Date on Excel's day zero (WebHelpers.ConvertToIso)
        return f"1899-12-30T{v.isoformat()}.000Z"
    return v


def payload(path, name: str | None = None, client: str = "VBA") -> dict:
    wb = CalamineWorkbook.from_path(str(path))
    sheets = []
    for s in wb.sheet_names:
        rows = wb.get_sheet_by_name(s).to_python(skip_empty_area=False)
        width = max((len(r) for r in rows), default=0)
        values = [[_out(v) for v in r] + [""] * (width - len(r)) for r in rows] or [[]]
        sheets.append({"name": s, "values": values, "pictures": [], "shapes": [], "charts": [], "notes": [],
                       "tables": [], "print_area": None})
    return {"client": client, "version": xw.__version__,
            "book": {"name": name or path.name, "active_sheet_index": 0, "selection": "A1"},
            "names": [], "sheets": sheets}


@dataclass
class SheetModel:
    name: str
    values: dict = field(default_factory=dict)  # (row, col) 0-based -> value
    formats: dict = field(default_factory=dict)
    fills: dict = field(default_factory=dict)  # as Excel shows them: painted, then conditional formats
    painted: dict = field(default_factory=dict)  # setRangeColor's
    bold: set = field(default_factory=set)  # as Excel shows it: set, then conditional formats
    strong: set = field(default_factory=set)  # setFontProperty's
    merged: list = field(default_factory=list)
    widths: dict = field(default_factory=dict)
    charts: int = 0
    rules: list = field(default_factory=list)  # conditional formats: (cells, formula, fill, bold)
    notes: dict = field(default_factory=dict)  # address -> text (added by an Office.js client's addNote)
    hidden: bool = False
    links: dict = field(default_factory=dict)  # (row, col) -> the HYPERLINK formula's target

    def grid(self) -> list[list]:
        if not self.values:
            return []
        rows = max(r for r, _ in self.values) + 1
        cols = max(c for _, c in self.values) + 1
        return [[self.values.get((r, c), "") for c in range(cols)] for r in range(rows)]


def _cell(v):
    """What Excel shows for a value written by setValues."""
    if isinstance(v, str):
        if v.startswith("'"):
            return v[1:]
        m = re.fullmatch(r'=HYPERLINK\("#((?:[^"]|"")*)",(?:"((?:[^"]|"")*)"|([^)]*))\)', v)
        if m:
            return m.group(2).replace('""', '"') if m.group(2) is not None else float(m.group(3))
        if ISO_DAY.fullmatch(v):
            return dt.date.fromisoformat(v)
        if v.startswith("="):
            raise AssertionError(f"unexpected formula {v}")
        return v
    return "" if v is None else v


_TEXT_TEST = re.compile(r'INDEX\(\$([A-Z]+):\$\1,ROW\(\)(\+1)?\)="((?:[^"]|"")*)"')


def _letters_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def _rule_fills(sheet: SheetModel) -> None:
    """Conditional formats as Excel shows them: the fill and bold on every cell whose row passes the rule.
    Only the text tests ExcelBook writes (=INDEX($C:$C,ROW())="x", or an OR of them; ROW()+1: the next row's
    cell) are modelled."""
    for cells, formula, fill, bold in sheet.rules:
        body = formula[1:]
        if body.startswith("OR(") and body.endswith(")"):
            body = body[3:-1]
        tests = [(_letters_index(m.group(1)), 1 if m.group(2) else 0, m.group(3).replace('""', '"'))
                 for m in _TEXT_TEST.finditer(body)]
        if ",".join(m.group(0) for m in _TEXT_TEST.finditer(body)) != body:
            raise AssertionError(f"conditional format not modelled: {formula}")
        for r, c in cells:
            shown = [sheet.values.get((r + down, col), "") for col, down, _ in tests]
            if any(isinstance(v, str) and v.casefold() == text.casefold() for v, (_, _, text) in zip(shown, tests)):
                if fill:
                    sheet.fills[(r, c)] = fill
                if bold:
                    sheet.bold.add((r, c))


def resent(sheets: list[SheetModel], name: str, client: str = "VBA") -> dict:
    """The payload an Excel client sends of the workbook the models stand for (a second click on it)."""
    out = []
    for m in sheets:
        values = [[_out(v) for v in row] for row in m.grid()] or [[]]
        out.append({"name": m.name, "values": values, "pictures": [], "shapes": [], "charts": [], "notes": [],
                    "tables": [], "print_area": None})
    return {"client": client, "version": xw.__version__,
            "book": {"name": name, "active_sheet_index": 0, "selection": "A1"}, "names": [], "sheets": out}


def apply(book_payload: dict, actions: list[dict], start: list[SheetModel] | None = None) \
        -> tuple[list[SheetModel], list[dict]]:
    """The sheets after the actions, and the alerts. The first sheets: start (what an earlier run left, formats
    included; its values are the payload's), else loaded from the payload."""
    sheets = []
    for s in book_payload["sheets"]:
        m = SheetModel(s["name"])
        for r, row in enumerate(s["values"]):
            for c, v in enumerate(row):
                if v not in ("", None):
                    m.values[(r, c)] = v
        sheets.append(m)
    if start is not None:
        assert [m.name for m in start] == [m.name for m in sheets]
        sheets = [copy.deepcopy(m) for m in start]
    alerts = []
    for a in actions:
        f, args = a["func"], a["args"]
        sheet = sheets[a["sheet_position"]] if a["sheet_position"] is not None else None
        cells = []
        if a["start_row"] is not None:
            cells = [(a["start_row"] + r, a["start_column"] + c)
                     for r in range(a["row_count"]) for c in range(a["column_count"])]
        if f == "addSheet":
            sheets.insert(args[0], SheetModel(args[1]))
        elif f == "sheetClear":
            sheets[a["sheet_position"]] = SheetModel(sheet.name, widths=sheet.widths)
        elif f == "deleteChart":
            sheet.charts -= 1
        elif f == "setValues":
            for r, row in enumerate(a["values"]):
                for c, v in enumerate(row):
                    key = (a["start_row"] + r, a["start_column"] + c)
                    if isinstance(v, str) and v.startswith("=HYPERLINK"):
                        sheet.links[key] = re.match(r'=HYPERLINK\("#((?:[^"]|"")*)"', v).group(1)
                    else:
                        sheet.links.pop(key, None)
                    shown = _cell(v)
                    if shown == "":
                        sheet.values.pop(key, None)
                    else:
                        sheet.values[key] = shown
        elif f == "setNumberFormat":
            sheet.formats.update(dict.fromkeys(cells, args[0]))
        elif f == "setRangeColor":
            sheet.painted.update(dict.fromkeys(cells, args[0].upper().lstrip("#")))
        elif f == "addConditionalFormat":
            rule = args[0]
            if rule["type"] != "Custom" or (rule["fill_color"] is None and not rule["font_bold"]):
                raise AssertionError(f"conditional format not modelled: {rule}")
            fill = rule["fill_color"].upper().lstrip("#") if rule["fill_color"] else None
            sheet.rules.append((cells, rule["formula"], fill, bool(rule["font_bold"])))
        elif f == "setFontProperty":
            if args[0] == "bold" and args[1]:
                sheet.strong.update(cells)
        elif f == "rangeMerge":
            if args[0] if isinstance(args, list) else args:  # across: each row on its own
                rows = sorted({r for r, _ in cells})
                sheet.merged += [((r, cells[0][1]), (r, cells[-1][1])) for r in rows]
            else:
                sheet.merged.append((cells[0], cells[-1]))
        elif f == "setColumnWidth":
            for _, c in cells:
                sheet.widths[c] = args[0]
        elif f in ("addChart",):
            sheet.charts += 1
        elif f == "addNote":
            sheet.notes[args[0].replace("$", "")] = args[1]
        elif f == "setSheetVisibility":
            sheet.hidden = args[0] != "Visible" if isinstance(args, list) else args != "Visible"
        elif f == "alert":
            alerts.append({"prompt": args[0], "title": args[1], "mode": args[3]})
        elif f in ("setWrapText", "setRowHeight", "setScreenUpdating", "setChartType", "setChartSourceData"):
            pass  # no effect on what the tests compare
        else:
            raise AssertionError(f"action not modelled: {f}")
    for s in sheets:
        s.fills, s.bold = dict(s.painted), set(s.strong)
        _rule_fills(s)
    return sheets, alerts
