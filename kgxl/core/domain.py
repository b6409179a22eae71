"""The Domain contract: what one area of the kindergarten's work (attendance, money, health…) declares once, its
whole life, and everything else is derived from in kgxl.app.registry: CLI subcommands, ribbon buttons and VBA
callbacks, the steps of 刷新汇总, the sheet order, the bureau export's defaults and privacy, the problem catalogue,
what a new term carries, the reference rows of a new workbook, the sample kindergarten's rows and what it has due (待办事项).

A declaration is data. The code it names is written as "module:function" (entry-point style) and imported on first
use, so reading the declarations (kgxl --help) imports no pandas, and every import in a domain's modules is a real
one at the top of the file. A module starting with "." is in the domain's own package (kgxl.domains.<name>); a
plug-in (or a test's throw-away domain) may name any module, or give the callable itself.

A domain folder has one shape: domain.py (this declaration), shared.py (the only module another domain may import,
and only when it names this one in `requires`), rules.py, sheets.py (or a sheets/ package), and pure modules named
for what they compute.
"""
from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass, field, replace
from typing import Callable, Union

from kgxl.core.actions import MONTH_OPT, TODAY, Param
from kgxl.core.port import Workbook

Ref = Union[str, Callable]  # "module:function" (".module:function" inside the domain's package), or the callable
KEEP = "keep"  # carry policy: the sheet's rows go to the new term as they are


def resolve(ref: Ref, package: str) -> Callable:
    """The callable a declaration names."""
    if callable(ref):
        return ref
    module, _, name = ref.partition(":")
    if not name:
        raise ValueError(f"{ref!r}: expected module:function")
    return getattr(importlib.import_module(package + module if module.startswith(".") else module), name)


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
    make: Ref
    inputs: tuple[str, ...]  # the input sheets it reads (schema keys; a month-named one: all its sheets), all it is
    # given; their 错误 stop it when run on its own
    needs: tuple[str, ...] = ()  # schema keys of sheets it cannot do without (alone: a message; 刷新汇总: skipped)
    stops_on: tuple[str, ...] | None = None  # the sheets whose 错误 stop it, when not all its inputs (生成本月出勤表
    # rebuilds a register whatever its marks say)
    sheets: tuple[str, ...] = ()  # the sheets it writes (month-named ones as patterns, see actions.month_sheet)
    image: str = "DataValidation"  # imageMso of its ribbon button (an Excel control id: tests/specs/office_controls)
    params: tuple[Param, ...] = (MONTH_OPT, TODAY)
    term_month: bool = True  # the month must be a month of the term (else the report resolves its own period)
    in_refresh: bool = True
    refresh_when: Ref | None = None  # 刷新汇总 runs it only when refresh_when(v) holds (besides `needs`)
    package: str = ""  # set by its Domain: where its "." references resolve

    def run(self, v, request: Request):
        """Its sheets from a workbook that holds only the input sheets it declares (v.view)."""
        return resolve(self.make, self.package)(v.view(self.inputs, f"report {self.id}"), request)

    def wanted(self, v) -> bool:
        """Whether 刷新汇总 runs it on this workbook."""
        v = v.view(self.inputs, f"report {self.id}")
        return all(k in v.tables for k in self.needs) and (
            self.refresh_when is None or bool(resolve(self.refresh_when, self.package)(v)))


@dataclass(frozen=True)
class Domain:
    name: str  # the folder's name
    title: str  # Chinese, for the docs
    group: str  # the ribbon group of its buttons
    inputs: tuple[str, ...] = ()  # schema keys it owns: its input sheets and its fragment of 基本信息 (kind: settings)
    rules: Ref | None = None  # rules(v: Validated) -> problems; a finding on a cell already reported is dropped
    # by validation (v.seen: (sheet, cell) pairs), so a rule need not test it
    rule_inputs: tuple[str, ...] = ()  # the input sheets its rules read (schema keys): all they are given
    reports: tuple[Report, ...] = ()
    bureau: tuple[str, ...] = ()  # its sheets the bureau export sends by default, in that order (patterns allowed)
    personal: tuple[str, ...] = ()  # its sheets that name people: left out of the default export
    staff_columns: dict[str, tuple[str, ...]] = field(default_factory=dict)  # bureau sheet -> headers of columns
    # naming staff: emptied in the default export (the sheet itself goes)
    codes: dict[str, Code] = field(default_factory=dict)
    requires: tuple[str, ...] = ()  # domains whose shared.py it reads
    carry: dict[str, Ref] = field(default_factory=dict)  # schema key -> KEEP, or carry(v, term: NewTerm) -> rows
    # for the next term's workbook; a sheet not named here starts empty
    reference: dict[str, Ref] = field(default_factory=dict)  # schema key -> rows() kgxl ships in every new workbook
    sample: Ref | None = None  # rows(sample, rows so far) -> {schema key: rows} of the sample kindergarten
    due: Ref | None = None  # due(v: Validated, today) -> [DueItem] (kgxl.core.due): what it has due, for 待办事项
    due_inputs: tuple[str, ...] = ()  # the input sheets its due hook reads (schema keys): all it is given
    package: str = ""  # where "." references resolve: kgxl.domains.<name> unless given

    def __post_init__(self):
        if not self.package:
            object.__setattr__(self, "package", f"kgxl.domains.{self.name}")
        object.__setattr__(self, "reports", tuple(replace(r, package=self.package) for r in self.reports))

    def resolve(self, ref: Ref) -> Callable:
        return resolve(ref, self.package)
