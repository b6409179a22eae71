"""The sample kindergarten's 体检记录: each child's 入园体检 and yearly autumn checks, drawn from the child's own WHO
z-scores, and its 体检标准 with its own re-check intervals where no source is cited."""
from __future__ import annotations

import datetime as dt
import random

from kgxl.domains.health import shipped
from kgxl.domains.health.growth_reference import measurement

HEALTH_LAST = dt.date(2026, 10, 30)


def rows(s, got: dict) -> dict:
    return {"health_checks": health_checks(s), "health_norms": health_norms(),
            "settings": {"growth_standard": "WS/T 423-2022"}}


def health_checks(s) -> list[dict]:
    """Each child's checks so far: the 入园体检 before entry, then one check each later autumn (the
    children are 3 and over: once a year), haemoglobin at almost every check, and a re-check about a
    month after a low haemoglobin. Measurements follow the child's own WHO z-scores (height and BMI,
    drifting a little from year to year), so the kindergarten has a plausible spread: most children
    near the median, a few under- or overweight, obese, wasted or anaemic. A few children missed
    this autumn's check. Nothing is dated after HEALTH_LAST: tests run with "today" from 2026-10-31."""
    rng, rows = random.Random(f"{s.seed}-health"), []
    for c in s.roster:
        sex = 1 if c["sex"] == "男" else 2
        hz, bz, hb = rng.gauss(0.3, 0.9), rng.gauss(0.0, 0.9), rng.gauss(123, 8)
        dates = [min(c["entry_date"] - dt.timedelta(days=rng.randint(10, 45)), HEALTH_LAST)]
        for year in range(c["entry_date"].year + 1, s.term[0].year + 1):
            if year < s.term[0].year or rng.random() > 0.03:
                dates.append(dt.date(year, 9, 14) + dt.timedelta(days=rng.randint(0, 10)))
        for d in dates:
            if c["leave_date"] and d > c["leave_date"]:
                break
            hz, bz, hb = hz + rng.gauss(0, 0.1), bz + rng.gauss(0, 0.3), hb + rng.gauss(0, 4)
            tested = rng.random() < 0.95
            rows.append(_check(c, sex, d, hz, bz, hb if tested else None, None))
            follow = d + dt.timedelta(days=rng.randint(28, 36))
            if tested and hb < 110 and follow <= HEALTH_LAST:
                hb += rng.gauss(7, 3)  # iron-rich diet advice between the two
                rows.append(_check(c, sex, follow, hz, bz, hb, "贫血复查"))
    rows.sort(key=lambda r: (r["date"], r["child_id"]))
    _entry_items(s, rows)
    return rows


def _entry_items(s, rows: list[dict]) -> None:
    """This term's checks (and the 入园体检 of this term's new children) get 视力 from 4 years, 龋齿, 听力, and the new
    children's 接种证查验 — from their own random stream, so the growth figures do not move. A few 视力低常 (the
    sample doctor's judgement, with a lower eye), a fifth of the children with caries, two needing 补种."""
    rng, new = random.Random(f"{s.seed}-entry-items"), 0
    entered = {c["child_id"]: c["entry_date"] for c in s.roster}
    for r in rows:
        first = entered[r["child_id"]] >= s.term[0]
        if r["note"] is not None or not (first or r["date"] >= s.term[0]):
            continue
        birth = next(c["birth_date"] for c in s.roster if c["child_id"] == r["child_id"])
        if (r["date"] - birth).days >= 4 * 365:
            low = rng.random() < 0.05
            r["vision_left"], r["vision_right"] = rng.choice((4.8, 4.9, 5.0, 5.1)), rng.choice((4.8, 4.9, 5.0, 5.1))
            if low:
                r["vision_left"] = 4.6
            r["vision_low"] = "是" if low else "否"
        r["caries"] = 0 if rng.random() < 0.8 else rng.randint(1, 4)
        r["hearing"] = "正常"
        if first:
            new += 1
            r["vaccination"] = "补种" if new in (3, 7) else "是"


def _check(c: dict, sex: int, d: dt.date, hz: float, bz: float, hb: float | None, note: str | None) -> dict:
    days = (d - c["birth_date"]).days
    height = measurement("haz", sex, days, hz)
    weight = measurement("baz", sex, days, bz) * (height / 100) ** 2
    return {"child_id": c["child_id"], "date": d, "height_cm": round(height, 1), "weight_kg": round(weight, 1),
            "hemoglobin": None if hb is None else float(round(hb)), "note": note}


def health_norms() -> list[dict]:
    """The shipped defaults, plus the sample kindergarten's own re-check intervals where no source is
    cited (anaemia, overweight and obesity): its local rule, labelled as the sample's."""
    own = {"贫血": "1", "超重": "3", "肥胖": "3", "重度肥胖": "1"}
    rows = shipped.health_norms()
    for r in rows:
        if not r["recheck_months"] and r["item"] in own:
            r["recheck_months"] = own[r["item"]]
            r["basis"] = r["basis"].split("；复查间隔")[0] + f"；复查间隔{own[r['item']]}个月为本示例园的体弱儿专案管理要求（示例）"
    return rows
