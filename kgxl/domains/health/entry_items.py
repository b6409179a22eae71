"""The 入园体检 items of 体检记录 (视力, 龋齿, 听力, 预防接种证查验): per class and the whole kindergarten, from each
enrolled child's latest check up to the report day that has the item. 某病患病率 = 患病人数 ÷ 检查人数 (规范 附件5
表2); 视力低常 is the examining doctor's judgement (the 视力低常 column: kgxl sets no cut-off); 预防接种证查验率 =
children whose certificate was checked (是 or 补种) ÷ children who entered this term. Pure."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from kgxl.core.money import percent

RULE = ("视力、龋齿、听力按每名幼儿至统计日最近一次有该项结果的体检计；某病患病率＝患病人数÷检查人数（附件5 表2）；视力低常按体检医生"
        "的判定（“视力低常”列）；预防接种证查验率＝查验人数（是或补种）÷本学期新入园幼儿数")
HEADER = ["班级", "视力检查人数", "视力低常人数", "视力低常率(%)", "龋齿检查人数", "龋齿人数", "龋齿患病率(%)", "听力检查人数",
          "听力异常人数", "新入园人数", "接种证查验人数", "需补种人数", "查验率(%)"]


def _latest(checks: pd.DataFrame, key: str, as_of: dt.date) -> pd.Series:
    """child_id -> the value of its latest check up to as_of that has the item."""
    c = checks.dropna(subset=["child_id", "date", key])
    c = c[c["date"] <= as_of].sort_values("date")
    return c.drop_duplicates("child_id", keep="last").set_index("child_id")[key]


def counts(checks: pd.DataFrame, children: pd.DataFrame, classes: list[str], as_of: dt.date,
           term_start: dt.date | None, total: str) -> list[list]:
    """HEADER's rows: each class, then the whole kindergarten. children: the enrolled (child_id, class_name,
    entry_date)."""
    low, caries = _latest(checks, "vision_low", as_of), _latest(checks, "caries", as_of)
    hearing, vaccine = _latest(checks, "hearing", as_of), _latest(checks, "vaccination", as_of)
    rows = []
    for cls in [*classes, total]:
        g = children if cls == total else children[children["class_name"] == cls]
        ids = set(g["child_id"])
        lo, ca, he = low[low.index.isin(ids)], caries[caries.index.isin(ids)], hearing[hearing.index.isin(ids)]
        new = g[g["entry_date"] >= term_start] if term_start else g.iloc[0:0]
        va = vaccine[vaccine.index.isin(set(new["child_id"]))]
        seen, sick = len(lo), int((lo == "是").sum())
        with_caries = int((pd.to_numeric(ca) > 0).sum())
        verified = int(va.isin(("是", "补种")).sum())
        rows.append([cls, seen, sick, percent(sick, seen), len(ca), with_caries, percent(with_caries, len(ca)), len(he),
                     int((he == "异常").sum()), len(new), verified, int((va == "补种").sum()), percent(verified, len(new))])
    return rows
