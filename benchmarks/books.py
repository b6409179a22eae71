"""Seeded benchmark workbooks at the sizes the benchmarks report, made by the sample's generator.

    python benchmarks/books.py 600      # writes benchmarks/out/kg600.xlsm (cached; rebuilt when absent)
180 is the bundled sample workbook itself (one term, September to December). Larger sizes are a
whole school year (Sample.school_year: ten registers, a menu of 4 meals every school day, the year's stock,
fee records, ledger and logs) for classes of 30, three age groups.
"""
import sys
from pathlib import Path

from kgxl.app.books import build_bytes
from kgxl.sample.data import CHILDREN_PER_CLASS, Sample, scaled_classes

ROOT = Path(__file__).resolve().parent.parent
OUT = Path(__file__).resolve().parent / "out"
SAMPLE_SIZE = 180
VERSION = "v9"  # in the file name: a change of the generator makes new files (v9: perishables thrown away before the winter holiday)


def book(children: int) -> Path:
    if children == SAMPLE_SIZE:
        return ROOT / "workbook" / "Logistics.xlsm"
    path = OUT / f"kg{children}-{VERSION}.xlsm"
    if not path.exists():
        n = round(children / CHILDREN_PER_CLASS)
        classes = scaled_classes(-(-n // 3))[:n]
        OUT.mkdir(exist_ok=True)
        tmp = path.with_suffix(".part")
        tmp.write_bytes(build_bytes(Sample.school_year(classes)))
        tmp.replace(path)
    return path


if __name__ == "__main__":
    print(book(int(sys.argv[1]) if len(sys.argv) > 1 else 600))
