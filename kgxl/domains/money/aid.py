"""资助与减免: a 资助对象 row reduces what its child owes for one 收费项目 (dues.py) from its 起始日期 (else 认定日期) to
its 截止日期 (blank: on). Its 资助标准 is a share of each month's due ("50%", "全免") or an amount per term ("600")
taken from the aided months in order until it is used up. Amounts in integer fen, the share rounded half up per
child-month. The band: 财教〔2011〕410号 has kindergartens set aside 3%-5% of 事业收入 for 资助; the local band is
基本信息's setting."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal

import pandas as pd

from kgxl.core.calendar import month_bounds
from kgxl.core.money import half_up, money, to_fen

OWN_FUNDS = "本园事业收入"
BASIS = "财教〔2011〕410号"
FULL = ("全免", "全额", "全部")
CREDIT_COLUMNS = ["line", "child_id", "item", "month", "aid", "category", "source"]


def standard(value) -> tuple[str, Decimal | int] | None:
    """A 资助标准 as typed -> ("share", fraction) or ("amount", fen); None when it cannot be read. Full-width digits
    and ％ are read; "600元" is 600 yuan."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, (int, float)):
        return ("amount", int(money(value) * 100)) if value >= 0 else None
    text = unicodedata.normalize("NFKC", str(value)).replace(" ", "").replace(",", "")
    if text in FULL:
        return "share", Decimal(1)
    m = re.fullmatch(r"(\d+(?:\.\d+)?)%", text)
    if m:
        return "share", Decimal(m.group(1)) / 100
    m = re.fullmatch(r"(\d+(?:\.\d+)?)元?", text)
    return ("amount", int(money(Decimal(m.group(1))) * 100)) if m else None


def window(r) -> tuple[dt.date, dt.date]:
    """A 资助对象 row's days: 起始日期 (else 认定日期) to 截止日期 (else on)."""
    start = r["start"] if isinstance(r["start"], dt.date) else r["recognized"]
    return start, r["end"] if isinstance(r["end"], dt.date) else dt.date.max


def usable(aid: pd.DataFrame) -> pd.DataFrame:
    """The 资助对象 rows that can be applied: complete, with a 资助标准 that reads (a row with another 错误 stops the
    reports that credit it)."""
    a = aid.dropna(subset=["child_id", "item", "recognized"])
    return a[a["standard"].map(lambda v: standard(v) is not None).astype(bool)]


def credits(dues: pd.DataFrame, aid: pd.DataFrame) -> pd.DataFrame:
    """One row per aid row and month it reduces: line (资助对象's row label), child_id, item, month, aid (fen),
    category, source. aid: usable() rows."""
    rows = []
    mine = dues[dues["child_id"].isin(set(aid["child_id"])).to_numpy()]  # the aided children's: not a group per child
    by_key = {k: g for k, g in mine.groupby(["child_id", "item"], sort=False)}
    for line, r in aid.iterrows():
        g = by_key.get((r["child_id"], r["item"]))
        if g is None:
            continue
        kind, value = standard(r["standard"])
        lo, hi = window(r)
        left = value
        for m, due in zip(g["month"], g["due"]):
            first, last = month_bounds(m)
            if last < lo or first > hi or due <= 0:
                continue
            if kind == "share":
                fen = min(int(half_up(Decimal(int(due)) * value)), int(due))
            else:
                fen = min(int(due), left)
                left -= fen
            if fen:
                rows.append({"line": line, "child_id": r["child_id"], "item": r["item"], "month": m, "aid": fen,
                             "category": r["category"], "source": r["source"]})
    return pd.DataFrame(rows, columns=CREDIT_COLUMNS).astype({"aid": "int64"})


def fee_income(ledger: pd.DataFrame | None, fee_items: pd.DataFrame, start: dt.date, as_of: dt.date) -> int:
    """The term's 事业收入 to as_of, fen: 收支明细 income rows whose 预算科目 names a 保教费, 保育费, 住宿费 or
    服务性收费 item (e.g. 保育教育费收入); 伙食费 (专款专用) and 代收费 are not 事业收入."""
    if ledger is None:
        return 0
    names = [r.item for r in fee_items.dropna(subset=["item"]).itertuples()
             if r.category in ("保教费", "保育费", "住宿费", "服务性收费") and r.agency != "是"]
    led = ledger.dropna(subset=["date", "budget_item", "amount"])
    led = led[(led["direction"] == "收入") & (led["date"] >= start) & (led["date"] <= as_of)]
    hit = led["budget_item"].map(lambda b: any(n in str(b) for n in names)).astype(bool)
    return int(to_fen(led.loc[hit, "amount"]).sum())


def band(settings) -> tuple[float, float]:
    lo = settings.aid_min_pct if settings.aid_min_pct is not None else 3.0
    hi = settings.aid_max_pct if settings.aid_max_pct is not None else 5.0
    return lo, hi
