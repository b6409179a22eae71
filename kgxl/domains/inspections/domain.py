"""The inspections domain, declared once (see kgxl.core.domain)."""
from __future__ import annotations

from kgxl.core.actions import MONTH_POS, TODAY
from kgxl.core.domain import Code, Domain, Report
from kgxl.domains.inspections.shared import TAB


def rules(v) -> list:
    from kgxl.domains.inspections.checks import plan_problems

    return plan_problems(v.tables["inspection_plan"]) if "inspection_plan" in v.tables else []


def make_tab(v, req):
    from kgxl.domains.inspections.sheet import inspection_tab, tab_name

    name = tab_name(req.month)
    existing = req.book.read(name) if name in req.book.sheet_names() else None
    tab, stats = inspection_tab(v.tables["inspection_plan"].frame, v.tables["inspection_log"].frame, req.month,
                                v.calendar, req.today, v.settings.kindergarten_name or "", existing)
    summary = (f"“{name}”：应检查 {stats['due']} 项次，已检查 {stats['done']}，未检查 {stats['missed']}，"
               f"待整改 {stats['open']}" + (f"；保留了已填写的签字/备注 {stats['kept']} 行" if stats["kept"] else ""))
    return [tab], summary


DOMAIN = Domain(
    name="inspections", title="检查", group="检查",
    inputs=("inspection_plan", "inspection_log"),
    rules=rules,
    reports=(
        Report("inspect", "生成月检查表", "按检查计划和检查记录生成本月检查表：应检查、已检查、未检查、不合格和整改情况；"
               "已填写的签字、备注保留", make_tab,
               inputs=("settings", "holiday_overrides", "inspection_plan", "inspection_log"),
               needs=("inspection_plan", "inspection_log"), sheets=(TAB,), image="ReviewAcceptOrRejectChangeDialog",
               params=(MONTH_POS, TODAY)),
    ),
    bureau=(TAB,),
    staff_columns={TAB: ("责任人", "检查人", "签字")},
    codes={"bad_frequency": Code("无法识别的频次", "错误", "按提示填写可识别的频次，如 每日、每周一、每月")},
)
