"""传染病: the cases of 传染病登记 by month, disease and class (附件5 表3), and what the registers say that the
register of cases does not: a 病 episode whose 备注 names a notifiable disease (甲/乙/丙类, or an alias) with no
case of that child found within WINDOW days of it, and a class cluster of sick absences with no case in the class.
发病率 = cases found in the month ÷ children enrolled on any day of the month × 100 %, a case counted once: a
registration of the same child and disease found before the earlier case's course ended (its 返园日期, or its
隔离期 from 传染病病种 when later or not yet returned; with neither, the child is still isolated) is that case
again (REPEAT_RULE), a later one a new case. Pure."""
from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from kgxl.core.calendar import month_bounds
from kgxl.core.roster import enrolled_between
from kgxl.domains.care.shipped import diseases as shipped_diseases

NOTIFIABLE = ("甲类", "乙类", "丙类")
WINDOW = dt.timedelta(days=7)  # a case found up to a week before or after the sick days is the same illness
REPEAT_RULE = ("同一幼儿同一病种在上一例病程结束前（返园日期，或按“传染病病种”的隔离期，取较晚者；未返园且隔离期未设置的视为仍在隔离）"
               "再次登记的，算同一病例，只计一次（另列“重复登记”请核对）；病程结束后再登记的，算新病例")


def diseases(frame: pd.DataFrame | None) -> pd.DataFrame:
    """name, category, aliases: the 传染病病种 sheet's rows, or the shipped list when the sheet is absent."""
    if frame is None:
        frame = pd.DataFrame(shipped_diseases())
    if "isolation_days" not in frame:  # a workbook from before the column
        frame = frame.assign(isolation_days=None)
    return frame.dropna(subset=["name"]).drop_duplicates("name")[["name", "category", "aliases", "isolation_days"]]


def terms(table: pd.DataFrame) -> list[tuple[str, str]]:
    """(written form, disease name), longest form first, so 手足口病 is found before 手足口."""
    out = []
    for name, aliases in zip(table["name"], table["aliases"]):
        out += [(name, name)] + [(a, name) for a in re.split(r"[、，,；;\s]+", aliases if isinstance(aliases, str) else "") if a]
    return sorted(out, key=lambda t: -len(t[0]))


def named_in(text, forms: list[tuple[str, str]]) -> list[str]:
    found = []
    for form, name in forms:
        if isinstance(text, str) and form in text and name not in found:
            found.append(name)
    return found


