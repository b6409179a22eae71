"""The staff domain's sheet names and words: read by its declaration, rules and sheets."""
QUALIFICATION, TRAINING, APPRAISAL, SAFETY = "教职工资质", "培训统计", "月考核汇总", "安全工作台账"
FOOD_HANDLERS = ("厨师", "营养员")  # must hold a valid 健康证 every day they work
