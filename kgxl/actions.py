"""The one registry of user-facing actions. The CLI, the ribbon and the xlwings entry points are
all derived from ACTIONS; a new capability is one more Action here and one use-case function.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from .port import SheetOutput, Workbook
from .problems import Problem, counts
from .report import result_sheet
from .validate import validate_book


@dataclass
class Result:
    outputs: list[SheetOutput]
    problems: list[Problem]
    summary: str  # one or two Chinese sentences for the message box / console


@dataclass(frozen=True)
class Action:
    id: str  # stable id: CLI subcommand, ribbon button id, entry-point name
    label: str  # Chinese button label
    help: str  # Chinese tooltip / CLI help
    run: Callable[..., Result]
    group: str = "数据"
    image: str = "AcceptInvitation"  # imageMso for the ribbon
    writes_by_default: bool = True


def _overview(v) -> str:
    rows = sum(len(t.frame) for t in v.tables.values() if t.schema.kind != "keyvalue")
    parts = [f"读取 {len(v.tables)} 张表共 {rows} 行"]
    if "roster" in v.tables:
        parts.append(f"幼儿 {len(v.tables['roster'].frame)} 名")
    if "classes" in v.tables:
        parts.append(f"{len(v.tables['classes'].frame)} 个班")
    if v.registers():
        parts.append(f"出勤表 {len(v.registers())} 个月")
    return f"{v.settings.kindergarten_name or '工作簿'}（{v.settings.term_label or '学期未填写'}）：" + "，".join(parts) + "。"


def run_validate(book: Workbook, **_) -> Result:
    v = validate_book(book)
    e, w = counts(v.problems)
    summary = _overview(v) + (f"校验完成：错误 {e} 个，警告 {w} 个。" + ("请先修正错误，详见“校验结果”表。" if e else "")
                              if v.problems else "校验完成：没有发现问题。")
    return Result([result_sheet(v.problems, v.settings, book.sheet_names())], v.problems, summary)


ACTIONS: dict[str, Action] = {a.id: a for a in (
    Action("validate", "校验数据", "检查所有输入表，列出每个问题所在的单元格", run_validate,
           image="AcceptInvitation", writes_by_default=False),
)}
