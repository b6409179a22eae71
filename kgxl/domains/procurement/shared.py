"""What procurement computes once per validation: the stock by batch (its rules, 待办事项, reports and the new-term
carry read it)."""
from __future__ import annotations

from kgxl.domains.money.shared import stock_ledger
from kgxl.domains.procurement.batches import batches


def stock_batches(v):
    """(the stock ledger, its batches), or (None, None) without 食品出入库 or 进货验收."""
    led = stock_ledger(v)
    if led is None or "deliveries" not in v.tables:
        return None, None
    return led, v.shared("procurement.batches", lambda: batches(stock_ledger(v), v.tables["deliveries"].frame))
