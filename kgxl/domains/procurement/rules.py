"""The procurement rules (《食品安全法》第五十三、五十四条 and 第三十四条; 《学校食品安全与营养健康管理规定》; kgxl/data/README.md).

错误: a 统一社会信用代码 whose check character is wrong; a delivery from a supplier whose licence had expired by that
day; 畜禽肉 accepted without 检疫证明; a rejected delivery with no reason; 生产日期 after the delivery; a 入库 with
索证索票 否; a batch in stock past its 保质期至 today; a 出库 taken from such a batch; a purchase above the approval
amount bought before its approval.
警告: a 入库 with no accepted delivery of its day and food, or another quantity or supplier (from 进货验收's first
day; before it has rows, one 警告 for the sheet: an older workbook stays valid); an accepted delivery not in
食品出入库; a licence that has expired or is due within the notice days; a licence with no number or date; a
non-定点 supplier used this term (one per supplier); a 保质期 that cannot be read; a batch near its date; an
approval after a small purchase, or none; a purchase not entered in 收支明细 in its month, or of another amount.

The 入库 ↔ 验收 tie is a 警告, not an 错误: an 错误 on 食品出入库 stops 伙食费结算, and the meal account is right
whether or not the kitchen registered the delivery; 进货验收台账 lists each gap for the inspector."""
from __future__ import annotations

from kgxl.core.cells import is_blank, show
from kgxl.core.due import new_row
from kgxl.core.problems import ERROR, WARNING, Problem
from kgxl.domains.money.shared import EPS_KG, IN, stock_ledger
from kgxl.domains.procurement import approvals as ap
from kgxl.domains.procurement import batches as bt
from kgxl.domains.procurement import licence as lc
from kgxl.domains.procurement import shelf
from kgxl.domains.procurement.proofs import MEAT, needs_quarantine
from kgxl.domains.procurement.shared import stock_batches
from kgxl.domains.procurement.tie import key, stock_ties, unstocked


def rules(v) -> list:
    t, out = v.tables, []

    def add(table, line, col, code, message, severity=WARNING):
        out.append(Problem(table.sheet, table.cell(line, col), table.schema.column(col).header,
                           show(table.frame.at[line, col]), code, message, severity))

    suppliers, deliveries = t.get("suppliers"), t.get("deliveries")
    if suppliers is not None:
        _supplier_problems(v, suppliers, deliveries, add)
    if deliveries is not None:
        _delivery_problems(deliveries, suppliers, add)
    led = stock_ledger(v)
    if led is not None and deliveries is not None:
        out += _stock_problems(v, t["stock"], deliveries, led, add)
    if "purchase_requests" in t:
        ledger = t["ledger"].frame if "ledger" in t else None
        for line, r in ap.chain(t["purchase_requests"].frame, ledger, v.settings.approval_above, v.today).iterrows():
            for kind, said in r["breaks"]:
                col, code, severity = {
                    ap.APPROVE_FIRST: ("bought", "bought_before_approval", ERROR), ap.LATE: ("approved", "approved_late", WARNING),
                    ap.NOT_ENTERED: ("voucher", "not_entered", WARNING), ap.WRONG_AMOUNT: ("voucher", "entry_amount", WARNING)}[kind]
                add(t["purchase_requests"], line, col, code, f"{t['purchase_requests'].frame.at[line, 'item']}：{said}", severity)
    return out


def _supplier_problems(v, suppliers, deliveries, add) -> None:
    f = suppliers.frame.dropna(subset=["name"])
    used = deliveries.frame.dropna(subset=["supplier", "date"]) if deliveries is not None else None
    used = used[used["date"].map(lambda d: d <= v.today).astype(bool)] if used is not None else None
    count = used["supplier"].map(key).value_counts() if used is not None else {}
    notice = v.settings.licence_notice_days
    for line, r in f.iterrows():
        if not is_blank(r["credit_code"]):
            why = lc.credit_code_problem(r["credit_code"])
            if why:
                add(suppliers, line, "credit_code", "credit_code_bad", f"{r['name']} 的统一社会信用代码{why}", ERROR)
        state = lc.status(r["licence_kind"], r["licence_until"], v.today, notice)
        if state == lc.UNSET or (state not in (lc.NONE_NEEDED,) and is_blank(r["licence_no"])):
            col = "licence_until" if state == lc.UNSET else "licence_no"
            add(suppliers, line, col, "licence_incomplete", f"{r['name']} 的{r['licence_kind'] or '许可证'}没有填{'有效期' if col == 'licence_until' else '编号'}：按证照原件填写")
        elif state not in (lc.VALID, lc.NONE_NEEDED):
            add(suppliers, line, "licence_until", "licence_due",
                f"{r['name']} 的{r['licence_kind']}有效期至 {show(r['licence_until'])}，{state}：请供应商提供新证，过期后不能再从它进货")
        n = int(count.get(key(r["name"]), 0)) if len(count) else 0
        if r["designated"] == "否" and n:
            add(suppliers, line, "designated", "not_designated",
                f"{r['name']} 不是定点供应商，本学期进货验收有 {n} 次：大宗食品应从定点供应商采购，确需临时采购的写明原因")


