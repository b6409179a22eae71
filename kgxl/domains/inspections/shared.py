"""The inspections domain's names, shared by its declaration and its sheet."""
TAB = "{year}年{mm}月检查"  # the month's tab, e.g. 2026年11月检查
