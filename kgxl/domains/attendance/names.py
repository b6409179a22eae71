"""The attendance domain's sheet names: read by its declaration (so it stays free of pandas) and its sheets."""
from kgxl.core.schema import schema

SUMMARY, CHILDREN, SICKNESS, REFUNDS = "出勤汇总", "幼儿出勤统计", "因病缺勤追踪", "伙食费退费"
DAILY = "因病缺勤日报"  # the daily zero-report: a sheet of its own, so each long table's header repeats when printed
REGISTER = schema("register").sheet  # 出勤-{month}: one input sheet per month
