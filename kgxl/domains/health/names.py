"""The health domain's sheet names: read by its declaration and its sheets."""
EVALUATION, REGISTER, STATISTICS, REMINDERS = "体格发育评价", "体弱儿管理", "体检统计", "体检提醒"
