"""The daily_health domain's sheet names: read by its declaration and its sheets."""
CHECKS, MEDICINE, DISINFECTION = "晨午检统计", "服药登记核对", "消毒记录汇总"
DISINFECTION_SHEETS = ("disinfection_rules", "disinfection_log")  # 消毒完成率 needs both
