"""The money domain's reports: 伙食费核算, 伙食账目公示, 预算执行 and 收费公示 (accounts.py); 学期结算, 欠费明细 and
催费通知 (settlement.py); 资助情况 (aid.py); 票据使用情况 (receipts.py)."""
from __future__ import annotations

from kgxl.domains.money.sheets.accounts import make_budget, make_fees, make_meals
from kgxl.domains.money.sheets.aid import has_aid, make_aid
from kgxl.domains.money.sheets.receipts import has_books, make_receipts
from kgxl.domains.money.sheets.settlement import has_arrears, make_arrears, make_settlement

__all__ = ["make_meals", "make_budget", "make_fees", "has_aid", "make_aid", "has_books", "make_receipts",
           "has_arrears", "make_arrears", "make_settlement"]
