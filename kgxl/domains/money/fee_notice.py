"""收费公示: every fee the kindergarten charges, with its approval, as a one-page A4 notice."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from kgxl.core.money import MONEY
from kgxl.core.port import Block, SheetOutput
from kgxl.domains.money.domain import FEES as SHEET


def fee_notice(items: pd.DataFrame, settings, published: dt.date) -> SheetOutput:
    name = settings.kindergarten_name or ""
    rows = [[r.item, r.price, r.unit, r.basis, r.refund_rule, r.agency]
            for r in items.dropna(subset=["item"]).itertuples()]
    agency = [r[0] for r in rows if r[5] == "是"]
    notes = ["本园按上表项目和标准收费，表外不收取任何费用。"]
    if agency:
        notes.append(f"{'、'.join(agency)}为代收代办项目，由家长自愿选择，按实际支出结算，学期末多退少补。")
    notes.append(f"咨询电话：{settings.phone}。" if settings.phone else "")
    sign = Block(["园长（签字）", "公示日期"], [[None, f"{published.year}年{published.month}月{published.day}日"]])
    titles = [f"{name} {settings.term_label or ''} 收费公示".strip(), "".join(notes)]
    return SheetOutput(SHEET, [Block(["收费项目", "收费标准(元)", "计费单位", "收费依据（批准文号）", "退费办法", "代收代办"],
                                     rows, formats={1: MONEY}), sign],
                       titles=titles, widths=[16, 13, 9, 34, 40, 9], page_header=f"{name} 收费公示",
                       tab_color="FF548235")
