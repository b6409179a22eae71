"""请购——审批——购买——入账: each request of 请购单 and the breaks in its chain. A purchase above 请购须先审批的金额
(blank: every purchase) bought before its approval, or with none, is the chain's 错误; below it, an approval after
the purchase (事后补批) or none is a 警告. A purchase is entered when 收支明细 has an expense with its 凭证号 in the
month it was bought, of its amount (实际金额, else 预计金额). Pure."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from kgxl.core.cells import is_blank, show
from kgxl.core.money import to_fen
from kgxl.domains.procurement.tie import key

RULE = ("请购须先审批的金额以上的采购，审批日期应在购买日期之前（或同日）；购买后在当月的收支明细中入账（凭证号、金额一致）")
APPROVE_FIRST, LATE, NOT_ENTERED, WRONG_AMOUNT = "approve_first", "late", "not_entered", "wrong_amount"


def chain(requests: pd.DataFrame, ledger: pd.DataFrame | None, above, today: dt.date) -> pd.DataFrame:
    """Per request (line: the sheet's row): amount, big (needs approval first), breaks [(kind, Chinese)], stage."""
    f = requests.dropna(subset=["date", "item"]).rename_axis("line").reset_index()
    spent = _expenses(ledger)
    rows = []
    for r in f.itertuples():
        amount = r.amount if not is_blank(r.amount) else r.estimate
        big = above is None or (not is_blank(amount) and amount > above)
        breaks = []
        bought = r.bought if isinstance(r.bought, dt.date) else None
        approved = r.approved if isinstance(r.approved, dt.date) else None
        if bought and (approved is None or approved > bought):
            said = "没有审批" if approved is None else f"审批（{show(approved)}）在购买（{show(bought)}）之后"
            breaks.append((APPROVE_FIRST if big else LATE, said))
        if bought and (bought.year, bought.month) < (today.year, today.month):
            breaks += _entry(r, bought, amount, spent)
        stage = "已入账" if bought and not is_blank(r.voucher) else "已购买" if bought else "已审批" if approved \
            else "待审批"
        rows.append((r.line, amount, big, breaks, stage))
    return pd.DataFrame(rows, columns=["line", "amount", "big", "breaks", "stage"]).set_index("line")


def _expenses(ledger: pd.DataFrame | None) -> dict:
    """收支明细's expenses by 凭证号 (spaces ignored): (first date, fen)."""
    if ledger is None:
        return {}
    f = ledger.dropna(subset=["voucher", "amount", "date"])
    f = f[f["direction"] == "支出"]
    f = f.assign(k=f["voucher"].map(key), fen=to_fen(f["amount"]))
    return {k: (min(g["date"]), int(g["fen"].sum())) for k, g in f.groupby("k")}


def _entry(r, bought: dt.date, amount, spent: dict) -> list:
    if is_blank(r.voucher):
        return [(NOT_ENTERED, f"{show(bought)} 购买，当月没有入账（未填凭证号）")]
    got = spent.get(key(r.voucher))
    if got is None:
        return [(NOT_ENTERED, f"收支明细中没有凭证号 {show(r.voucher)} 的支出")]
    day, fen = got
    out = []
    if (day.year, day.month) != (bought.year, bought.month):
        out.append((NOT_ENTERED, f"{show(bought)} 购买，{show(day)} 才入账（不在当月）"))
    if not is_blank(amount) and int(to_fen(pd.Series([amount])).iloc[0]) != fen:
        out.append((WRONG_AMOUNT, f"凭证 {show(r.voucher)} 支出 {fen / 100:,.2f} 元，与请购单的 {amount:,.2f} 元不一致"))
    return out