def cases(infections: pd.DataFrame, roster: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """The register's readable rows: row, found, month, child_id, name, class_name, disease (canonical), category,
    isolated, returned, certificate, measures."""
    canon = {form: name for form, name in terms(table)}
    c = infections.dropna(subset=["found", "child_id", "disease"])
    by_id = roster.dropna(subset=["child_id"]).drop_duplicates("child_id").set_index("child_id")
    c = c.assign(disease=c["disease"].map(lambda d: canon.get(d, d)), month=c["found"].map(lambda d: d.strftime("%Y-%m")),
                 name=c["child_id"].map(by_id["name"]), class_name=c["child_id"].map(by_id["class_name"]))
    c = c.assign(category=c["disease"].map(dict(zip(table["name"], table["category"]))),
                 isolation_days=c["disease"].map(dict(zip(table["name"], pd.to_numeric(table["isolation_days"])))))
    c = c.rename_axis("row").reset_index().sort_values(["found", "row"], ignore_index=True)
    return c.assign(repeat_of=pd.Series(_repeats(c), index=c.index, dtype=object))  # a row number or None


def course_end(found: dt.date, isolated, returned, days) -> dt.date | None:
    """The last day of a case's course: the later of 返园日期 and the 隔离期 counted from 隔离日期 (else 发现日期);
    None while neither is known (still isolated)."""
    ends = [returned] if isinstance(returned, dt.date) else []
    if days == days and days is not None:
        ends.append((isolated if isinstance(isolated, dt.date) else found) + dt.timedelta(days=int(days)))
    return max(ends) if ends else None


def _repeats(c: pd.DataFrame) -> list:
    """For each case: the row of the case it repeats (same child and disease, found before that case's course
    ended), or None for a new case."""
    out, open_case = [], {}
    for r in c.itertuples():
        key = (r.child_id, r.disease)
        first = open_case.get(key)
        if first is not None and (first[1] is None or r.found < first[1]):
            out.append(first[0])
            continue
        out.append(None)
        open_case[key] = (r.row, course_end(r.found, r.isolated, r.returned, r.isolation_days))
    return out


def counted(c: pd.DataFrame) -> pd.DataFrame:
    """The cases counted in 发病率: repeats of a case still in its course left out."""
    return c[c["repeat_of"].isna()]


def early_returns(c: pd.DataFrame) -> pd.DataFrame:
    """Cases back before their 隔离期 (from 隔离日期, else 发现日期) ended, with the days they were away."""
    has = c["returned"].notna() & c["isolation_days"].notna()
    r = c[has]
    start = [i if isinstance(i, dt.date) else f for i, f in zip(r["isolated"], r["found"])]
    away = pd.Series([(b - a).days for a, b in zip(start, r["returned"])], index=r.index, dtype=float)
    return r.assign(away=away)[away < r["isolation_days"]]


def enrolled_in(roster: pd.DataFrame, month: str) -> int:
    return len(enrolled_between(roster, *month_bounds(month)))


def by_disease(c: pd.DataFrame, months: list[str]) -> pd.DataFrame:
    """Per disease: cases found in each month (columns = months) and in all of them."""
    c = c[c["month"].isin(months)]
    t = c.pivot_table(index=["disease", "category"], columns="month", values="child_id", aggfunc="size", fill_value=0)
    t = t.reindex(columns=months, fill_value=0)
    t["total"] = t.sum(axis=1)
    return t.reset_index().sort_values(["total", "disease"], ascending=[False, True], ignore_index=True)


def by_class(c: pd.DataFrame, roster: pd.DataFrame, classes: list[str], month: str, months: list[str]) -> pd.DataFrame:
    """Per class: enrolled in the month, cases of the month, cases of the months given."""
    on = enrolled_between(roster, *month_bounds(month))["class_name"].value_counts()
    now = c[c["month"] == month]["class_name"].value_counts()
    term = c[c["month"].isin(months)]["class_name"].value_counts()
    return pd.DataFrame({"class_name": classes, "enrolled": [int(on.get(k, 0)) for k in classes],
                         "month": [int(now.get(k, 0)) for k in classes], "term": [int(term.get(k, 0)) for k in classes]})


def unregistered(episodes: pd.DataFrame, c: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """Sick episodes (attendance.sickness.episodes) whose note names a notifiable disease with no case of the child
    found between start - WINDOW and end + WINDOW: the episode's columns and disease."""
    forms = terms(table[table["category"].isin(NOTIFIABLE)])
    found = c.groupby("child_id")["found"].agg(list).to_dict()
    rows = []
    for e in episodes.itertuples():
        named = named_in(e.note, forms)
        if named and not any(e.start - WINDOW <= d <= e.end + WINDOW for d in found.get(e.child_id, [])):
            rows.append({**e._asdict(), "disease": "、".join(named)})
    return pd.DataFrame(rows, columns=[*episodes.columns, "disease"])


def clusters_without_cases(alerts: pd.DataFrame, c: pd.DataFrame) -> pd.DataFrame:
    """Cluster alerts (attendance.sickness.alerts) of a class with no case of that class found near them."""
    found: dict = {}
    for cls, d in zip(c["class_name"], c["found"]):
        if isinstance(cls, str) and isinstance(d, dt.date):
            found.setdefault(cls, []).append(d)
    keep = [not any(a.start - WINDOW <= d <= a.end + WINDOW for d in found.get(a.class_name, []))
            for a in alerts.itertuples()]
    return alerts[keep].reset_index(drop=True)
