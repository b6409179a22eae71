"""WS/T 423—2022《7岁以下儿童生长标准》: the standard's SD tables (附录 B, shipped in
kgxl/data/china_growth/ with their provenance) and the evaluation of a measurement against them.

The standard publishes seven SD lines (−3 … +3 SD), not LMS parameters, at whole months (monthly to 24,
then every 3 months to 81) and whole centimetres, and grades a child by the SD band the measurement falls
in (表3; a band includes its lower line). It gives no rule between rows; ours, shown on the sheets:
- age in months: completed calendar months plus the days since ÷ 30.4375 (a check on the birthday's day of
  the month is at a tabulated age exactly); each SD line is interpolated linearly between the tabulated ages, and
  between whole centimetres for weight-for-length/height;
- 82-83 months (past the last row, 81, still under 7): each SD line continues the straight line through
  the 78- and 81-month rows; from 84 months the standard does not apply (not evaluated);
- under 24 months the length tables (身长, weight-for-length 45-100 cm), from 24 months the height tables
  (身高, weight-for-height 75-130 cm); outside a table's range that indicator is not evaluated.
The z shown is approximate: linear between the SD lines around the measurement (beyond ±3 SD the outer
interval continued). It equals the band edges exactly at the lines, so a band read from it is the band of
表3.
"""
from __future__ import annotations

import json
from functools import lru_cache

import numpy as np

from kgxl.core.paths import DATA

SOURCE = DATA / "china_growth" / "ws_t_423_2022.json"
NAME = "WS/T 423—2022《7岁以下儿童生长标准》"
DAYS_PER_MONTH = 30.4375
LENGTH_UNTIL_MONTHS = 24  # 身长 (lying) below, 身高 (standing) from
SCOPE_MONTHS = 84  # under 7 years
EXTRAPOLATE_FROM = 78  # 82-83 months continue the line through the 78- and 81-month rows
RULE = ("月龄按日历计算（满月数加不足一月的天数÷30.4375）；表列月龄（24月龄后每3个月一行）之间各标准差线按直线插值，身长/身高按整厘米之间插值；"
        "82-83月龄沿78、81月龄两行的直线外推；满84月龄（7岁）不评价。Z值为近似值（相邻标准差线之间按直线折算），"
        "分级按 WS/T 423—2022 表3 的标准差范围（各档含下限）。")


class Lines:
    """One SD table of one sex: keys (ages in months or cm) and the seven SD values of each."""

    def __init__(self, rows: list[list[float]], extrapolate: bool):
        a = np.array(rows, dtype=float)
        self.keys, self.values = a[:, 0], a[:, 1:]
        self.extrapolate = extrapolate

    def at(self, key: np.ndarray) -> np.ndarray:
        """(n, 7) SD lines at each key; NaN outside the table (ages up to SCOPE_MONTHS continue the last rows)."""
        key = np.asarray(key, float)
        out = np.full((len(key), 7), np.nan)
        first, last = self.keys[0], self.keys[-1]
        inside = np.isfinite(key) & (key >= first - 1e-9) & (key <= last + 1e-9)
        i = np.searchsorted(self.keys, key[inside], side="right").clip(1, len(self.keys) - 1)
        lo, hi = self.keys[i - 1], self.keys[i]
        frac = ((key[inside] - lo) / (hi - lo))[:, None]
        out[inside] = self.values[i - 1] + frac * (self.values[i] - self.values[i - 1])
        if self.extrapolate:
            beyond = np.isfinite(key) & (key > last + 1e-9) & (key < SCOPE_MONTHS)
            j = int(np.searchsorted(self.keys, EXTRAPOLATE_FROM))
            slope = (self.values[-1] - self.values[j]) / (last - EXTRAPOLATE_FROM)
            out[beyond] = self.values[-1] + (key[beyond] - last)[:, None] * slope
        return out


@lru_cache(maxsize=1)
def tables() -> dict[tuple[str, int], Lines]:
    """(indicator, sex 1/2) -> Lines: waz, haz, baz by age in months; wfl, wfh by length/height in cm."""
    data = json.loads(SOURCE.read_text(encoding="utf-8"))
    out = {}
    for sex, name in ((1, "boy"), (2, "girl")):
        age = data["ageBased"][name]
        out[("waz", sex)] = Lines(age["weight"], True)
        out[("haz", sex)] = Lines(age["stature"], True)
        out[("baz", sex)] = Lines(age["bmi"], True)
        out[("wfl", sex)] = Lines(data["statureBasedWeight"][name]["length"], False)
        out[("wfh", sex)] = Lines(data["statureBasedWeight"][name]["height"], False)
    return out


# A value on an interpolated line (83.6 cm at 26 months, between 82.0 and 84.4) differs from the line computed in
# floating point by ~1e-14; values recorded to 0.01 that are not on it differ by far more than this.
ON_LINE = 1e-9


def approx_z(x: np.ndarray, lines: np.ndarray) -> np.ndarray:
    """z linear between the SD lines around x (the outer intervals continued beyond ±3 SD); NaN where
    x or the lines are missing. A value on a line is exactly that line's z (a band includes its lower line)."""
    x = np.asarray(x, float)
    on = np.abs(x[:, None] - lines) <= ON_LINE
    k = ((x[:, None] >= lines) | on).sum(axis=1).clip(1, 6) - 1  # the interval [line k, line k+1] used
    rows = np.arange(len(x))
    lo, hi = lines[rows, k], lines[rows, k + 1]
    with np.errstate(invalid="ignore", divide="ignore"):
        z = -3 + k + (x - lo) / (hi - lo)
    hit = on.any(axis=1)
    return np.where(hit, on.argmax(axis=1) - 3.0, z)


def _by_sex(indicator: str, sex: np.ndarray, key: np.ndarray) -> np.ndarray:
    out = np.full((len(key), 7), np.nan)
    for s in (1, 2):
        mask = sex == s
        if mask.any():
            out[mask] = tables()[(indicator, s)].at(key[mask])
    return out


def zscores(sex, age_months, length_cm, weight_kg) -> dict[str, np.ndarray]:
    """Approximate z of waz, haz, whz (weight-for-length under 24 months, weight-for-height from 24) and baz,
    NaN where the standard has no value. length_cm: the stature as the table of the child's age expects it
    (身长 under 24 months, 身高 from 24)."""
    sex = np.asarray(sex, int)
    months = np.asarray(age_months, float)
    months = np.where((months >= 0) & (months < SCOPE_MONTHS), months, np.nan)
    stature, weight = np.asarray(length_cm, float), np.asarray(weight_kg, float)
    young = months < LENGTH_UNTIL_MONTHS
    bmi = weight / (stature / 100) ** 2
    whz = np.where(young, approx_z(weight, _by_sex("wfl", sex, np.where(young, stature, np.nan))),
                   approx_z(weight, _by_sex("wfh", sex, np.where(young, np.nan, stature))))
    return {"waz": approx_z(weight, _by_sex("waz", sex, months)), "haz": approx_z(stature, _by_sex("haz", sex, months)),
            "whz": np.where(np.isfinite(months), whz, np.nan), "baz": approx_z(bmi, _by_sex("baz", sex, months))}
