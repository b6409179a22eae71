"""`kgxl import`: the lists a kindergarten already keeps (a class roster in Excel, a csv, the export of another
system) appended to its workbook's 幼儿名册 or 教职工.

Columns are found by header name (the schema's header or one of its aliases). A 居民身份证 number gives 出生日期
and 性别 and is checked against GB 11643-1999's check digit; the number itself is not kept (the workbook does not
need it). Every problem is located in the file read (row, column); nothing is written while there is one, unless
the user says to skip the bad rows. Rows already in the workbook are never changed: the new ones go below them.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from python_calamine import CalamineWorkbook

from kgxl.core.actions import UserError
from kgxl.core.cells import cell_sort_key, col_index, col_letter, is_blank, norm, parse, show
from kgxl.core.port import Block, SheetOutput
from kgxl.core.problems import ERROR, WARNING, Problem
from kgxl.core.reading import find_header, read_table
from kgxl.core.schema import SheetSchema, load_schemas
from kgxl.core.settings import Settings

ID_HEADERS = ("身份证号", "身份证号码", "身份证件号", "身份证件号码", "证件号码", "证件号", "公民身份号码")
ID_KIND_HEADERS = ("证件类型", "身份证件类型")
RESIDENT_ID = ("居民身份证", "身份证", "居民身份证号")
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)  # GB 11643-1999, ISO 7064 MOD 11-2
ID_CHECK = "10X98765432"
SEX = {"男": "男", "男性": "男", "女": "女", "女性": "女"}
FILE_KINDS = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".csv")
FIRST_ID = {"roster": "{year}001", "staff": "001"}  # the first number given when the file has none


def id_facts(text: str) -> tuple[dt.date | None, str | None, str]:
    """(birth date, sex, problem) from an 18-character 居民身份证 number; problem is "" when the number is valid."""
    s = text.strip().upper()
    if re.fullmatch(r"\d(\.\d+)?E\+?\d+", s) or re.fullmatch(r"\d{15,}\.0", s):
        return None, None, (f"身份证号显示成了“{text.strip()}”：Excel 把长数字当成数值，只保留15位有效数字，后几位已丢失。"
                            "请在原表中把这一列设为“文本”格式，重新输入这些身份证号后再导入")
    if not re.fullmatch(r"\d{17}[\dX]", s):
        return None, None, "身份证号应为18位（前17位数字，最后一位数字或X）"
    if ID_CHECK[sum(int(d) * w for d, w in zip(s, ID_WEIGHTS)) % 11] != s[-1]:
        return None, None, "身份证号最后一位（校验位）与前17位对不上，请核对是否抄错"
    try:
        birth = dt.date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
    except ValueError:
        return None, None, "身份证号中的出生日期无效，请核对"
    return birth, "男" if int(s[16]) % 2 else "女", ""


def read_list(path: Path) -> list[list]:
    """The first sheet of a spreadsheet, or a csv (UTF-8 or the GB18030 Chinese Excel writes), as rows."""
    if path.suffix.lower() not in FILE_KINDS:
        raise UserError(f"无法导入 {path.name}：只支持 {'、'.join(FILE_KINDS)} 文件")
    if not path.is_file():
        raise UserError(f"找不到要导入的文件：{path}")
    if path.suffix.lower() == ".csv":
        raw = path.read_bytes()
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                return [list(r) for r in csv.reader(io.StringIO(raw.decode(encoding)))]
            except UnicodeDecodeError:
                continue
        raise UserError(f"无法读取 {path.name}：文字编码无法识别，请在 Excel 中另存为 .xlsx 后再导入")
    try:
        wb = CalamineWorkbook.from_path(str(path))
        return wb.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except Exception:  # calamine raises its own types for every damaged or foreign file
        raise UserError(f"无法读取 {path.name}：文件可能已损坏，或不是表格文件（可在 Excel 中打开后另存为 .xlsx 再导入）") from None


@dataclass
class Imported:
    schema: SheetSchema
    rows: list[dict]  # by column key, ready to append
    problems: list[Problem]
    bad_rows: set[int] = field(default_factory=set)  # 1-based rows of the file
    notes: list[str] = field(default_factory=list)


def _headers(schema: SheetSchema) -> dict[str, str]:
    """Normalised header or alias -> column key; the ID number's headers -> "_id", its kind -> "_id_kind"."""
    out = {norm(h): "_id" for h in ID_HEADERS} | {norm(h): "_id_kind" for h in ID_KIND_HEADERS}
    for c in schema.columns:
        out |= {norm(a): c.key for a in c.aliases} | {norm(c.header): c.key}
    return out


def _missing(c, has_column: bool, sheet: str) -> str:
    """A required value the row lacks: the cell to fill, or — the file has no such column — how to give it."""
    if has_column:
        return f"缺少{c.header}：{c.help}"
    if sheet == "roster" and c.key == "entry_date":
        return ("名单中没有“入园日期”列，“基本信息”也还没有填写学期开始日期：请在名单中加上“入园日期”列，"
                "或先在“基本信息”中填好学期开始日期（没有入园日期的幼儿将按它填写），再导入")
    return f"名单中没有“{c.header}”列：请加上这一列（{c.help}）再导入"


