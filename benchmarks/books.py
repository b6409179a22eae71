"""Seeded benchmark workbooks, made from the sample kindergarten at a larger scale.

    python benchmarks/books.py 600      # writes benchmarks/out/kg600.xlsm (cached; rebuilt when absent)
600 children: 20 classes of 30 (7 parallel classes per age group less one), the whole first term
(2026-09 .. 2027-01 registers), menus, stock, ledger and logs as the sample makes them.
"""
import sys
from pathlib import Path

from kgxl.sample.build import build_bytes
from kgxl.sample.data import Sample, scaled_classes

OUT = Path(__file__).resolve().parent / "out"
TERM_MONTHS = ("2026-09", "2026-10", "2026-11", "2026-12", "2027-01")


def book(children: int) -> Path:
    path = OUT / f"kg{children}.xlsm"
    if not path.exists():
        parallel = -(-children // 90)  # 3 age groups x 30 children per class
        classes = scaled_classes(parallel)[: children // 30]
        OUT.mkdir(exist_ok=True)
        path.write_bytes(build_bytes(Sample(classes=classes, months=TERM_MONTHS)))
    return path


if __name__ == "__main__":
    print(book(int(sys.argv[1]) if len(sys.argv) > 1 else 600))
