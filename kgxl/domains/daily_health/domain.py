"""The daily_health domain (每日保健), declared once (see kgxl.core.domain): 晨午检 with its findings, 服药委托 with
服药记录, 消毒记录 against 消毒要求, and 健康教育 (counted in care's 卫生保健月报), checked against the attendance registers (read through attendance's
shared.py) and 传染病登记."""
from __future__ import annotations

from kgxl.core.domain import KEEP, Code, Domain, Report
from kgxl.domains.daily_health.names import CHECKS, DISINFECTION, MEDICINE

REGISTERS = ("settings", "roster", "holiday_overrides", "register")  # the child-day table (attendance's shared.py)
BASE = (*REGISTERS, "classes")

DOMAIN = Domain(
    name="daily_health", title="每日保健", group="保健",
    inputs=("morning_checks", "check_findings", "medicine_requests", "medicine_doses", "disinfection_rules",
            "disinfection_log", "health_education", "daily_health_settings", "common_diseases"),
    rules=".rules:rules",
    rule_inputs=(*REGISTERS, "morning_checks", "check_findings", "medicine_requests", "medicine_doses", "infections",
                 "disinfection_rules", "disinfection_log", "common_diseases"),
    reports=(
        Report("checks", "晨午检统计", "按班级统计本月晨午检：应检和已检天数、出勤和晨检人次、晨检覆盖率，异常按症状和处理分类，"
               "列出离园就医、隔离幼儿的次日出勤和追踪", ".sheets:make_checks",
               inputs=(*BASE, "morning_checks", "check_findings", "infections"), needs=("roster", "morning_checks"),
               sheets=(CHECKS,), image="AccessibilityChecker", refresh_when=".sheets:has_checks"),
        Report("medicine", "服药登记核对", "按服药委托核对本月服药记录：每份委托应服和已服次数、家长签字，没有委托的喂药、"
               "幼儿不在园的喂药", ".sheets:make_medicine",
               inputs=(*REGISTERS, "medicine_requests", "medicine_doses"),
               needs=("roster", "medicine_requests", "medicine_doses"), sheets=(MEDICINE,),
               image="DataValidationCircleInvalid", refresh_when=".sheets:has_medicine"),
        Report("disinfection", "消毒记录汇总", "按消毒要求核对本月各班的消毒记录（附件4 表6）：各项目应做和已做次数、消毒完成率，"
               "消毒液浓度检测是否在范围内，没有做到的日期和周期；不含姓名，默认随导出上报", ".sheets:make_disinfection",
               inputs=(*BASE, "disinfection_rules", "disinfection_log"), needs=("disinfection_rules", "disinfection_log"),
               sheets=(DISINFECTION,), image="ConditionalFormattingHighlightDuplicateValues",
               refresh_when=".sheets:has_disinfection"),
    ),
    bureau=(DISINFECTION,),
    personal=(CHECKS, MEDICINE),
    carry={"disinfection_rules": KEEP, "common_diseases": ".carry:open_conditions"},
    reference={"disinfection_rules": ".shipped:disinfection_rules"},
    requires=("attendance",),
    sample=".sample:rows",
    due=".due:due", due_inputs=(*REGISTERS, "morning_checks", "medicine_requests", "medicine_doses"),
    codes={
        "daily_not_enrolled": Code("该日不在园", "错误", "核对日期或幼儿编号（入园日期至离园日期之间）"),
        "check_missing": Code("没有晨午检记录", "警告", "补登当天的晨午检；确实未检的如实说明"),
        "check_over_present": Code("晨检人数多于出勤人数", "警告", "核对晨检人数或出勤表"),
        "sent_home_no_sick": Code("离园后次日未记病假", "警告", "核对次日出勤，或在复查追踪栏写明情况"),
        "sign_unregistered": Code("传染病症状未登记", "警告", "确诊的登记到“传染病登记”，排除的写明"),
        "dose_no_request": Code("喂药没有家长委托", "错误", "先有家长书面委托（服药委托）才能喂药"),
        "dose_absent": Code("幼儿不在园却有服药记录", "错误", "核对日期或出勤表"),
        "request_unsigned": Code("服药委托没有家长签字", "警告", "请家长在委托单上签字"),
        "request_incomplete": Code("服药次数不足", "警告", "补登漏记的服药，确实未服的备注说明"),
        "disinfect_unset": Code("消毒频次未设置", "警告", "在“消毒要求”中按当地要求填写频次"),
        "disinfect_missing": Code("消毒没有做到要求的次数", "警告", "补登漏记的消毒，确实未做的如实说明"),
        "concentration_out": Code("消毒液浓度不在范围内", "警告", "重新配制消毒液并复测"),
    },
)
