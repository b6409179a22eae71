"""Growth evaluation of every 体检记录 row: age at the check, WHO z-scores, and the conditions the
体检标准 cut-offs give; plus the checks' own problems for validation (a date before birth or in the
future, a measurement no child of that age and sex can have). Pure: frames in, frames out.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kgxl.core.editable_defaults import number, overlay
from kgxl.core.paths import DATA
from kgxl.core.problems import ERROR, WARNING, Problem, show
from kgxl.core.reading import Table
from kgxl.domains.health import growth_reference as ref

NORMS_CSV = DATA / "health_norms.csv"
LOW, HIGH = "<", ">"
# condition -> (indicator, direction); "wh" is weight-for-height under 5 and BMI-for-age from 5
CONDITIONS = {"低体重": ("waz", LOW), "生长迟缓": ("haz", LOW), "消瘦": ("wh", LOW), "超重": ("wh", HIGH),
              "肥胖": ("wh", HIGH), "贫血": ("hb", LOW)}
VERIFIED = "已核实"  # written in 备注, it lets an implausible-looking measurement be evaluated
INDICATOR_TEXT = {"waz": "年龄别体重", "haz": "年龄别身高", "whz": "身高别体重", "baz": "BMI"}


@dataclass(frozen=True)
class Cutoff:
    threshold: float
    from_months: float | None
    to_months: float | None
    recheck_months: int | None
    basis: str

    def applies(self, months: np.ndarray) -> np.ndarray:
        ok = np.isfinite(months)
        if self.from_months is not None:
            ok &= months >= self.from_months
        if self.to_months is not None:
            ok &= months < self.to_months
        return ok


def cutoffs(frame: pd.DataFrame | None) -> dict[str, Cutoff]:
    """体检标准 rows over the shipped defaults (kgxl/data/health_norms.csv)."""
    table, shipped = overlay(frame, NORMS_CSV), overlay(None, NORMS_CSV)
    out = {}
    for item, r in table.iterrows():  # six rows
        if item not in CONDITIONS:
            continue  # a name the schema refuses (reported as an 错误)
        recheck, threshold = number(r["recheck_months"]), number(r["threshold"])
        out[item] = Cutoff(threshold if threshold is not None else float(shipped.loc[item, "threshold"]), number(r["from_months"]), number(r["to_months"]),
                           int(recheck) if recheck else None, str(r["basis"] or ""))
    return out


def age_text(days: int) -> str:
    """Completed years and months, as health records write them (3岁5月)."""
    months = int(days // ref.DAYS_PER_MONTH)
    return f"{months // 12}岁{months % 12}月"


def _joined(checks: pd.DataFrame, roster: pd.DataFrame) -> pd.DataFrame:
    """Checks with the child's sex, birth date, class and name; rows that cannot be aged dropped."""
    people = roster.dropna(subset=["child_id"]).drop_duplicates("child_id").set_index("child_id")
    df = checks.dropna(subset=["child_id", "date", "height_cm", "weight_kg"]).copy()
    df = df[df["child_id"].isin(people.index)]
    for k in ("sex", "birth_date", "class_name", "name"):
        df[k] = df["child_id"].map(people[k])
    df = df[df["sex"].isin(("男", "女")) & df["birth_date"].notna()]
    df["age_days"] = [(d - b).days for d, b in zip(df["date"], df["birth_date"])]
    return df[df["age_days"] >= 0]


def evaluate(checks: pd.DataFrame, roster: pd.DataFrame, cuts: dict[str, Cutoff]) -> pd.DataFrame:
    """One row per usable check (index = the check's row), with age_days, months, z-scores, bmi,
    implausible (indicator names beyond WHO's flags, '' when none or 已核实) and conditions (a
    tuple; None when the row is not evaluated because its measurements need checking)."""
    df = _joined(checks, roster)
    z = ref.zscores(np.where(df["sex"] == "男", 1, 2), df["age_days"], df["height_cm"], df["weight_kg"])
    z.index = df.index
    df = pd.concat([df, z], axis=1)
    df["months"] = df["age_days"] / ref.DAYS_PER_MONTH
    df["wh"] = df["whz"].where(df["whz"].notna(), df["baz"])
    verified = df["note"].fillna("").astype(str).str.contains(VERIFIED)
    beyond = {k: ((df[k] < lo) | (df[k] > hi)).to_numpy() for k, (lo, hi) in ref.IMPLAUSIBLE.items()}
    df["implausible"] = ["" if ok else "、".join(k for k in beyond if beyond[k][j])
                         for j, ok in enumerate(verified)]
    months = df["months"].to_numpy(float)
    flags = {}
    for name, (k, direction) in CONDITIONS.items():
        c = cuts[name]
        value = (df["hemoglobin"] if k == "hb" else df[k]).to_numpy(float)
        hit = value < c.threshold if direction == LOW else value > c.threshold
        flags[name] = hit & c.applies(months) & np.isfinite(value)
    flags["超重"] &= ~flags["肥胖"]  # an obese child is counted once, as 肥胖
    names = list(CONDITIONS)
    df["conditions"] = [tuple(n for n, f in zip(names, row) if f) for row in zip(*(flags[n] for n in names))]
    df.loc[df["implausible"] != "", "conditions"] = None
    df["hb_judged"] = df["hemoglobin"].notna() & cuts["贫血"].applies(months)
    return df


def check_problems(table: Table, roster: pd.DataFrame | None, cuts: dict[str, Cutoff], today: dt.date,
                   seen: set) -> list[Problem]:
    """Located problems of 体检记录 beyond one column's own range: a check dated before the child's
    birth (错误) or after today (错误); a measurement WHO flags as implausible for the child's age and
    sex (警告: the row is shown as 待核实 and not evaluated until 备注 says 已核实)."""
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
        zs = "，".join(f"{INDICATOR_TEXT[k]}Z值 {r[k]:+.1f}（合理范围 {ref.IMPLAUSIBLE[k][0]}～+{ref.IMPLAUSIBLE[k][1]}）"
                      for k in ks)
        add(i, key, r[key], "implausible_growth", WARNING,
            f"{age_text(r['age_days'])}{'男' if r['sex'] == '男' else '女'}孩身高 {show(r['height_cm'])} 厘米、体重 "
            f"{show(r['weight_kg'])} 千克：{zs}，不像真实测量值（单位是否填成了斤、克或毫米？是否录入错误？）。"
            f"本行暂不评价；核实无误请在备注中写“{VERIFIED}”")
    return out
