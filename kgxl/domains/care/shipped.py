"""The reference rows kgxl ships in every new workbook: 传染病病种, the notifiable diseases by class under the law,
with the spellings teachers use (kgxl/data/infectious_diseases.csv, the one place it is read; kgxl/data/README.md)."""
from __future__ import annotations

import csv

from kgxl.core.paths import DATA

DISEASES_CSV = DATA / "infectious_diseases.csv"


def diseases() -> list[dict]:
    with DISEASES_CSV.open(encoding="utf-8") as f:
        return [{k: (v or None) for k, v in r.items()} for r in csv.DictReader(f)]
