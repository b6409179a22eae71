"""The assets sheets' own rules (the schemas already check ids, references, 金额 = 数量 × 单价, a repair finished
before it was reported and a count day outside the term): an asset used after it left the books (错误), 领用 or
出借 beyond the stock and a 归还 that matches no loan (错误), a loan still out at term end (警告), 入库 without
a price and 调拨 without a destination (错误), meter readings that go backwards or disagree with the 用量 or with
last month's reading (错误 / 警告) unless the row says 换表; an asset whose 报修/修复 are in both 资产变动 and 维修登记
with different dates (警告: one repair, two records that must agree)."""
from __future__ import annotations

import datetime as dt

from kgxl.core.cells import show
from kgxl.core.problems import ERROR, WARNING, Problem
from kgxl.domains.assets import supplies as sp
from kgxl.domains.assets.energy import shift
from kgxl.domains.assets.register import scrapped_since

TERM_END_DAYS = 14  # from this many days before the term's last day, a loan still out is a 警告 (学期末归还)


def _add(out, t, i, key, value, code, message, severity=ERROR):
    out.append(Problem(t.sheet, t.cell(i, key), t.schema.column(key).header, show(value), code, message, severity))


def rules(v) -> list[Problem]:
    t, out = v.tables, []
    if "assets" in t:
        out += _scrapped(t)
    if "asset_changes" in t:
        c = t["asset_changes"]
        for i, r in c.frame.iterrows():
            if r["kind"] == "调拨" and not isinstance(r["new_room"], str) and not isinstance(r["new_keeper"], str):
                _add(out, c, i, "new_room", "", "required", "调拨应填写新存放地点或新责任人")
    if "asset_changes" in t and "repairs" in t:
        out += _two_records(t["asset_changes"], t["repairs"])
    if "supply_moves" in t:
        out += _supplies(t["supply_moves"], v)
    if "meters" in t:
        out += _meters(t["meters"])
    return out


def _two_records(changes, repairs) -> list[Problem]:
    """For each asset with repairs in both sheets: each 维修登记 row's 报修日期 (and 完成日期) should be a 报修 (修复)
    day of the asset in 资产变动, and each such 资产变动 day a 维修登记 row's."""
    c = changes.frame.dropna(subset=["date", "asset_id", "kind"])
    c = c[c["kind"].isin(["报修", "修复"])]
    r = repairs.frame.dropna(subset=["reported", "asset_id"])
    both = set(c["asset_id"]) & set(r["asset_id"])
    days = {(k, a): set(g["date"]) for (k, a), g in c[c["asset_id"].isin(both)].groupby(["kind", "asset_id"])}
    out, logged = [], {"报修": {}, "修复": {}}
    for i, x in r[r["asset_id"].isin(both)].iterrows():
        for key, kind in (("reported", "报修"), ("done", "修复")):
            day = x[key]
            if not isinstance(day, dt.date):
                continue
            logged[kind].setdefault(x["asset_id"], set()).add(day)
            if day not in days.get((kind, x["asset_id"]), set()):
                said = "、".join(d.isoformat() for d in sorted(days.get((kind, x["asset_id"]), ()))) or "没有"
                _add(out, repairs, i, key, day, "repair_dates_differ",
                     f"{x['asset_id']} 在“资产变动”中的{kind}日期是 {said}，这里是 {day.isoformat()}：同一次维修的两处记录应一致", WARNING)
    for i, x in c[c["asset_id"].isin(both)].iterrows():
        if x["date"] not in logged[x["kind"]].get(x["asset_id"], set()):
            _add(out, changes, i, "date", x["date"], "repair_dates_differ",
                 f"{x['asset_id']} 的这次{x['kind']}在“维修登记”中没有同一天的记录：同一次维修的两处记录应一致", WARNING)
    return out


