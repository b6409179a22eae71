"""The Domain contract: what one area of the kindergarten's work (attendance, money, health…)
declares once, and everything else (CLI subcommands, ribbon buttons and VBA callbacks, the steps of
刷新汇总, the sheet order, the bureau export's defaults and privacy, the problem catalogue) is derived
from in kgxl.app.registry.

A domain's modules import kgxl.core, their own domain, and the domains named in `requires`.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Callable

from kgxl.core.actions import MONTH_OPT, TODAY, Param
from kgxl.core.port import Workbook
from kgxl.core.problems import Problem


@dataclass(frozen=True)
class Code:
    """One problem code of the catalogue: what users read instead of the code."""
    title: str  # Chinese, a few words: 必须填写, 引用的名称不存在
    severity: str  # the usual severity (错误 / 警告); a few codes take the severity the schema sets
    help: str  # Chinese: what to do about it


@dataclass(frozen=True)
class Request:
    """What a report is asked for: the workbook (some reports keep what the user typed in their own
    sheet), the month (checked to be in the term unless the report says otherwise), today, and the
    action's other parameters."""
    book: Workbook
    month: str | None
    today: dt.date
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Report:
    """One report: one ribbon button, one CLI subcommand and (when in_refresh) one step of 刷新汇总.

    make(v, request) returns (the sheets, a Chinese phrase naming them for the summary), or a whole
    Result for a report whose result is not the usual one (生成本月出勤表 rewrites an input sheet).
    It may raise UserError; 刷新汇总 then reports the reason and goes on with the other steps.
    """
    id: str  # stable: CLI subcommand, ribbon button id, entry-point name
    label: str  # Chinese button label
    help: str  # Chinese tooltip and CLI help
    make: Callable[..., object]
    inputs: tuple[str, ...]  # schema keys whose 错误 stop it when run on its own (a month-named schema: all its sheets)
    needs: tuple[str, ...] = ()  # schema keys of sheets it cannot do without (alone: a message; 刷新汇总: skipped)
    sheets: tuple[str, ...] = ()  # the sheets it writes (month-named ones as patterns, see actions.month_sheet)
    image: str = "DataValidation"  # imageMso of its ribbon button (an Excel control id: tests/specs/office_controls)
    params: tuple[Param, ...] = (MONTH_OPT, TODAY)
    term_month: bool = True  # the month must be a month of the term (else the report resolves its own period)
    in_refresh: bool = True
    refresh_when: Callable[..., bool] | None = None  # 刷新汇总 runs it only when this holds (besides `needs`)


@dataclass(frozen=True)
class Domain:
    name: str  # the folder's name
    title: str  # Chinese, for the docs
    group: str  # the ribbon group of its buttons
    inputs: tuple[str, ...] = ()  # schema keys of the input sheets it owns
    rules: Callable[..., list[Problem]] | None = None  # rules(v: Validated) -> problems; v.seen holds reported cells
    reports: tuple[Report, ...] = ()
    bureau: tuple[str, ...] = ()  # its sheets the bureau export sends by default, in that order (patterns allowed)
    personal: tuple[str, ...] = ()  # its sheets that name people: left out of the default export
    staff_columns: dict[str, tuple[str, ...]] = field(default_factory=dict)  # bureau sheet -> headers of columns
    # naming staff: emptied in the default export (the sheet itself goes)
    codes: dict[str, Code] = field(default_factory=dict)
    requires: tuple[str, ...] = ()  # domains whose results it reads (their modules it may import)
