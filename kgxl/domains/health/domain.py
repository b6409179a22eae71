"""The health-check domain, declared once (see kgxl.core.domain)."""
from __future__ import annotations

from kgxl.core.domain import Code, Domain, Report
from kgxl.core.money import percent

EVALUATION, REGISTER, STATISTICS, REMINDERS = "体格发育评价", "体弱儿管理", "体检统计", "体检提醒"


def rules(v) -> list:
    from kgxl.domains.health.growth import check_problems, cutoffs

    t = v.tables
    if "health_checks" not in t:
        return []
    norms = t["health_norms"].frame if "health_norms" in t else None
    roster = t["roster"].frame if "roster" in t else None
    return check_problems(t["health_checks"], roster, cutoffs(norms), v.today, v.seen)


def make_health(v, req):
    from kgxl.domains.health.sheets import TOTAL, HealthReport

    t = v.tables
    norms = t["health_norms"].frame if "health_norms" in t else None
    report = HealthReport(t["health_checks"].frame, t["roster"].frame, v.classes(), norms,
                          v.settings.kindergarten_name or "", req.month, req.today)
    total = report.class_counts().set_index("class_name").loc[TOTAL]
    register = report.s.register
    follow = int((register["outcome"] != "已恢复正常").sum()) if len(register) else 0
    return report.outputs(), (f"{EVALUATION}、{REGISTER}、{STATISTICS}、{REMINDERS}（在册 {total['enrolled']} 名，"
                              f"体检率 {percent(total['checked'], total['enrolled'])}%，体弱儿 {follow} 名，"
                              f"体检逾期 {total['overdue']} 名）")


DOMAIN = Domain(
    name="health", title="保健", group="保健",
    inputs=("health_checks", "health_norms"),
    rules=rules,
    reports=(
        Report("health", "体检评价", "按体检记录和幼儿名册计算年龄别体重、年龄别身高、身高别体重和BMI的Z值（WHO标准），判定低体重、"
               "生长迟缓、消瘦、超重、肥胖和贫血，生成体格发育评价、体弱儿管理、体检统计（体检率、患病率）和体检提醒", make_health,
               inputs=("settings", "classes", "roster", "health_checks", "health_norms"),
               needs=("roster", "health_checks"), sheets=(EVALUATION, REGISTER, STATISTICS, REMINDERS),
               image="HappyFace"),
    ),
    bureau=(STATISTICS,),
    personal=(EVALUATION, REGISTER, REMINDERS),
    codes={
        "future_date": Code("日期晚于今天", "错误", "核对检查日期"),
        "before_birth": Code("检查日期早于出生日期", "错误", "核对检查日期或幼儿名册的出生日期"),
        "implausible_growth": Code("测量值不像真实值", "警告", "核对身高、体重及单位；无误时在备注中写“已核实”"),
    },
)
