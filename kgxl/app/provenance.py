"""Which data a report was computed from: the 运行日志 row of the last run that wrote it holds the digest of the
input sheets that run read (run_log.DigestBook). A report whose digest differs from the input sheets' digest now was
computed from other data: 导出上报 does not send it as current. The log is the record because every front writes
it (the file adapter and live Excel alike) and it is kept in the workbook with each run."""
from __future__ import annotations

import re

from kgxl.app.registry import current
from kgxl.app.run_log import HEADER, LOG_SHEET, read_rows
from kgxl.core.port import Workbook

WROTE, DIGEST = HEADER.index("写入"), HEADER.index("输入表摘要")


def generated(name: str) -> bool:
    """Whether a sheet is a summary the reports write (a month-named one by its pattern); not an input sheet some
    report rebuilds (生成本月出勤表's register)."""
    if any(s.sheet == name or (s.monthly and s.matches(name)) for s in current().inputs):
        return False
    for r in current().reports:
        for pattern in r.sheets:
            regex = re.escape(pattern).replace(r"\{year\}", r"\d{4}").replace(r"\{mm\}", r"\d{2}") \
                .replace(r"\{month\}", r"\d{4}-\d{2}")
            if re.fullmatch(regex, name):
                return True
    return False


def last_digests(book: Workbook, sheets: list[str]) -> dict[str, str | None]:
    """Sheet -> the input digest of the last logged run that wrote it (None: no such run in the log)."""
    rows = read_rows(book.read(LOG_SHEET)) if LOG_SHEET in book.sheet_names() else None
    found: dict[str, str | None] = {}
    for row in reversed(rows or []):
        if len(row) <= DIGEST:
            continue
        written = set(str(row[WROTE] or "").split("、"))
        for name in sheets:
            if name not in found and name in written:
                found[name] = str(row[DIGEST]) if row[DIGEST] not in (None, "") else None
        if len(found) == len(sheets):
            break
    return {n: found.get(n) for n in sheets}


def out_of_date(book: Workbook, sheets: list[str], digest: str) -> list[str]:
    """The generated sheets among `sheets` not computed from the input sheets as they are now (digest)."""
    mine = [n for n in sheets if generated(n)]
    return [n for n, d in last_digests(book, mine).items() if d != digest]
