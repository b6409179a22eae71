"""The fire equipment's rules, all 警告 (the equipment is what it is; 消防月报 shows it): an item past its 有效期
(for an extinguisher its 报废 or 维修 date, kgxl/data/fire_extinguishers.csv) or within 基本信息's 消防器材到期提醒,
an extinguisher with no date to compute from, an item not checked in a whole month of the term (GB 50444-2008
5.2.1: monthly)."""
from __future__ import annotations

import datetime as dt

from kgxl.core.calendar import month_bounds
from kgxl.core.cells import show
from kgxl.core.problems import WARNING, Problem
from kgxl.domains.security import expiry, fire


def _add(out, t, i, key, value, code, message):
    out.append(Problem(t.sheet, t.cell(i, key), t.schema.column(key).header, show(value), code, message, WARNING))


def fire_problems(v) -> list:
    if "fire_equipment" not in v.tables:
        return []
    t, out, today = v.tables["fire_equipment"], [], v.today
    e = fire.equipment(t.frame)
    warn = v.settings.fire_warn_days
    for r in e.itertuples():
        state = expiry.status(r.due, today, warn)
        key, what = fire.due_column(r.why, r.serviced), fire.DEADLINE.get(r.why, "")
        if state == expiry.EXPIRED:
            _add(out, t, r.row, key, getattr(r, key), "fire_expired",
                 f"{r.item_id}（{r.kind}，{r.place}）已于 {show(r.due)} 到{what}：送修或更换")
        elif state == expiry.SOON:
            _add(out, t, r.row, key, getattr(r, key), "fire_soon",
                 f"{r.item_id}（{r.kind}，{r.place}）将于 {show(r.due)} 到{what}（{(r.due - today).days} 天后）")
        if r.extinguisher and r.due is None:
            _add(out, t, r.row, "made", None, "fire_no_date", f"{r.item_id}（{r.kind}）没有出厂日期，无法计算报废和维修期限")
    if "fire_checks" in v.tables:
        out += _unchecked(v, t, e)
    return out


def _months(start: dt.date, today: dt.date) -> list[str]:
    """The term's months that ended before today."""
    out, d = [], start.replace(day=1)
    while True:
        m = f"{d.year}-{d.month:02d}"
        if month_bounds(m)[1] >= today:
            return out
        out.append(m)
        d = (d + dt.timedelta(days=32)).replace(day=1)


def _unchecked(v, t, e) -> list:
    s, out = v.settings, []
    if not s.term_valid or not len(e):
        return out
    months = _months(s.term_start, min(v.today, s.term_end + dt.timedelta(days=1)))
    checks = v.tables["fire_checks"].frame
    missed: dict[str, list[str]] = {}
    for m in months:
        first, last = month_bounds(m)
        done = set(fire.checks_between(checks, max(first, s.term_start), last)["item_id"])
        for item in e["item_id"]:
            if item not in done:
                missed.setdefault(item, []).append(f"{int(m[5:])}月")
    rows = e.set_index("item_id")["row"]
    for item, ms in missed.items():
        _add(out, t, rows[item], "item_id", item, "fire_unchecked", f"{item} 在 {'、'.join(ms)} 没有检查记录（灭火器每月至少检查一次）")
    return out
