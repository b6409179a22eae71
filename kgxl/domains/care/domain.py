"""The care domain (卫生保健登记), declared once (see kgxl.core.domain). It reads attendance's registers, nutrition's
intake and health's check figures through their shared.py."""
from __future__ import annotations

from kgxl.core.domain import KEEP, Code, Domain, Report
from kgxl.domains.care.names import INFECTIONS, INJURIES, MONTHLY, SAMPLES

BASE = ("settings", "classes", "roster", "holiday_overrides")
REGISTERS = ("register", "holiday_overrides")  # the sick absences, by school day


DOMAIN = Domain(
    name="care", title="卫生保健登记", group="保健",
    inputs=("diseases", "infections", "injuries", "food_samples", "meal_committee", "care_settings"),
    rules=".rules:rules",
    rule_inputs=("settings", "care_settings", "roster", "diseases", "infections", "injuries", "food_samples",
                 "meal_committee", "menu", *REGISTERS),
    reports=(
        Report("samples", "留样检查", "按带量食谱核对留样登记：每餐每个菜品是否留样、留样量和冷藏时长是否达到“基本信息”的要求",
               ".sheets:make_samples", inputs=("settings", "care_settings", "roster", "menu", "food_samples"),
               needs=("menu", "food_samples"), sheets=(SAMPLES,),
               image="DataValidation"),
        Report("infections", "传染病统计", "按传染病登记统计本月和本学期各病种、各班级的病例和发病率（附件5 表3），"
               "并与出勤表的病假备注、聚集性病假预警核对", ".sheets:make_infections",
               inputs=(*BASE, "attendance_settings", "diseases", "infections", *REGISTERS), needs=("roster", "infections"), sheets=(INFECTIONS,),
               image="TraceError"),
        Report("injuries", "伤害统计", "按儿童伤害登记统计每月伤害人次、程度、发生率，按类型和地点汇总，列出重复发生的地点",
               ".sheets:make_injuries", inputs=("settings", "roster", "injuries"), needs=("roster", "injuries"), sheets=(INJURIES,),
               image="ConditionalFormattingIconSetsGallery"),
        Report("healthreport", "卫生保健月报", "一页的卫生保健月报：出勤率、因病缺勤率、传染病、伤害、体检率、体弱儿、能量和蛋白质、"
               "留样合格率、膳食委员会、晨检覆盖率、消毒完成率、健康教育，各项注明来源；不含幼儿姓名，默认随导出上报",
               ".sheets:make_monthly",
               inputs=(*BASE, "diseases", "infections", "injuries", "food_samples", "meal_committee", *REGISTERS, "menu",
                       "foods", "health_checks", "health_norms", "care_settings", "health_settings", "morning_checks",
                       "disinfection_rules", "disinfection_log", "health_education", "daily_health_settings"),
               needs=("roster",), sheets=(MONTHLY,), image="FilePrintPreview"),
    ),
    bureau=(MONTHLY,),
    personal=(INFECTIONS,),
    requires=("attendance", "nutrition", "health", "daily_health"),
    carry={"diseases": KEEP},
    reference={"diseases": ".shipped:diseases"},
    sample=".sample:rows",
    due=".due:due", due_inputs=("settings", "care_settings", "menu", "food_samples", "meal_committee"),
    codes={
        "early_return": Code("隔离期未满返园", "警告", "核对返园日期与返园证明；隔离期在“传染病病种”中设置"),
        "repeat_case": Code("传染病重复登记", "警告", "同一病程只登记一次；再次感染请先填写上一例的返园日期"),
        "record_not_enrolled": Code("该日不在园", "错误", "核对日期或幼儿编号（入园日期至离园日期之间）"),
        "sample_missing": Code("菜品没有留样", "警告", "每餐每个菜品都应留样；补登漏记的留样，确实未留样的如实说明"),
        "sample_light": Code("留样量不足", "警告", "按“基本信息”的留样量留样"),
        "sample_short": Code("留样保存时间不足", "警告", "留样应冷藏到“基本信息”的留样时长后再销毁"),
        "sample_not_on_menu": Code("留样菜品不在食谱中", "警告", "核对菜名写法，或更新带量食谱"),
        "infection_unregistered": Code("传染病未登记", "警告", "在“传染病登记”中登记该病例，或核对出勤表备注"),
        "no_return_certificate": Code("返园无证明", "警告", "收取医疗机构出具的返园证明后填 有"),
        "committee_missing": Code("当月没有膳食委员会会议", "警告", "每月至少召开一次膳食委员会会议并记录"),
    },
)
