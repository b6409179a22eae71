"""The staff sheets' own rules: anyone in service on a school day without a 健康证 date or past its expiry (错误,
on the certificate), one expiring within 基本信息's 健康证到期提醒 days (警告), a
training, appraisal, pledge or duty row of a person who had left (错误), a score above its item's 满分
(警告, flagged on 月考核汇总 too), an appraisal item not in 考核细则 for the person's 岗位 (警告), a 保育员
without a class (错误)."""
from __future__ import annotations

import datetime as dt

from kgxl.core.calendar import months_between
from kgxl.core.cells import is_blank, show
from kgxl.core.problems import ERROR, WARNING, Problem
from kgxl.domains.staff.merit import covered, in_service
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
    if v.has_rows("merit_plan"):
        out += _merit_rules(v, staff, left)
    return out


def _merit_rules(v, staff, left) -> list[Problem]:
    """绩效方案 rows paying nothing (neither 金额 nor 系数), a 系数 without 基本信息's 绩效基数, an adjustment of a person
    who had left (错误); a person the plan covers without a 月考核 in a month of the term up to today (警告: no base
    绩效; the current month only once its appraisal has begun)."""
    t, out = v.tables, []
    plan = t["merit_plan"]
    for i, r in plan.frame.dropna(subset=["role", "min_score"]).iterrows():
        if is_blank(r["amount"]) and is_blank(r["factor"]):
            _add(out, plan, i, "amount", None, "merit_band_empty", "本档既没有绩效金额也没有绩效系数：请填写其一")
        elif is_blank(r["amount"]) and v.settings.merit_base is None:
            _add(out, plan, i, "factor", r["factor"], "merit_base_missing",
                 "本档按系数计发，“基本信息”中的绩效基数(元/月)还没有填写")
    if "merit_adjustments" in t:
        adj = t["merit_adjustments"]
        for i, r in adj.frame.dropna(subset=["staff_id", "date"]).iterrows():
            if r["staff_id"] in left and r["date"] > left[r["staff_id"]]:
                _add(out, adj, i, "staff_id", r["staff_id"], "staff_left",
                     f"{r['staff_id']} 已于 {left[r['staff_id']].isoformat()} 离职，{show(r['date'])} 不应有奖罚")
    if "appraisals" not in t or not v.settings.term_valid:
        return out
    scores = t["appraisals"].frame.dropna(subset=["month", "staff_id"])
    now = min(v.today, v.settings.term_end)
    months = [m for m in months_between(v.settings.term_start, now)
              if m < now.strftime("%Y-%m") or (scores["month"] == m).any()]
    done = set(zip(scores["month"], scores["staff_id"]))
    missing: dict = {}
    for m in months:
        for p in covered(in_service(staff.frame, m), plan.frame).itertuples():
            if (m, p.staff_id) not in done:
                missing.setdefault(p.Index, []).append(m)
    for i, ms in missing.items():
        _add(out, staff, i, "staff_id", staff.frame.at[i, "staff_id"], "no_appraisal",
             f"{staff.frame.at[i, 'name']}（{staff.frame.at[i, 'role']}）{'、'.join(ms)} 没有月考核：绩效工资表不发基础绩效，"
             "请补录考核", WARNING)
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
