"""`kgxl new-term`: the next term's master workbook from this term's. What a term hands to the next is carried:
children still enrolled (at a new school year their classes move up: 托班 → 小班 → 中班 → 大班, and 大班 leave),
the classes, staff still employed, 体检记录 of the children carried (growth needs the history), the closing food
stock as 期初, and every reference or plan sheet as the kindergarten left it (食物成分, 营养标准, 体检标准, 传染病病种,
收费项目, 检查计划, 考核细则, 节假日调整, 资产类别, 物品目录, 水电气: its readings are next year's comparison) with 基本信息. Registers, menus, fee and money records, logs start empty.
Fixed assets carry over as their changes left them, with the supplies' closing stock and open loans.
The old workbook is only read; the new one is written once, never over an existing file."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import pandas as pd

from kgxl.core.actions import UserError
from kgxl.core.calendar import term_label
from kgxl.core.problems import ERROR
from kgxl.core.validation import Validated

AGES = ("托班", "小班", "中班", "大班")
LEAVES = "离园"  # a class mapped here leaves with its children (大班 at the end of the school year)
AS_IS = ("foods", "nutrition_norms", "health_norms", "diseases", "fee_items", "inspection_plan", "appraisal_items",
         "holiday_overrides", "asset_categories", "supplies", "meters")  # meters: last year's months are the comparison
CARRIED = ("settings", "classes", "roster", "staff", "health_checks", "stock", "assets", "supply_moves", *AS_IS)
TERM_ITEMS = ("term_start", "term_end", "term_label", "current_month")


def school_year(day: dt.date) -> int:
    """The year a school year starts in (it starts in autumn)."""
    return day.year if day.month >= 8 else day.year - 1


def records(frame: pd.DataFrame) -> list[dict]:
    """A table's rows as dicts, blanks as None."""
    return [{k: (None if v is None or (isinstance(v, float) and v != v) or v is pd.NA else v) for k, v in r.items()}
            for r in frame.astype(object).to_dict("records")]


def promoted_name(name: str, age: str) -> str:
    """小一班 → 中一班: the class's age word moves up; a name without it (向日葵班) stays."""
    nxt = AGES[AGES.index(age) + 1]
    return name.replace(age[0], nxt[0], 1) if age[0] in name else name


def class_map(classes: list[dict], promote: bool, edits: dict[str, str]) -> dict[str, str]:
    """Old class name -> new class name (or LEAVES). edits: the user's own pairs, over the default."""
    out = {}
    for c in classes:
        name, age = c["class_name"], c["age_group"]
        if not promote:
            out[name] = name
        elif age == AGES[-1]:
            out[name] = LEAVES
        else:
            out[name] = promoted_name(name, age)
    unknown = set(edits) - set(out)
    if unknown:
        raise UserError(f"升班对应中的班级不在上学期的“班级”表中：{'、'.join(sorted(unknown))}")
    return out | edits


@dataclass
class Carried:
    rows: dict[str, object]
    mapping: dict[str, str]
    restart: dict[str, str]
    counts: dict[str, int] = field(default_factory=dict)


def restarts(classes: list[dict], mapping: dict[str, str]) -> dict[str, str]:
    """A class whose children leave keeps its teachers for a new 小班 (循环带班): 大一班 → 小一班, when the
    name has its age word and the new name is free; old name -> new class name."""
    taken = {new for new in mapping.values() if new != LEAVES}
    out = {}
    for c in classes:
        name, age = c["class_name"], c["age_group"]
        if mapping[c["class_name"]] != LEAVES or age not in AGES or age[0] not in name:
            continue
        new = name.replace(age[0], AGES[1][0], 1)
        if new not in taken:
            out[name] = new
            taken.add(new)
    return out


def _classes(classes: list[dict], mapping: dict[str, str], restart: dict[str, str], promote: bool) -> list[dict]:
    out = []
    for c in classes:
        new, age = mapping[c["class_name"]], c["age_group"]
        if new == LEAVES:
            if c["class_name"] not in restart:
                continue
            new, age = restart[c["class_name"]], AGES[1]
        elif promote and age in AGES[:-1]:
            age = AGES[AGES.index(age) + 1]
        out.append(c | {"class_name": new, "age_group": age})
    names = [c["class_name"] for c in out]
    if len(set(names)) < len(names):
        raise UserError("升班后班级名称重复：" + "、".join(sorted({n for n in names if names.count(n) > 1})) +
                        "；请用 --class 旧班级=新班级 指定")
    return out


def _stock(v: Validated, start: dt.date, handler: str) -> list[dict]:
    """期初 on the new term's first day: each food's balance at the end of the old term (its last 盘点 and what was
    booked after it), the children's meal stock only."""
    from kgxl.domains.money.stock import STAFF, ledger, stock_on

    frame = v.tables["stock"].frame
    led = ledger(frame[frame["diner"] != STAFF])
    closing = stock_on(led, v.settings.term_end)
    closing = closing[closing["qty"] > 1e-9]
    return [{"date": start, "kind": "期初", "food": food, "category": r.category, "qty_kg": round(r.qty, 2),
             "unit_price": round(r.fen / 100 / round(r.qty, 2), 6), "amount": r.fen / 100, "handler": handler}
            for food, r in closing.iterrows()]