def _scrapped(t) -> list[Problem]:
    """Changes, counts and repairs of an asset after the day it was scrapped or found missing."""
    out = []
    gone = scrapped_since(t["assets"].frame, t["asset_changes"].frame if "asset_changes" in t else None)
    for key, date_key in (("asset_changes", "date"), ("asset_counts", "date"), ("repairs", "reported")):
        if key not in t:
            continue
        rows = t[key].frame.dropna(subset=["asset_id", date_key])
        for i, r in rows[rows["asset_id"].isin(list(gone))].iterrows():  # most assets never leave the books
            since = gone.get(r["asset_id"])
            if since is None:
                continue
            day, row = since
            same_day_later = key == "asset_changes" and row is not None and r[date_key] == day and i > row
            if not (r[date_key] > day or same_day_later):
                continue
            when = "已报废" if since[1] is None else f"已于 {since[0].isoformat()} 报废或盘亏"
            _add(out, t[key], i, "asset_id", r["asset_id"], "asset_scrapped",
                 f"资产 {r['asset_id']} {when}，{show(r[date_key])} 不应再有{t[key].sheet}记录：核对资产编号，"
                 "或先登记该资产的变动")
    return out


def _supplies(moves, v) -> list[Problem]:
    out = []
    f = moves.frame
    for i in f.index[(f["kind"] == "入库") & f["unit_price"].isna() & f["qty"].notna()]:
        _add(out, moves, i, "unit_price", "", "required", "入库应填写单价")
    led = sp.ledger(f)
    short = led[led["kind"].isin(("领用", "出借")) & (led["balance"] < -sp.EPS)]
    for _, r in short.groupby("item", sort=False).head(1).iterrows():  # the first per item; later ones follow from it
        _add(out, moves, r["line"], "qty", r["qty"], "supply_short",
             f"{r['kind']}数量超过库存：{show(r['date'])} {r['kind']}前“{r['item']}”只有 {show(r['balance'] - r['delta'])}，"
             f"{r['kind']} {show(r['qty'])}。请核对数量，或补录入库")
    day = max(led["date"]) if len(led) else v.today
    open_, unmatched = sp.loans(led, max(day, v.today))
    for row, qty, lent in unmatched:
        _add(out, moves, row, "qty", qty, "return_unmatched",
             f"归还 {show(qty)}，而该领用人（或班级）这件物品借出未还的只有 {show(lent)}：核对物品、领用人和数量")
    s = v.settings
    if s.term_valid and v.today >= s.term_end - dt.timedelta(days=TERM_END_DAYS):
        for r in open_.itertuples():
            who = r.person if isinstance(r.person, str) else r.dept if isinstance(r.dept, str) else "（未填）"
            _add(out, moves, r.line, "qty", r.qty, "loan_open",
                 f"学期末：{who} {r.date.isoformat()} 借出的“{r.item}”还有 {show(r.qty)} 未归还", WARNING)
    return out


def _meters(meters) -> list[Problem]:
    out = []
    f = meters.frame
    ok = f.dropna(subset=["month", "meter", "reading"])
    last = {(r.meter, r.month): r.reading for r in ok.itertuples()}
    for i, r in f.dropna(subset=["month", "meter", "prev", "reading"]).iterrows():
        if r["changed"] == "是":
            continue
        before = last.get((r["meter"], shift(r["month"], 1)))
        if r["reading"] < r["prev"] or (before is not None and r["reading"] < before):
            lower = r["prev"] if r["reading"] < r["prev"] else before
            _add(out, meters, i, "reading", r["reading"], "meter_backwards",
                 f"本月读数 {show(r['reading'])} 小于上月读数 {show(lower)}：核对读数；换了新表的在“换表”填 是")
            continue
        if before is not None and abs(before - r["prev"]) > 0.01:
            _add(out, meters, i, "prev", r["prev"], "meter_gap",
                 f"上月读数 {show(r['prev'])} 与上月记录的本月读数 {show(before)} 不一致", WARNING)
        if r["usage"] == r["usage"] and abs(r["usage"] - (r["reading"] - r["prev"])) > 0.01:
            _add(out, meters, i, "usage", r["usage"], "usage_mismatch",
                 f"用量应为本月读数－上月读数＝{show(round(r['reading'] - r['prev'], 2))}")
    return out
