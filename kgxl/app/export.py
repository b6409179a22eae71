"""导出上报: the month's reports copied out of the master workbook into a clean file for the bureau.

Privacy by default: the default set is aggregate reports, and any sheet found to hold a child's
name, 幼儿编号 or birth date leaves only when the user named it. A monthly report computed for
another month is not sent as this month's.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from kgxl import __version__
from kgxl.app.provenance import out_of_date
from kgxl.app.registry import current
from kgxl.app.run_log import HEADER, LOG_SHEET, log_sheet
from kgxl.core.actions import UserError, default_month, month_sheet
from kgxl.core.calendar import month_label
from kgxl.core.cells import col_letter, is_blank
from kgxl.core.port import Workbook
from kgxl.core.reading import read_table
from kgxl.core.schema import load_schemas
from kgxl.core.settings import Settings
from kgxl.io.export_package import Blank, export_package, sheet_states
from kgxl.io.pdf import soffice, to_pdf


class Stale(Exception):
    """Reports computed from other data than the input sheets hold now."""

    def __init__(self, sheets: list[str]):
        super().__init__("、".join(sheets))
        self.sheets = sheets


_MONTH_IN_TITLE = re.compile(r"(\d{4})年(\d{1,2})月")
_UNSAFE_FILE_CHARS = re.compile(r'[\\/:*?"<>|\s]+')


def _table(book: Workbook, key: str):
    schema = load_schemas()[key]
    if schema.sheet not in book.sheet_names():
        return None
    return read_table(schema, book.read(schema.sheet))[0].frame


def _values(book: Workbook, flag: str, keys: set[str] | None = None) -> tuple[set[str], set[dt.date]]:
    """The texts and dates of the input columns the schemas mark with flag (personal, staff); keys: only those
    sheets' (schema keys)."""
    texts, dates = set(), set()
    for s in current().inputs:
        cols = [c for c in s.fields if getattr(c, flag) and (keys is None or s.key in keys)]
        frame = _table(book, s.key) if cols and not s.monthly else None
        for c in cols if frame is not None else ():
            if c.type == "date":
                dates |= {v.date() if isinstance(v, dt.datetime) else v for v in frame[c.key] if isinstance(v, dt.date)}
            else:
                texts |= {str(v).strip() for v in frame[c.key] if not is_blank(v)}
    return texts, dates


def identifiers(book: Workbook) -> tuple[set[str], set[dt.date]]:
    """What identifies a person, from the input columns the schemas mark personal (幼儿名册's 姓名, 幼儿编号 and
    出生日期; 教职工's 工号 and 电话…): texts, and dates."""
    return _values(book, "personal")


@dataclass(frozen=True)
class People:
    """Who a sheet may name, told apart for the notes a user reads: children, and staff (or other adults)."""
    children: tuple[set[str], set[dt.date]]
    others: tuple[set[str], set[dt.date]]
    staff: re.Pattern

    @classmethod
    def of(cls, book: Workbook) -> "People":
        kids = _values(book, "personal", {"roster"})
        every = _values(book, "personal")
        return cls(kids, (every[0] - kids[0], every[1] - kids[1]), masked_words(book))

    def named(self, rows: list[list]) -> str:
        """What a personal sheet holds, as the export's notes say it ("" when no one is found)."""
        kinds = ["幼儿个人信息（姓名、编号或出生日期）"] if personal_cells(rows, *self.children) else []
        if personal_cells(rows, *self.others) or (self.staff.pattern and any(
                isinstance(v, str) and self.staff.search(v) for row in rows for v in row)):
            kinds.append("教职工姓名、工号或电话")
        return "和".join(kinds)


PHONE = r"(?<!\d)1[3-9]\d{9}(?!\d)"  # a mainland mobile number, not part of a longer number


def masked_words(book: Workbook) -> re.Pattern:
    """What a default export masks in any text: the names typed in the columns the schemas mark staff (教职工's 姓名,
    检查人, 责任人, 基本信息's 园长…), longest first, and mobile numbers."""
    names = sorted((t for t in _values(book, "staff")[0] if len(t) >= 2), key=len, reverse=True)
    return re.compile("|".join([*map(re.escape, names), PHONE]))


def _word(text: str) -> str:
    """A name matched anywhere; a number (幼儿编号) only as a whole number, not inside a phone number."""
    return rf"(?<!\d){re.escape(text)}(?!\d)" if text.isdigit() else re.escape(text)


