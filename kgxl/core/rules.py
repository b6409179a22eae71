"""Cross-sheet and cross-column rules declared in the schemas: ref, not_before, product_of, in_term.

The domains add their own rules (Domain.rules).
Vectorised per column; a cell that already has an 错误 is not reported again (a 警告 such as a date typed as text
does not hide an 错误 of its value: the text date gets every check a real date gets).
"""
from __future__ import annotations

import datetime as dt
import difflib
import re

import numpy as np
import pandas as pd

from kgxl.core.cells import show
from kgxl.core.kept import Kept
from kgxl.core.problems import ERROR, WARNING, Problem
from kgxl.core.reading import Table
from kgxl.core.schema import load_schemas
from kgxl.core.settings import Settings

# A process that stays up keeps each sheet's findings by the digests of it and the sheets its columns refer to, the
# term's dates and its cells with an 错误 already: a register typed in does not check the other sheets again.
_FOUND = Kept(400)


def cross_sheet_problems(tables: dict[str, Table], settings: Settings, earlier: list[Problem],
                         digests: dict[str, str] | None = None) -> list[Problem]:
    """digests: sheet name -> digest of its values (run_log.DigestBook), when known."""
    seen = {(p.sheet, p.cell) for p in earlier if p.cell and p.severity == ERROR}
    out: list[Problem] = []
    for t in tables.values():
        mine = frozenset(c for c in seen if c[0] == t.sheet)  # the only cells its checks look up
        found = _FOUND.get(_key(t, tables, settings, mine, digests or {}),
                           lambda: _sheet_problems(t, tables, settings, set(mine)))
        out += found
        seen |= {(p.sheet, p.cell) for p in found if p.cell and p.severity == ERROR}
    return out


def _key(t: Table, tables: dict[str, Table], settings: Settings, mine: frozenset, digests: dict[str, str]):
    """What a sheet's checks read, by digest; None (not kept) when a digest is not known."""
    refs = sorted({c.ref[0] for c in t.schema.fields if c.ref})
    sheets = [t.sheet, *(tables[k].sheet for k in refs if k in tables)]
    if any(digests.get(n) is None for n in sheets):
        return None
    term = (settings.term_start, settings.term_end) if any(c.in_term for c in t.schema.fields) and settings.term_valid \
        else None
    return t.schema.fields, tuple((n, digests[n]) for n in sheets), term, mine


