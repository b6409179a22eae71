"""The attendance domain, declared once (see kgxl.core.domain): the registers, their rules, and the
two buttons 生成本月出勤表 and 出勤统计. Other domains read the registers through child_days(v)."""
from __future__ import annotations

from kgxl.core.actions import MONTH_OPT, MONTH_POS, TODAY, Result
from kgxl.core.calendar import month_label
from kgxl.core.domain import Code, Domain, Report
from kgxl.core.problems import WARNING, Problem
from kgxl.core.schema import load_schemas
from kgxl.domains.attendance.shared import (
    CHILDREN,
    DAILY,
    INPUTS,
    REFUNDS,
    SICKNESS,
    SUMMARY,
    all_days,
    registers,
)


def rules(v) -> list[Problem]:
    from kgxl.domains.attendance.register_rules import register_problems

    roster = v.tables["roster"].frame if "roster" in v.tables else None
    out = register_problems(registers(v), all_days(v), roster, v.calendar, v.today, v.seen)
    if v.calendar:
        for month in sorted({t.month for t in registers(v) if v.calendar.in_term(t.month)}):
            out += v.calendar.warnings(month)
    return out


def make_register(v, req) -> Result:
    from kgxl.domains.attendance.register_sheet import build_register

    month, book = req.month, req.book
    schema = load_schemas()["register"]
    name = schema.sheet_for(month)
    table = v.tables.get(f"register:{month}")
    raw = book.read(name) if table is not None else None
    title = f"{v.settings.kindergarten_name or ''} {month_label(month)} 出勤登记表".strip()
    notes = book.notes(name) if table is not None else {}
    upd = build_register(schema, month, v.tables["roster"].frame, v.classes(), v.calendar, table, raw, title, notes)
    if table is None:
        names = book.sheet_names()
        earlier = [n for n in names if schema.matches(n) and schema.matches(n) < month]
        inputs = {s.sheet for s in load_schemas().values()}
        upd.output.after = earlier[-1] if earlier else next((n for n in reversed(names) if n in inputs), None)
    problems = v.calendar.warnings(month) + upd.problems
    what = "已更新" if table is not None else "已新建"
    summary = (f"{what}“{name}”：幼儿 {upd.children} 名（新增 {upd.added} 名），在园日 {upd.days} 天"
               + (f"，原有 {upd.kept_marks} 个标记全部保留" if table is not None else "") + "。")
    if any(p.severity == WARNING for p in problems):
        summary += "有需要注意的地方，见上方警告。"
    return Result([upd.output], problems, summary)


def make_reports(v, req):
    from kgxl.domains.attendance.sheets import AttendanceReport

    report = AttendanceReport(v, req.month)
    outputs = report.outputs()
    return outputs, f"{'、'.join(o.name for o in outputs)}（{len(report.months)} 个月的出勤表）"


DOMAIN = Domain(
    name="attendance", title="出勤", group="出勤",
    inputs=("register",),
    rules=rules,
    reports=(
        Report("month", "生成本月出勤表", "新建或更新本月出勤登记表：补齐新入园幼儿和在园日，已填写的标记全部保留",
               make_register, inputs=INPUTS, needs=("roster",), sheets=(load_schemas()["register"].sheet,),
               image="ConditionalFormattingHighlightDateOccuring", params=(MONTH_POS, TODAY), in_refresh=False),
        Report("attendance", "出勤统计", "计算出勤汇总、幼儿出勤统计、因病缺勤追踪、因病缺勤日报和伙食费退费", make_reports,
               inputs=(*INPUTS, "register"), needs=("roster",), sheets=(SUMMARY, CHILDREN, SICKNESS, DAILY, REFUNDS),
               image="ChartTypeColumnInsertGallery", params=(MONTH_OPT, TODAY),
               refresh_when=lambda v: bool(registers(v))),
    ),
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
