"""The whole-term attendance computation against a bare read of the registers, in one run.

    python benchmarks/attendance_term.py [CHILDREN] [--repeat N]
Floor: python-calamine reading every 出勤-YYYY-MM sheet. Then, in process: the attendance
reports from already-validated tables (the computation alone), and the whole 出勤统计 action
(read + validate + compute, no write). Medians after a warm-up; ratios to the floor.
"""
import argparse
import datetime as dt

from books import book
from python_calamine import CalamineWorkbook
from timing import median_time, print_table

from kgxl.app.pipeline import ACTIONS, validate_book
from kgxl.domains.attendance.sheets import AttendanceReport
from kgxl.io.filebook import FileBook

TODAY = dt.date(2027, 1, 22)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("children", nargs="?", type=int, default=600)
    p.add_argument("--repeat", type=int, default=5)
    args = p.parse_args()
    path = book(args.children)

    def bare_read():
        wb = CalamineWorkbook.from_path(str(path))
        for name in wb.sheet_names:
            if name.startswith("出勤-"):
                wb.get_sheet_by_name(name).to_python(skip_empty_area=False)

    v = validate_book(FileBook(path), TODAY)
    cells = sum(len(t.frame) * len(t.days) for t in v.registers())
    rows = [("bare read of the registers (floor)", median_time(bare_read, args.repeat)),
            ("term reports from validated tables", median_time(lambda: AttendanceReport(v, "2027-01").outputs(),
                                                                args.repeat)),
            ("出勤统计 action (read+validate+compute)",
             median_time(lambda: ACTIONS["attendance"].run(FileBook(path), month="2027-01", today=TODAY), args.repeat))]
    print(f"workbook: {path.name}, {len(v.registers())} registers, {cells} register cells")
    print_table(rows)


if __name__ == "__main__":
    main()
