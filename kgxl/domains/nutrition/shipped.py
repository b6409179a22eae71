"""The reference rows kgxl ships in every new workbook: 食物成分 (《中国食物成分表 标准版 第6版》, curated into
kgxl/data/food_composition.csv) and 营养标准 (kgxl/data/nutrition_norms.csv); kgxl/data/README.md names the
sources."""
from __future__ import annotations

import csv

from kgxl.core.paths import DATA

FOODS_CSV = DATA / "food_composition.csv"
NORMS_CSV = DATA / "nutrition_norms.csv"


def foods() -> list[dict]:
    with FOODS_CSV.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def nutrition_norms() -> list[dict]:
    with NORMS_CSV.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))
