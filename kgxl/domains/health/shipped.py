"""The reference rows kgxl ships in every new workbook: 体检标准, the cut-offs of WS/T 423-2022 and WHO with their
sources (kgxl/data/health_norms.csv, the one place it is read; kgxl/data/README.md)."""
from __future__ import annotations

import csv

from kgxl.core.paths import DATA

NORMS_CSV = DATA / "health_norms.csv"


def health_norms() -> list[dict]:
    with NORMS_CSV.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))
