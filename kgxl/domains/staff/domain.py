"""The staff and safety domain, declared once (see kgxl.core.domain)."""
from __future__ import annotations

from kgxl.core.domain import KEEP, Code, Domain, Report
from kgxl.domains.staff.names import APPRAISAL, MERIT, QUALIFICATION, SAFETY, TRAINING

BASE = ("settings", "classes", "roster", "holiday_overrides", "staff")


DOMAIN = Domain(
    name="staff", title="队伍与安全", group="队伍与安全",
    inputs=("staff", "trainings", "appraisal_items", "appraisals", "drills", "pledges", "duty", "staff_settings",
            "merit_plan", "merit_adjustments"),
    rules=".rules:rules",
    rule_inputs=(*BASE, "staff_settings", "trainings", "appraisal_items", "appraisals", "drills", "pledges", "duty",
                 "merit_plan", "merit_adjustments"),
    reports=(
        Report("staff", "队伍管理", "按教职工、培训记录和月考核生成教职工资质（健康证、持证率、人员配备比例）、培训统计和月考核汇总",
               ".sheets:make_staff", inputs=("settings", "staff_settings", "roster", "staff", "trainings", "appraisal_items", "appraisals"), needs=("staff", "roster"),
               sheets=(QUALIFICATION, TRAINING, APPRAISAL), image="NameManager"),
        Report("safety", "安全台账", "按安全演练、安全责任书和值班安排生成安全工作台账：演练与计划、责任书签订、节假日值班缺口，"
               "以及本月门卫、接送、班车和消防登记各一行",
               ".sheets:make_safety", inputs=("settings", "staff_settings", "holiday_overrides", "staff", "drills", "pledges", "duty",
                                               "security_settings", "visits", "pickup_auth", "pickup_events", "vehicles",
                                               "bus_trips", "bus_rolls", "fire_equipment", "fire_checks"), needs=("staff",), sheets=(SAFETY,),
               image="SheetProtect"),
        Report("merit", "绩效工资表", "按月考核得分对应绩效方案的档次，加上奖罚登记，生成本月每人的绩效工资表（只算绩效，不算工资、"
               "个税和社保），交财务核发", ".sheets:make_merit",
               inputs=("settings", "staff_settings", "staff", "appraisals", "merit_plan", "merit_adjustments"),
               needs=("staff", "merit_plan"), sheets=(MERIT,), image="AccountingFormatMoreExcel",
               refresh_when=".sheets:has_plan"),
    ),
    personal=(QUALIFICATION, TRAINING, APPRAISAL, SAFETY, MERIT),
    requires=("security",),
    carry={"staff": ".carry:staff_in_service", "appraisal_items": KEEP, "merit_plan": KEEP},
    sample=".sample:rows",
    due=".due:due", due_inputs=("settings", "staff_settings", "staff", "drills"),
    codes={
        "health_cert_expired": Code("健康证过期仍在岗", "错误", "工作人员须持有效健康合格证上岗：停岗并办理健康证"),
        "health_cert_missing": Code("在岗人员未填健康证", "错误", "填写健康证到期日期；没有健康证的须体检合格后上岗"),
        "health_cert_soon": Code("健康证即将到期", "警告", "安排年度健康检查，换发健康证"),
        "staff_left": Code("离职人员仍有记录", "错误", "核对工号或离职日期"),
        "score_above_max": Code("得分超过满分", "警告", "核对得分或考核细则的满分"),
        "unknown_appraisal_item": Code("考核项目不在考核细则中", "警告", "按考核细则填写该岗位的项目"),
        "merit_band_empty": Code("绩效档次没有金额或系数", "错误", "填写绩效金额或绩效系数"),
        "merit_base_missing": Code("未填绩效基数", "错误", "在基本信息中填写绩效基数(元/月)"),
        "no_appraisal": Code("没有月考核", "警告", "补录该月的月考核；没有考核不发基础绩效"),
        "carer_without_class": Code("保育员未填写班级", "错误", "填写保育员所在班级"),
    },
)