def _sheet_problems(t: Table, tables: dict[str, Table], settings: Settings, seen: set) -> list[Problem]:
    out: list[Problem] = []

    def add(t: Table, index, key, value, code, severity, message):
        cell = t.cell(index, key)
        if (t.sheet, cell) not in seen:
            if severity == ERROR:
                seen.add((t.sheet, cell))
            header = t.schema.column(key).header if not isinstance(key, dt.date) else key.isoformat()
            out.append(Problem(t.sheet, cell, header, show(value), code, message, severity))

    schemas = load_schemas()
    frame = t.frame
    for c in t.schema.fields:
        col = frame[c.key]
        if c.ref:
            target = tables.get(c.ref[0])
            if target is None:
                continue  # the missing sheet is reported already
            names = target.frame[c.ref[1]].dropna()
            aliases = alias_map(names, target.frame[c.ref_aliases]) if c.ref_aliases else {}
            target_header = schemas[c.ref[0]].column(c.ref[1]).header
            bad = col.notna() & ~col.isin(set(names)) & ~col.isin(set(aliases))
            labels = (dict(zip(target.frame[c.ref[1]], target.frame[c.ref_label].fillna("")))
                      if c.ref_label else {})
            for i, v in col[bad].items():
                hint = _suggest(str(v), list(names), aliases, labels)
                if c.ref_aliases:
                    hint += ("" if hint else "。") + _alias_hint(
                        str(v), target.sheet, target_header, schemas[c.ref[0]].column(c.ref_aliases).header)
                add(t, i, c.key, v, "unknown_ref", c.ref_severity,
                    f"{c.header}“{show(v)}”不在“{target.sheet}”表的{target_header}列中" + hint + c.ref_new_row)
        if c.not_before:
            other = frame[c.not_before]
            mask = (col.notna() & other.notna()).to_numpy(dtype=bool)
            first = t.schema.column(c.not_before).header
            a, b = col.to_numpy()[mask], other.to_numpy()[mask]  # one comparison over the column, not per cell
            early = np.asarray(a < b, dtype=bool)
            for i, x, y in zip(col.index[mask][early], a[early], b[early]):
                add(t, i, c.key, x, "date_order" if c.type == "date" else "order", ERROR,
                    f"{c.header}不能{'早于' if c.type == 'date' else '小于'}{first}（{show(y)}）")
        if c.product_of:
            a, b = (frame[k] for k in c.product_of)
            expected = (a * b).round(6)
            off = col.notna() & expected.notna() & ((col - expected).abs() > 0.01 + 1e-9)
            names = "×".join(t.schema.column(k).header for k in c.product_of)
            for i in col[off].index:
                add(t, i, c.key, col[i], "amount_mismatch", ERROR,
                    f"{c.header}应等于{names}（{show(a[i])}×{show(b[i])}＝{expected[i]:.2f}），"
                    f"相差 {abs(col[i] - expected[i]):.2f}")
        if c.in_term and settings.term_valid:
            mask = col.notna()
            for i, d in col[mask].items():
                if not settings.term_start <= d <= settings.term_end:
                    add(t, i, c.key, d, "out_of_term", WARNING,
                        f"{c.header}不在本学期（{show(settings.term_start)} 至 {show(settings.term_end)}）内")
    return out


def alias_map(names: pd.Series, aliases: pd.Series) -> dict[str, str]:
    """Other accepted name -> name, from a 、-separated alias column; an alias that is a name itself, or
    that two rows claim, is not one."""
    claims: dict[str, set[str]] = {}
    for name, text in zip(names.tolist(), aliases.reindex(names.index).tolist()):
        if isinstance(text, str):
            for a in re.split(r"[、，,；;\s]+", text.strip()):
                if a:
                    claims.setdefault(a, set()).add(name)
    known = set(names)
    return {a: next(iter(n)) for a, n in claims.items() if len(n) == 1 and a not in known}


def _suggest(value: str, names: list[str], aliases: dict[str, str], labels: dict[str, str] | None = None) -> str:
    """'，是否为“…”？' naming the closest known names: those containing the value (南瓜 in 南瓜（鲜）) first —
    a 代表值 or fresh entry, one that starts with the value, then the shortest — then similar spellings (小1班 →
    小一班). Where names carry labels (a food's group), a similar spelling must share two characters in a row with the
    value (饼干 is never offered 豆腐干: a different food, not a slip) and each name is followed by its label, so a name
    of another kind says so."""
    def rank(n: str) -> tuple:
        return ("代表值" not in n and "鲜" not in n, not n.startswith(value), len(n))
    pairs = {value[i:i + 2] for i in range(len(value) - 1)} or {value}
    inside = sorted((n for n in names if value in n), key=rank)[:3]
    close = [n for n in difflib.get_close_matches(value, [*names, *aliases], n=3, cutoff=0.5)
             if not labels or any(p in n for p in pairs)]
    found = list(dict.fromkeys([*inside, *(aliases.get(n, n) for n in close)]))[:3]
    labels = labels or {}
    shown = [f"“{n}”" + (f"（{labels[n]}）" if labels.get(n) else "") for n in found]
    return f"，是否为{'或'.join(shown)}？" if found else ""


def _alias_hint(value: str, sheet: str, name_header: str, alias_header: str) -> str:
    """How to make the value accepted for good: an alias of the right row, or a row of one's own."""
    return f"如确是表中某一{name_header}的另一种叫法，请在“{sheet}”表该行的“{alias_header}”列加上“{value}”"
