"""Growth evaluation of every 体检记录 row: age at the check, WHO z-scores, and the conditions the
体检标准 cut-offs give; plus the checks' own problems for validation (a date before birth or in the
future, a measurement no child of that age and sex can have). Pure: frames in, frames out.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kgxl.core.calendar import add_months
from kgxl.core.cells import is_blank
from kgxl.core.editable_defaults import defaults_frame, number
from kgxl.domains.health import china_reference as china
from kgxl.domains.health import growth_reference as ref
from kgxl.domains.health.shipped import health_norms

CHINA, WHO, ANY = "WS/T 423-2022", "WHO", "通用"
STANDARD_NAMES = {CHINA: china.NAME, WHO: ref.NAME}
LOW, HIGH = "<", ">"
# condition families, mildest grade first: (indicator, direction, grades); "wh" is weight-for-length/height
# where its table covers the child, else BMI-for-age
FAMILIES = {"低体重": ("waz", LOW, ("低体重", "重度低体重")), "生长迟缓": ("haz", LOW, ("生长迟缓", "重度生长迟缓")),
            "消瘦": ("wh", LOW, ("消瘦", "重度消瘦")), "超重肥胖": ("wh", HIGH, ("超重", "肥胖", "重度肥胖")),
            "贫血": ("hb", LOW, ("贫血",))}
CONDITIONS = {g: (k, d) for k, d, grades in FAMILIES.values() for g in grades}  # grade -> (indicator, direction)
FAMILY = {g: f for f, (_, _, grades) in FAMILIES.items() for g in grades}
VERIFIED = "已核实"  # written in 备注, it lets an implausible-looking measurement be evaluated
INDICATOR_TEXT = {"waz": "年龄别体重", "haz": "年龄别身高", "whz": "身高别体重", "baz": "BMI"}
COMPARE = {"<": np.less, "≤": np.less_equal, "≥": np.greater_equal, ">": np.greater}
# the measurement position a 备注 may state; without one a 身高 is taken as measured standing
LYING, STANDING = ("卧位", "卧式", "躺"), ("立位", "站立")


@dataclass(frozen=True)
class Cutoff:
    item: str
    compare: str
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

    def text(self) -> str:
        value = (f"血红蛋白 {self.compare} {self.threshold:g} 克/升" if self.item == "贫血"
                 else f"Z {self.compare} {self.threshold:+g}")
        ages = ""
        if self.from_months is not None or self.to_months is not None:
            lo = "" if self.from_months is None else f"{self.from_months:g}"
            hi = "" if self.to_months is None else f"{self.to_months:g}"
            ages = f"（{lo}-{hi}月龄）"
        return f"{self.item} {value}{ages}"


@dataclass(frozen=True)
class Criteria:
    """The cut-offs in force: the chosen standard's rows of 体检标准 (and the 通用 ones) over the defaults."""
    standard: str
    rules: tuple[Cutoff, ...]

    def recheck(self, item: str, months: float) -> int | None:
        """The re-check interval (months) of a condition at an age; None when not set."""
        m = np.array([months], float)
        return next((c.recheck_months for c in self.rules if c.item == item and c.applies(m)[0]), None)

    def unset(self) -> list[str]:
        return list(dict.fromkeys(c.item for c in self.rules if c.recheck_months is None))

    def text(self) -> str:
        return "；".join(c.text() for c in self.rules)


def _key(frame: pd.DataFrame) -> pd.Series:
    months = frame["from_months"].map(lambda v: "" if is_blank(v) else f"{float(v):g}")
    return frame["standard"].astype(str) + "|" + frame["item"].astype(str) + "|" + months


