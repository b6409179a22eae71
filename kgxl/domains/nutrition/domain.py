"""The nutrition domain, declared once (see kgxl.core.domain). Its food cost per child-day comes from
the money domain's meal account (a declared dependency)."""
from __future__ import annotations

from kgxl.core.actions import MONTH_OPT, TODAY, Param, UserError, default_month
from kgxl.core.calendar import month_bounds
from kgxl.core.domain import Code, Domain, Report
from kgxl.domains.nutrition.shared import CHECK, NEEDS, SHEET


def rules(v) -> list:
    from kgxl.domains.nutrition.menu_rules import menu_problems

    return menu_problems(v.tables["menu"]) if "menu" in v.tables else []


def _period(v, month: str | None, week: str | None, today):
    from kgxl.domains.nutrition.intake import Period

    if month and week:
        raise UserError("请只指定月份或周次中的一个")
    return Period.week(week) if week else Period.month(default_month(v.settings, month, today))


def _food_cost(v, period) -> tuple[float | None, str]:
    """The month's food cost per child-day from the meal account (unrounded), or why there is none."""
    from kgxl.domains.money.meal_account import meal_items
    from kgxl.domains.money.shared import MEAL_SHEETS, meal_accounts

    month = period.start.strftime("%Y-%m")
    if (period.start, period.end) != month_bounds(month):
        return None, "按月分析时显示"
    t = v.tables
    if not all(k in t for k in MEAL_SHEETS) or not meal_items(t["fee_items"].frame) or not v.settings.term_valid:
        return None, "需要“食品出入库”“收费记录”和“收费项目”（含伙食费）"
    if not v.settings.term_start <= period.start <= v.settings.term_end:
        return None, "不在本学期内"
    a = meal_accounts(v, month)[-1]
    if not a.child_days:
        return None, "本月没有出勤表，无法计算人日数"
    return a.cost / 100 / a.child_days, ""  # unrounded: the sheet rounds it, and its share of the fee is of this


def make_analysis(v, req):
    from kgxl.domains.nutrition.intake import analyse
    from kgxl.domains.nutrition.norms import norms
    from kgxl.domains.nutrition.reference import WHOLE, reference
    from kgxl.domains.nutrition.sheet import data_check, nutrition_sheet

    period = _period(v, req.month, req.params.get("week"), req.today)
    a = analyse(v.tables["menu"].frame, v.tables["foods"].frame, period)
    if a is None:
        raise UserError(f"“带量食谱”中没有 {period.label} 的食谱，无法做营养分析")
    ref = reference(v.tables["roster"].frame, v.tables["classes"].frame, a.days[-1])
    table = v.tables.get("nutrition_norms")
    cost, note = _food_cost(v, period)
    sheet = nutrition_sheet(a, ref, norms(table.frame if table else None, v.settings.meal_service == "寄宿制"),
                            v.settings, cost, note)
    energy = ""
    if WHOLE in ref.means.index:
        energy = f"，能量为参考量的 {100 * a.per_day['energy_kcal'] / ref.means.loc[WHOLE, 'energy_kcal']:.0f}%"
    return [sheet, data_check(a, v.settings.kindergarten_name or "")], \
        f"{SHEET}（{period.label}，带量食谱 {len(a.days)} 天{energy}）、{CHECK}"


DOMAIN = Domain(
    name="nutrition", title="膳食营养", group="膳食",
    inputs=("menu", "foods", "nutrition_norms"),
    rules=rules,
    reports=(
        Report("nutrition", "营养分析", "按带量食谱计算每人每日各类食物进食量、营养素摄入量（与参考摄入量比较）、热量来源、"
               "蛋白质来源和餐次分配，给出评价与建议", make_analysis,
               inputs=("settings", "classes", "roster", "menu", "foods", "nutrition_norms"), needs=NEEDS,
               sheets=(SHEET, CHECK), image="ChartTypePieInsertGallery", term_month=False,
               params=(MONTH_OPT, Param("week", "周次，格式 2026-W38（与月份二选一）", kind="week"), TODAY)),
    ),
    bureau=(SHEET,),
    requires=("money",),
    codes={"zero_amount": Code("用量为 0", "警告", "填写实际用量，或删除这一行"),
           "missing_meal": Code("缺少正餐", "警告", "补录这一天的正餐食谱")},
)
