"""The health-check domain, declared once (see kgxl.core.domain)."""
from __future__ import annotations

from kgxl.core.domain import Code, Domain, Report
from kgxl.core.money import percent
from kgxl.domains.health.shared import EVALUATION, REGISTER, REMINDERS, STATISTICS


def rules(v) -> list:
    from kgxl.domains.health.growth import check_problems, cutoffs

    t = v.tables
    if "health_checks" not in t:
        return []  # no health checks kept in this workbook: nothing to schedule either
    norms = t["health_norms"] if "health_norms" in t else None
    out = recheck_problems(norms, v.settings.growth_standard)
    roster = t["roster"].frame if "roster" in t else None
    cuts = cutoffs(norms.frame if norms is not None else None, v.settings.growth_standard)
    return out + check_problems(t["health_checks"], roster, cuts, v.today, v.seen)


def recheck_problems(norms, standard: str) -> list:
    """A 警告 for each condition of the standard in force whose 复查间隔 is not set: 体弱儿管理 cannot
    schedule its re-check (no interval is cited for it; the local rule must be filled in)."""
    from kgxl.core.problems import WARNING, Problem
    from kgxl.domains.health.growth import ANY, cutoffs

    cuts = cutoffs(norms.frame if norms is not None else None, standard)
    missing = cuts.unset()
    out = []
    if norms is not None:
        f = norms.frame
        rows = f[f["standard"].isin((standard, ANY)) & f["item"].isin(missing) & f["recheck_months"].isna()]
        for i, item in rows["item"].items():
            out.append(Problem(norms.sheet, norms.cell(i, "recheck_months"), "复查间隔(月)", "", "recheck_unset",
                               f"{item}的复查间隔未设置：体弱儿管理无法安排复查，请按本地体弱儿专案管理要求填写（月）", WARNING))
        missing = [m for m in missing if m not in set(rows["item"])]
    if missing:
        from kgxl.core.schema import load_schemas
        out.append(Problem(load_schemas()["health_norms"].sheet, "", "", "", "recheck_unset",
                           f"{'、'.join(missing)}的复查间隔未设置（表中没有这些行，用的是默认界值）：请添加这些行并按本地体弱儿专案管理要求"
                           f"填写复查间隔(月)", WARNING))
    return out


def make_health(v, req):
    from kgxl.domains.health.sheets import report, summary

    h = summary(v, req.month, req.today)
    return report(v, req.month, req.today).outputs(), (
        f"{EVALUATION}、{REGISTER}、{STATISTICS}、{REMINDERS}（在册 {h['enrolled']} 名，"
        f"体检率 {percent(h['checked'], h['enrolled'])}%，体弱儿 {h['weak']} 名，体检逾期 {h['overdue']} 名）")


DOMAIN = Domain(
    name="health", title="保健", group="保健",
    inputs=("health_checks", "health_norms"),
    rules=rules,
    reports=(
        Report("health", "体检评价", "按体检记录和幼儿名册，以 WS/T 423—2022 或 WHO 生长标准（“基本信息”中选择）评价年龄别体重、年龄别身高、"
               "身高别体重和BMI，判定低体重、生长迟缓、消瘦（含重度）、超重、肥胖（含重度）和贫血，生成体格发育评价、体弱儿管理、体检统计（体检率、患病率）和体检提醒", make_health,
               inputs=("settings", "classes", "roster", "health_checks", "health_norms"),
               needs=("roster", "health_checks"), sheets=(EVALUATION, REGISTER, STATISTICS, REMINDERS),
               image="ChartTypeXYScatterInsertGallery"),
    ),
    bureau=(STATISTICS,),
    personal=(EVALUATION, REGISTER, REMINDERS),
    codes={
        "future_date": Code("日期晚于今天", "错误", "核对检查日期"),
        "before_birth": Code("检查日期早于出生日期", "错误", "核对检查日期或幼儿名册的出生日期"),
        "implausible_growth": Code("测量值不像真实值", "警告", "核对身高、体重及单位；无误时在备注中写“已核实”"),
        "beyond_standard": Code("超出生长标准的适用年龄", "警告", "WS/T 423—2022 只评价7岁以下；需要时改用 WHO 标准"),
        "lying_over_two": Code("2岁及以上卧位测量", "警告", "2岁及以上应立位测身高；已按卧位身长换算"),
        "recheck_unset": Code("复查间隔未设置", "警告", "在“体检标准”中按本地要求填写该项的复查间隔(月)"),
    },
)
