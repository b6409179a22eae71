"""Nutrition: the quantified menu (带量食谱) against the food table, the DRIs and the norms (营养分析)."""
