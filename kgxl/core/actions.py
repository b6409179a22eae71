"""What every front runs: the action types (Action, Param, Result, UserError), parameter parsing,
and the month rule the reports share. The registry of actions is derived from the domains
(kgxl.app.registry); nothing here names a domain.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from kgxl.core.cells import parse_month
from kgxl.core.port import SheetOutput
from kgxl.core.problems import Problem


@dataclass
class Result:
    outputs: list[SheetOutput]
    problems: list[Problem]
    summary: str  # one or two Chinese sentences for the message box / console
    files: list[tuple[str, bytes]] = field(default_factory=list)  # (file name, content) to write beside the book
    scope: str = ""  # what the problems cover, when not the whole workbook (生成本月出勤表: its register)


@dataclass(frozen=True)
class Param:
    name: str  # keyword of the use case, CLI argument
    help: str
    kind: str = "month"  # month (YYYY-MM) | week (YYYY-Www) | date (YYYY-MM-DD) | names (sheet names) | flag | folder
    # | file
    positional: bool = False
    label: str = ""  # how 运行日志's 参数 names it (Chinese); a flag shows only this

    @property
    def shown(self) -> str:
        return self.label or self.name


TODAY = Param("today", "以此日期为“今天”统计（默认为系统日期），格式 2026-11-20", kind="date", label="统计日")
OUT = Param("out", "导出文件所在的文件夹（默认：工作簿所在文件夹）", kind="folder", label="导出到")
MONTH_POS = Param("month", "月份，格式 2026-09（默认为“基本信息”的当前月份）", positional=True, label="月份")
MONTH_OPT = Param("month", "月份，格式 2026-09（默认为“基本信息”的当前月份）", label="月份")
PATTERNS = {"month": (r"\d{4}-\d{2}", "2026-09"), "date": (r"\d{4}-\d{2}-\d{2}", "2026-11-20"),
            "week": (r"\d{4}-W\d{2}", "2026-W38")}


LABELS = {"month": "月份", "date": "日期", "week": "周次"}


class UserError(Exception):
    """A parameter the user gave cannot be used. Message is Chinese."""


def parse_param(p: Param, text):
    if text is None or p.kind == "flag":
        return text
    if p.kind == "names":
        return [n.strip() for part in text for n in re.split(r"[,，、]", part) if n.strip()]
    if p.kind == "file":  # from Excel as UTF-16 (Kgxl.bas): a character beyond U+FFFF came as two surrogates
        return Path(text.encode("utf-16", "surrogatepass").decode("utf-16"))
    if p.kind == "folder":
        folder = Path(text)
        if folder.exists() and not folder.is_dir():
            raise UserError(f"指定的位置是一个文件，不是文件夹：{text}")
        return folder  # a folder not there yet is made when the file is written
    pattern, example = PATTERNS[p.kind]
    text = text.strip()
    if p.kind == "month":  # 2026-1, 2026/01, 2026年1月 and full-width digits read as the user means them
        month, issue = parse_month(text)
        if month and not issue:
            return month
    try:
        if re.fullmatch(pattern, text):
            if p.kind == "week":
                dt.date.fromisocalendar(int(text[:4]), int(text[6:]), 1)  # raises on week 00 or 54
                return text
            day = dt.date.fromisoformat(text if p.kind == "date" else text + "-01")
            return day if p.kind == "date" else text
    except ValueError:
        pass
    raise UserError(f"{LABELS.get(p.kind, p.name)}“{text}”无法识别，格式应如 {example}")


@dataclass(frozen=True)
class Action:
    id: str  # stable id: CLI subcommand, ribbon button id, entry-point name
    label: str  # Chinese button label
    help: str  # Chinese tooltip / CLI help
    run: Callable[..., Result]
    group: str = "数据"
    image: str = "DataValidation"  # imageMso for the ribbon (an Excel control id: tests/specs/office_controls)
    writes_by_default: bool = True
    validates: bool = True  # its result lists the workbook's problems (export copies sheets without checking)
    params: tuple[Param, ...] = ()


def default_month(settings, month: str | None, today: dt.date) -> str:
    """The month given, else 基本信息's 当前月份, else today's month."""
    return month or settings.current_month or today.strftime("%Y-%m")


def term_month(v, month: str | None, today: dt.date) -> str:
    """default_month, which must be a month of the term (v: a Validated workbook)."""
    if not v.calendar:
        raise UserError("“基本信息”中的学期开始、结束日期未正确填写，无法确定在园日")
    month = default_month(v.settings, month, today)
    if not v.calendar.in_term(month):
        raise UserError(f"{month} 不在本学期（{v.settings.term_start} 至 {v.settings.term_end}）内；"
                        f"请在“基本信息”的“当前月份”填写本学期的月份，或在命令中指定月份")
    return month


def month_sheet(pattern: str, month: str) -> str:
    """A month-named sheet from its pattern: {year} and {mm} (2026, 09) or {month} (2026-09)."""
    return pattern.format(year=month[:4], mm=month[5:7], month=month)
