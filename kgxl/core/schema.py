"""Input-sheet schemas: the YAML files under schemas/ loaded into typed objects.

These objects are the single source for validation (they build the pandera schemas), for the
workbook's header rows, dropdowns and notes, and for the generated docs. Nothing else restates
a header string.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import yaml

from kgxl.core.paths import SCHEMAS

SCHEMA_DIR = SCHEMAS
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML has it: the schemas load 10× faster
TYPES = ("text", "integer", "number", "date", "month", "time")
SEVERITIES = ("错误", "警告")


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    type: str = "text"
    required: bool = False
    unique: bool = False
    allowed: tuple[str, ...] = ()
    min: float | dt.date | None = None
    max: float | dt.date | None = None
    pattern: str | None = None
    ref: tuple[str, str] | None = None  # (schema key, column key) this value must exist in
    ref_severity: str = "错误"
    ref_aliases: str | None = None  # column of the ref's sheet with other accepted names (、-separated)
    ref_label: str | None = None  # column of the ref's sheet shown after each suggested name (a food's 类别)
    ref_new_row: str = ""  # an unknown value's message ends with how to add a row of one's own to the ref's sheet
    not_before: str | None = None  # key of a column (same type) this value may not precede
    in_term: bool = False  # date must fall inside the term (a 警告 otherwise)
    product_of: tuple[str, ...] = ()  # keys of two number columns whose product this amount is (to 0.01)
    format: str | None = None  # Excel number format
    width: float = 12
    help: str = ""
    personal: bool = False  # identifies a person (a child's name, id, birth date): kept out of exports
    staff: bool = False  # a member of staff's name: masked wherever it is typed in a sheet of the default export
    range_hint: str = ""  # added to a below_min / above_max / allowed message: the likely slip (grams for kilograms)
    aliases: tuple[str, ...] = ()  # other headers the same column has in lists brought in by `kgxl import`
    default: object = None  # 基本信息 items: the value a blank item takes (said in its help too)

    def note(self, extra: str = "") -> str:
        """The note (Excel comment) on this column's header or item: what to type, 必填, the choices."""
        lines = [self.help] if self.help else []
        if self.required:
            lines.append("必填")
        if self.allowed:
            lines.append("可选：" + "、".join(self.allowed))
        if extra:
            lines.append(extra)
        return "\n".join(lines)


@dataclass(frozen=True)
class DayColumns:
    """Register sheets: every column headed by a date holds one attendance mark."""
    header_format: str
    width: float
    marks: dict[str, str]
    help: str


@dataclass(frozen=True)
class SheetSchema:
    key: str
    sheet: str  # Chinese sheet name; for registers a pattern with {month}
    kind: str  # table | keyvalue | register | settings (a domain's items of the key/value sheet named `sheet`)
    help: str
    columns: tuple[Column, ...]
    items: tuple[Column, ...] = ()  # keyvalue sheets: one Column per item (header = item label)
    day_columns: DayColumns | None = None
    required_sheet: bool = False  # a missing sheet is an 错误 (else a 警告)
    order: int = 0  # position among the workbook's input sheets
    source: str = ""
    data_note: str = ""  # reference sheets: where their rows come from (on the note of the sheet's second header)

    def column(self, key: str) -> Column:
        for c in self.columns + self.items:
            if c.key == key:
                return c
        raise KeyError(f"{self.key}: no column {key}")

    @property
    def fields(self) -> tuple[Column, ...]:
        """The validated fields: items for key/value sheets, columns otherwise."""
        return self.items if self.kind in ("keyvalue", "settings") else self.columns

    @property
    def fragment(self) -> bool:
        """A domain's own items of a key/value sheet (基本信息): merged into that sheet's schema, never read alone."""
        return self.kind == "settings"

    @property
    def monthly(self) -> bool:
        """One sheet per month (the registers): the sheet name holds {month}."""
        return "{month}" in self.sheet

    def sheet_for(self, month: str) -> str:
        return self.sheet.format(month=month)

    def matches(self, sheet_name: str) -> str | None:
        """For a register schema: the YYYY-MM a sheet name stands for, else None."""
        return _month_in(self.sheet, sheet_name) if "{month}" in self.sheet else None


