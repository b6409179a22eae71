"""The staff sheets' own rules: anyone in service on a school day without a 健康证 date or past its expiry (错误,
on the certificate), one expiring within 基本信息's 健康证到期提醒 days (警告), a
training, appraisal, pledge or duty row of a person who had left (错误), a score above its item's 满分
(警告, flagged on 月考核汇总 too), an appraisal item not in 考核细则 for the person's 岗位 (警告), a 保育员
without a class (错误)."""
from __future__ import annotations

import datetime as dt

from kgxl.core.cells import show
from kgxl.core.problems import ERROR, WARNING, Problem
from kgxl.domains.staff.names import HEALTH_CHECK_BASIS


def _add(out, t, i, key, value, code, message, severity=ERROR):
    out.append(Problem(t.sheet, t.cell(i, key), t.schema.column(key).header, show(value), code, message, severity))


def rules(v) -> list[Problem]:
    t = v.tables
    if "staff" not in t:
        return []
    staff, out = t["staff"], []
    f = staff.frame
    last_day = min(v.today, v.settings.term_end) if v.settings.term_valid else v.today
    for i, r in f.iterrows():
        if r["role"] == "保育员" and not isinstance(r["class_name"], str):
            _add(out, staff, i, "class_name", "", "carer_without_class", "保育员应填写所在班级")
        out += _certificate(staff, i, r, v, last_day)
    left = {p: e for p, e in zip(f["staff_id"], f["end_date"]) if isinstance(e, dt.date)}
    for key, date_key in (("trainings", "date"), ("duty", "date"), ("pledges", "date")):
        if key not in t:
            continue
        rows = t[key].frame.dropna(subset=["staff_id", date_key])
        for i, r in rows.iterrows():
            if r["staff_id"] in left and r[date_key] > left[r["staff_id"]]:
                _add(out, t[key], i, "staff_id", r["staff_id"], "staff_left",
                     f"{r['staff_id']} 已于 {left[r['staff_id']].isoformat()} 离职，{show(r[date_key])} 不应有其记录")
    if "appraisals" in t and "appraisal_items" in t:
        out += _appraisal_rules(t["appraisals"], t["appraisal_items"].frame, f, left)
    return out


def _certificate(staff, i, r, v, last_day: dt.date) -> list[Problem]:
    """Every member of staff, every school day in service up to today, holds a valid 健康证."""
    start = r["start_date"]
    if v.calendar is None or not isinstance(start, dt.date):
        return []
    end = min(last_day, r["end_date"]) if isinstance(r["end_date"], dt.date) else last_day
    expiry, out, who = r["health_cert_expiry"], [], f"{r['name']}（{r['role']}）"
    if not isinstance(expiry, dt.date):
        worked = [d for d in v.calendar.days if start <= d <= end]
        if worked:
            _add(out, staff, i, "health_cert_expiry", expiry, "health_cert_missing",
                 f"{who}{worked[0].isoformat()} 起在岗，未填写健康证到期日期：{HEALTH_CHECK_BASIS}")
        return out
    worked = [d for d in v.calendar.days if expiry < d <= end and d >= start]
    if worked:
        _add(out, staff, i, "health_cert_expiry", expiry, "health_cert_expired",
             f"{who}的健康证 {expiry.isoformat()} 已过期，{worked[0].isoformat()} 起仍在岗：{HEALTH_CHECK_BASIS}；"
             "请立即停岗并办理健康证")
    elif start <= v.today and end >= v.today and (expiry - v.today).days <= v.settings.health_cert_warn_days:
        _add(out, staff, i, "health_cert_expiry", expiry, "health_cert_soon",
             f"{who}的健康证 {expiry.isoformat()} 到期（{(expiry - v.today).days} 天后）：请安排健康检查，换发健康证", WARNING)
    return out


def _appraisal_rules(scores, items, staff, left) -> list[Problem]:
    out = []
    role = dict(zip(staff["staff_id"], staff["role"]))
    maxima = {(r.role, r.item): r.max_score for r in items.dropna(subset=["role", "item", "max_score"]).itertuples()}
    for i, r in scores.frame.dropna(subset=["staff_id", "item"]).iterrows():
        pid = r["staff_id"]
        if pid in left and isinstance(r["month"], str) and r["month"] > left[pid].strftime("%Y-%m"):
            _add(out, scores, i, "staff_id", pid, "staff_left", f"{pid} 已于 {left[pid].isoformat()} 离职，{r['month']} 不应有考核")
            continue
        top = maxima.get((role.get(pid), r["item"]))
        if pid in role and top is None:
            _add(out, scores, i, "item", r["item"], "unknown_appraisal_item",
                 f"“考核细则”中{role[pid]}没有考核项目“{r['item']}”", WARNING)
        elif top is not None and r["score"] == r["score"] and r["score"] > top:
            _add(out, scores, i, "score", r["score"], "score_above_max",
                 f"{r['item']}满分 {show(top)}，得分 {show(r['score'])} 超过满分，请核对", WARNING)
    return out
