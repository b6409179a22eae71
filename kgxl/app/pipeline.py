"""The shared steps of every action, and the actions themselves as the fronts see them: validate
the workbook with every domain's rules, stop on the 错误 of the sheets an action reads, pick the
month, run the domain's report; 刷新汇总 runs every report in one save; 导出上报 copies reports out.
ACTIONS is derived from the registry, so a new domain's reports appear here without an edit.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import lru_cache
from typing import TYPE_CHECKING

from kgxl.app.build import (
    VALIDATION,
    Build,
    Record,
    build,
    every_input,
    inputs_digest,
    read_inputs,
    read_record,
    record_sheet,
    with_items,
)
from kgxl.app.layout import layout_of, upgrade_hint
from kgxl.app.registry import current
from kgxl.app.report import RESULT_SHEET, problems_in, result_sheet
from kgxl.app.run_log import DigestBook
from kgxl.app.todo import TODO, due_inputs, gather, said, stale_reports, todo_sheet
from kgxl.core.actions import (
    MONTH_OPT,
    OUT,
    TODAY,
    Action,
    Param,
    Result,
    UserError,
    term_month,
)
from kgxl.core.calendar import month_label
from kgxl.core.domain import Report, Request
from kgxl.core.kept import forget
from kgxl.core.port import SheetOutput, Workbook
from kgxl.core.problems import ERROR, Problem, counts, errors
from kgxl.core.schema import load_schemas

if TYPE_CHECKING:
    from kgxl.core.validated import Validated


def validate_book(book: Workbook, today: dt.date | None = None) -> Validated:
    """today: the day before which blank register cells count as 未登记 (default: the system date)."""
    reg = current()
    from kgxl.core.validation import (
        validate,  # pandera: imported when a workbook is validated, not for --help
    )

    digests: dict = {}

    def inputs_key(reads) -> str | None:  # what a rule reads, as digests: the same, and it gives what it gave
        if not isinstance(book, DigestBook):
            return None
        if not digests:
            digests.update(with_items(book))
        return inputs_digest(reads, book.sheet_names(), digests)
    v = validate(book, list(reg.inputs), reg.rules, today or dt.date.today(), inputs_key)
    v.problems[:0] = upgrade_hint(book, v.problems, load_schemas()["settings"].sheet, layout())
    return v


def _overview(v: Validated) -> str:
    rows = sum(len(t.frame) for t in v.tables.values() if t.schema.kind != "keyvalue")
    parts = [f"读取 {len(v.tables)} 张表共 {rows} 行"]
    if "roster" in v.tables:
        parts.append(f"幼儿 {len(v.tables['roster'].frame)} 名")
    if "classes" in v.tables:
        parts.append(f"{len(v.tables['classes'].frame)} 个班")
    if v.monthly("register"):
        parts.append(f"出勤表 {len(v.monthly('register'))} 个月")
    return f"{v.settings.kindergarten_name or '工作簿'}（{v.settings.term_label or '学期未填写'}）：" + "，".join(parts) + "。"


def _with_result(v: Validated, book: Workbook, outputs: list, summary: str) -> Result:
    return Result([*outputs, result_sheet(v.problems, v.settings, book.sheet_names())], v.problems, summary)


def _blocking(v: Validated, keys: tuple[str, ...]) -> list[Problem]:
    schemas = [load_schemas()[k] for k in keys]
    fixed = {s.sheet for s in schemas if not s.monthly}
    monthly = [s for s in schemas if s.monthly]
    return [p for p in errors(v.problems) if p.sheet in fixed or any(s.matches(p.sheet) for s in monthly)]


def _stopped(v: Validated, book: Workbook, blocking: list[Problem]) -> Result:
    sheets = "、".join(dict.fromkeys(p.sheet for p in blocking))
    return _with_result(v, book, [], f"{sheets} 有 {len(blocking)} 个错误，未计算。请先修正，详见“校验结果”表。")


def _begun(v: Validated) -> None:
    from kgxl.core.validation import started

    if not started(v.tables):
        raise UserError("这是一个新工作簿，还没有班级和幼儿：请先填写“基本信息”中尚未填写的项目、“班级”和“幼儿名册”，"
                        "再运行（已有幼儿名单表格的，可以把各列复制粘贴到“幼儿名册”对应的列）")


def _need(v: Validated, keys: tuple[str, ...]) -> None:
    missing = [load_schemas()[k].sheet for k in keys if k not in v.tables]
    if missing:
        raise UserError(f"缺少工作表：{'、'.join(missing)}")


def _warned(v: Validated) -> str:
    w = counts(v.problems)[1]
    return f"校验有警告 {w} 个，详见“校验结果”表。" if w else ""


def report_runner(report: Report):
    """The action of one report run on its own: it stops on the 错误 of its input sheets, else writes
    its sheets and 校验结果 (and their rows of the build record)."""
    def run(book: Workbook, month: str | None = None, today: dt.date | None = None, **params) -> Result:
        today = today or dt.date.today()
        book = reading(book)
        v = validate_book(book, today)
        _begun(v)
        blocking = _blocking(v, report.inputs if report.stops_on is None else report.stops_on)
        if blocking:
            return _stopped(v, book, blocking)
        month = term_month(v, month, today) if report.term_month else month
        _need(v, report.needs)
        made = report.run(v, Request(book, month, today, params))
        if isinstance(made, Result):
            return made
        outputs, what = made
        b = Build(book, read_record(book), with_items(book), today, build())
        checked = result_sheet(v.problems, v.settings, book.sheet_names())
        entries = {k: e for k, e in b.record.entries.items() if k != TODO}  # its list may name this report as old
        entries |= {VALIDATION: b.entry(VALIDATION, every_input(), month or "", [checked], ""),
                    report.id: b.entry(report.id, report.inputs, month or "", outputs, what)}
        written = {o.name for o in [*outputs, checked]}
        sheets = {n: v for n, v in b.record.sheets.items() if n not in written}
        return Result([*outputs, checked, record_sheet(entries, sheets)], v.problems, f"已生成{what}。" + _warned(v))
    return run


def reading(book: Workbook) -> DigestBook:
    """The book as the actions read it: each input sheet read once, with its digest (a front passes one already)."""
    return book if isinstance(book, DigestBook) else DigestBook(book)


def run_validate(book: Workbook, today: dt.date | None = None, **_) -> Result:
    v = validate_book(book, today)
    e, w = counts(v.problems)
    # the problems are listed where the user reads this; 校验结果 holds them only when this run writes it
    summary = _overview(v) + (f"校验完成：错误 {e} 个，警告 {w} 个。" + ("请先修正错误。" if e else "")
                              if v.problems else "校验完成：没有发现问题。")
    return _with_result(v, book, [], summary)


STALE = "【已过期：输入表有错误，本表未按当前数据重新计算】"


def _mark_stale(book: Workbook, report: Report | None = None) -> list[SheetOutput]:
    """The reports already in the workbook (or one report's sheets), their title marked 已过期 (content kept): a
    report its input sheets' 错误 stopped must not look current. The next 刷新汇总 that computes it removes the mark."""
    from kgxl.app.provenance import generated, written_by

    out = []
    for name in book.sheet_names():
        if generated(name) and (report is None or written_by(report, name)):
            rows = book.read(name).rows
            title = str(rows[0][0]) if rows and rows[0] and rows[0][0] not in (None, "") else name
            if not title.startswith(STALE):
                out.append(SheetOutput(name, [], titles=[STALE + title], retitle=True))
    return out


def run_refresh(book: Workbook, month: str | None = None, today: dt.date | None = None, full: bool = False,
                **_) -> Result:
    """Validate once, then run every report whose input sheets exist, all written in one save. A report whose
    input sheets have 错误 is not computed (its sheets already there are marked 已过期, the summary says which sheet
    stopped it); the others are: 错误 in the bus's roll call do not hold back 出勤汇总. Errors in the sheets nearly
    every report reads (基本信息, 幼儿名册) stop them all. A report the build record shows computed from the same
    inputs (same month, day and build, its sheets as written) is kept, not computed again (full: none is, and
    nothing a process that stays up kept from earlier clicks is used)."""
    today = today or dt.date.today()
    if full:
        forget()
    book = reading(book)
    record, known = Record({}, {}) if full else read_record(book), {}
    b = Build(book, record, read_inputs(book, record, known), today, build(), known)
    kept = _all_kept(b, month)
    if kept is not None:
        return kept
    v = validate_book(book, today)
    _begun(v)
    found = errors(v.problems)
    if found and _blocking(v, ("settings",)):
        stopped = _stopped(v, book, found)
        return Result([*_mark_stale(book), *stopped.outputs], stopped.problems,
                      stopped.summary + "已有的汇总表标题已标为“已过期”。")
    month = term_month(v, month, today)
    entries, outputs, done, reused, same, held, held_ids = dict(b.record.entries), [], [], 0, 0, [], set()
    ran = False
    for r in current().refresh_steps:
        blocking = _blocking(v, r.inputs if r.stops_on is None else r.stops_on) if found else []
        if blocking and r.wanted(v):
            held_ids.add(r.id)
            entries.pop(r.id, None)  # not computed: the next 刷新汇总 computes it
            sheets = "、".join(dict.fromkeys(p.sheet for p in blocking))
            held.append(f"{r.label}（{sheets} 有 {len(blocking)} 个错误）")
            outputs += _mark_stale(book, r)
            continue
        e = b.current(r.id, r.inputs, month)
        if e is not None:
            reused += len(e.sheets)
        elif not r.wanted(v):
            e = b.entry(r.id, r.inputs, month, [], "")
        else:
            ran = True
            try:
                o, what = r.run(v, Request(book, month, today))
            except UserError as err:  # e.g. no menu this month: the other summaries still refresh
                o, what = [], str(err)
            left = b.unchanged(r.id, o)
            same += len(o) - len(left)
            outputs += left
            e = b.entry(r.id, r.inputs, month, o, what)
        entries[r.id] = e
        if e.said:
            done.append(e.said)
    stale = [("、".join(e.sheets), e.sheets[0]) for r in current().refresh_steps if r.id in held_ids
             for e in [b.record.entries.get(r.id)] if e is not None and e.sheets]
    # made today from the same inputs, with every report kept (the list names the reports out of date): kept
    e = b.current(TODO, due_inputs(), month) if not (stale or ran) else None
    if e is None:
        e, sheet = _todo(b, v, month, today, stale)
        outputs += b.unchanged(TODO, [sheet])
    entries[TODO] = e
    done.append(e.said)
    if b.current(VALIDATION, every_input(), month) is None:
        sheet = result_sheet(v.problems, v.settings, book.sheet_names())
        outputs += b.unchanged(VALIDATION, [sheet])
        entries[VALIDATION] = b.entry(VALIDATION, every_input(), month, [sheet], "")
    outputs.append(record_sheet(entries, b.sheets_after({o.name for o in outputs})))
    summary = _refreshed(month, done, reused, same, counts(v.problems)[1])
    if held:
        summary = (f"有 {len(found)} 个错误，以下汇总未计算（已有的表标题标为“已过期”）：{'；'.join(held)}。请先修正，详见“校验结果”表。"
                   + summary)
    return Result(outputs, v.problems, summary)


def _refreshed(month: str, done: list[str], reused: int, same: int, warnings: int) -> str:
    kept = f"其中 {reused} 张汇总表的输入未变，沿用上次的结果。" if reused else ""
    kept += f"{same} 张重新计算后与上次相同，未改写。" if same else ""
    return (f"已刷新 {month_label(month)}：" + ("；".join(done) if done else "没有可计算的汇总") + "。" + kept
            + (f"校验有警告 {warnings} 个，详见“校验结果”表。" if warnings else "校验没有发现问题。"))


def _all_kept(b: Build, month: str | None) -> Result | None:
    """刷新汇总 when the record shows every report and 校验结果 computed from the input sheets as they are (same
    build, day and month): nothing is read beyond the values, nothing computed; only the log gains its row. None
    when anything is to compute."""
    checked = b.record.entries.get(VALIDATION)
    month = month or (checked.month if checked else None)
    if not month or b.current(VALIDATION, every_input(), month) is None:
        return None
    problems = problems_in(b.book.read(RESULT_SHEET).rows)
    if problems is None or errors(problems):
        return None
    steps = current().refresh_steps
    entries = [b.current(r.id, r.inputs, month) for r in steps] + [b.current(TODO, due_inputs(), month)]
    if any(e is None for e in entries):
        return None
    done = [e.said for e in entries if e.said]
    summary = (f"{month_label(month)}的汇总表都是按当前数据计算的，输入没有变化，全部沿用（{sum(len(e.sheets) for e in entries)} 张）："
               + "；".join(done) + "。")
    warnings = counts(problems)[1]
    summary += f"校验有警告 {warnings} 个，详见“校验结果”表。" if warnings else "校验没有发现问题。"
    return Result([record_sheet(b.record.entries, b.sheets_after(set()))], problems, summary)


def _todo(b: Build, v: Validated, month: str, today: dt.date, stale: list[tuple[str, str]]):
    """待办事项's sheet and its record entry."""
    items = gather(v, today, stale, b.inputs_key)
    sheet = todo_sheet(items, v.settings.kindergarten_name or "", today, b.book.sheet_names())
    return b.entry(TODO, due_inputs(), month, [sheet], said(items, today)), sheet


def due_now(book: Workbook, month: str | None = None, today: dt.date | None = None):
    """(the validated workbook, the build, the month, the summary sheets out of date): what 待办事项 is made from."""
    today = today or dt.date.today()
    book = reading(book)
    v = validate_book(book, today)
    _begun(v)
    month = term_month(v, month, today)
    b = Build(book, read_record(book), with_items(book), today, build())
    return v, b, month, stale_reports(b)


def run_todo(book: Workbook, month: str | None = None, today: dt.date | None = None, **_) -> Result:
    """待办事项 on its own: every domain's items due and the summary sheets out of date, written with 校验结果."""
    today = today or dt.date.today()
    v, b, month, stale = due_now(book, month, today)
    e, sheet = _todo(b, v, month, today, stale)
    checked = result_sheet(v.problems, v.settings, b.book.sheet_names())
    entries = b.record.entries | {VALIDATION: b.entry(VALIDATION, every_input(), month, [checked], ""), TODO: e}
    sheets = {n: x for n, x in b.record.sheets.items() if n not in (sheet.name, checked.name)}
    return Result([sheet, checked, record_sheet(entries, sheets)], v.problems, f"已生成{e.said}。" + _warned(v))


def run_export(book: Workbook, month: str | None = None, sheets: list[str] | None = None, pdf: bool = False,
               today: dt.date | None = None, refresh: bool = False, **_) -> Result:
    """Only what is current leaves: a workbook with 错误, or a report computed from other data than the input sheets
    hold now, is refused (exit 1) with the sheets named; --refresh (the command line runs 刷新汇总 first) is the way."""
    from kgxl.app.export import Stale, export

    if refresh:
        raise UserError("请先运行“刷新汇总”，再导出上报")  # a front that offers --refresh runs it before this
    today = today or dt.date.today()
    book = reading(book)
    v = validate_book(book, today)
    found = errors(v.problems)
    if found:
        sheets_ = "、".join(dict.fromkeys(p.sheet for p in found))
        return Result([], found, f"{sheets_} 有 {len(found)} 个错误，未导出：报表可能不是按正确的数据计算的。"
                                  "请先修正错误并刷新汇总（运行“校验数据”可在“校验结果”表中逐条查看）。")
    try:
        files, summary = export(book, month, sheets, pdf, today, with_items(book))
    except Stale as e:
        problems = [Problem(n, "", "", "", "stale_report", f"{n} 是按旧数据计算的：上次生成后输入表或它本身有改动（或没有它的"
                                                          "生成记录），未导出", ERROR) for n in e.sheets]
        return Result([], problems, f"{'、'.join(e.sheets)} 不是按当前数据计算的，未导出：请先“刷新汇总”再导出。")
    return Result([], [], summary, files=files)


def _bureau_help() -> str:
    return "、".join(s.replace("{year}年{mm}月", "本月") for s in current().bureau)


def _actions() -> dict[str, Action]:
    reg = current()
    items = [Action("refresh", "刷新汇总", "校验全部输入表；没有错误时重新计算本月的出勤汇总、月检查表等所有汇总表（输入未变的沿用），一次保存",
                    run_refresh, image="Refresh",
                    params=(MONTH_OPT, Param("full", "全部重新计算（不沿用输入未变的汇总表）", kind="flag",
                                                       label="全部重新计算"), TODAY)),
             Action("validate", "校验数据", "检查所有输入表，列出每个问题所在的单元格", run_validate,
                    image="ErrorChecking", writes_by_default=False, params=(TODAY,)),
             Action("todo", "待办事项", "列出各项到期和逾期的工作（健康证、复查、维修、演练、行事历……）和未按当前数据计算的汇总表，"
                    "每项注明要处理的工作表和单元格", run_todo, image="ReviewNewComment", params=(MONTH_OPT, TODAY))]
    items += [Action(r.id, r.label, r.help, report_runner(r), group=reg.group_of(r), image=r.image, params=r.params)
              for r in reg.reports]
    items.append(Action(
        "export", "导出上报", "把本月的汇总报表复制到一个干净的新工作簿（只含数值和格式），文件名为“园所名称_月度上报_月份.xlsx”（只导出一张表时，“月度上报”换成表名），"
        "用于报送教育局；默认不含幼儿个人信息", run_export, group="上报", image="FileSendAsAttachment", validates=False,
        params=(MONTH_OPT, Param("sheets", f"要导出的工作表（默认：{_bureau_help()}中已有的）", kind="names",
                                         label="导出的表"),
                OUT,
                Param("pdf", "同时用 LibreOffice 生成一个 PDF（每张表从新的一页开始）", kind="flag", label="同时生成 PDF"),
                Param("refresh", "先刷新汇总（按当前数据重新计算），再导出", kind="flag", label="先刷新汇总"),
                TODAY)))
    return {a.id: a for a in items}


class _Live(Mapping):
    """ACTIONS as of the current registry (a domain registered later is there too)."""

    def _now(self) -> dict[str, Action]:
        reg = current()
        if getattr(self, "_for", None) is not reg:
            self._for, self._cache = reg, _actions()
        return self._cache

    def __getitem__(self, key: str) -> Action:
        return self._now()[key]

    def __iter__(self):
        return iter(self._now())

    def __len__(self) -> int:
        return len(self._now())


ACTIONS: Mapping[str, Action] = _Live()


@lru_cache(maxsize=1)
def layout() -> str:
    """The layout this release's workbooks have (kgxl.app.layout), recorded in each workbook it makes."""
    from kgxl.app.book_buttons import BUTTONS

    return layout_of([*ACTIONS.values(), *BUTTONS.values()])
