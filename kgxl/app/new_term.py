"""`kgxl new-term`: what a term hands to the next, by each domain's carry policy (Domain.carry): a sheet kept as it
is, a sheet whose rows a domain's function derives (children still enrolled, staff in service, the closing stock as
期初, asset cards as their changes left them), every other sheet empty (registers, menus, fees, records, logs). The
class moves and the children who stay are decided once (kgxl.core.term.NewTerm) for every domain."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from kgxl.app.registry import current
from kgxl.core.actions import UserError
from kgxl.core.domain import KEEP
from kgxl.core.problems import errors
from kgxl.core.schema import load_schemas
from kgxl.core.term import NewTerm, records
from kgxl.core.validated import Validated


@dataclass
class Carried:
    rows: dict[str, object]  # schema key -> rows (基本信息: a dict of items)
    term: NewTerm
    derived: tuple[str, ...]  # the schema keys a domain's function filled (not kept as they were)


def policies() -> dict[str, object]:
    """schema key -> its carry policy (KEEP or the callable), for every sheet a domain carries."""
    return {key: policy if policy == KEEP else d.resolve(policy)
            for d in current().domains for key, policy in d.carry.items()}


def carry(v: Validated, start: dt.date, end: dt.date, edits: dict[str, str]) -> Carried:
    """What the new term's workbook starts with, from a validated old workbook."""
    term = NewTerm.of(v, start, end, edits)
    rows: dict[str, object] = {s.key: [] for s in current().inputs if not s.monthly}
    derived = []
    for key, policy in policies().items():
        if key not in v.tables:
            continue
        if policy == KEEP:
            rows[key] = records(v.tables[key].frame)
        else:
            rows[key] = policy(v, term)
            derived.append(key)
    return Carried(rows, term, tuple(derived))


def blocking(v: Validated) -> list:
    """The 错误 in the sheets carried forward: a new term does not start from rows that could not be read."""
    sheets = {load_schemas()[k].sheet for k in policies()}
    return [p for p in errors(v.problems) if p.sheet in sheets]


def parse_edits(pairs: list[str] | None) -> dict[str, str]:
    out = {}
    for pair in pairs or []:
        m = re.fullmatch(r"\s*([^=＝]+?)\s*[=＝]\s*([^=＝]+?)\s*", pair)
        if not m:
            raise UserError(f"升班对应“{pair}”无法识别，格式应如 小一班=中一班 或 大一班=离园")
        out[m.group(1)] = m.group(2)
    return out
