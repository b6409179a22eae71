"""The assets domain's reports: 资产台账汇总 and 资产清点表 (ledger.py); 物品出入单, 出借未还, 维修情况 and 能耗统计
(upkeep.py)."""
from __future__ import annotations

from kgxl.domains.assets.names import COUNT, ENERGY, LOANS, REPAIRS, SUMMARY, SUPPLIES
from kgxl.domains.assets.sheets.ledger import AssetReport
from kgxl.domains.assets.sheets.upkeep import UpkeepReport


def make_assets(v, req):
    r = AssetReport(v, req.month, req.today)
    return [r.summary(), r.count()], f"{SUMMARY}、{COUNT}"


def _upkeep(v, req):
    return UpkeepReport(v, req.month, req.today)


def make_supplies(v, req):
    r = _upkeep(v, req)
    return [r.supplies(), r.loans()], f"{SUPPLIES}、{LOANS}"


def make_repairs(v, req):
    return [_upkeep(v, req).repairs()], REPAIRS


def make_energy(v, req):
    return [_upkeep(v, req).energy()], ENERGY
