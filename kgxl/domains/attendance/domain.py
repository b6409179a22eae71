"""The attendance domain, declared once (see kgxl.core.domain): the registers, their rules, and the
two buttons 生成本月出勤表 and 出勤统计. Other domains read the registers through its shared.py (child_days)."""
from __future__ import annotations

from kgxl.core.actions import MONTH_OPT, MONTH_POS, TODAY
from kgxl.core.domain import Code, Domain, Report
from kgxl.domains.attendance.names import CHILDREN, DAILY, REFUNDS, REGISTER, SICKNESS, SUMMARY

BASE = ("settings", "classes", "roster", "holiday_overrides")
INPUTS = (*BASE, "register")

DOMAIN = Domain(
    name="attendance", title="出勤", group="出勤",
    inputs=("register", "attendance_settings"),
    rules=".rules:rules", rule_inputs=("settings", "holiday_overrides", "roster", "register"),
    reports=(
        Report("month", "生成本月出勤表", "新建或更新本月出勤登记表：补齐新入园幼儿和在园日，已填写的标记全部保留",
               ".sheets:make_register", inputs=INPUTS, needs=("roster",), sheets=(REGISTER,), stops_on=BASE,
               image="ConditionalFormattingHighlightDateOccuring", params=(MONTH_POS, TODAY), in_refresh=False),
        Report("attendance", "出勤统计", "计算出勤汇总、幼儿出勤统计、因病缺勤追踪、因病缺勤日报和伙食费退费",
               ".sheets:make_reports",
               inputs=(*INPUTS, "attendance_settings"), needs=("roster",), sheets=(SUMMARY, CHILDREN, SICKNESS, DAILY, REFUNDS),
               image="ChartTypeColumnInsertGallery", params=(MONTH_OPT, TODAY),
               refresh_when=".shared:has_registers"),
    ),
    sample=".sample:rows",
    due=".due:due", due_inputs=("settings", "holiday_overrides", "roster", "register"),
    bureau=(SUMMARY,),
    personal=(CHILDREN, SICKNESS, DAILY, REFUNDS),
    codes={
        "day_outside_month": Code("日期列不属于本月", "错误", "删除该列或改正表头日期"),
        "unknown_mark": Code("无法识别的出勤标记", "错误", "只填写 √、病、事、缺 或 —"),
        "mark_variant": Code("出勤标记写法不规范", "警告", "按提示改为规范的标记"),
        "not_enrolled": Code("不在园的日子有出勤标记", "错误", "改为 — 或核对幼儿名册的入园、离园日期"),
        "away_while_enrolled": Code("在园的日子标记了 —", "错误", "填写 √/病/事/缺，或核对入园、离园日期"),
        "unregistered": Code("未登记出勤", "警告", "补填当天的出勤标记"),
        "not_school_day": Code("非在园日有出勤标记", "警告", "核对该列：周末、节假日或停课日的标记不计入统计"),
        "missing_day": Code("缺少在园日的日期列", "警告", "运行“生成本月出勤表”补齐"),
        "missing_child": Code("在园幼儿不在出勤表中", "警告", "运行“生成本月出勤表”补齐"),
    },
)