@lru_cache(maxsize=8192)
def _month_in(pattern: str, sheet_name: str) -> str | None:
    """The YYYY-MM a sheet name gives a pattern's {month} (asked for every sheet at every digest: kept)."""
    m = re.fullmatch(re.escape(pattern).replace(re.escape("{month}"), r"(\d{4}-\d{2})"), sheet_name)
    return m.group(1) if m else None


def _column(raw: dict, header_key: str = "header") -> Column:
    raw = dict(raw)
    if header_key != "header":
        raw["header"] = raw.pop(header_key)
    if raw.get("type", "text") not in TYPES:
        raise ValueError(f"unknown type {raw['type']!r} in column {raw['header']}")
    if raw.get("ref_severity", "错误") not in SEVERITIES:
        raise ValueError(f"unknown severity in column {raw['header']}")
    if "ref" in raw:
        raw["ref"] = tuple(raw["ref"].split("."))
    for key in ("allowed", "aliases", "product_of"):
        if key in raw:
            raw[key] = tuple(str(a) for a in raw[key])
    return Column(**raw)


def _sheet(raw: dict, source: Path) -> SheetSchema:
    kind = raw.get("kind", "table")
    day = raw.get("day_columns")
    return SheetSchema(
        key=raw["key"],
        sheet=raw["sheet"],
        kind=kind,
        help=raw.get("help", ""),
        columns=tuple(_column(c) for c in raw.get("columns", ())),
        items=tuple(_column(i, "label") for i in raw.get("items", ())),
        day_columns=DayColumns(**day) if day else None,
        required_sheet=raw.get("required_sheet", False),
        order=raw.get("order", 0),
        source=source.name,
        data_note=raw.get("data_note", ""),
    )


def load_schemas(directory: Path | None = None) -> dict[str, SheetSchema]:
    """All schemas keyed by their stable English key, in a fixed (file name) order."""
    return _load(directory or SCHEMA_DIR)


@lru_cache(maxsize=None)
def _load(directory: Path) -> dict[str, SheetSchema]:
    schemas: dict[str, SheetSchema] = {}
    for path in sorted(directory.glob("*.yaml")):
        with path.open(encoding="utf-8") as f:
            s = _sheet(yaml.load(f, Loader=LOADER), path)
        if s.key in schemas:
            raise ValueError(f"schema key {s.key} defined twice")
        schemas[s.key] = s
    _merge_fragments(schemas)
    _check_refs(schemas)
    return schemas


def _merge_fragments(schemas: dict[str, SheetSchema]) -> None:
    """Each domain's 基本信息 items (kind: settings) go below the sheet's own, in the fragments' order: a domain
    declares its settings in its own file, and the key/value sheet's schema holds them all."""
    fragments = sorted((s for s in schemas.values() if s.fragment), key=lambda s: (s.order, s.key))
    for f in fragments:
        host = next((s for s in schemas.values() if s.kind == "keyvalue" and s.sheet == f.sheet), None)
        if host is None:
            raise ValueError(f"{f.key}: no key/value sheet {f.sheet}")
        twice = {i.key for i in f.items} & {i.key for i in host.items}
        if twice:
            raise ValueError(f"{f.key}: items {sorted(twice)} defined twice")
        schemas[host.key] = replace(host, items=host.items + f.items)


def _check_refs(schemas: dict[str, SheetSchema]) -> None:
    for s in schemas.values():
        keys = {c.key for c in s.fields}
        for c in s.fields:
            if c.ref:
                schemas[c.ref[0]].column(c.ref[1])  # raises on a dangling reference
                for other in filter(None, (c.ref_aliases, c.ref_label)):
                    schemas[c.ref[0]].column(other)
            if c.not_before and c.not_before not in keys:
                raise ValueError(f"{s.key}.{c.key}: not_before names unknown column {c.not_before}")
            if c.product_of and (len(c.product_of) != 2 or set(c.product_of) - keys):
                raise ValueError(f"{s.key}.{c.key}: product_of needs two known columns, not {c.product_of}")


def schema(key: str) -> SheetSchema:
    return load_schemas()[key]