class _Row:
    """One row of the file being read: its values by column key, and its problems at their cells."""

    def __init__(self, imp: Imported, name: str, number: int, values: list, where: dict[str, int], header: list):
        self.imp, self.name, self.number, self.where, self.header = imp, name, number, where, header
        self.values = {k: values[c] if c < len(values) else None for k, c in where.items()}
        self.failed: set[str] = set()  # keys with a problem already: one problem per cell

    def problem(self, key: str, code: str, message: str, severity: str = ERROR) -> None:
        c = self.where.get(key, 0)
        header = str(self.header[c]) if key in self.where and c < len(self.header) else ""
        self.imp.problems.append(Problem(self.name, f"{col_letter(c)}{self.number}" if key in self.where else
                                         f"A{self.number}", header, show(self.values.get(key)), code, message,
                                         severity))
        self.failed.add(key)
        if severity == ERROR:
            self.imp.bad_rows.add(self.number)


def _parsed(row: _Row, schema: SheetSchema, classes: set[str]) -> dict:
    out = {}
    for c in schema.columns:
        v = row.values.get(c.key)
        if is_blank(v):
            continue
        if isinstance(v, str):
            v = v.strip()
        value, issue = parse(c.type, v)
        if issue and issue[1] == ERROR:
            row.problem(c.key, issue[0], f"{c.header}：{issue[2]}")
            continue
        if c.key == "sex":
            value = SEX.get(value, value)
        if c.allowed and value not in c.allowed:
            row.problem(c.key, "allowed", f"{c.header}应为 {'/'.join(c.allowed)} 之一")
            continue
        if c.ref == ("classes", "class_name") and value not in classes:
            row.problem(c.key, "unknown_ref", f"班级“{value}”不在工作簿的“班级”表中：请先在“班级”表添加这个班，或改正班级名称")
            continue
        if c.pattern and not re.fullmatch(c.pattern, str(value)):
            row.problem(c.key, "bad_format", f"{c.header}格式不对：{c.help}")
            continue
        out[c.key] = value
    return out


def _with_id(row: _Row, values: dict) -> None:
    """Birth date and sex from a 居民身份证 number (checked), or a clash between the number and the typed ones."""
    number, kind = row.values.get("_id"), row.values.get("_id_kind")
    if is_blank(number) or (not is_blank(kind) and str(kind).strip() not in RESIDENT_ID):
        return
    birth, sex, issue = id_facts(str(number))
    if issue:
        row.problem("_id", "bad_id_number", issue)
        return
    for key, derived in (("birth_date", birth), ("sex", sex)):
        if key in values and values[key] != derived:
            row.problem(key, "id_mismatch", f"与身份证号不一致（身份证号为 {show(derived)}），请核对")
        values.setdefault(key, derived)


def _next_ids(schema: SheetSchema, taken: set[str], settings: Settings):
    key = schema.fields[0].key
    numbers = [t for t in taken if t.isdigit()]
    start = FIRST_ID[schema.key].format(year=(settings.term_start or dt.date.today()).year)
    n, width = (max(int(t) for t in numbers) + 1, len(max(numbers, key=int))) if numbers else (int(start), len(start))
    while True:
        text = str(n).zfill(width)
        if text not in taken:
            taken.add(text)
            yield key, text
        n += 1


def import_list(schema: SheetSchema, rows: list[list], name: str, existing: list[dict], classes: set[str],
                settings: Settings) -> Imported:
    """The rows of a list file as new rows of schema's sheet; existing: the sheet's rows already in the workbook."""
    imp = Imported(schema, [], [])
    known = _headers(schema)
    r0, found = find_header(rows, set(known))
    where = {known[h]: c for h, c in found.items()}
    if "name" not in where:
        raise UserError(f"{name} 的前 10 行中没有找到“姓名”列的表头，无法导入；表头可用：" +
                        "、".join(c.header for c in schema.columns))
    header = rows[r0]
    id_key = schema.fields[0].key
    taken = {str(e[id_key]) for e in existing if e.get(id_key) is not None}
    people = {(e.get("name"), e.get("birth_date")) for e in existing}
    new_ids = _next_ids(schema, set(taken), settings)
    given_ids = id_key in where
    for i, values in enumerate(rows[r0 + 1:], start=r0 + 2):
        if all(is_blank(v) for v in values):
            continue
        row = _Row(imp, name, i, values, where, header)
        parsed = _parsed(row, schema, classes)
        if schema.key == "roster":
            _with_id(row, parsed)
            if "entry_date" not in parsed and settings.term_start:
                parsed["entry_date"] = settings.term_start
                row.problem("entry_date", "entry_date_assumed", f"没有入园日期，按学期开始日期 {settings.term_start} 填写",
                            WARNING)
            person = (parsed.get("name"), parsed.get("birth_date"))
            if parsed.get("name") and person in people:
                row.problem("name", "duplicate_child", f"{person[0]}（{show(person[1])}）已在名册中或在本文件中出现过")
            people.add(person)
        for c in schema.columns:
            derived = c.key in ("birth_date", "sex") and "_id" in row.failed  # the bad number said it already
            if c.required and c.key not in parsed and c.key != id_key and c.key not in row.failed and not derived:
                row.problem(c.key, "required", _missing(c, c.key in where, schema.key))
        if id_key in parsed:
            if str(parsed[id_key]) in taken:
                row.problem(id_key, "duplicate", f"{schema.column(id_key).header}“{parsed[id_key]}”已被使用")
            taken.add(str(parsed[id_key]))
        if i not in imp.bad_rows:
            imp.rows.append(parsed)
    imp.problems.sort(key=lambda p: cell_sort_key(p.cell))
    if not given_ids:
        for r in imp.rows:
            r.setdefault(*next(new_ids))
        if imp.rows:
            imp.notes.append(f"文件中没有{schema.column(id_key).header}，已按顺序编号"
                             f"（{imp.rows[0][id_key]}–{imp.rows[-1][id_key]}）")
    return imp


