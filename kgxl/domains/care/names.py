"""The care domain's sheet names: read by its declaration and its sheets."""
SAMPLES, INFECTIONS, INJURIES, MONTHLY = "留样检查", "传染病统计", "伤害统计", "卫生保健月报"
