"""Each enrolled child's health-check status on a day: the latest evaluated check and the one
before, the latest haemoglobin, when the next check is due, and the 体弱儿 register derived from
the checks. Pure; the sheets (sheets.py) only lay these frames out.

The rhythm is 托儿所幼儿园卫生保健工作规范's: under 3 years a check every 6 months, from 3 years
every 12, haemoglobin every 12 (verified in the project's reference data README).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from kgxl.core.calendar import add_months
from kgxl.domains.health.growth import CONDITIONS, FAMILY, LOW, Criteria

UNDER3_MONTHS, UNDER3_EVERY, EVERY, HB_EVERY = 36, 6, 12, 12
ANAEMIA = "贫血"
STALE_HB = "待复查血红蛋白"  # anaemic at the last Hb, now over 12 months old: neither anaemic nor recovered
GROWTH = tuple(c for c in CONDITIONS if c != ANAEMIA)  # every grade of the growth families
# 体检统计's columns (规范 附件5 表2): a severe grade counts in its column (重度消瘦 as 消瘦, 重度肥胖 as 肥胖)
COUNTED = ("低体重", "生长迟缓", "消瘦", "超重", "肥胖")
COUNTS_AS = {g: g if g in COUNTED else g.removeprefix("重度") for g in GROWTH}


def enrolled(roster: pd.DataFrame, day: dt.date) -> pd.DataFrame:
    r = roster.dropna(subset=["child_id", "entry_date"]).drop_duplicates("child_id")
    keep = [e <= day and (not isinstance(left, dt.date) or left >= day) for e, left in zip(r["entry_date"], r["leave_date"])]
    return r[keep]


def regular_due(last: dt.date, months_at_last: float) -> dt.date:
    return add_months(last, UNDER3_EVERY if months_at_last < UNDER3_MONTHS else EVERY)


@dataclass
class HealthStatus:
    as_of: dt.date
    children: pd.DataFrame  # one row per enrolled child, roster order (see status())
    register: pd.DataFrame  # 体弱儿: children with a condition now or at the check before


def _held(conditions, condition: str) -> bool:
    """Whether a check's conditions continue this one (超重 and 肥胖 are one course)."""
    return bool(conditions) and any(FAMILY[c] == FAMILY[condition] for c in conditions)


def _value(row, condition: str) -> float:
    k = CONDITIONS[condition][0]
    return row["hemoglobin"] if k == "hb" else row[k]


def _since(rows: list[dict], condition: str) -> dt.date:
    """The first check of the trailing run in which the condition holds."""
    since = rows[-1]["date"]
    for r in reversed(rows):
        if not _held(r["conditions"], condition):
            break
        since = r["date"]
    return since


def _ordered(conditions) -> tuple[str, ...]:
    return tuple(sorted(conditions, key=list(CONDITIONS).index))


def status(ev: pd.DataFrame, roster: pd.DataFrame, class_order: list[str], cuts: Criteria,
           as_of: dt.date) -> HealthStatus:
    """ev: growth.evaluate's frame. Checks after as_of are not counted."""
    ev = ev[ev["date"] <= as_of].sort_values(["child_id", "date"], kind="stable")
    ev = ev.drop_duplicates(["child_id", "date"], keep="last")  # two checks on one day: the later row (a 警告)
    kids = enrolled(roster, as_of)
    rank = {c: i for i, c in enumerate(class_order)}
    kids = kids.assign(rank=kids["class_name"].map(rank).fillna(len(rank))).sort_values(["rank", "child_id"])
    checks: dict[str, list[dict]] = {}
    for r in ev.to_dict("records"):  # plain dicts: a child has a handful of checks, thousands of children
        checks.setdefault(r["child_id"], []).append(r)
    rows, register = [], []
    for kid in kids.itertuples():
        g = checks.get(kid.child_id)
        row = {"class_name": kid.class_name, "child_id": kid.child_id, "name": kid.name, "sex": kid.sex,
               "birth_date": kid.birth_date, "entry_date": kid.entry_date, "checked": g is not None,
               "hb_judged": False}
        if g is None:
            row.update(due=kid.entry_date, hb_due=kid.entry_date, on_time=False, conditions=(), evaluated=False)
            rows.append(row)
            continue
        last = g[-1]
        row.update({k: last[k] for k in ("date", "age_days", "months", "height_cm", "weight_kg", "bmi", "waz", "haz",
                                         "whz", "baz", "wh", "implausible", "out_of_scope")})
        row["evaluated"] = last["conditions"] is not None
        row["due"] = regular_due(last["date"], last["months"])
        row["on_time"] = row["due"] >= as_of
        if len(g) > 1:
            prev = g[-2]
            row.update(prev_date=prev["date"], prev_height=prev["height_cm"], prev_weight=prev["weight_kg"],
                       prev_conditions=prev["conditions"])
        hb = [r for r in g if r["hemoglobin"] == r["hemoglobin"] and r["hemoglobin"] is not None]
        row["hb_due"] = add_months(hb[-1]["date"], HB_EVERY) if hb else kid.entry_date
        row["last_hb_date"] = hb[-1]["date"] if hb else None
        current_hb = bool(hb) and row["hb_due"] >= as_of
        if current_hb:
            row.update(hb=hb[-1]["hemoglobin"], hb_judged=bool(hb[-1]["hb_judged"]))
        anaemic = current_hb and ANAEMIA in (hb[-1]["conditions"] or ())
        growth = tuple(c for c in (last["conditions"] or ()) if c != ANAEMIA)
        row["conditions"] = growth + ((ANAEMIA,) if anaemic else ())
        rows.append(row)
        entry = _register_row(row, g, hb if current_hb else [], cuts)
        if hb and not current_hb and ANAEMIA in (hb[-1]["conditions"] or ()):
            entry = _stale_anaemia(entry, row, hb)
        if entry:
            register.append(entry)
    return HealthStatus(as_of, pd.DataFrame(rows), pd.DataFrame(register))


