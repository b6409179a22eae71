"""The nutrition domain's names, shared by its declaration and its sheet."""
SHEET = "营养分析"
NEEDS = ("menu", "foods", "roster", "classes")  # 营养标准 has shipped defaults
