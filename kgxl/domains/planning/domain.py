"""The planning domain (行事历与目标), declared once (see kgxl.core.domain): the term's 行事历 (each month's work, done
on time, late or open, and the 工作计划完成率) and its 学期目标 against the measures the other domains compute (read
through their shared.py); its items not yet done go to 待办事项 and the 检查 tab's 本月工作要点."""
from __future__ import annotations

from kgxl.core.domain import KEEP, Code, Domain, Report
from kgxl.domains.planning.names import PROGRESS

# what 目标达成's measures read (planning.measures), besides 行事历 and 学期目标
MEASURED = ("settings", "attendance_settings", "classes", "roster", "holiday_overrides", "register", "health_settings",
            "health_checks", "health_norms", "menu", "foods", "care_settings", "food_samples", "injuries", "meters",
            "stock", "fee_items", "fee_records", "aid")

DOMAIN = Domain(
    name="planning", title="行事历与目标", group="计划",
    inputs=("calendar_plan", "term_targets"),
    rules=".rules:rules", rule_inputs=("settings", "calendar_plan"),
    reports=(
        Report("plan", "行事历执行", "按行事历统计本学期各月计划的事项按时完成、逾期完成、逾期未完成和未到期的件数，"
               "计算工作计划完成率；列出本月事项和往月未完成事项；按学期目标逐项对照当前值（目标达成）",
               ".sheets:make_progress", inputs=(*MEASURED, "calendar_plan", "term_targets"), needs=("calendar_plan",),
               sheets=(PROGRESS,), image="GoalSeek", refresh_when=".sheets:has_plan"),
    ),
    requires=("attendance", "health", "nutrition", "care", "assets", "money"),
    carry={"calendar_plan": ".carry:plan_rolled", "term_targets": KEEP},
    sample=".sample:rows",
    due=".due:due", due_inputs=("settings", "calendar_plan"),
    codes={
        "plan_month_outside": Code("月份不在本学期", "错误", "行事历的月份应为本学期的月份"),
        "plan_done_early": Code("完成日期早于安排的月份", "警告", "核对月份和完成日期"),
        "plan_date_outside": Code("计划完成日期不在该月", "警告", "核对月份和计划完成日期"),
    },
)
