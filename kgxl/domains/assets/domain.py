"""The assets domain (园产与物品), declared once (see kgxl.core.domain). 能耗统计 reads attendance's child-days."""
from __future__ import annotations

from kgxl.core.domain import KEEP, Code, Domain, Report
from kgxl.domains.assets.names import COUNT, ENERGY, LOANS, REPAIRS, SUMMARY, SUPPLIES

BASE = ("settings",)


DOMAIN = Domain(
    name="assets", title="园产与物品", group="园产与物品",
    inputs=("asset_categories", "assets", "asset_changes", "asset_counts", "supplies", "supply_moves", "repairs", "meters",
            "assets_settings"),
    rules=".rules:rules",
    rule_inputs=(*BASE, "assets", "asset_changes", "asset_counts", "supplies", "supply_moves", "repairs", "meters"),
    reports=(
        Report("assets", "资产台账", "按固定资产和资产变动生成资产台账汇总（按类别、按存放地点、本学期变动、待报废）和逐室一页的"
               "资产清点表；录入资产清点后得出盘盈盘亏", ".sheets:make_assets",
               inputs=(*BASE, "classes", "asset_categories", "assets", "asset_changes", "asset_counts", "repairs", "ledger"),
               needs=("assets",), sheets=(SUMMARY, COUNT), image="PivotTableInsert"),
        Report("supplies", "物品出入", "按物品出入库生成本月物品出入单（期初、入库、领用、期末、各班级领用、申购建议）和出借未还清单",
               ".sheets:make_supplies", inputs=(*BASE, "supplies", "supply_moves"), needs=("supply_moves",),
               sheets=(SUPPLIES, LOANS), image="SortDialog"),
        Report("repairs", "维修情况", "按维修登记列出未修好的报修（紧急的在前）、本月修好的、按月和按地点的费用、重复维修的资产",
               ".sheets:make_repairs", inputs=(*BASE, "repairs"), needs=("repairs",), sheets=(REPAIRS,), image="ControlProperties"),
        Report("energy", "能耗统计", "按水电气抄表统计每月用量和费用、每出勤人日用量，与去年同月或上学期同期对比，偏高的提示排查",
               ".sheets:make_energy", inputs=(*BASE, "assets_settings", "roster", "holiday_overrides", "register", "ledger", "meters"), needs=("meters",),
               sheets=(ENERGY,), image="ChartTypeLineInsertGallery"),
    ),
    bureau=(SUMMARY, REPAIRS, ENERGY),
    personal=(COUNT, LOANS),
    requires=("attendance",),
    carry={"asset_categories": KEEP, "supplies": KEEP, "meters": KEEP,  # meters: last year's months compare
           "assets": ".carry:cards_as_left", "supply_moves": ".carry:supplies_on_hand"},
    reference={"asset_categories": ".shipped:asset_categories"},
    sample=".sample:rows",
    due=".due:due", due_inputs=("settings", "repairs", "supply_moves"),
    codes={
        "repair_dates_differ": Code("报修、修复日期两处不一致", "警告", "核对“资产变动”和“维修登记”中这次维修的日期，改成一致"),
        "asset_scrapped": Code("资产已报废或盘亏", "错误", "核对资产编号；报废、盘亏后的资产不应再有变动、清点或维修记录"),
        "supply_short": Code("超过库存", "错误", "核对数量，或补录入库"),
        "return_unmatched": Code("归还没有对应的出借", "错误", "核对物品名称、领用人和数量"),
        "loan_open": Code("学期末出借未还", "警告", "学期末前收回出借的物品，或登记归还"),
        "meter_backwards": Code("读数比上月小", "错误", "核对读数；换了新表的在“换表”填 是"),
        "meter_gap": Code("上月读数对不上", "警告", "上月读数应等于上月记录的本月读数"),
        "usage_mismatch": Code("用量与读数不符", "错误", "用量应为本月读数减上月读数"),
    },
)
