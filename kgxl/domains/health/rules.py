"""The health domain's rules: 体检记录's rows beyond one column's own range (a date before birth or after today, a
measurement no child of that age and sex can have, a child the standard does not cover, a 卧位 length from 2
years), and the conditions whose 复查间隔 体检标准 does not set."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from kgxl.core.cells import show
from kgxl.core.problems import ERROR, WARNING, Problem
from kgxl.core.reading import Table
from kgxl.core.schema import load_schemas
from kgxl.domains.health import china_reference as china
from kgxl.domains.health import growth_reference as ref
from kgxl.domains.health.growth import ANY, INDICATOR_TEXT, VERIFIED, Criteria, age_text, cutoffs, evaluate


def rules(v) -> list:
    t = v.tables
    if "health_checks" not in t:
        return []  # no health checks kept in this workbook: nothing to schedule either
    norms = t["health_norms"] if "health_norms" in t else None
    out = recheck_problems(norms, v.settings.growth_standard)
    roster = t["roster"].frame if "roster" in t else None
    cuts = cutoffs(norms.frame if norms is not None else None, v.settings.growth_standard)
    return out + check_problems(t["health_checks"], roster, cuts, v.today, v.seen)


def recheck_problems(norms, standard: str) -> list:
    """A 警告 for each condition of the standard in force whose 复查间隔 is not set: 体弱儿管理 cannot
    schedule its re-check (no interval is cited for it; the local rule must be filled in)."""
    cuts = cutoffs(norms.frame if norms is not None else None, standard)
    missing = cuts.unset()
    out = []
    if norms is not None:
        f = norms.frame
        rows = f[f["standard"].isin((standard, ANY)) & f["item"].isin(missing) & f["recheck_months"].isna()]
        for i, item in rows["item"].items():
            out.append(Problem(norms.sheet, norms.cell(i, "recheck_months"), "复查间隔(月)", "", "recheck_unset",
                               f"{item}的复查间隔未设置：体弱儿管理无法安排复查，请按本地体弱儿专案管理要求填写（月）", WARNING))
        missing = [m for m in missing if m not in set(rows["item"])]
    if missing:
        out.append(Problem(load_schemas()["health_norms"].sheet, "", "", "", "recheck_unset",
                           f"{'、'.join(missing)}的复查间隔未设置（表中没有这些行，用的是默认界值）：请添加这些行并按本地体弱儿专案管理要求"
                           f"填写复查间隔(月)", WARNING))
    return out


def check_problems(table: Table, roster: pd.DataFrame | None, cuts: Criteria, today: dt.date,
                   seen: set) -> list[Problem]:
    """Located problems of 体检记录 beyond one column's own range: a check dated before the child's
    birth (错误) or after today (错误); a measurement WHO flags as implausible for the child's age and
    sex (警告: the row is shown as 待核实 and not evaluated until 备注 says 已核实); a child of 7 or more
    under WS/T 423, a 卧位 length from 2 years, two checks of one child on one day (警告: the later row counts)."""
    out: list[Problem] = []
    frame = table.frame

    def add(i, key, value, code, severity, message):
        cell = table.cell(i, key)
        if (table.sheet, cell) not in seen:
            seen.add((table.sheet, cell))
            out.append(Problem(table.sheet, cell, table.schema.column(key).header, show(value), code, message,
                               severity))

    for i, d in frame["date"].dropna().items():
        if d > today:
            add(i, "date", d, "future_date", ERROR, f"检查日期晚于今天（{today.isoformat()}），请核对")
    dated = frame[["child_id", "date"]].dropna()
    later = dated[dated.duplicated(keep="last")]  # every row of a child's day but the last one in the table
    for i, r in later.iterrows():
        kept = dated[(dated["child_id"] == r["child_id"]) & (dated["date"] == r["date"])].index[-1]
        add(i, "date", r["date"], "same_day_check", WARNING,
            f"{r['child_id']} 在 {show(r['date'])} 有两行体检记录：评价取表中靠后的一行（{table.cell(kept, 'date')}），"
            "本行不计；请删去多余的一行，或改正日期")
    if roster is None:
        return out
    births = roster.dropna(subset=["child_id"]).drop_duplicates("child_id").set_index("child_id")["birth_date"]
    dated = frame[["child_id", "date"]].dropna()
    born = dated["child_id"].map(births)
    for i, d, b in zip(dated.index, dated["date"], born):
        if isinstance(b, dt.date) and d < b:
            add(i, "date", d, "before_birth", ERROR, f"检查日期早于该幼儿的出生日期（{b.isoformat()}）")
    keys = ("child_id", "date", "height_cm", "weight_kg")
    clean = [i for i in frame.index if not any((table.sheet, table.cell(i, k)) in seen for k in keys)]
    ev = evaluate(frame.loc[clean], roster, cuts)
    for i, r in ev[ev["implausible"] != ""].iterrows():
        ks = r["implausible"].split("、")
        key = "height_cm" if "haz" in ks else "weight_kg"  # a wrong height skews the weight-for-height too
        zs = "，".join(f"{INDICATOR_TEXT[k]}Z值 {r['who_' + k]:+.1f}（WHO，合理范围 {ref.IMPLAUSIBLE[k][0]}～+{ref.IMPLAUSIBLE[k][1]}）"
                      for k in ks)
        add(i, key, r[key], "implausible_growth", WARNING,
            f"{age_text(r['birth_date'], r['date'])}{'男' if r['sex'] == '男' else '女'}孩身高 {show(r['height_cm'])} 厘米、体重 "
            f"{show(r['weight_kg'])} 千克：{zs}，不像真实测量值（单位是否填成了斤、克或毫米？是否录入错误？）。"
            f"本行暂不评价；核实无误请在备注中写“{VERIFIED}”")
    for i, r in ev[ev["out_of_scope"]].iterrows():
        add(i, "date", r["date"], "beyond_standard", WARNING,
            f"测量时 {age_text(r['birth_date'], r['date'])}，已满7岁：{china.NAME}只适用于7岁以下，本次未评价；"
            f"如需评价，可在“基本信息”的生长评价标准中改用 WHO")
    for i, r in ev[ev["lying"] & (ev["months"] >= china.LENGTH_UNTIL_MONTHS)].iterrows():
        add(i, "height_cm", r["height_cm"], "lying_over_two", WARNING,
            "2岁及以上应立位测量身高；备注写明卧位，已按卧位身长减 0.7 厘米（WHO 的换算）评价")
    return out