def _book_rows(book, schema: SheetSchema) -> tuple[list[dict], dict[str, int], int]:
    """The sheet's rows as dicts, where each column is (key -> 0-based index), and its width."""
    if schema.sheet not in book.sheet_names():
        raise UserError(f"工作簿中没有“{schema.sheet}”表，请先升级工作簿")
    sheet = book.read(schema.sheet)
    table, _ = read_table(schema, sheet)
    raw = sheet.rows
    where = {k: col_index(letter) for k, letter in table.columns.items()}
    missing = [c.header for c in schema.columns if c.key not in where]
    if missing:
        raise UserError(f"“{schema.sheet}”表缺少列：{'、'.join(missing)}；请先补上表头（或升级工作簿）")
    width = max(len(raw[table.header_row - 1]) if raw else 0, max(where.values()) + 1)
    frame = table.frame.astype(object).where(table.frame.notna(), None)
    return frame.to_dict("records"), where, width


def plan_import(book, key: str, path: Path) -> tuple[Imported, SheetOutput | None]:
    """What `kgxl import` would do: the problems and, when there are rows, the append to the book's sheet."""
    schemas = load_schemas()
    schema = schemas[key]
    existing, where, width = _book_rows(book, schema)
    classes_table, _ = read_table(schemas["classes"], book.read(schemas["classes"].sheet))
    settings_table, _ = read_table(schemas["settings"], book.read(schemas["settings"].sheet))
    imp = import_list(schema, read_list(path), path.name, existing, set(classes_table.frame["class_name"].dropna()),
                      Settings.from_frame(settings_table.frame))
    if not imp.rows:
        return imp, None
    cells = []
    for r in imp.rows:
        line = [None] * width
        for k, v in r.items():
            line[where[k]] = v
        cells.append(line)
    formats = {where[c.key]: "yyyy-mm-dd" for c in schema.columns if c.type == "date"}
    return imp, SheetOutput(schema.sheet, [Block([None] * width, cells, formats=formats)], append=True,
                            replaces_input=True)


@dataclass
class ListsImported:
    """One import of one or more lists into a workbook: per schema key its file's name, what was read, and whether
    anything was written (nothing while a list has an 错误 and bad rows were not to be skipped)."""
    names: dict[str, str]
    plans: dict[str, tuple[Imported, SheetOutput | None]]
    blocked: bool
    written: bool

    @property
    def problems(self) -> list[Problem]:
        return [p for imp, _ in self.plans.values() for p in imp.problems]

    def lines(self) -> list[str]:
        """What was imported, per list, in words (the front adds how to go on)."""
        out = []
        for k, (imp, _) in ([] if self.blocked else self.plans.items()):
            skipped = f"，跳过有错误的 {len(imp.bad_rows)} 行" if imp.bad_rows else ""
            out.append(f"{self.names[k]}：导入 {len(imp.rows)} {WHAT[k]}到“{imp.schema.sheet}”{skipped}。" +
                       "".join(f"{n}。" for n in imp.notes))
        return out


WHAT = {"roster": "名幼儿", "staff": "名教职工"}


def import_lists(path: Path, lists: dict[str, Path], skip_bad: bool) -> ListsImported:
    """Each list planned against the workbook at path and, unless blocked, appended in one locked, atomic write."""
    from kgxl.core.problems import has_errors
    from kgxl.io.filebook import FileBook
    from kgxl.io.writer_lock import writer_lock

    with writer_lock(path):
        book = FileBook(path)
        done = ListsImported({k: f.name for k, f in lists.items()},
                             {k: plan_import(book, k, f) for k, f in lists.items()}, False, False)
        done.blocked = has_errors(done.problems) and not skip_bad
        outputs = [] if done.blocked else [out for _, out in done.plans.values() if out is not None]
        if outputs:
            book.write(outputs)
            done.written = True
    return done
