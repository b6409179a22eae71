"""The reference rows kgxl ships in every new workbook: 资产类别, the 大类 of GB/T 14885-2010 (固定资产分类与代码),
curated into kgxl/data/asset_categories.csv with its source (kgxl/data/README.md)."""
from __future__ import annotations

import csv

from kgxl.core.paths import DATA


def asset_categories() -> list[dict]:
    with (DATA / "asset_categories.csv").open(encoding="utf-8") as f:
        return [{k: (v or None) for k, v in r.items()} for r in csv.DictReader(f)]
