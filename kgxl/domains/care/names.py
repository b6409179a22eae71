"""The care domain's sheet names: read by its declaration and its sheets."""
SAMPLES, INFECTIONS, INJURIES, MONTHLY = "留样检查", "传染病统计", "伤害统计", "卫生保健月报"
CHECK_SHEETS = ("health_checks", "roster")  # 卫生保健月报's 体检 lines need these
SAMPLE_SHEETS = ("menu", "food_samples")  # its 留样 line these
