"""票据使用情况: per receipt book, the month's and the term's numbers used and voided, what they took in, the numbers
left, the gaps and the book's state (receipts.py does the reading)."""
from __future__ import annotations

import datetime as dt

from kgxl.core.cells import show
from kgxl.core.money import to_fen, yuan
from kgxl.core.port import Block, SheetOutput
from kgxl.core.report import MonthPeriod
from kgxl.domains.money import receipts as rc
from kgxl.domains.money.names import RECEIPTS


def has_books(v) -> bool:
    return v.has_rows("receipt_books")


def receipts_sheet(v, month: str, today: dt.date) -> tuple[SheetOutput, str]:
    """Per receipt book: the month's and the term's numbers used and voided, what the month's receipts took in, the
    numbers left, the gaps, and its state; the month's voids; the month's numbers with a problem. As of the month's
    end (or today)."""
    t, p = v.tables, MonthPeriod(v, month, today)
    as_of = p.as_of
    bk = rc.books(t["receipt_books"].frame)
    voids = t["receipt_voids"].frame if "receipt_voids" in t else None
    u = rc.uses(t["fee_records"].frame, voids, bk)
    bk = bk[bk["issued"].map(lambda d: not isinstance(d, dt.date) or d <= as_of).astype(bool)]  # taken by then
    u = u[u["date"].map(lambda d: isinstance(d, dt.date) and d <= as_of).astype(bool)]
    now = p.in_month(u["date"])
    rows = []
    for b in bk.itertuples():
        mine = u[(u["book"] == b.line) & u["first"].isna()]
        width = rc.width(u, b)
        pay, void = mine[mine["source"] == "收费"], mine[mine["source"] == "作废"]
        pay_now, void_now = pay[now[pay.index]], void[now[void.index]]
        numbers = sorted(n for _, n in mine["key"])
        size = int(b.last) - int(b.first) + 1
        holes = rc.gaps(b, set(numbers))
        state = ("已核销 " + b.closed.isoformat() if hasattr(b.closed, "year") and b.closed <= as_of
                 else "已用完，待核销" if len(numbers) == size else "使用中" if numbers else "未启用")
        span = rc.spans(sorted({n for _, n in pay_now["key"]}), b.prefix, width, joined=False) if len(pay_now) else None
        rows.append([b.kind, rc.spans([int(b.first), int(b.last)], b.prefix, width, joined=False), b.issued, show(b.holder) or None, len(pay_now),
                     span, len(void_now), yuan(int(to_fen(pay_now["amount"]).sum())), len(pay), len(void),
                     yuan(int(to_fen(pay["amount"]).sum())), size - len(numbers),
                     rc.spans(holes, b.prefix, width) or None, state])
    vf = u[(u["source"] == "作废") & now & u["first"].isna()]
    rows2 = [[voids.at[r.line, "receipt"], r.date, show(voids.at[r.line, "reason"]) or None] for r in vf.itertuples()]
    bad = u[now & (u["number"].isna() | u["first"].notna() | u["book"].isna())]
    records = t["fee_records"].frame
    rows3 = []
    for r in bad.itertuples():
        why = "读不出" if r.number is None else "重复使用" if r.first is not None else "不在领用的号段内"
        child = records.at[r.line, "child_id"] if r.source == "收费" else None
        rows3.append([r.date, r.source, child, None if r.amount != r.amount else r.amount, str(r.typed), why])
    blocks = [
        Block(["票据种类", "号段", "领用日期", "领用人", "本月使用(张)", "本月号码", "本月作废(张)", "本月收费(元)",
               "累计使用(张)", "累计作废(张)", "累计收费(元)", "未用(张)", "跳号", "状态"], rows or [[None, "没有领用登记"]],
              title="一、各本票据", formats={2: "yyyy-mm-dd", 7: "#,##0.00", 10: "#,##0.00"}, wrap=(12,),
              row_styles={i: "warning" for i, r in enumerate(rows) if r[12]}),
        Block(["票据号", "作废日期", "作废原因"], rows2 or [[None, None, "本月没有作废的票据"]], title="二、本月作废",
              formats={1: "m/d"}),
        Block(["日期", "来源", "幼儿编号", "金额(元)", "票据号", "问题"], rows3 or [[None, None, None, None, None, "本月票据号没有问题"]],
              title="三、本月有问题的票据号", formats={0: "m/d", 3: "#,##0.00"},
              row_styles={i: "warning" for i in range(len(rows3))}),
    ]
    used_now = sum(r[4] for r in rows)
    titles = [p.title(RECEIPTS),
              f"统计至 {as_of.isoformat()}：{len(rows)} 本票据，本月使用 {used_now} 张、作废 {len(rows2)} 张，"
              f"收费 {sum(r[7] for r in rows):,.2f} 元；跳号 {sum(bool(r[12]) for r in rows)} 本，有问题的票据号 {len(rows3)} 个。"
              f"{rc.RULE}。"]
    out = SheetOutput(RECEIPTS, blocks, titles=titles, widths=[11, 17, 11, 8, 10, 17, 10, 12, 10, 10, 13, 8, 20, 17],
                      page_header=titles[0])
    return out, f"{RECEIPTS}（本月使用 {used_now} 张，作废 {len(rows2)} 张）"


def make_receipts(v, req):
    sheet, said = receipts_sheet(v, req.month, req.today)
    return [sheet], said
