"""The inspections domain's names: read by its declaration and its sheets."""
TAB = "{year}年{mm}月检查"  # the month's tab, e.g. 2026年11月检查