def _assets(v: Validated) -> list[dict]:
    """Every card as the old term's changes left it (room, keeper, status at its last day); scrapped cards stay."""
    from kgxl.domains.assets.register import book

    changes = v.tables["asset_changes"].frame if "asset_changes" in v.tables else None
    cards = book(v.tables["assets"].frame, changes, v.settings.term_end)
    keys = [c for c in v.tables["assets"].frame.columns if c in cards.columns]
    return records(cards[keys].reset_index(drop=True))


def _supplies(v: Validated, start: dt.date, handler: str) -> list[dict]:
    """On the new term's first day: each item's closing stock as a 盘点 at its average price (the loans still out
    counted in, as they are the kindergarten's), then each open loan lent again, its first date in the note."""
    from kgxl.domains.assets.supplies import average_price, balance_on, ledger, loans

    led = ledger(v.tables["supply_moves"].frame)
    out, _ = loans(led, v.settings.term_end)
    closing = balance_on(led, v.settings.term_end).to_dict()
    for r in out.itertuples():
        closing[r.item] = closing.get(r.item, 0.0) + r.qty
    price = average_price(led, v.settings.term_end).round(2).to_dict()
    rows = []
    for item, q in closing.items():
        if q > 1e-9:
            p, q = price.get(item), round(float(q), 2)
            rows.append({"date": start, "kind": "盘点", "item": item, "qty": q, "unit_price": p,
                         "amount": None if p is None else round(q * p, 2), "handler": handler,
                         "note": "上学期结存（含借出未还）"})
    return rows + [{"date": start, "kind": "出借", "item": r.item, "qty": r.qty, "dept": r.dept, "person": r.person,
                    "handler": handler, "note": f"上学期 {r.date.isoformat()} 借出未还"} for r in out.itertuples()]


def carry(v: Validated, inputs, start: dt.date, end: dt.date, edits: dict[str, str]) -> Carried:
    """What the new term's workbook starts with, from a validated old workbook (inputs: the input schemas)."""
    old = v.settings
    if start <= old.term_end:
        raise UserError(f"新学期开始日期 {start} 应在上学期结束日期 {old.term_end} 之后")
    promote = school_year(start) > school_year(old.term_start)
    classes = records(v.tables["classes"].frame)
    mapping = class_map(classes, promote, edits)
    restart = restarts(classes, mapping)
    rows: dict[str, object] = {s.key: [] for s in inputs if not s.monthly}
    rows |= {k: records(v.tables[k].frame) for k in AS_IS if k in v.tables}
    settings = records(v.tables["settings"].frame)[0]
    rows["settings"] = settings | {"term_start": start, "term_end": end, "term_label": term_label(start),
                                   "current_month": start.strftime("%Y-%m")}
    rows["classes"] = _classes(classes, mapping, restart, promote)
    counts = {"enrolled": 0, "moved_up": 0, "left_class": 0, "left_before": 0}
    roster = []
    for child in records(v.tables["roster"].frame):
        if child["leave_date"] and child["leave_date"] < start:
            counts["left_before"] += 1
            continue
        new = mapping.get(child["class_name"], child["class_name"])
        if new == LEAVES:
            counts["left_class"] += 1
            continue
        counts["enrolled"] += 1
        counts["moved_up"] += promote or new != child["class_name"]
        roster.append(child | {"class_name": new})
    rows["roster"] = roster
    kept = {c["child_id"] for c in roster}
    if "health_checks" in v.tables:
        rows["health_checks"] = [r for r in records(v.tables["health_checks"].frame) if r["child_id"] in kept]
    if "staff" in v.tables:
        teaching = mapping | restart  # a class's teachers follow it, or take the new 小班 when its children leave
        rows["staff"] = [s | {"class_name": None if teaching.get(s["class_name"]) == LEAVES else
                              teaching.get(s["class_name"], s["class_name"])}
                         for s in records(v.tables["staff"].frame) if not s["end_date"] or s["end_date"] >= start]
    if "stock" in v.tables:
        rows["stock"] = _stock(v, start, old.accountant or "上学期结转")
    if "assets" in v.tables:
        rows["assets"] = _assets(v)
    if "supply_moves" in v.tables:
        rows["supply_moves"] = _supplies(v, start, old.accountant or "上学期结转")
    return Carried(rows, mapping, restart, counts)


def blocking(v: Validated) -> list:
    """The 错误 in the sheets carried forward: a new term does not start from rows that could not be read."""
    from kgxl.core.schema import load_schemas

    sheets = {load_schemas()[k].sheet for k in CARRIED}
    return [p for p in v.problems if p.severity == ERROR and p.sheet in sheets]


def parse_edits(pairs: list[str] | None) -> dict[str, str]:
    out = {}
    for pair in pairs or []:
        m = re.fullmatch(r"\s*([^=＝]+?)\s*[=＝]\s*([^=＝]+?)\s*", pair)
        if not m:
            raise UserError(f"升班对应“{pair}”无法识别，格式应如 小一班=中一班 或 大一班=离园")
        out[m.group(1)] = m.group(2)
    return out