def _completed(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows of an older 体检标准 (before 生长标准 and 判定 were columns) were WHO's cut-offs compared as
    < for low conditions and > for high ones: blanks read that way (anaemia's rows are 通用)."""
    standard = frame["standard"].where(frame["standard"].notna(), np.where(frame["item"] == "贫血", ANY, WHO))
    low = frame["item"].map(lambda i: CONDITIONS.get(i, ("", LOW))[1] == LOW)
    compare = frame["compare"].where(frame["compare"].notna(), np.where(low, "<", ">"))
    return frame.assign(standard=standard, compare=compare)


def cutoffs(frame: pd.DataFrame | None, standard: str = CHINA) -> Criteria:
    """体检标准's rows (a row is known by 生长标准, 评价 and 适用起始月龄) over the shipped defaults
    (kgxl/data/health_norms.csv), those of `standard` and 通用, in the defaults' order."""
    shipped = defaults_frame(health_norms(), ("threshold", "from_months", "to_months", "recheck_months"))
    shipped.index = _key(shipped)
    table = shipped
    if frame is not None and len(frame):
        user = _completed(frame.dropna(subset=["item", "threshold"]))
        user = user[user["compare"].isin(COMPARE)]  # an unknown 判定 is validation's 错误: the row is not used
        user = user.set_axis(_key(user)).loc[lambda f: ~f.index.duplicated()]
        table = pd.concat([user, shipped[~shipped.index.isin(user.index)]])
    table = table[table["standard"].isin((standard, ANY)) & table["item"].isin(CONDITIONS)]
    rules = []
    for r in table.to_dict("records"):
        recheck = number(r["recheck_months"])
        rules.append(Cutoff(r["item"], r["compare"], float(r["threshold"]), number(r["from_months"]),
                            number(r["to_months"]), int(recheck) if recheck else None, str(r["basis"] or "")))
    order = list(CONDITIONS)
    return Criteria(standard, tuple(sorted(rules, key=lambda c: (order.index(c.item), c.from_months or 0))))


def completed_months(birth: dt.date, on: dt.date) -> int:
    """Completed calendar months from birth to a day (a child born 12-31 is 5岁10月 on 10-31)."""
    return (on.year - birth.year) * 12 + on.month - birth.month - (on.day < birth.day)


def age_text(birth: dt.date, on: dt.date) -> str:
    """Calendar age in completed years and months, as health records write them (3岁5月)."""
    months = completed_months(birth, on)
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


def _statures(df: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(standing height, recumbent length, lying noted) of each check: 身高 is taken as measured standing
    unless its 备注 says 卧位; one converts to the other by WHO's 0.7 cm (WS/T 423 gives no conversion)."""
    note = df["note"].fillna("").astype(str)
    lying = note.str.contains("|".join(LYING)).to_numpy() & ~note.str.contains("|".join(STANDING)).to_numpy()
    height = df["height_cm"].to_numpy(float)
    return (np.where(lying, height - ref.STANDING_TO_LENGTH, height),
            np.where(lying, height, height + ref.STANDING_TO_LENGTH), lying)


def calendar_months(births, days) -> np.ndarray:
    """Age in months as health records count it: completed calendar months, plus the days since the last
    month-day ÷ 30.4375 (a check on the birthday's day of the month is a whole number of months)."""
    out = []
    for b, d in zip(births, days):
        full = completed_months(b, d)
        out.append(full + (d - add_months(b, full)).days / china.DAYS_PER_MONTH)
    return np.array(out, float)


def evaluate(checks: pd.DataFrame, roster: pd.DataFrame, cuts: Criteria) -> pd.DataFrame:
    """One row per usable check (index = the check's row), with age_days, months, the chosen standard's
    z-scores (approximate for WS/T 423), bmi, implausible (indicators beyond WHO's flags, '' when none or
    已核实), out_of_scope (the standard does not cover the age) and conditions (a tuple, one grade per
    family; None when the row is not evaluated because its measurements need checking)."""
    df = _joined(checks, roster)
    sex = np.where(df["sex"] == "男", 1, 2)
    standing, length, lying = _statures(df)
    who = ref.zscores(sex, df["age_days"], standing, df["weight_kg"])
    who.index = df.index
    df["months"] = df["age_days"] / ref.DAYS_PER_MONTH
    df["lying"] = lying
    scope = np.zeros(len(df), bool)
    if cuts.standard == WHO:
        z = who
    else:
        months = calendar_months(df["birth_date"], df["date"])
        stature = np.where(months < china.LENGTH_UNTIL_MONTHS, length, standing)
        z = pd.DataFrame(china.zscores(sex, months, stature, df["weight_kg"]), index=df.index)
        z["bmi"] = who["bmi"]
        scope = months >= china.SCOPE_MONTHS
    df = pd.concat([df, z[[*ref.INDICATORS, "bmi"]], who[list(ref.INDICATORS)].add_prefix("who_")], axis=1)
    df["out_of_scope"] = scope
    df["wh"] = df["whz"].where(df["whz"].notna(), df["baz"])
    verified = df["note"].fillna("").astype(str).str.contains(VERIFIED)
    beyond = {k: ((who[k] < lo) | (who[k] > hi)).to_numpy() for k, (lo, hi) in ref.IMPLAUSIBLE.items()}
    df["implausible"] = ["" if ok else "、".join(k for k in beyond if beyond[k][j])
                         for j, ok in enumerate(verified)]
    months = df["months"].to_numpy(float)
    grade = {}
    for family, (k, _, grades) in FAMILIES.items():
        value = (df["hemoglobin"] if k == "hb" else df[k]).to_numpy(float)
        found = np.full(len(df), None, dtype=object)
        for g in grades:  # mildest first: a more severe grade that also holds replaces it
            for c in (c for c in cuts.rules if c.item == g):
                hit = COMPARE[c.compare](value, c.threshold) & c.applies(months) & np.isfinite(value)
                found[hit] = g
        grade[family] = found
    df["conditions"] = [tuple(g for g in row if g) for row in zip(*grade.values())]
    df.loc[(df["implausible"] != "") | df["out_of_scope"], "conditions"] = None
    anaemia = [c.applies(months) for c in cuts.rules if c.item == "贫血"]
    df["hb_judged"] = df["hemoglobin"].notna() & np.logical_or.reduce(anaemia or [np.zeros(len(df), bool)])
    return df
