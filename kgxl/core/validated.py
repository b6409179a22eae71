"""A validated workbook as the rules and reports read it: the typed input tables, 基本信息, the school calendar,
today, and the results several reports share. A report or a rule hook is given a view that holds only the input
sheets it declares (Report.inputs, Domain.rule_inputs): reading any other is an UndeclaredRead, a fault of kgxl's
code, never of the user's data. That is what lets 刷新汇总 keep a report whose declared inputs did not change (a
build system's declared inputs, enforced each time the code runs)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

from kgxl.core.calendar import SchoolCalendar
from kgxl.core.kept import Kept
from kgxl.core.problems import Problem
from kgxl.core.settings import SETTINGS, Settings, SettingsView

OVERRIDES = "holiday_overrides"  # 节假日调整: with the term's dates in 基本信息, the school calendar
# A process that stays up keeps the last results of each shared key with the day and the digest of the inputs each
# read: a register typed in leaves the health report, which reads none, as it was. Key -> [(day, reads, digest,
# (value, reads))], newest first: one by default (a child-day table is large), a few for a list of problems (two books
# open in turn in the web page each keep their rules' findings).
_SHARED = Kept(400)
FEW = 8  # results of a key kept when they are small (lists of problems)


class UndeclaredRead(Exception):
    """A report or rule read an input sheet its declaration does not name."""


def base_key(key: str) -> str:
    """A table's schema key (a register's "register:2026-09" is schema "register")."""
    return key.split(":", 1)[0]


class Tables(Mapping):
    """Schema key -> typed table (registers: "register:YYYY-MM"). A view (allowed set) refuses any other key, even
    a question whether it is there, and notes each key read into the recordings open (one month's register as
    "register:YYYY-MM": what reads only that month is kept while the other months change)."""

    def __init__(self, data: dict, allowed: frozenset | None = None, who: str = "", recordings: list | None = None):
        self.data, self.allowed, self.who = data, allowed, who
        self.recordings = recordings if recordings is not None else []

    def _read(self, key: str) -> None:
        base = base_key(key)
        if self.allowed is not None and base not in self.allowed:
            raise UndeclaredRead(f"{self.who} reads {base}, which its declaration does not name")
        for r in self.recordings:
            r.add(key)

    def __getitem__(self, key):
        self._read(key)
        return self.data[key]

    def __contains__(self, key) -> bool:
        self._read(key)
        return key in self.data

    def get(self, key, default=None):
        self._read(key)
        return self.data.get(key, default)

    def frame(self, key: str):
        """The sheet's typed rows, or no rows with its schema's columns when the workbook lacks the sheet."""
        if key in self:
            return self.data[key].frame
        import pandas as pd

        from kgxl.core.schema import load_schemas
        return pd.DataFrame(columns=[c.key for c in load_schemas()[base_key(key)].fields])

    def __iter__(self):
        """The keys there; which are there is itself read: every key the view may hold is noted (a rule that found no
        班车 sheet among them and stopped has read them all)."""
        if self.recordings:
            from kgxl.core.schema import load_schemas
            for k in (self.allowed if self.allowed is not None else load_schemas()):
                self._read(k)
        return iter(k for k in self.data if self.allowed is None or base_key(k) in self.allowed)

    def __len__(self) -> int:
        return sum(1 for _ in self)


@dataclass
class Validated:
    tables: Tables  # schema key -> table (registers: "register:YYYY-MM")
    settings_: Settings
    problems: list[Problem] = field(default_factory=list)
    calendar_: SchoolCalendar | None = None  # when the term dates are valid
    today: dt.date = dt.date.min  # the day before which a blank register cell counts as 未登记
    seen: set = field(default_factory=set)  # (sheet, cell) with an 错误 already: a cell gets one 错误
    computed: dict = field(default_factory=dict)  # results several reports share (one 刷新汇总 computes them once)
    inputs_key: Callable | None = None  # schema keys -> one digest of those inputs as the book holds them (None: unknown)

    @property
    def settings(self) -> Settings | SettingsView:
        """基本信息: each item read as the schema that declares it (the kindergarten's own, or a domain's fragment)."""
        return self.settings_ if self.tables.allowed is None and not self.tables.recordings else \
            SettingsView(self.settings_, self.tables._read)

    @property
    def calendar(self) -> SchoolCalendar | None:
        self.tables._read(SETTINGS)
        self.tables._read(OVERRIDES)
        return self.calendar_

    def view(self, reads, who: str) -> "Validated":
        """The same workbook, holding only the input sheets `reads` names (schema keys)."""
        return replace(self, tables=Tables(self.tables.data, frozenset(reads), who, self.tables.recordings))

    def classes(self) -> list[str]:
        """Class names in the 班级 sheet's order."""
        t = self.tables.get("classes")
        return list(dict.fromkeys(t.frame["class_name"].dropna())) if t is not None else []

    def has_rows(self, key: str) -> bool:
        """Whether the sheet is there with a row typed: 刷新汇总 makes a register's report only for a kindergarten
        that keeps the register in kgxl (a report of an empty one is a sheet of zeros)."""
        return key in self.tables and bool(len(self.tables[key].frame.dropna(how="all")))

    def monthly(self, key: str) -> list:
        """The tables of a month-named schema (one sheet per month), by month."""
        self.tables._read(key)
        return [t for k, t in sorted(self.tables.data.items()) if k.startswith(key + ":")]

    def shared(self, key, compute, keep: int = 1):
        """A result several reports use, computed once per validation (in a process that stays up, once while what it
        reads is unchanged; the last `keep` results of the key are kept). What it read is kept with it: a view that
        does not declare those sheets cannot take it either. compute reads everything it uses from this view, inside
        itself, so that what it read is complete."""
        if key not in self.computed:
            self.computed[key] = self._kept(key, compute, keep)
        value, reads = self.computed[key]
        for k in reads:
            self.tables._read(k)
        return value

    def _kept(self, key, compute, keep: int) -> tuple:
        digest = self.inputs_key
        versions = _SHARED.get(key, None) if digest is not None and key in _SHARED else []
        for i, (day, reads, was, out) in enumerate(versions):
            if day == self.today and was is not None and digest(reads) == was:
                _SHARED.put(key, [versions[i], *versions[:i], *versions[i + 1:]])
                return out
        reads: set = set()
        self.tables.recordings.append(reads)
        try:
            value = compute()
        finally:
            self.tables.recordings.pop()
        out = (value, frozenset(reads))
        if digest is not None:
            _SHARED.put(key, [(self.today, out[1], digest(out[1]), out), *versions][:keep])
        return out
