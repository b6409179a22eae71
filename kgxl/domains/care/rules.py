"""The care sheets' own rules. 错误: a case or injury of a child not enrolled that day; a sample discarded before it
was taken. 警告: a dish of the menu without its sample, too light, kept too short or with no 销毁 written once the
hours have passed (on the 留样 row, or the menu's 菜品 cell when there is none); a sample of a dish not on that
day's menu; a register 病 episode naming a notifiable disease with no 传染病登记 row; a 返园 without a 返园证明;
a month of the term gone by without a meal committee meeting.

Food-sample gaps are 警告, not 错误: an 错误 stops 刷新汇总 until the cell is corrected, and the only "correction"
of a sample that was never kept would be to write one. They are the 留样检查 sheet's red rows instead."""
from __future__ import annotations

import datetime as dt

from kgxl.core.calendar import month_bounds, month_label, months_between
from kgxl.core.cells import show
from kgxl.core.problems import ERROR, WARNING, Problem
from kgxl.core.roster import enrolled
from kgxl.domains.attendance.shared import child_days, sick_episodes
from kgxl.domains.care import samples as fs
from kgxl.domains.care.infections import cases, diseases, early_returns, unregistered
from kgxl.domains.care.shared import sample_check


def _add(out, t, i, key, value, code, message, severity=WARNING):
    out.append(Problem(t.sheet, t.cell(i, key), t.schema.column(key).header, show(value), code, message, severity))


def rules(v) -> list:
    t, out = v.tables, []
    roster = t["roster"].frame if "roster" in t else None
    for key, day in (("infections", "found"), ("injuries", "date")):
        if key in t and roster is not None:
            out += _not_enrolled(t[key], day, roster)
    if "food_samples" in t:
        out += _sample_order(t["food_samples"])
        if "menu" in t:
            out += sample_problems(v)
    if "infections" in t and roster is not None:
        out += _infection_problems(v, roster)
    if "meal_committee" in t and v.settings.term_valid:
        out += _committee_gaps(t["meal_committee"], v.settings, v.today)
    return out


def _not_enrolled(table, day_key, roster) -> list:
    f = table.frame.dropna(subset=["child_id", day_key])
    known = f[f["child_id"].isin(set(roster["child_id"].dropna()))]
    ok = enrolled(known["child_id"], known[day_key], roster)
    out = []
    for i, r in known[~ok].iterrows():
        _add(out, table, i, day_key, r[day_key], "record_not_enrolled",
             f"幼儿 {r['child_id']} 在 {show(r[day_key])} 不在园（入园日期至离园日期之外），请核对日期或幼儿编号", ERROR)
    return out


def _sample_order(table) -> list:
    out = []
    f = table.frame.dropna(subset=["date", "taken", "discard_date"])
    for i, day, taken, gone, gone_at in zip(f.index, f["date"], f["taken"], f["discard_date"], f["discard_time"]):
        hours = fs.kept_hours(day, taken, gone, gone_at)
        if hours is not None and hours < 0:
            _add(out, table, i, "discard_time" if gone == day else "discard_date", gone_at,
                 "date_order", f"销毁时间早于留样时间（{show(day)} {show(taken)}）", ERROR)
    return out


def sample_problems(v) -> list:
    menu, samples, settings, today = v.tables["menu"], v.tables["food_samples"], v.settings, v.today
    checked, stray = sample_check(v, today)
    need = f"每餐每个菜品留样不少于 {show(settings.sample_grams)} 克、冷藏 {show(settings.sample_hours)} 小时以上"
    out = []
    for r in checked[~checked["status"].isin(fs.GOOD)].itertuples():
        what = f"{show(r.date)} {r.meal}“{r.dish}”"
        if r.sample_row is None:
            _add(out, menu, r.menu_row, "dish", r.dish, "sample_missing", f"{what}没有留样记录（{need}）")
            continue
        if fs.LIGHT in r.status:
            _add(out, samples, r.sample_row, "grams", r.grams, "sample_light", f"{what}留样 {show(r.grams)} 克，不足 "
                 f"{show(settings.sample_grams)} 克")
        if fs.SHORT in r.status:
            _add(out, samples, r.sample_row, "discard_date", samples.frame.at[r.sample_row, "discard_date"], "sample_short",
                 f"{what}留样只保存了 {r.hours:.0f} 小时，不足 {show(settings.sample_hours)} 小时")
    for r in stray.itertuples():
        _add(out, samples, r.row, "dish", r.dish, "sample_not_on_menu",
             f"{show(r.date)} {r.meal}的“带量食谱”中没有菜品“{r.dish}”：菜名写法不一致，还是食谱没有更新？")
    return out


def _infection_problems(v, roster) -> list:
    t, out = v.tables["infections"], []
    table = diseases(v.tables["diseases"].frame if "diseases" in v.tables else None)
    c = cases(t.frame, roster, table)
    for r in c[c["returned"].notna() & (c["certificate"] != "有")].itertuples():
        _add(out, t, r.row, "certificate", r.certificate, "no_return_certificate",
             f"{r.child_id}（{r.disease}）{show(r.returned)} 返园，没有返园证明：传染病患儿返园须有医疗机构出具的证明")
    for r in early_returns(c).itertuples():
        _add(out, t, r.row, "returned", r.returned, "early_return",
             f"{r.child_id}（{r.disease}）离园 {int(r.away)} 天即返园，“传染病病种”中{r.disease}的隔离期为 "
             f"{int(r.isolation_days)} 天" + ("：请核对返园证明是否写明可以返园" if r.certificate == "有" else "：请核对"))
    first = c.set_index("row")["found"]
    for r in c[c["repeat_of"].notna()].itertuples():
        _add(out, t, r.row, "found", r.found, "repeat_case",
             f"{r.child_id} 的{r.disease}已于 {show(first[r.repeat_of])} 登记（{t.cell(r.repeat_of, 'found')}），"
             "此次发现在那一例返园（病程结束）之前：按同一病例计一次；若确是再次感染，请核对上一例的返园日期")
    long = child_days(v)
    if long is None or v.calendar is None:
        return out
    ep = sick_episodes(v)
    for e in unregistered(ep[ep["start"] <= v.today], c, table).itertuples():
        on = long[long["ord"].to_numpy() == e.start.toordinal()]  # the day's rows first: whole numbers, not text
        cell = on[on["child_id"] == e.child_id].iloc[0]
        out.append(Problem(cell["sheet"], f"{cell['letter']}{cell['row']}", e.start.isoformat(), "病",
                           "infection_unregistered",
                           f"{e.name or e.child_id}（{e.child_id}，{e.class_name}）{show(e.start)} 起病假，备注写有"
                           f"{e.disease}（法定传染病），“传染病登记”中没有该幼儿前后 7 天内的病例", WARNING))
    return out


def _committee_gaps(table, settings, today: dt.date) -> list:
    held = {d.strftime("%Y-%m") for d in table.frame["date"].dropna()}
    return [Problem(table.sheet, "", "", "", "committee_missing",
                    f"{month_label(m)}没有膳食委员会会议记录：应每月至少召开一次", WARNING)
            for m in months_between(settings.term_start, settings.term_end)
            if month_bounds(m)[1] < today and m not in held]
