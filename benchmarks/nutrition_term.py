"""A 16-week term of menus analysed in one pass, against a bare read of the menu sheet, in one run.

    python benchmarks/nutrition_term.py [--repeat N]
Floor: python-calamine reading the 带量食谱 sheet of the sample workbook (every school day from September to December, 4 meals).
Then, in process: typing the menu and food sheets (kgxl's reading), the term's analysis from
those frames (the computation alone), and the 营养分析 sheet built from it.
"""
import argparse
import datetime as dt
from pathlib import Path

from python_calamine import CalamineWorkbook
from timing import median_time, print_table

from kgxl.core.reading import read_table
from kgxl.core.schema import load_schemas
from kgxl.core.settings import Settings
from kgxl.domains.nutrition.intake import Period, analyse
from kgxl.domains.nutrition.norms import norms
from kgxl.domains.nutrition.reference import reference
from kgxl.domains.nutrition.sheets import nutrition_sheet
from kgxl.io.filebook import FileBook

SAMPLE = Path(__file__).resolve().parent.parent / "workbook" / "Logistics.xlsm"
TERM = Period("学期", dt.date(2026, 9, 1), dt.date(2027, 1, 22))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--repeat", type=int, default=15)
    args = p.parse_args()
    schemas = load_schemas()
    book = FileBook(SAMPLE)

    def bare_read():
        CalamineWorkbook.from_path(str(SAMPLE)).get_sheet_by_name("带量食谱").to_python(skip_empty_area=False)

    tables = {k: read_table(schemas[k], book.read(schemas[k].sheet))[0] for k in ("menu", "foods", "roster", "classes")}
    menu, foods = tables["menu"].frame, tables["foods"].frame
    a = analyse(menu, foods, TERM)
    ref = reference(tables["roster"].frame, tables["classes"].frame, a.days[-1])
    rows = [("bare read of 带量食谱 (floor)", median_time(bare_read, args.repeat)),
            ("typed read of 带量食谱", median_time(lambda: read_table(schemas["menu"], book.read("带量食谱")),
                                               args.repeat)),
            ("term analysis from typed frames", median_time(lambda: analyse(menu, foods, TERM), args.repeat)),
            ("营养分析 sheet from the analysis",
             median_time(lambda: nutrition_sheet(a, ref, norms(None, False), Settings()), args.repeat))]
    print(f"sample menu: {len(menu)} rows, {len(a.days)} menu days; food table {len(foods)} rows")
    print_table(rows)


if __name__ == "__main__":
    main()