def personal_cells(rows: list[list], texts: set[str], births: set[dt.date]) -> int:
    """How many cells hold a child's name, 幼儿编号 or birth date (alone or inside a longer text)."""
    names = [t for t in texts if len(t) >= 2]
    pattern = re.compile("|".join(map(_word, sorted(names, key=len, reverse=True)))) if names else None
    found = 0
    for row in rows:
        for v in row:
            if isinstance(v, dt.date):
                found += (v.date() if isinstance(v, dt.datetime) else v) in births
            elif isinstance(v, str) and v:
                found += v.strip() in texts or bool(pattern and pattern.search(v))
            elif isinstance(v, (int, float)) and not isinstance(v, bool) and float(v).is_integer():
                found += str(int(v)) in texts
    return found


def staff_blanks(book: Workbook, sheets: list[str], month: str) -> dict[str, Blank]:
    """For the sheets whose domain declares columns naming staff (责任人, 检查人, 签字): those columns, below the
    first header naming them, their header cells kept."""
    out = {}
    for pattern, headers in current().staff_columns.items():
        name = month_sheet(pattern, month)
        if name not in sheets:
            continue
        rows = book.read(name).rows
        hits = [(r, c) for r, row in enumerate(rows) for c, v in enumerate(row) if isinstance(v, str) and v.strip() in headers]
        if hits:
            out[name] = Blank(frozenset(col_letter(c) for _, c in hits), min(r for r, _ in hits) + 2, frozenset(headers))
    return out


EXPORT_MARK = "kgxl-export"


def export_keywords(month: str) -> str:
    """What the bureau's `kgxl collect` reads to know a file: kgxl's mark, the month, the kgxl version."""
    return f"{EXPORT_MARK} {month} {__version__}"


NAME_BYTES = 240  # a file name's length in UTF-8 bytes kept under the common 255-byte limit (ext4, NTFS's 255 chars)


def file_name(kindergarten: str, report: str, month: str, suffix: str) -> str:
    """{园所名称}_{报表}_{YYYY-MM}{suffix}: no path separators or leading dots (a name like ../园 neither escapes the
    folder nor hides the file), the kindergarten's name shortened to keep the whole under NAME_BYTES."""
    parts = [_UNSAFE_FILE_CHARS.sub("_", p).strip("._") for p in (kindergarten or "幼儿园", report, month)]
    tail = "_" + "_".join(parts[1:]) + suffix
    head = parts[0] or "幼儿园"
    while len((head + tail).encode("utf-8")) > NAME_BYTES:
        head = head[:-1]
    return head + tail


def plan(book: Workbook, month: str, chosen: list[str] | None) -> tuple[list[str], dict[str, str], dict[str, str]]:
    """(sheets to export, personal sheets the user chose, personal sheets left out of the default set); each personal
    sheet with whom it names (People.named)."""
    names = book.sheet_names()
    states = sheet_states(book.package())
    if chosen:
        missing = [n for n in chosen if n not in names]
        if missing:
            raise UserError(f"工作簿中没有这些工作表：{'、'.join(missing)}")
        hidden = [n for n in chosen if states.get(n, "visible") != "visible"]
        if hidden:
            raise UserError(f"这些工作表是隐藏的，不能导出：{'、'.join(hidden)}")
        sheets = list(dict.fromkeys(chosen))
    else:
        wanted = [month_sheet(s, month) for s in current().bureau]
        sheets = [n for n in wanted if n in names and states.get(n, "visible") == "visible"]
        if not sheets:
            raise UserError(f"没有可导出的报表（{'、'.join(wanted)}）；请先点击“刷新汇总”生成本月报表")
    contents = {n: book.read(n).rows for n in sheets}
    stale = []
    for n, rows in contents.items():
        title = str(rows[0][0]) if rows and rows[0] and not is_blank(rows[0][0]) else ""
        m = _MONTH_IN_TITLE.search(title)
        if m and f"{m.group(1)}-{int(m.group(2)):02d}" != month:
            stale.append(f"{n}（{m.group(0)}）")
    if stale:
        raise UserError(f"这些报表不是 {month_label(month)} 的：{'、'.join(stale)}；请先按该月份刷新汇总，或导出对应月份")
    texts, births = identifiers(book)
    declared, people = current().personal, People.of(book)
    personal = {n: people.named(contents[n]) or "人员信息" for n in sheets
                if n in declared or personal_cells(contents[n], texts, births)}
    if chosen:
        return sheets, personal, {}
    return [n for n in sheets if n not in personal], {}, personal


