"""The procurement reports for one month, each stated as of the month's last day (or today if earlier): 供应商与证照,
进货验收台账 (names the staff who checked: left out of the default export), 库存保质期 and 采购审批情况 (names who
asked and approved). Pure."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from kgxl.core.cells import is_blank, show
from kgxl.core.port import Block, SheetOutput
from kgxl.core.report import MonthPeriod
from kgxl.domains.money.shared import EPS_KG, IN, stock_ledger
from kgxl.domains.procurement import approvals as ap
from kgxl.domains.procurement import batches as bt
from kgxl.domains.procurement import licence as lc
from kgxl.domains.procurement import shelf
from kgxl.domains.procurement.names import APPROVALS, DELIVERIES, SHELF, SUPPLIERS
from kgxl.domains.procurement.proofs import needs_quarantine
from kgxl.domains.procurement.shared import stock_batches
from kgxl.domains.procurement.tie import RULE as TIE_RULE
from kgxl.domains.procurement.tie import key, stock_ties

TAB = "FF8B5A2B"
NOT_LISTED = "不在供应商名录"


def has_suppliers(v) -> bool:
    return v.has_rows("suppliers")


def has_deliveries(v) -> bool:
    return v.has_rows("deliveries")


def has_requests(v) -> bool:
    return v.has_rows("purchase_requests")


# -- 供应商与证照 ----------------------------------------------------------------------------
def suppliers_sheet(v, month: str, today: dt.date) -> tuple[SheetOutput, str]:
    p, t = MonthPeriod(v, month, today), v.tables
    sup = t["suppliers"].frame.dropna(subset=["name"])
    dlv = t["deliveries"].frame.dropna(subset=["date", "supplier"]) if "deliveries" in t else None
    led = stock_ledger(v)
    ins = led[led["kind"] == IN].dropna(subset=["supplier"]) if led is not None else None

    def counted(f, keep, value=None):
        f = f[keep(f["date"])]
        k = f["supplier"].map(key)
        return (f[value].groupby(k).sum() / 100) if value else k.value_counts()

    none = pd.Series(dtype=float)
    month_n = counted(dlv, p.in_month) if dlv is not None else none
    term_n = counted(dlv, p.in_term) if dlv is not None else none
    rejected = counted(dlv[dlv["sensory"] == "不合格"], p.in_month) if dlv is not None else none
    month_yuan = counted(ins, p.in_month, "fen") if ins is not None else none
    term_yuan = counted(ins, p.in_term, "fen") if ins is not None else none
    notice = v.settings.licence_notice_days
    rows, styles, seen = [], {}, set()
    for r in sup.itertuples():
        k = key(r.name)
        seen.add(k)
        code = "未填" if is_blank(r.credit_code) else ("有误" if lc.credit_code_problem(r.credit_code) else "正确")
        state = lc.status(r.licence_kind, r.licence_until, p.as_of, notice)
        rows.append([r.name, show(r.credit_code) or None, code, r.licence_kind, show(r.licence_no) or None,
                     r.licence_until if isinstance(r.licence_until, dt.date) else None, state, r.designated,
                     show(r.goods) or None, int(month_n.get(k, 0)), int(rejected.get(k, 0)),
                     float(month_yuan.get(k, 0.0)), int(term_n.get(k, 0)), float(term_yuan.get(k, 0.0))])
        if code == "有误" or state == lc.EXPIRED:
            styles[len(rows) - 1] = "error"
        elif state not in (lc.VALID, lc.NONE_NEEDED) or (r.designated == "否" and rows[-1][12]):
            styles[len(rows) - 1] = "warning"
    names = {}
    for f in (dlv, ins):
        if f is not None:
            names |= {key(n): n for n in f[p.in_term(f["date"])]["supplier"]}
    for k, name in names.items():
        if k not in seen:
            styles[len(rows)] = "error"
            rows.append([name, None, None, None, None, None, NOT_LISTED, None, None, int(month_n.get(k, 0)),
                         int(rejected.get(k, 0)), float(month_yuan.get(k, 0.0)), int(term_n.get(k, 0)),
                         float(term_yuan.get(k, 0.0))])
    total = ["合计", None, None, None, None, None, None, None, None, *(sum(r[i] for r in rows) for i in range(9, 14))]
    expired = sum(r[6] == lc.EXPIRED for r in rows)
    due = sum(r[6] not in (lc.VALID, lc.NONE_NEEDED, lc.EXPIRED, lc.UNSET, NOT_LISTED) for r in rows)
    designated = sum(r[7] == "是" for r in rows)
    blocks = [Block(["供应商", "统一社会信用代码", "代码校验", "许可证种类", "许可证编号", "有效期至", "证照状态", "定点", "供应品种",
                     "本月验收(次)", "本月拒收(次)", "本月入库金额(元)", "本学期验收(次)", "本学期入库金额(元)"],
                    [*rows, total], title="一、供应商名录和证照", formats={5: "yyyy-mm-dd", 11: "#,##0.00", 13: "#,##0.00"},
                    row_styles={**styles, len(rows): "total"}, wrap=(0, 8))]
    rule = (f"证照状态按 {p.as_of.isoformat()} 判断"
            + (f"，{notice} 天内到期的提示续证" if notice is not None else "（基本信息未设置证照到期提醒天数，只提示已过期）")
            + "；入库金额按食品出入库的入库行，验收次数按进货验收（含拒收）")
    titles = [p.title(SUPPLIERS),
              f"统计至 {p.as_of.isoformat()}：供应商 {len(sup)} 家，定点 {designated} 家；许可证已过期 {expired} 家，即将到期 {due} 家；"
              f"本月进货验收 {total[9]} 次，入库金额 {total[11]:,.2f} 元。{rule}。"]
    out = SheetOutput(SUPPLIERS, blocks, titles=titles, widths=[18, 20, 8, 14, 17, 11, 11, 6, 14, 10, 10, 12, 10, 13],
                      page_header=p.title(SUPPLIERS), tab_color=TAB)
    return out, f"{SUPPLIERS}（{len(sup)} 家，许可证过期 {expired} 家、即将到期 {due} 家）"


def make_suppliers(v, req):
    sheet, said = suppliers_sheet(v, req.month, req.today)
    return [sheet], said


# -- 进货验收台账 ----------------------------------------------------------------------------
def deliveries_sheet(v, month: str, today: dt.date) -> tuple[SheetOutput, str]:
    p, t = MonthPeriod(v, month, today), v.tables
    f = t["deliveries"].frame.dropna(subset=["date"])
    led = stock_ledger(v)
    until = {}
    if "suppliers" in t:
        s = t["suppliers"].frame.dropna(subset=["name"])
        until = {key(n): d for n, d, k in zip(s["name"], s["licence_until"], s["licence_kind"])
                 if isinstance(d, dt.date) and k != lc.NONE_NEEDED}
    ties = stock_ties(led, f) if led is not None else None
    booked = {}
    if led is not None:
        ins = led[led["kind"] == IN]
        for (day, food), g in ins.groupby([ins["date"], ins["food"].map(key)]):
            booked[(day, food)] = float(g["qty_kg"].sum())
    now = f[p.in_month(f["date"])].rename_axis("line").reset_index()
    now = now.assign(sk=now["supplier"].map(lambda s: key(s) if not is_blank(s) else "")).sort_values(["date", "sk", "line"])
    acc_sum = now[now["sensory"] == "合格"].groupby([now["date"], now["food"].map(key)])["qty_kg"].sum()
    rows, styles, last, bad = [], {}, None, 0
    for r in now.itertuples():
        group = (r.date, r.sk)
        k = (r.date, key(r.food))
        problems = []
        if r.sensory == "不合格":
            check = "拒收：" + (show(r.reason) or "未写原因")
        elif k not in booked:
            check = "未入库"
        elif abs(booked[k] - float(acc_sum.get(k, 0.0))) > EPS_KG:
            check = f"数量不符（入库 {show(round(booked[k], 2))}）"
        else:
            check = "一致"
        if r.sk in until and until[r.sk] < r.date:
            problems.append("许可证已过期")
        if r.sensory == "合格" and needs_quarantine(r.category, r.food) and r.quarantine != "是":
            problems.append("无检疫证明")
        if r.certificate == "否":
            problems.append("无合格证明")
        if r.sensory == "合格" and is_blank(r.receipt):
            problems.append("无票据号")
        if isinstance(r.produced, dt.date) and r.produced > r.date:
            problems.append("生产日期在验收之后")
        good = shelf.last_good(r.produced, r.shelf_life, r.use_by)
        if r.sensory == "合格" and isinstance(good, dt.date) and good < r.date:
            problems.append("验收时已过期")
        if problems or not (check == "一致" or check.startswith("拒收")):
            bad += 1
            styles[len(rows)] = "error" if any(
                x in problems for x in ("许可证已过期", "无检疫证明", "生产日期在验收之后", "验收时已过期")) else "warning"
        rows.append([r.date if group != last else None, r.supplier if group != last else None, r.food, r.category,
                     show(r.batch) or None, r.produced if isinstance(r.produced, dt.date) else None, good,
                     float(r.qty_kg) if not is_blank(r.qty_kg) else None, r.sensory, show(r.certificate) or None,
                     show(r.quarantine) or None, show(r.receipt) or None, show(r.inspector) or None, check,
                     "；".join(problems) or None])
        last = group
    rows2 = []
    if ties is not None:
        said = {"none": "没有验收记录", "qty": "数量与验收不符", "supplier": "供应商与验收不同"}
        for r in ties[(ties["state"] != "ok") & p.in_month(ties["date"])].itertuples():
            rows2.append([r.date, r.food, show(r.supplier) or None, float(r.want), float(r.got), said[r.state]])
    accepted = int((now["sensory"] == "合格").sum())
    blocks = [
        Block(["日期", "供应商", "食物名称", "类别", "批号", "生产日期", "保质期至", "数量(千克)", "感官验收", "合格证明", "检疫证明",
               "票据号", "验收人", "入库核对", "问题"], rows or [[None, None, "本月没有进货验收记录"]],
              title="一、本月进货查验记录", formats={0: "m/d", 5: "yyyy-mm-dd", 6: "yyyy-mm-dd", 7: "0.00"},
              row_styles=styles, wrap=(1, 14)),
        Block(["日期", "食物名称", "供应商", "入库(千克)", "验收合格(千克)", "问题"],
              rows2 or [[None, "本月食品出入库的入库都有对应的验收记录"]], title="二、食品出入库中没有对应验收的入库",
              formats={0: "m/d", 3: "0.00", 4: "0.00"}, row_styles={i: "warning" for i in range(len(rows2))}),
    ]
    titles = [p.title(DELIVERIES),
              f"统计至 {p.as_of.isoformat()}：本月验收 {len(now)} 批（合格 {accepted}，拒收 {len(now) - accepted}），"
              f"供应商 {now['sk'].nunique()} 家；有问题的 {bad} 批；入库没有对应验收或不符的 {len(rows2)} 笔。{TIE_RULE}；"
              f"{shelf.RULE}。"]
    out = SheetOutput(DELIVERIES, blocks, titles=titles,
                      widths=[6, 14, 17, 7, 9, 10, 10, 9, 8, 8, 8, 9, 12, 10, 16], repeat_block=0,
                      page_header=p.title(DELIVERIES), tab_color=TAB)
    return out, f"{DELIVERIES}（验收 {len(now)} 批，有问题 {bad} 批，入库不符 {len(rows2)} 笔）"


def make_deliveries(v, req):
    sheet, said = deliveries_sheet(v, req.month, req.today)
    return [sheet], said


# -- 库存保质期 ------------------------------------------------------------------------------
def shelf_sheet(v, month: str, today: dt.date) -> tuple[SheetOutput, str]:
    p = MonthPeriod(v, month, today)
    led, b = stock_batches(v)
    left = bt.remaining(b, led, p.as_of)
    near = v.settings.near_expiry_days
    held = b[(left > EPS_KG).to_numpy()].assign(left=left[left > EPS_KG])
    held = held.assign(state=[bt.state(d, p.as_of, near) for d in held["last_good"]],
                       days=[(d - p.as_of).days if isinstance(d, dt.date) else None for d in held["last_good"]])
    order = {bt.EXPIRED: 0, bt.NEAR: 1, bt.GOOD: 2, bt.UNKNOWN: 3}
    held = held.assign(o=held["state"].map(order), d=held["days"].fillna(10 ** 6)).sort_values(
        ["o", "d", "food", "received"], kind="stable")
    rows = [[r.food, r.category, r.received, show(r.supplier) or None,
             r.produced if isinstance(r.produced, dt.date) else None,
             r.last_good if isinstance(r.last_good, dt.date) else None, None if r.days != r.days else int(r.days),
             round(float(r.left), 2), ("期初结转，" if r.opening else "") + r.state]
            for r in held.itertuples()]
    draws = bt.expired_draws(b, led)
    draws = draws[p.in_month(draws["date"])] if len(draws) else draws
    rows2 = [[r.date, r.food, r.kg, r.received, r.last_good] for r in draws.itertuples()]
    n = {s: int((held["state"] == s).sum()) for s in order}
    blocks = [
        Block(["食物名称", "类别", "进货日期", "供应商", "生产日期", "保质期至", "剩余天数", "结存(千克)", "状态"],
              rows or [[None, None, None, "统计日没有库存"]], title=f"一、{p.as_of.isoformat()} 的库存（按批次）",
              formats={2: "yyyy-mm-dd", 4: "yyyy-mm-dd", 5: "yyyy-mm-dd", 7: "0.00"},
              row_styles={i: "error" if r[8].endswith(bt.EXPIRED) else "warning" for i, r in enumerate(rows)
                          if r[8].endswith((bt.EXPIRED, bt.NEAR))}),
        Block(["日期", "食物名称", "过期批次的出库(千克)", "批次进货日期", "保质期至"],
              rows2 or [[None, "本月没有从过期批次出库"]], title="二、本月从过期批次出库（按先进先出）",
              formats={0: "m/d", 2: "0.00", 3: "yyyy-mm-dd", 4: "yyyy-mm-dd"},
              row_styles={i: "error" for i in range(len(rows2))}),
    ]
    near_rule = f"离保质期至 {near} 天以内为临期" if near is not None else "基本信息未设置临期提醒天数，不提示临期"
    titles = [p.title(SHELF),
              f"统计至 {p.as_of.isoformat()}：库存 {len(rows)} 批，已过期 {n[bt.EXPIRED]} 批，临期 {n[bt.NEAR]} 批，"
              f"保质期未填 {n[bt.UNKNOWN]} 批；本月从过期批次出库 {len(rows2)} 次。{bt.RULE}；{shelf.RULE}；{near_rule}。"]
    out = SheetOutput(SHELF, blocks, titles=titles, widths=[19, 7, 11, 14, 11, 11, 8, 9, 14],
                      page_header=p.title(SHELF), tab_color=TAB, landscape=False)
    return out, f"{SHELF}（库存 {len(rows)} 批，过期 {n[bt.EXPIRED]} 批，临期 {n[bt.NEAR]} 批）"


def make_shelf(v, req):
    sheet, said = shelf_sheet(v, req.month, req.today)
    return [sheet], said


# -- 采购审批情况 ----------------------------------------------------------------------------
def approvals_sheet(v, month: str, today: dt.date) -> tuple[SheetOutput, str]:
    p, t = MonthPeriod(v, month, today), v.tables
    f = t["purchase_requests"].frame
    above = v.settings.approval_above
    ch = ap.chain(f, t["ledger"].frame if "ledger" in t else None, above, p.as_of)
    rows, styles = [], {}
    for line, c in ch.iterrows():
        r = f.loc[line]
        if not p.in_term(pd.Series([r["date"]])).iloc[0]:
            continue
        kinds = {k for k, _ in c["breaks"]}
        if kinds:
            styles[len(rows)] = "error" if ap.APPROVE_FIRST in kinds else "warning"
        rows.append([r["date"], r["item"], show(r["quantity"]) or None, r["estimate"], show(r["requester"]) or None,
                     show(r["approver"]) or None, r["approved"] if isinstance(r["approved"], dt.date) else None,
                     r["bought"] if isinstance(r["bought"], dt.date) else None,
                     None if is_blank(r["amount"]) else r["amount"], show(r["voucher"]) or None, c["stage"],
                     "；".join(s for _, s in c["breaks"]) or None])
    first = sum("没有审批" in (r[11] or "") or "之后" in (r[11] or "") for r in rows)
    entered = sum(r[10] == "已入账" for r in rows)
    limit = f"超过 {above:,.2f} 元的采购须先审批（基本信息）" if above is not None else "所有采购都须先审批（基本信息未设置金额）"
    blocks = [Block(["请购日期", "物品", "数量", "预计金额(元)", "申请人", "审批人", "审批日期", "购买日期", "实际金额(元)",
                     "凭证号", "环节", "问题"], rows or [[None, "本学期没有请购单"]], title="一、本学期的请购单",
                    formats={0: "m/d", 3: "#,##0.00", 6: "m/d", 7: "m/d", 8: "#,##0.00"}, row_styles=styles,
                    wrap=(1, 11))]
    titles = [p.title(APPROVALS),
              f"统计至 {p.as_of.isoformat()}：请购 {len(rows)} 份，已购买 {sum(r[7] is not None for r in rows)} 份，已入账 {entered} 份；"
              f"没有事先审批的 {first} 份，有问题的 {len(styles)} 份。{limit}；{ap.RULE}。"]
    out = SheetOutput(APPROVALS, blocks, titles=titles, widths=[8, 18, 8, 11, 8, 8, 8, 8, 11, 9, 8, 30],
                      page_header=p.title(APPROVALS), tab_color=TAB)
    return out, f"{APPROVALS}（请购 {len(rows)} 份，有问题 {len(styles)} 份）"


def make_approvals(v, req):
    sheet, said = approvals_sheet(v, req.month, req.today)
    return [sheet], said
