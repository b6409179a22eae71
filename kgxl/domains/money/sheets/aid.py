"""资助情况: the term's 资助 by category and by source, the month's and the term's, and the share of 事业收入 the
kindergarten's own funds gave, against the band of 基本信息 (财教〔2011〕410号). No child is named: it goes to the
bureau."""
from __future__ import annotations

from decimal import Decimal

import pandas as pd

from kgxl.core.calendar import month_end_in_term
from kgxl.core.money import MONEY, pct, yuan
from kgxl.core.port import Block, SheetOutput
from kgxl.core.report import report_title
from kgxl.core.schema import load_schemas
from kgxl.domains.money import aid
from kgxl.domains.money.names import AID
from kgxl.domains.money.settlement import of_book

CATEGORIES = load_schemas()["aid"].column("category").allowed
SOURCES = load_schemas()["aid"].column("source").allowed


def _table(cr: pd.DataFrame, by: str, keys, items: list[str], month: str) -> list[list]:
    rows = []
    for k in [*keys, None]:
        g = cr if k is None else cr[cr[by] == k]
        rows.append([k or "合计", int(g["child_id"].nunique()),
                     *(yuan(g.loc[g["item"] == i, "aid"].sum()) for i in items), yuan(g["aid"].sum()),
                     yuan(g.loc[g["month"] == month, "aid"].sum())])
    return rows


def aid_sheet(cr: pd.DataFrame, income: int, settings, month: str, as_of) -> tuple[SheetOutput, str]:
    name = settings.kindergarten_name or ""
    items = list(dict.fromkeys(cr["item"]))
    header = ["资助人数", *(f"{i}(元)" for i in items), "本学期合计(元)", "本月(元)"]
    money_cols = {c: MONEY for c in range(2, 4 + len(items))}
    own = int(cr.loc[cr["source"] == aid.OWN_FUNDS, "aid"].sum())
    lo, hi = aid.band(settings)
    share = pct(own, income)
    state = ("本学期事业收入为零，无法计算" if share is None else f"低于 {lo:g}%" if share < Decimal(str(lo))
             else f"高于 {hi:g}%" if share > Decimal(str(hi)) else "在规定范围内")
    third = [["本学期事业收入（收支明细中保教费等收费收入）", yuan(income)], ["本园事业收入列支的资助", yuan(own)],
             ["占事业收入的比例", float(share / 100) if share is not None else None],
             ["规定的提取比例", f"{lo:g}%–{hi:g}%（{aid.BASIS}，具体比例由各地确定）"], ["结论", state]]
    blocks = [Block(["资助类别", *header], _table(cr, "category", CATEGORIES, items, month), title="一、按资助类别",
                    formats=money_cols, row_styles={len(CATEGORIES): "total"}),
              Block(["资金来源", *header], _table(cr, "source", SOURCES, items, month), title="二、按资金来源",
                    formats=money_cols, row_styles={len(SOURCES): "total"}),
              Block(["项目", "金额或比例"], third, title="三、从事业收入中提取资助资金的比例", formats={1: MONEY},
                    cell_formats={(2, 1): "0.00%"},
                    row_styles={4: "warning"} if share is not None and state != "在规定范围内" else {})]
    children = int(cr["child_id"].nunique())
    titles = [report_title(name, month, f"资助情况（{settings.term_label or '本学期'}，截至 {as_of}）"),
              f"本学期资助幼儿 {children} 名，资助金额 {cr['aid'].sum() / 100:,.2f} 元（从幼儿应缴的费用中抵减，按“资助对象”"
              f"的资助标准计算到 {as_of}）。本表不含幼儿姓名和编号，可报送教育局。"]
    out = SheetOutput(AID, blocks, titles=titles, widths=[30, 22, *([14] * (len(items) + 2))], landscape=False,
                      page_header=f"{name} 资助情况", tab_color="FF548235")
    return out, f"{AID}（{children} 名幼儿，{cr['aid'].sum() / 100:,.2f} 元，本园列支占事业收入 {share if share is not None else '—'}%）"


def has_aid(v) -> bool:
    return v.has_rows("aid")


def make_aid(v, req):
    as_of = month_end_in_term(req.month, v.settings.term_end)
    s, t = of_book(v, as_of), v.tables
    income = aid.fee_income(t["ledger"].frame if "ledger" in t else None, t["fee_items"].frame, v.settings.term_start,
                            as_of)
    sheet, said = aid_sheet(s.credits, income, v.settings, req.month, as_of)
    return [sheet], said