def choices(book: Workbook, month: str) -> list[dict]:
    """The report sheets a user may send, for a page to offer: name, whether the default export sends it, and whom
    it names ("" when no one): the default set first, then every other report sheet the workbook holds."""
    names, states = book.sheet_names(), sheet_states(book.package())
    defaults = [month_sheet(s, month) for s in current().bureau]
    others = [month_sheet(s, month) for r in current().reports if r.id != "month" for s in r.sheets]
    shown = [n for n in dict.fromkeys([*defaults, *others]) if n in names and states.get(n, "visible") == "visible"]
    texts, births = identifiers(book)
    declared, people = current().personal, People.of(book)
    out = []
    for n in shown:
        rows = book.read(n).rows
        named = n in declared or personal_cells(rows, texts, births)
        out.append({"name": n, "default": n in defaults and not named,
                    "who": (people.named(rows) or "人员信息") if named else ""})
    return out


def no_pdf(installed: bool) -> str:
    """Why there is no PDF, and what to do: LibreOffice (free) makes it."""
    return "未能生成 PDF：" + ("转换失败，请稍后再试" if installed else
                             "PDF 要用免费的 LibreOffice 转换，这台电脑上没有找到。请从 LibreOffice 官网"
                             "（www.libreoffice.org，有中文版）下载安装后再导出") + "；Excel 文件已导出，可直接报送。"


def export(book: Workbook, month: str | None, chosen: list[str] | None, pdf: bool, today: dt.date,
           digests: dict[str, str], now: dt.datetime | None = None) -> tuple[list[tuple[str, bytes]], str]:
    """The files to write ((name, content), ...) and a Chinese summary. digests: the input sheets' digests now; a
    report computed from other data is refused (provenance.out_of_date)."""
    settings = Settings.from_frame(_table(book, "settings"))
    month = default_month(settings, month, today)
    sheets, chosen_personal, left_out = plan(book, month, chosen)
    if not sheets:
        raise UserError(f"默认报表都含有人员信息（{'、'.join(left_out)}），未导出；如确需上报，请另行选择要导出的表")
    old = out_of_date(book, sheets, digests)
    if old:
        raise Stale(old)
    name = settings.kindergarten_name or "幼儿园"
    report = sheets[0] if len(sheets) == 1 else "月度上报"
    title = f"{name} {month_label(month)} {report}"
    # 运行日志's 用户 is the computer's login name, and staff named on the default reports stay in the workbook
    blank = {LOG_SHEET: Blank(frozenset({col_letter(HEADER.index("用户"))}), log_sheet([], "").layout()[0][1])}
    if not chosen:
        words = masked_words(book)
        blank |= {n: replace(b, masked=words) for n, b in staff_blanks(book, sheets, month).items()}
        blank |= {n: Blank(masked=words) for n in sheets if n not in blank}
    data = export_package(book.package(), sheets, name, title, now or dt.datetime.now().astimezone(), blank,
                          keywords=export_keywords(month))
    files = [(file_name(name, report, month, ".xlsx"), data)]
    notes = [f"已导出 {len(sheets)} 张表：{'、'.join(sheets)}（只含数值和格式，不含公式、批注、宏）。"]
    for n, who in chosen_personal.items():
        notes.append(f"注意：{n} 含{who}，是按您的选择导出的。")
    for n, who in left_out.items():
        notes.append(f"{n} 含{who}，未导出；如确需上报，请另行选择要导出的表。")
    named = [n for n in blank if n != LOG_SHEET and blank[n].columns]
    if named:
        notes.append(f"{'、'.join(named)} 中教职工姓名的列（责任人、检查人、签字）已留空；如确需上报姓名，请另行选择要导出的表。")
    if not chosen:
        notes.append("各表文字中的教职工姓名和手机号码已替换为＊。")
    if pdf:
        printed = to_pdf(data)
        if printed is None:
            notes.append(no_pdf(soffice() is not None))
        else:
            files.append((file_name(name, report, month, ".pdf"), printed))
    return files, "".join(notes)
