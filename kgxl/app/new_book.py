"""New master workbooks, never written over an existing file.

`kgxl new`: a blank one for a real kindergarten. Every input sheet with its headers, dropdowns and header notes;
the reference sheets filled from kgxl/data (食物成分, 营养标准, 体检标准 as shipped, 传染病病种); the ribbon, the VBA
project and xlwings.conf; 基本信息 with what was given; no invented person. `kgxl validate` on it then points at
the cells still to fill.

`kgxl new-term`: the next term's, from this term's (what is carried: kgxl.app.new_term)."""
from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from kgxl.app.books import book_bytes
from kgxl.app.new_term import blocking, carry
from kgxl.app.pipeline import validate_book
from kgxl.app.registry import current
from kgxl.app.report import text_report
from kgxl.core.actions import UserError
from kgxl.core.calendar import term_label
from kgxl.core.cells import show
from kgxl.core.problems import counts, errors
from kgxl.core.schema import load_schemas
from kgxl.core.term import LEAVES, NewTerm
from kgxl.core.validated import Validated
from kgxl.core.validation import validate
from kgxl.io.atomic import write_atomic
from kgxl.io.filebook import FileBook


def blank_rows(name: str, start: dt.date | None, end: dt.date | None) -> dict[str, object]:
    rows: dict[str, object] = {s.key: [] for s in current().inputs if not s.monthly}
    rows["settings"] = {"kindergarten_name": name, "term_start": start, "term_end": end,
                        "term_label": term_label(start) if start else None,
                        "current_month": start.strftime("%Y-%m") if start else None}
    return rows | current().reference_rows()


def _check_new(path: Path, start: dt.date | None, end: dt.date | None) -> None:
    if start and end and end < start:
        raise UserError(f"学期结束日期 {end} 早于开始日期 {start}")
    if path.suffix.lower() != ".xlsm":
        raise UserError(f"主工作簿须为 .xlsm 文件（带后勤助手按钮）：{path}")
    if path.exists():
        raise UserError(f"{path} 已存在，未覆盖：请换一个文件名，或先把原文件移走")
    if not path.parent.is_dir():
        raise UserError(f"文件夹不存在：{path.parent}")


def _write_new(path: Path, rows: dict[str, object]) -> Path:
    write_atomic(path, book_bytes(rows, {}, macros=True))
    return path


def new_workbook(path: Path, name: str, start: dt.date | None = None, end: dt.date | None = None) -> Path:
    if not name.strip():
        raise UserError("请用 --name 填写园所名称")
    _check_new(path, start, end)
    return _write_new(path, blank_rows(name.strip(), start, end))


def _old_term(book, start: dt.date) -> Validated:
    """The old term's workbook (a file, or the book open in Excel) as read and checked by its schemas; the domains'
    findings about last term (an expired 健康证) are last term's business, not a reason to stop the next."""
    v = validate(book, list(current().inputs), [], start)
    stop = blocking(v)
    if stop:
        path = getattr(book, "path", None)  # None: a workbook open in Excel and never saved
        raise UserError("上学期工作簿要带入新学期的表中有错误，请先修正（“校验数据”会列出全部问题）：\n" +
                        text_report(stop, path.name if path else "工作簿"))
    if not v.settings.term_valid:
        raise UserError("上学期工作簿“基本信息”的学期开始、结束日期未正确填写")
    return v


def term_moves(old: Path, start: dt.date, end: dt.date) -> dict:
    """The class moves a new term would make by default, each class with its children who stay, for the user to
    change before anything is written (the web page's 新学期)."""
    if end < start:
        raise UserError(f"学期结束日期 {end} 早于开始日期 {start}")
    v = _old_term(FileBook(old), start)
    term = NewTerm.of(v, start, end, {})
    roster = v.tables["roster"].frame
    left = roster["leave_date"].map(lambda d: isinstance(d, dt.date) and d < start).astype(bool)
    per_class = roster[~left].groupby("class_name").size().to_dict()  # the children each move takes along
    return {"term": term.label, "promote": term.promote, "leaves": LEAVES,
            "file": term_file(v, old, term.label),
            "classes": [{"old": a, "new": b, "children": int(per_class.get(a, 0))} for a, b in term.classes.items()],
            "counts": term.counts}


def term_file(v: Validated, old: Path, label: str) -> str:
    """The file name a new term's workbook is offered: 园所名称（2026-2027学年第二学期）.xlsm."""
    return f"{v.settings.kindergarten_name or old.stem}（{label}）.xlsm"


def new_term_workbook(old: Path, path: Path, start: dt.date, end: dt.date, edits: dict[str, str]) -> str:
    """The next term's workbook at path; returns what was carried, in words."""
    _check_new(path, start, end)  # before reading the old term: a name already taken is said at once
    path, data, said = next_term(FileBook(old), path, start, end, edits)
    write_atomic(path, data)
    return said


def next_term(book, where: Path, start: dt.date, end: dt.date, edits: dict[str, str]) -> tuple[Path, bytes, str]:
    """The next term's workbook, from the old one (a file, or the book open in Excel): the file to write (where, or
    in the folder where the name term_file gives), its bytes, and what was carried, in words (with the problems the
    new workbook starts with)."""
    if end < start:
        raise UserError(f"学期结束日期 {end} 早于开始日期 {start}")
    v = _old_term(book, start)
    path = where / term_file(v, getattr(book, "path", None) or where, term_label(start)) if where.is_dir() else where
    _check_new(path, start, end)
    c = carry(v, start, end, edits)
    data = book_bytes(c.rows, {}, macros=True)
    n, t = c.term.counts, c.term
    moved = [f"{a}→{b}" + (f"（原班老师带新小班：{t.restart[a]}）" if a in t.restart else "")
             for a, b in t.classes.items() if a != b]
    schemas = load_schemas()
    others = [f"{schemas[k].sheet} {len(c.rows[k])} 行" for k in c.derived if isinstance(c.rows[k], list)]
    lines = [f"已新建 {term_label(start)} 的主工作簿：{path}",
             f"幼儿：带入 {n['enrolled']} 名（其中升班 {n['moved_up']} 名），随班离园（毕业）{n['left_class']} 名，"
             f"上学期已离园未带入 {n['left_before']} 名。",
             "班级：" + ("、".join(moved) if moved else "不变（同一学年）") +
             ("。新入园的班级请在“班级”表添加或改名。" if LEAVES in t.classes.values() else "。"),
             f"按上学期末（{show(v.settings.term_end)}）的状态带入：" + "，".join(others) + "；参考和计划表照旧带入。",
             "出勤表、带量食谱、收费、收支、考核、检查和各种登记从空表开始。"]
    with tempfile.TemporaryDirectory(prefix="kgxl-") as folder:  # what the new term starts with (an expired 健康证…)
        check = Path(folder) / path.name
        check.write_bytes(data)
        found = validate_book(FileBook(check), start).problems
    if counts(found)[0]:
        lines += ["", "新工作簿中需要处理的问题：", text_report(errors(found), path.name)]
    return path, data, "\n".join(lines)