def _stale_anaemia(entry: dict | None, row: dict, hb: list[dict]) -> dict:
    """A child whose last haemoglobin, anaemic, is over 12 months old stays in 体弱儿管理 until a new one shows
    recovery (it left with no 结案): 贫血 is kept as a reason, its re-check due since that Hb's 12 months ran out."""
    since = {ANAEMIA: _since(hb, ANAEMIA)}
    if entry is None:
        return {"child_id": row["child_id"], "prev_conditions": None, "unset": (), "reasons": (ANAEMIA,),
                "since": since, "outcome": STALE_HB, "next": row["hb_due"]}
    nexts = [d for d in (entry["next"], row["hb_due"]) if d is not None]
    return entry | {"reasons": _ordered({*entry["reasons"], ANAEMIA}), "since": entry["since"] | since,
                    "next": min(nexts), "outcome": entry["outcome"] if entry["outcome"] != "已恢复正常" else STALE_HB}


def _register_row(row: dict, g: list[dict], hb: list[dict], cuts: Criteria) -> dict | None:
    """The child's 体弱儿 entry: reasons with the date each was first found in its current run, the
    previous result (None without an earlier check), the outcome (新发现 / 好转 / 未好转 / 已恢复正常),
    the next re-check by the condition's own interval (None when 体检标准 sets none: unset names those).
    hb holds the haemoglobin readings only while the latest is within 12 months: an older one proves
    neither anaemia nor recovery."""
    now = row["conditions"]
    before, earlier = set(), False
    for rows, kinds in ((g, set(GROWTH)), (hb, {ANAEMIA})):
        if len(rows) > 1:
            earlier = True
            before |= set(rows[-2]["conditions"] or ()) & kinds
    if not now and not before:
        return None
    entry = {"child_id": row["child_id"], "prev_conditions": _ordered(before) if earlier else None, "unset": ()}
    if not row["evaluated"]:  # 7 or older under WS/T 423, or measurements to check: nothing to compare
        outcome = "未评价" if row.get("out_of_scope") else "待核实"
        return entry | {"reasons": _ordered(before), "since": {}, "outcome": outcome, "next": None}
    since, nexts, unset, improved, new = {}, [], [], [], []
    for c in now:
        rows = hb if c == ANAEMIA else g
        since[c] = _since(rows, c)
        last = rows[-1]
        every = cuts.recheck(c, last["months"])
        if every:
            nexts.append(add_months(last["date"], every))
        else:
            unset.append(c)
        if len(rows) > 1 and _held(rows[-2]["conditions"], c):
            a, b = _value(rows[-2], c), _value(last, c)
            improved.append(b > a if CONDITIONS[c][1] == LOW else b < a)
        else:
            new.append(c)
    if not now:
        outcome = "已恢复正常"
    elif len(new) == len(now):
        outcome = "新发现"
    else:  # a condition new beside continuing ones is a Z moved away from normal: never 好转
        outcome = "好转" if all(improved) and not new else "未好转"
    return entry | {"reasons": now or _ordered(before), "since": since, "outcome": outcome,
                    "next": min(nexts) if nexts else None, "unset": tuple(unset)}
