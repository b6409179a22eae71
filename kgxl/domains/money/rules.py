"""The money domain's rules: the food stock (amounts to the fen, no staff meals, no 出库 beyond the stock, nothing
left in value once a food is gone) and no waived 保教费 charged to a waived child."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd

from kgxl.core.calendar import month_end_in_term
from kgxl.core.cells import show
from kgxl.core.money import money, pct
from kgxl.core.problems import ERROR, WARNING, Problem
from kgxl.core.reading import Table
from kgxl.core.validated import FEW
from kgxl.domains.money import aid
from kgxl.domains.money import receipts as rc
from kgxl.domains.money.dues import dues, owed_items
from kgxl.domains.money.fees import MEAL_ITEM, VOLUNTARY, WAIVED, waiver
from kgxl.domains.money.names import SETTLE_NEEDS, WAIVER_SHEETS
from kgxl.domains.money.shared import of_children, stock_ledger
from kgxl.domains.money.stock import EPS_KG, OUT, STAFF


def rules(v) -> list[Problem]:
    """The sheets' own checks, kept while what they read is unchanged (Validated.shared: they read no register), then
    资助's band, which reads the aided children's days."""
    out = v.shared("money.sheet_problems", lambda: _sheet_problems(v), keep=FEW)
    if v.has_rows("aid") and all(k in v.tables for k in SETTLE_NEEDS) and v.settings.term_valid:
        out = out + aid_band(v)
    return out


def _sheet_problems(v) -> list[Problem]:
    out = stock_problems(v.tables["stock"], stock_ledger(v)) if "stock" in v.tables else []
    t = v.tables
    if all(k in t for k in WAIVER_SHEETS):
        out += waived_fees(t["fee_records"], t["fee_items"].frame, t["roster"].frame, t["classes"].frame, v.settings)
    if "fee_items" in t:
        out += fee_item_problems(t["fee_items"])
    if "receipt_books" in t and "fee_records" in t:
        out += receipt_problems(v)
    if v.has_rows("aid") and all(k in t for k in SETTLE_NEEDS):
        out += aid_problems(v)
    return out


def fee_item_problems(items: Table) -> list[Problem]:
    """What 收费公示 would print unexplained: an item without a 收费类别 (未分类 on the public notice), and a 代收费
    item not marked 代收代办 (the notice calls it 家长自愿 by its category)."""
    out = []
    for row, r in items.frame.dropna(subset=["item"]).iterrows():
        if not isinstance(r["category"], str):
            out.append(Problem(items.sheet, items.cell(row, "category"), "收费类别", "", "fee_category_blank",
                               f"“{r['item']}”没有收费类别：收费公示上会显示为“未分类”，请按物价部门的批准填写类别",
                               WARNING))
        elif r["category"] == VOLUNTARY and r["agency"] == "否":
            out.append(Problem(items.sheet, items.cell(row, "agency"), "代收代办", "否", "voluntary_not_agency",
                               f"“{r['item']}”是代收费，代收代办却填了“否”：收费公示按代收费列为家长自愿、多退少补，"
                               "请核对类别或代收代办", WARNING))
    return out


def stock_problems(table: Table, led: pd.DataFrame) -> list[Problem]:
    """Amounts finer than a fen, staff rows, and an 出库 beyond the stock
    (led: the table's ledger())."""
    f, out = table.frame, []
    header = {k: table.schema.column(k).header for k in ("amount", "qty_kg", "diner")}

    def add(row, key, value, code, message, severity=ERROR):
        out.append(Problem(table.sheet, table.cell(row, key), header[key], show(value), code, message, severity))

    expected = (f["qty_kg"] * f["unit_price"]).round(6)
    off = (f["amount"] - expected).abs() > 0.01 + 1e-9  # reported by the schema's product_of rule
    cents = f["amount"] * 100
    finer = (cents - cents.round()).abs() > 1e-6
    for row in f.index[finer.fillna(False) & ~off.fillna(False)]:
        add(row, "amount", f.at[row, "amount"], "finer_than_fen",
            f"金额应精确到分（0.01 元），按四舍五入计为 {money(f.at[row, 'amount'])} 元", WARNING)
    for row in f.index[f["diner"] == STAFF]:
        add(row, "diner", STAFF, "staff_meal", "教职工伙食不得记入幼儿伙食账（专款专用）：请从本表删除这一行，在教职工伙食账中另行记录")
    outs = led[led["kind"] == OUT]
    unreadable = set(f.loc[~f.index.isin(led.index), "food"].dropna())  # a balance without these rows proves nothing
    short = outs[(outs["qty_after"] < -EPS_KG) & ~outs["food"].isin(unreadable)]
    for row, r in short.groupby("food", sort=False).head(1).iterrows():  # the first one per food; later ones follow from it
        add(row, "qty_kg", r["qty_kg"], "stock_negative",
            f"出库数量超过库存：{show(r['date'])} 出库前“{r['food']}”只有 {r['qty_after'] + r['qty_kg']:.2f} 千克，"
            f"出库 {r['qty_kg']:.2f} 千克。请核对数量，或补录入库")
    empty = outs[(outs["qty_after"].abs() <= EPS_KG) & (outs["fen_after"] != 0)]
    for row, r in empty.iterrows():
        add(row, "amount", r["amount"], "value_left",
            f"“{r['food']}”已全部出库，库存金额却还剩 {r['fen_after'] / 100:.2f} 元：出库单价与入库单价不一致，"
            f"请核对单价，或在月末盘点时按实际金额登记", WARNING)
    return out


def waived_fees(records: Table, items: pd.DataFrame, roster: pd.DataFrame, classes: pd.DataFrame,
                settings) -> list[Problem]:
    """收费记录 rows charging a 保教费 item to a child whose age group a 公办 kindergarten no longer charges."""
    w = waiver(settings)
    if w is None or settings.ownership != "公办" or "category" not in items:
        return []
    groups, start, basis = w
    waived_items = set(items.loc[items["category"] == WAIVED, "item"].dropna())
    group_of_class = dict(zip(classes["class_name"], classes["age_group"]))
    class_of = roster.dropna(subset=["child_id"]).drop_duplicates("child_id").set_index("child_id")["class_name"]
    f = records.frame.dropna(subset=["date", "child_id", "item", "amount"])
    group = f["child_id"].map(class_of).map(group_of_class)
    hit = f["item"].isin(waived_items) & (f["amount"] > 0) & group.isin(groups) & (f["date"] >= start)
    out = []
    for i, r in f[hit].iterrows():
        out.append(Problem(records.sheet, records.cell(i, "amount"), records.schema.column("amount").header,
                           show(r["amount"]), "waived_fee",
                           f"{r['child_id']} 在{group[i]}，{r['item']}自{start.isoformat()}起免收（{basis}）：请删除这一行，"
                           f"已收的应退还", ERROR))
    return out


def receipt_problems(v) -> list[Problem]:
    """票据, all 警告 (an 错误 on 收费记录 would stop 伙食费结算 and 学期结算, whose figures a receipt's number does not
    change; 票据使用情况 lists them): a payment's number used before (by a payment or a void), outside every book of
    票据领用, not letters and digits, typed full-width or with "NO." (read, and said how); a payment without a number;
    a book's gap before its highest used number (on the book's row). Only once 票据领用 has a book."""
    t, out = v.tables, []
    bk = rc.books(t["receipt_books"].frame)
    if not len(bk):
        return out
    records, voids = t["fee_records"], t.get("receipt_voids")
    u = rc.uses(records.frame, voids.frame if voids is not None else None, bk)
    tables = {"收费": records, "作废": voids}

    def add(table, line, key, code, message, severity=ERROR):
        out.append(Problem(table.sheet, table.cell(line, key), table.schema.column(key).header,
                           show(table.frame.at[line, key]), code, message, severity))

    for r in u.itertuples():
        table = tables[r.source]
        if r.number is None:
            add(table, r.line, "receipt", "receipt_unread",
                f"读不出票据号“{r.typed}”：应为票据上印的字头和数字", WARNING)
            continue
        if not rc.plain(r.typed):
            add(table, r.line, "receipt", "receipt_typed",
                f"票据号“{r.typed}”按 {r.number[0]}{r.number[1]:0{r.number[2]}d} 读取：请按票据上印的写（半角，不加 NO.）", WARNING)
        if r.first is not None:
            src, line = r.first
            where = tables[src].cell(line, "receipt")
            add(table, r.line, "receipt", "receipt_reused",
                f"票据号 {r.typed} 已在“{tables[src].sheet}”{where} {'用于收费' if src == '收费' else '作废'}：每个号码只能用一次",
                WARNING)
        elif r.book is None:
            add(table, r.line, "receipt", "receipt_outside",
                f"票据号 {r.typed} 不在“票据领用”登记的任何一本的号段内：请登记领用或核对号码", WARNING)
    f = records.frame
    missing = (f["receipt"].isna() & (f["amount"] > 0)).astype(bool)
    for line in f.index[missing.to_numpy()]:
        add(records, line, "receipt", "receipt_missing", f"{show(f.at[line, 'date'])} 收费 {show(f.at[line, 'amount'])} 元没有票据号：请补填", WARNING)
    numbers: dict[str, set[int]] = {}
    for p, n in u["key"].dropna():
        numbers.setdefault(p, set()).add(n)
    for b in bk.itertuples():
        used = numbers.get(b.prefix, set())
        holes = rc.gaps(b, used)
        left = int(b.last) - int(b.first) + 1 - sum(1 for n in used if int(b.first) <= n <= int(b.last))
        if hasattr(b.closed, "year") and left > 0:
            add(t["receipt_books"], b.line, "closed", "receipt_closed_unused",
                f"{b.kind} 已于 {b.closed} 核销，还有 {left} 张既没有使用也没有登记作废：核销的票据应全部用完或作废", WARNING)
        if holes:
            width = rc.width(u, b)
            add(t["receipt_books"], b.line, "first", "receipt_gap",
                f"{b.kind} {rc.spans(holes, b.prefix, width)} 没有使用也没有登记作废（跳号）：找到票据补登，或在“票据作废”登记", WARNING)
    return out


def aid_problems(v) -> list[Problem]:
    """资助对象: 错误 — a 资助标准 that cannot be read, a share above 100 % or an amount above what the item costs the
    child this term, an item not owed by the calendar (代收代办, by 次), a child not enrolled on any day of the aid,
    the same child and item aided twice over overlapping days (the later row); 警告 — the term's 资助 from the
    kindergarten's own funds below 基本信息's share of 事业收入 (财教〔2011〕410号)."""
    t, s = v.tables, v.settings
    table, out = t["aid"], []
    f = table.frame.dropna(subset=["child_id", "item"])
    owed = set(owed_items(t["fee_items"].frame))
    items = t["fee_items"].frame.dropna(subset=["item"]).drop_duplicates("item").set_index("item")
    roster = t["roster"].frame.dropna(subset=["child_id"]).drop_duplicates("child_id").set_index("child_id")
    school = v.calendar.days if v.calendar else []

    def flag(line, key, code, message, severity=ERROR):
        out.append(Problem(table.sheet, table.cell(line, key), table.schema.column(key).header,
                           show(table.frame.at[line, key]), code, message, severity))

    everyone = t["roster"].frame
    aided = everyone[everyone["child_id"].isin(set(f["child_id"])).astype(bool)]  # their dues need no register
    by_calendar = dues(t["fee_items"].frame, aided, t.frame("classes"), None, school, s, s.term_end) \
        .groupby(["child_id", "item"])["due"].sum() if s.term_valid else pd.Series(dtype="int64")
    seen: dict[tuple, list] = {}
    for line, r in f.iterrows():
        read = aid.standard(r["standard"])
        if read is None:
            flag(line, "standard", "aid_standard", f"读不出资助标准“{show(r['standard'])}”：应为每学期金额（如 600）或比例（如 50%、全免）")
        if r["item"] not in items.index:
            continue  # the reference rule says so
        if r["item"] not in owed:
            flag(line, "item", "aid_item", f"“{r['item']}”是代收代办或按次收取的项目，不按在园时间计费，无法抵减：请选按天、月或学期收取的项目")
            continue
        if not isinstance(r["recognized"], dt.date) or r["child_id"] not in roster.index or not s.term_valid:
            continue
        lo, hi = aid.window(r)
        lo, hi = max(lo, s.term_start), min(hi, s.term_end)
        c = roster.loc[r["child_id"]]
        leave = c["leave_date"] if isinstance(c["leave_date"], dt.date) else dt.date.max
        first = max(lo, c["entry_date"]) if isinstance(c["entry_date"], dt.date) else None
        last = min(hi, leave)
        if first is None or first > last or (school and not any(first <= d <= last for d in school)):
            flag(line, "child_id", "aid_not_enrolled",
                f"{r['child_id']} 在资助期间（{lo} 至 {hi if hi < dt.date.max else '本学期末'}）没有在园的日子：请核对幼儿编号、起止日期，"
                f"或名册中的入园、离园日期")
            continue
        key = (r["child_id"], r["item"])
        earlier = next((x for x in seen.get(key, []) if x[1] <= hi and lo <= x[2]), None)
        if earlier is not None:
            flag(line, "item", "aid_twice", f"{r['child_id']} 的“{r['item']}”已在第 {earlier[0]} 行资助，时间重叠：同一项目同一学期只能资助一次，"
                "请合并为一行或调整起止日期")
        seen.setdefault(key, []).append((line, lo, hi))
        if read is None:
            continue
        kind, value = read
        fee = term_fee(items.loc[r["item"]], r["item"], c, by_calendar, school, s)
        if kind == "share" and value > 1:
            flag(line, "standard", "aid_beyond_fee", f"资助比例 {show(r['standard'])} 超过 100%：最多全免")
        elif kind == "amount" and value > fee:
            flag(line, "standard", "aid_beyond_fee",
                f"资助 {value / 100:,.2f} 元超过该幼儿本学期“{r['item']}”的应缴金额 {fee / 100:,.2f} 元：请核对金额")
        elif fee == 0:
            flag(line, "item", "aid_beyond_fee", f"{r['child_id']} 本学期不缴“{r['item']}”（免收或不在园），不能再资助")
    return out


def term_fee(item, name: str, child, by_calendar: pd.Series, school: list, settings) -> int:
    """What an item costs a child over the whole term (fen), by the calendar: the most 资助 can take off. by_calendar:
    the term's dues of the items by 月 and 学期 per (child, item), computed once for the aided children."""
    if item["unit"] == "天":
        days = [d for d in school if d >= child["entry_date"] and (not isinstance(child["leave_date"], dt.date)
                                                                   or d <= child["leave_date"])]
        price = settings.meal_fee if MEAL_ITEM in name else item["price"]
        return int(money(price or 0) * 100) * len(days)
    return int(by_calendar.get((child.name, name), 0))


def aid_band(v) -> list[Problem]:
    """The term's own-funds 资助 as a share of 事业收入, to the end of today's month (the 学期结算 of the month, computed
    once for both), against 基本信息's band: below is a 警告."""
    t, s = v.tables, v.settings
    if "ledger" not in t:
        return []
    as_of = month_end_in_term(min(v.today, s.term_end).strftime("%Y-%m"), s.term_end)  # as 学期结算 of this month
    usable = aid.usable(t["aid"].frame)
    own = usable[usable["source"] == aid.OWN_FUNDS]
    if len(own):  # the credits of these children alone (a child's dues are its own), not the whole 学期结算
        roster, days = of_children(v, set(own["child_id"]))
        owed = dues(t["fee_items"].frame, roster, t.frame("classes"), days, v.calendar.days if v.calendar else None, s,
                    as_of)
        own = int(aid.credits(owed, own)["aid"].sum())
    else:
        own = 0
    income = aid.fee_income(t["ledger"].frame, t["fee_items"].frame, s.term_start, as_of)
    lo, _ = aid.band(s)
    share = pct(own, income)
    if share is None or share >= Decimal(str(lo)):
        return []
    table = t["settings"]
    return [Problem(table.sheet, table.cell(None, "aid_min_pct"), "资助提取比例下限(%)", show(s.aid_min_pct), "aid_below_band",
                    f"本学期截至 {as_of} 本园事业收入列支的资助 {own / 100:,.2f} 元，占事业收入 {income / 100:,.2f} 元的 {share}%，"
                    f"低于规定的 {lo:g}%（{aid.BASIS}）：请核对资助对象或资助标准", WARNING)]
