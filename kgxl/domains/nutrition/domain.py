"""The nutrition domain, declared once (see kgxl.core.domain). Its food cost per child-day comes from
the money domain's meal account (a declared dependency)."""
from __future__ import annotations

from kgxl.core.actions import MONTH_OPT, TODAY, Param
from kgxl.core.domain import KEEP, Code, Domain, Report
from kgxl.domains.nutrition.names import CHECK, NEEDS, SHEET

# the meal account the food cost per child-day comes from (money)
FOOD_COST = ("stock", "fee_items", "fee_records", "register", "holiday_overrides", "attendance_settings", "aid")

DOMAIN = Domain(
    name="nutrition", title="膳食营养", group="膳食",
    inputs=("menu", "foods", "nutrition_norms", "nutrition_settings"),
    rules=".rules:rules", rule_inputs=("menu", "foods"),
    reports=(
        Report("nutrition", "营养分析", "按带量食谱计算每人每日各类食物进食量、营养素摄入量（与参考摄入量比较）、热量来源、"
               "蛋白质来源和餐次分配，给出评价与建议", ".sheets:make_analysis",
               inputs=(*NEEDS, "settings", "nutrition_settings", "nutrition_norms", *FOOD_COST), needs=NEEDS,
               sheets=(SHEET, CHECK), image="ChartTypePieInsertGallery", term_month=False,
               params=(MONTH_OPT, Param("week", "周次，格式 2026-W38（与月份二选一）", kind="week", label="周次"), TODAY)),
    ),
    bureau=(SHEET,),
    requires=("money",),
    carry={"foods": KEEP, "nutrition_norms": KEEP},
    reference={"foods": ".shipped:foods", "nutrition_norms": ".shipped:nutrition_norms"},
    sample=".sample:rows",
    codes={"zero_amount": Code("用量为 0", "警告", "填写实际用量，或删除这一行"),
           "missing_meal": Code("缺少正餐", "警告", "补录这一天的正餐食谱"),
           "book_row_changed": Code("食物成分数值改过", "警告", "来源改为“自定义”，或改回书中的数值"),
           "food_not_dish": Code("食物与菜品不符", "警告", "核对食物名称：是否选了建议中的另一种食物")},
)
