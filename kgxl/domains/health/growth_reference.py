"""The WHO growth references and z-scores from their LMS tables (the other standard, WS/T 423-2022,
is china_reference).

Under 60 months: the WHO Child Growth Standards (2006), by day; weight-for-length below 731 days,
weight-for-height from 731 days, both by 0.1 cm. From 60.0 months, as current WHO AnthroPlus does: the
WHO 2007 growth reference, by month (AnthroPlus's own tables, which start at 60 months), its L, M and S
interpolated between whole months. The tables are WHO's own files (kgxl/data/who_growth/, provenance in
kgxl/data/README.md).
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from kgxl.core.paths import DATA

WHO = DATA / "who_growth"
NAME = "WHO 儿童生长标准（2006，5岁以下）及 WHO 2007 生长参考值（5岁及以上）"
UNDER5_MONTHS = 60  # the 2006 standards below, the 2007 reference from (current AnthroPlus)
LENGTH_UNTIL_DAY = 731  # below it WHO uses recumbent length; a standing height is converted (+0.7 cm)
STANDING_TO_LENGTH = 0.7
DAYS_PER_MONTH = 30.4375
MONTHS_2007 = {"haz": 228, "waz": 120, "baz": 228}  # last month of each 2007 table WHO evaluates
# WHO's flags for biologically implausible z-scores (Anthro and AnthroPlus): (below, above)
IMPLAUSIBLE = {"waz": (-6, 5), "haz": (-6, 6), "whz": (-5, 5), "baz": (-5, 5)}
RESTRICTED = ("waz", "whz", "baz")  # weight-based: WHO's adjustment beyond ±3 SD
INDICATORS = ("waz", "haz", "whz", "baz")


class Table:
    """L, M, S by sex on a regular grid: first key, step; lookups interpolate between grid points."""

    def __init__(self, frame: pd.DataFrame, key: str, step: float):
        self.first, self.step = float(frame[key].min()), step
        n = int(round((frame[key].max() - self.first) / step)) + 1
        self.lms = np.full((3, n, 3), np.nan)  # sex (1, 2) x grid x (L, M, S)
        for sex, rows in frame.groupby("sex"):
            pos = np.round((rows[key].to_numpy(float) - self.first) / step).astype(int)
            self.lms[int(sex), pos] = rows[["l", "m", "s"]].to_numpy(float)
        if np.any(self.lms[1:, :, 0] == 0):
            raise ValueError("L = 0 rows need the log form of the LMS formula")

    def at(self, sex: np.ndarray, key: np.ndarray) -> np.ndarray:
        """(n, 3) L, M, S; NaN outside the grid or where sex is not 1 or 2."""
        out = np.full((len(key), 3), np.nan)
        x = (np.asarray(key, float) - self.first) / self.step
        ok = np.isfinite(x) & (x >= -1e-9) & (x <= self.lms.shape[1] - 1 + 1e-9) & np.isin(sex, (1, 2))
        lo = np.floor(x[ok] + 1e-9).astype(int).clip(0, self.lms.shape[1] - 1)
        hi = np.minimum(lo + 1, self.lms.shape[1] - 1)
        frac = (x[ok] - lo).clip(0, 1)[:, None]
        s = np.asarray(sex)[ok].astype(int)
        out[ok] = self.lms[s, lo] + frac * (self.lms[s, hi] - self.lms[s, lo])
        return out


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(WHO / name, sep=r"\s+").rename(columns=str.lower)


@lru_cache(maxsize=None)
def tables() -> dict[str, Table]:
    return {"waz": Table(_read("weight_for_age.txt"), "age", 1), "haz": Table(_read("length_for_age.txt"), "age", 1),
            "baz": Table(_read("bmi_for_age.txt"), "age", 1),
            "wfl": Table(_read("weight_for_length.txt"), "length", 0.1),
            "wfh": Table(_read("weight_for_height.txt"), "height", 0.1),
            "waz07": Table(_read("anthroplus_2007/wfawho2007.txt"), "age", 1),
            "haz07": Table(_read("anthroplus_2007/hfawho2007.txt"), "age", 1),
            "baz07": Table(_read("anthroplus_2007/bfawho2007.txt"), "age", 1)}


def lms_z(x: np.ndarray, lms: np.ndarray, restricted: bool) -> np.ndarray:
    """z = ((X/M)^L - 1)/(L*S); restricted: beyond ±3 SD, WHO measures the distance in units of
    the 2-3 SD interval instead (weight-based indicators)."""
    L, M, S = lms[:, 0], lms[:, 1], lms[:, 2]
    with np.errstate(invalid="ignore", divide="ignore"):
        z = ((x / M) ** L - 1) / (L * S)
        if restricted:
            def sd(k):
                return M * (1 + L * S * k) ** (1 / L)
            z = np.where(z > 3, 3 + (x - sd(3)) / (sd(3) - sd(2)), z)
            z = np.where(z < -3, -3 + (x - sd(-3)) / (sd(-2) - sd(-3)), z)
    return z


def zscores(sex, age_days, height_cm, weight_kg) -> pd.DataFrame:
    """Columns waz, haz, whz, baz (NaN where WHO gives none: whz from 60 months, waz after 120) and
    bmi. sex: 1 boys, 2 girls; height_cm: standing height."""
    t = tables()
    sex = np.asarray(sex, int)
    days = np.asarray(age_days, float)
    height, weight = np.asarray(height_cm, float), np.asarray(weight_kg, float)
    young = days < LENGTH_UNTIL_DAY
    length = np.where(young, height + STANDING_TO_LENGTH, height)  # what WHO's under-2 tables are made for
    bmi = weight / (height / 100) ** 2
    under5 = (days >= 0) & (days < UNDER5_MONTHS * DAYS_PER_MONTH)
    months = np.where(under5, np.nan, days / DAYS_PER_MONTH)
    out = {}
    for k, x in (("waz", weight), ("haz", length), ("baz", weight / (length / 100) ** 2)):
        z5 = lms_z(x, t[k].at(sex, np.where(under5, np.round(days), np.nan)), k in RESTRICTED)
        x07 = height if k == "haz" else (bmi if k == "baz" else weight)
        ok07 = (months >= UNDER5_MONTHS) & (months <= MONTHS_2007[k])
        z07 = lms_z(x07, t[k + "07"].at(sex, np.where(ok07, months, np.nan)), k in RESTRICTED)
        out[k] = np.where(under5, z5, z07)
    wfl = lms_z(weight, t["wfl"].at(sex, np.where(under5 & young, length, np.nan)), True)
    wfh = lms_z(weight, t["wfh"].at(sex, np.where(under5 & ~young, height, np.nan)), True)
    out["whz"] = np.where(young, wfl, wfh)
    return pd.DataFrame({**{k: out[k] for k in INDICATORS}, "bmi": bmi})


def measurement(indicator: str, sex: int, age_days: int, z: float, height_cm: float | None = None) -> float:
    """The measurement at z SD for a child (within ±3 SD, where the LMS curve is exact): height for
    haz, weight for waz and whz (at height_cm), BMI for baz. Used to generate sample children."""
    t = tables()
    if age_days < UNDER5_MONTHS * DAYS_PER_MONTH:
        if indicator == "whz":
            table, key = ("wfl", height_cm + STANDING_TO_LENGTH) if age_days < LENGTH_UNTIL_DAY else ("wfh", height_cm)
        else:
            table, key = indicator, round(age_days)
    else:
        table, key = indicator + "07", age_days / DAYS_PER_MONTH
    L, M, S = t[table].at(np.array([sex]), np.array([key]))[0]
    value = M * (1 + L * S * z) ** (1 / L)
    return value - STANDING_TO_LENGTH if indicator == "haz" and age_days < LENGTH_UNTIL_DAY else value
