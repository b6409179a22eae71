"""The health-check domain, declared once (see kgxl.core.domain)."""
from __future__ import annotations

from kgxl.core.domain import KEEP, Code, Domain, Report
from kgxl.domains.health.names import EVALUATION, REGISTER, REMINDERS, STATISTICS

DOMAIN = Domain(
    name="health", title="保健", group="保健",
    inputs=("health_checks", "health_norms", "health_settings"),
    rules=".rules:rules", rule_inputs=("health_settings", "roster", "health_checks", "health_norms"),
    reports=(
        Report("health", "体检评价", "按体检记录和幼儿名册，以 WS/T 423—2022 或 WHO 生长标准（“基本信息”中选择）评价年龄别体重、年龄别身高、"
               "身高别体重和BMI，判定低体重、生长迟缓、消瘦（含重度）、超重、肥胖（含重度）和贫血，生成体格发育评价、体弱儿管理、体检统计（体检率、患病率）和体检提醒", ".sheets:make_health",
               inputs=("settings", "health_settings", "classes", "roster", "health_checks", "health_norms"),
               needs=("roster", "health_checks"), sheets=(EVALUATION, REGISTER, STATISTICS, REMINDERS),
               image="ChartTypeXYScatterInsertGallery"),
    ),
    bureau=(STATISTICS,),
    personal=(EVALUATION, REGISTER, REMINDERS),
    carry={"health_checks": ".carry:checks_of_children", "health_norms": KEEP},
    reference={"health_norms": ".shipped:health_norms"},
    sample=".sample:rows",
    due=".due:due", due_inputs=("settings", "health_settings", "classes", "roster", "health_checks", "health_norms"),
    codes={
        "future_date": Code("日期晚于今天", "错误", "核对检查日期"),
        "before_birth": Code("检查日期早于出生日期", "错误", "核对检查日期或幼儿名册的出生日期"),
        "implausible_growth": Code("测量值不像真实值", "警告", "核对身高、体重及单位；无误时在备注中写“已核实”"),
        "beyond_standard": Code("超出生长标准的适用年龄", "警告", "WS/T 423—2022 只评价7岁以下；需要时改用 WHO 标准"),
        "same_day_check": Code("同一天两次体检", "警告", "删去多余的一行或改正日期；评价取表中靠后的一行"),
        "lying_over_two": Code("2岁及以上卧位测量", "警告", "2岁及以上应立位测身高；已按卧位身长换算"),
        "recheck_unset": Code("复查间隔未设置", "警告", "在“体检标准”中按本地要求填写该项的复查间隔(月)"),
    },
)
