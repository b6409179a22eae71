"""The nutrition domain's names: read by its declaration and its sheets."""
SHEET, CHECK = "营养分析", "营养数据核对"
NEEDS = ("menu", "foods", "roster", "classes")  # the sheets 营养分析 needs (营养标准 has shipped defaults)
