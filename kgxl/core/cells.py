"""Cell addresses and the interpretation of hand-typed cell values.

Each parser returns (value, issue): value is the typed value or None, issue is None when the
cell was clean, or (code, severity, message) when it was not. Nothing here changes the sheet:
a value we can read but that was typed oddly (full-width digits, a date typed as text) is
used and reported as a 警告; one we cannot read is an 错误 and the value is None.
"""
from __future__ import annotations

import datetime as dt
import math
import re

from kgxl.core.problems import ERROR, WARNING

_FULLWIDTH = str.maketrans("０１２３４５６７８９．－，", "0123456789.-,")
EXCEL_EPOCH = dt.date(1899, 12, 30)
LARGEST = 1e12  # no amount, count or measurement of a kindergarten comes near it: a pasted serial number does
_THOUSANDS = re.compile(r"[-+]?\d{1,3}(,\d{3})+(\.\d+)?")
_EUROPEAN = re.compile(r"[-+]?\d{1,3}(\.\d{3})+,\d+")
_WITH_UNIT = re.compile(r"([-+]?\d+(?:\.\d+)?)\s*([^\d\s.,+-][^\d]*)")  # 500mg/L, 37.5℃, 125克: a number and its unit


class CellError(str):
    """A formula error read from a cell, such as #N/A or #REF!."""


def col_letter(index: int) -> str:
    """0-based column index to Excel letters: 0 -> A, 26 -> AA."""
    s = ""
    index += 1
    while index:
        index, r = divmod(index - 1, 26)
        s = chr(65 + r) + s
    return s


def col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def quote_sheet(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


_NORMALIZE = str.maketrans({"（": "(", "）": ")", " ": None, "\u3000": None, "\n": None, "\t": None})


def norm(text) -> str:
    """A header or item label as kgxl compares it: full-width brackets as ASCII, no spaces or line breaks."""
    return str(text).translate(_NORMALIZE) if text is not None else ""


def split_ref(ref: str) -> tuple[str, int]:
    """A cell reference's column letters and row number: B12 -> ("B", 12); ("", 0) when it is not one."""
    m = re.fullmatch(r"([A-Z]+)(\d+)", ref or "")
    return (m.group(1), int(m.group(2))) if m else ("", 0)


def cell_sort_key(cell: str):
    letters, row = split_ref(cell)
    return (row, col_index(letters)) if letters else (0, -1)


def is_blank(v) -> bool:
    """A cell holding nothing: None, empty or spaces only, pandas' NaN or NA (the one blank test everywhere)."""
    if v is None:
        return True
    if isinstance(v, str):
        return not v.strip()
    if isinstance(v, float):
        return v != v
    return type(v).__name__ in ("NAType", "NaTType")


def value_or_none(v):
    """None for a blank cell, else the value."""
    return None if is_blank(v) else v


def show(value) -> str:
    """The value as the user would recognise it, for messages."""
    if is_blank(value):
        return ""
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def parse_text(v):
    if isinstance(v, float) and v.is_integer():
        return str(int(v)), None  # 2026001 typed into a text column
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()[:10], None
    return str(v).strip(), None


def parse_number(v):
    if isinstance(v, bool):
        return None, ("not_number", ERROR, "应填写数字")
    if isinstance(v, (int, float)):
        if not math.isfinite(v):
            return None, ("not_number", ERROR, "应填写数字（这里是无穷大或非数字）")
        if abs(v) >= LARGEST:
            return None, ("number_too_large", ERROR, f"数值过大（{v:g}），是否粘贴了编号或多打了数字？")
        return float(v), None
    if isinstance(v, (dt.date, dt.datetime)):
        return None, ("not_number", ERROR, "应填写数字，这里是日期")
    s = str(v).strip()
    t = s.translate(_FULLWIDTH).replace(" ", "")
    if _EUROPEAN.fullmatch(t):  # 1.234,50: a comma for the decimals, as some systems export
        t = t.replace(".", "").replace(",", ".")
    elif "," in t and not _THOUSANDS.fullmatch(t):
        return None, ("not_number", ERROR, "应填写数字（逗号的位置不像千分位，无法确定数值）")
    t = t.replace(",", "")
    try:
        num = float(t)
    except ValueError:
        unit = _WITH_UNIT.fullmatch(t)
        if unit:  # the value is not taken: a unit may change it (500 毫克/升 is not 0.5 g/L), the user decides
            return None, ("not_number", ERROR, f"应只填数字，单位见表头：这里写的是“{s}”，单位与表头相同时填 {unit.group(1)}")
        return None, ("not_number", ERROR, "应填写数字")
    if not math.isfinite(num):
        return None, ("not_number", ERROR, "应填写数字（这里是无穷大或非数字）")
    if abs(num) >= LARGEST:
        return None, ("number_too_large", ERROR, f"数值过大（{s}），是否粘贴了编号或多打了数字？")
    if t != s:
        return num, ("fullwidth_number", WARNING, f"数字写成了文本或全角字符，已按 {t} 理解，请改为半角数字")
    return num, ("number_as_text", WARNING, "数字被存成了文本，已按数字理解，建议改为数字格式")


def parse_integer(v):
    num, issue = parse_number(v)
    if num is not None and not float(num).is_integer():
        return None, ("not_integer", ERROR, "应填写整数")
    return (int(num) if num is not None else None), issue


_DATE_PATTERNS = (
    re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?"),
    re.compile(r"(\d{4})[./\-](\d{1,2})[./\-](\d{1,2})"),
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
)
_PARTIAL_DATE = re.compile(r"(\d{1,2})\s*[月/.\-]\s*(\d{1,2})\s*日?")


def parse_date(v):
    if isinstance(v, dt.datetime):
        return v.date(), None
    if isinstance(v, dt.date):
        return v, None
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        if 20000 < v < 80000:  # a serial date shown as a number
            d = EXCEL_EPOCH + dt.timedelta(days=int(v))
            return d, ("date_as_number", WARNING, f"日期显示为数字，已按 {d.isoformat()} 理解，请设为日期格式")
        return None, ("not_date", ERROR, "应填写日期，如 2026-09-01")
    s = str(v).strip().translate(_FULLWIDTH)
    for pat in _DATE_PATTERNS:
        m = pat.fullmatch(s)
        if m:
            try:
                d = dt.date(*(int(g) for g in m.groups()))
            except ValueError:
                return None, ("bad_date", ERROR, "不是有效的日期（月或日超出范围）")
            return d, ("date_as_text", WARNING, f"日期写成了文本，已按 {d.isoformat()} 理解，请改为日期格式")
    if _PARTIAL_DATE.fullmatch(s):
        return None, ("date_without_year", ERROR, "日期缺少年份，请写完整日期，如 2026-09-03")
    return None, ("not_date", ERROR, "应填写日期，如 2026-09-01")


def parse_month(v):
    if isinstance(v, (dt.date, dt.datetime)):
        return f"{v.year:04d}-{v.month:02d}", None
    s = str(v).strip().translate(_FULLWIDTH)
    m = re.fullmatch(r"(\d{4})\s*(?:-|/|\.|年)\s*(\d{1,2})\s*月?", s)
    if m and 1 <= int(m.group(2)) <= 12:
        return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}", None
    return None, ("not_month", ERROR, "应填写月份，如 2026-09")


