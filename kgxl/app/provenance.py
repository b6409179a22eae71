"""Which data a report was computed from: the build record (kgxl.app.build) names, for each report, the digest of
the input sheets it declares as they were when it was computed, and the digest of each sheet it wrote. A report
whose inputs differ now, or whose sheet was typed into since, was computed from other data: 导出上报 does not send
it as current. Every front writes the record (the file adapter and live Excel alike), inside the workbook."""
from __future__ import annotations

import re

from kgxl.app.build import inputs_digest, read_record, sheet_digest
from kgxl.app.registry import current
from kgxl.core.port import Workbook


def generated(name: str) -> bool:
    """Whether a sheet is a summary the reports write (a month-named one by its pattern); not an input sheet some
    report rebuilds (生成本月出勤表's register)."""
    if any(s.sheet == name or (s.monthly and s.matches(name)) for s in current().inputs):
        return False
    return any(written_by(r, name) for r in current().reports)


def written_by(report, name: str) -> bool:
    """Whether a sheet is one of those a report writes (a month-named pattern matches any month)."""
    for pattern in report.sheets:
        regex = re.escape(pattern).replace(r"\{year\}", r"\d{4}").replace(r"\{mm\}", r"\d{2}") \
            .replace(r"\{month\}", r"\d{4}-\d{2}")
        if re.fullmatch(regex, name):
            return True
    return False


def out_of_date(book: Workbook, sheets: list[str], digests: dict[str, str]) -> list[str]:
    """The generated sheets among `sheets` not computed from the input sheets as they are now (digests: input sheet
    name -> digest, as read), by the build record: the report that wrote each, from which inputs, and the sheet
    still as written. A sheet the record does not name was not computed by this kind of refresh: not current."""
    record = read_record(book)
    names = book.sheet_names()
    reports = {r.id: r for r in current().reports}
    writer = {sheet: e for e in record.entries.values() for sheet in e.sheets}
    old = []
    for name in (n for n in sheets if generated(n)):
        e = writer.get(name)
        report = reports.get(e.report) if e else None
        if report is None or e.inputs != inputs_digest(report.inputs, names, digests) or \
                sheet_digest(book.read(name).rows) != e.written[e.sheets.index(name)]:
            old.append(name)
    return old