def _delivery_problems(deliveries, suppliers, add) -> None:
    f = deliveries.frame.dropna(subset=["date"])
    until = {}
    if suppliers is not None:
        s = suppliers.frame.dropna(subset=["name"])
        s = s[s["licence_kind"] != lc.NONE_NEEDED]
        until = {key(n): d for n, d in zip(s["name"], s["licence_until"]) if hasattr(d, "year")}
    ends = f["supplier"].map(lambda n: until.get(key(n)) if not is_blank(n) else None)
    for line in f.index[[e is not None and e < d for e, d in zip(ends, f["date"])]]:
        add(deliveries, line, "supplier", "licence_expired",
            f"{f.at[line, 'supplier']} 的许可证已于 {show(ends[line])} 过期，{show(f.at[line, 'date'])} 不能从它进货", ERROR)
    for line in f.index[[hasattr(p, "year") and p > d for p, d in zip(f["produced"], f["date"])]]:
        add(deliveries, line, "produced", "produced_after",
            f"生产日期 {show(f.at[line, 'produced'])} 在验收日期 {show(f.at[line, 'date'])} 之后：核对生产日期", ERROR)
    typed = f[f["shelf_life"].notna() & f["use_by"].isna()]
    for line, text in typed["shelf_life"].items():
        _, why = shelf.parse(text)
        if why:
            add(deliveries, line, "shelf_life", "shelf_life_unread", f"保质期{why}")
    for line in f.index[((f["sensory"] == "不合格") & f["reason"].isna()).to_numpy()]:
        add(deliveries, line, "reason", "reject_no_reason", "感官验收不合格，须写明拒收原因和处理（退回、销毁）", ERROR)
    meat = (f["sensory"] == "合格") & (f["quarantine"] != "是") & (f["category"] == MEAT)
    for line in f.index[meat.to_numpy()]:
        if needs_quarantine(f.at[line, "category"], f.at[line, "food"]):
            add(deliveries, line, "quarantine", "no_quarantine",
                f"{f.at[line, 'food']} 是畜禽肉，验收须查验动物检疫合格证明：没有的不得验收入库", ERROR)


def _stock_problems(v, stock, deliveries, led, add) -> list:
    out = []
    ins = led[led["kind"] == IN]
    for row in ins.index[(ins["invoice"] == "否").to_numpy()]:
        add(stock, row, "invoice", "no_invoice",
            f"{show(led.at[row, 'date'])} 入库 {led.at[row, 'food']} 没有索证索票：进货须查验并留存供货者的许可证和票据（食品安全法第五十三条）", ERROR)
    f = deliveries.frame
    if not len(f.dropna(subset=["date"])):
        if len(ins):
            out.append(Problem(deliveries.sheet, new_row(deliveries, "date"), "验收日期", "", "deliveries_not_started",
                               f"“食品出入库”有 {len(ins)} 笔入库，“进货验收”还没有记录：请从今天起每批进货先验收登记", WARNING))
        return out
    ties = stock_ties(led, f)
    for row, r in ties[ties["state"] != "ok"].iterrows():
        if r["state"] == "none":
            add(stock, row, "food", "no_delivery",
                f"{show(r['date'])} 入库 {r['food']}，“进货验收”中没有这一天这种食品的验收合格记录：先验收登记再入库")
        elif r["state"] == "qty":
            add(stock, row, "qty_kg", "delivery_qty",
                f"{show(r['date'])} {r['food']} 入库共 {show(round(r['want'], 2))} 千克，验收合格 {show(round(r['got'], 2))} 千克：两边数量应一致")
        elif r["state"] == "supplier":
            add(stock, row, "supplier", "delivery_supplier",
                f"{show(r['date'])} {r['food']} 入库的供应商“{r['supplier']}”与验收记录的（{'、'.join(sorted(r['suppliers']))}）不同")
    for r in unstocked(led, f).itertuples():
        add(deliveries, r.line, "food", "delivery_unstocked",
            f"{show(r.date)} {r.food} 验收合格 {show(r.qty_kg)} 千克，“食品出入库”中没有这一天的入库：补记入库，或核对日期和食物名称")
    _, b = stock_batches(v)
    left = bt.remaining(b, led, v.today)
    near = v.settings.near_expiry_days
    for i in b.index[(left > EPS_KG).to_numpy() & (b["line"] >= 0).to_numpy()]:
        r = b.loc[i]
        state = bt.state(r["last_good"], v.today, near)
        col = "use_by" if not is_blank(f.at[r["line"], "use_by"]) else "shelf_life"
        if state == bt.EXPIRED:
            add(deliveries, r["line"], col, "expired_in_stock",
                f"{r['food']}（{show(r['received'])} 进货）保质期至 {show(r['last_good'])}，已过期，库存还有 {left[i]:.2f} 千克："
                "立即停用，销毁或退货后在“食品出入库”记出库或盘点", ERROR)
        elif state == bt.NEAR:
            add(deliveries, r["line"], col, "near_expiry",
                f"{r['food']}（{show(r['received'])} 进货）保质期至 {show(r['last_good'])}，还有 {(r['last_good'] - v.today).days} 天，"
                f"库存 {left[i]:.2f} 千克：先用这一批")
    draws = bt.expired_draws(b, led)
    for r in draws[draws["date"].map(lambda d: d <= v.today).astype(bool)].itertuples():
        add(stock, r.row, "food", "expired_used",
            f"{show(r.date)} 出库的 {r.food} 中有 {show(r.kg)} 千克来自 {show(r.received)} 进货、保质期至 {show(r.last_good)} "
            "的过期批次（按先进先出）：过期食品不得使用", ERROR)
    return out
