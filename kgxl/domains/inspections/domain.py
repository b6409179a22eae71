"""The inspections domain, declared once (see kgxl.core.domain). Its monthly tab lists the month's 行事历 items among
its 工作要点 (planning's shared.py)."""
from __future__ import annotations

from kgxl.core.actions import MONTH_POS, TODAY
from kgxl.core.domain import KEEP, Code, Domain, Report
from kgxl.domains.inspections.names import TAB

DOMAIN = Domain(
    name="inspections", title="检查", group="检查",
    inputs=("inspection_plan", "inspection_log"),
    rules=".rules:rules", rule_inputs=("settings", "holiday_overrides", "inspection_plan", "inspection_log"),
    reports=(
        Report("inspect", "生成月检查表", "按检查计划和检查记录生成本月检查表：应检查、已检查、未检查、不合格和整改情况；"
               "已填写的签字、备注保留", ".sheets:make_tab",
               inputs=("settings", "holiday_overrides", "inspection_plan", "inspection_log", "calendar_plan"),
               needs=("inspection_plan", "inspection_log"), sheets=(TAB,), image="ReviewAcceptOrRejectChangeDialog",
               params=(MONTH_POS, TODAY)),
    ),
    bureau=(TAB,),
    staff_columns={TAB: ("责任人", "检查人", "签字")},
    requires=("planning",),
    carry={"inspection_plan": KEEP},
    sample=".sample:rows",
    due=".due:due", due_inputs=("settings", "holiday_overrides", "inspection_plan", "inspection_log"),
    codes={"bad_frequency": Code("无法识别的频次", "错误", "按提示填写可识别的频次，如 每日、每周一、每月"),
           "same_day_log": Code("同一天同一项目记录两次", "警告", "删去多余的一行"),
           "future_log": Code("检查或整改日期晚于今天", "警告", "核对日期；尚未发生的检查不计为已完成"),
           "log_not_counted": Code("检查记录不在任何检查周期内", "警告", "核对日期；节假日也检查的项目把频次写成 每日(含节假日)")},
)