_TIME = re.compile(r"(\d{1,2})\s*[:：点时]\s*(\d{1,2})?\s*分?(?:\s*[:：]\s*(\d{1,2}))?")


def parse_time(v):
    """A time of day: Excel's time (a fraction of a day, or a time value), or text such as 11:30 or 11点30."""
    if isinstance(v, dt.datetime):
        return v.time().replace(microsecond=0), None
    if isinstance(v, dt.time):
        return v.replace(microsecond=0), None
    if v == EXCEL_EPOCH:  # midnight as Excel hands it over: its day zero, time part dropped
        return dt.time(0, 0), None
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        if 0 <= v < 1:
            seconds = round(v * 86400)
            return dt.time(seconds // 3600 % 24, seconds // 60 % 60), None
        return None, ("not_time", ERROR, "应填写时刻，如 11:30")
    s = str(v).strip().translate(_FULLWIDTH)
    m = _TIME.fullmatch(s)
    if m and int(m.group(1)) < 24 and int(m.group(2) or 0) < 60:
        t = dt.time(int(m.group(1)), int(m.group(2) or 0))
        return t, ("time_as_text", WARNING, f"时刻写成了文本，已按 {t:%H:%M} 理解，请改为时间格式")
    return None, ("not_time", ERROR, "应填写时刻，如 11:30")


PARSERS = {
    "text": parse_text,
    "number": parse_number,
    "integer": parse_integer,
    "date": parse_date,
    "month": parse_month,
    "time": parse_time,
}


def parse(kind: str, v):
    """Interpret one non-blank cell value as the given schema type."""
    if isinstance(v, CellError):
        return None, ("formula_error", ERROR, f"单元格显示公式错误 {v}，请修正公式或改填数值")
    return PARSERS[kind](v)


def to_serial(d: dt.date | dt.datetime) -> float:
    if isinstance(d, dt.datetime):
        delta = d - dt.datetime.combine(EXCEL_EPOCH, dt.time())
        return delta.days + delta.seconds / 86400
    return float((d - EXCEL_EPOCH).days)
