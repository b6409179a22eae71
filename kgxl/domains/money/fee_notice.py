"""收费公示: every fee the kindergarten charges, by category (保教费, 保育费, 住宿费, 伙食费, 服务性收费,
代收费), with its approval and the 保教费 waiver, as a one-page A4 notice; and the rule that no waived child
is charged a waived 保教费 (国办发〔2025〕27号: 公办 kindergartens charge no 保育教育费 for 大班 from the
2025 autumn term).
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from kgxl.core.money import MONEY
from kgxl.core.port import Block, SheetOutput
from kgxl.core.problems import ERROR, Problem, show
from kgxl.core.reading import Table
from kgxl.domains.money.shared import FEES as SHEET

CATEGORIES = ("保教费", "保育费", "住宿费", "伙食费", "服务性收费", "代收费")
WAIVED, VOLUNTARY = "保教费", "代收费"


def _category(r) -> str:
    category = getattr(r, "category", None)
    return category if isinstance(category, str) else "未分类"


def waiver_text(settings) -> str:
    w = settings.waiver
    if w is None:
        return ""
    groups, start, basis = w
    who = "、".join(groups)
    if settings.ownership == "公办":
        return f"本园为公办幼儿园，自{start.year}年{start.month}月{start.day}日起{who}幼儿免收保育教育费（依据：{basis}）。"
    return (f"{who}幼儿的保育教育费自{start.year}年{start.month}月{start.day}日起按当地同类型公办幼儿园免除水平相应减免"
            f"（依据：{basis}）。")


def fee_notice(items: pd.DataFrame, settings, published: dt.date) -> SheetOutput:
    name = settings.kindergarten_name or ""
    rank = {c: i for i, c in enumerate(CATEGORIES)}
    known = sorted(items.dropna(subset=["item"]).itertuples(), key=lambda r: rank.get(_category(r), len(rank)))
    rows = [[_category(r), r.item, r.price, r.unit, r.basis, r.refund_rule,
             "家长自愿" if _category(r) == VOLUNTARY or r.agency == "是" else "否"] for r in known]
    voluntary = [r[1] for r in rows if r[6] == "家长自愿"]
    notes = ["本园按下表项目和标准收费，表外不收取任何费用。", waiver_text(settings)]
    if voluntary:
        notes.append(f"{'、'.join(voluntary)}为代收费项目，由家长自愿选择，按实际支出结算，学期末多退少补。")
    notes.append(f"咨询电话：{settings.phone}。" if settings.phone else "")
    sign = Block(["园长（签字）", "公示日期"], [[None, f"{published.year}年{published.month}月{published.day}日"]])
    titles = [f"{name} {settings.term_label or ''} 收费公示".strip(), "".join(notes)]
    header = ["收费类别", "收费项目", "收费标准(元)", "计费单位", "收费依据（批准文号）", "退费办法", "家长自愿"]
    return SheetOutput(SHEET, [Block(header, rows, formats={2: MONEY}, wrap=(4, 5)), sign],
                       titles=titles, widths=[10, 14, 12, 8, 32, 38, 9], page_header=f"{name} 收费公示",
                       tab_color="FF548235")


def waived_fees(records: Table, items: pd.DataFrame, roster: pd.DataFrame, classes: pd.DataFrame,
                settings) -> list[Problem]:
    """收费记录 rows charging a 保教费 item to a child whose age group a 公办 kindergarten no longer charges."""
    w = settings.waiver
    if w is None or settings.ownership != "公办" or "category" not in items:
        return []
    groups, start, basis = w
    waived_items = set(items.loc[items["category"] == WAIVED, "item"].dropna())
    group_of_class = dict(zip(classes["class_name"], classes["age_group"]))
    class_of = roster.dropna(subset=["child_id"]).drop_duplicates("child_id").set_index("child_id")["class_name"]
    f = records.frame.dropna(subset=["date", "child_id", "item", "amount"])
    group = f["child_id"].map(class_of).map(group_of_class)
    hit = f["item"].isin(waived_items) & (f["amount"] > 0) & group.isin(groups) & (f["date"] >= start)
    out = []
    for i, r in f[hit].iterrows():
        out.append(Problem(records.sheet, records.cell(i, "amount"), records.schema.column("amount").header,
                           show(r["amount"]), "waived_fee",
                           f"{r['child_id']} 在{group[i]}，{r['item']}自{start.isoformat()}起免收（{basis}）：请删除这一行，"
                           f"已收的应退还", ERROR))
    return out
