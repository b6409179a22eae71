"""运行日志 over 2,000 runs: does a full log (1,000 rows in the sheet, the rest in the CSV) slow an action down?

    python benchmarks/run_log.py [--runs 2000]
Part 1: a small workbook gets RUNS real runs of 校验数据 --write (read, validate, log, one save each);
the median and the mean time (the mean includes the runs that move rows to the CSV) of the first 100
runs against the last 100, and the log's shape at the end.
Part 2: 刷新汇总 on the sample workbook with a 1-row log against the same with a full log.
"""
import argparse
import csv
import datetime as dt
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from timing import print_table

from kgxl.app import run_log
from kgxl.app.books import book_bytes
from kgxl.app.pipeline import ACTIONS
from kgxl.app.runner import perform
from kgxl.io.filebook import FileBook

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = {"kindergarten_name": "基准幼儿园", "term_label": "2026-2027学年第一学期", "term_start": dt.date(2026, 9, 1),
            "term_end": dt.date(2027, 1, 22), "meal_fee": 13, "refund_rule": "不退", "balance_period": "月",
            "principal": "甲", "accountant": "乙", "health_teacher": "丙"}


def run_once(path: Path, action: str, params: dict) -> None:
    book = FileBook(path)
    perform(ACTIONS[action], book, params).commit(book)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--runs", type=int, default=2000)
    p.add_argument("--repeat", type=int, default=15)
    args = p.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="kgxl-log-"))
    small = tmp / "small.xlsx"
    small.write_bytes(book_bytes({"settings": SETTINGS}, {}))
    times = []
    for _ in range(args.runs):
        t = time.perf_counter()
        run_once(small, "validate", {"today": None})
        times.append(time.perf_counter() - t)
    book = FileBook(small)
    rows = run_log.read_rows(book.read(run_log.LOG_SHEET))
    spilled = []
    if run_log.csv_path(small).exists():
        with run_log.csv_path(small).open(encoding="utf-8-sig") as f:
            spilled = list(csv.reader(f))[1:]
    seqs = [int(r[0]) for r in spilled] + [r[0] for r in rows]
    print(f"{args.runs} runs of 校验数据 --write on a small workbook: sheet {len(rows)} rows "
          f"(序号 {int(rows[0][0])}..{int(rows[-1][0])}), CSV {len(spilled)} rows, sequence complete: "
          f"{seqs == list(range(1, args.runs + 1))}")
    first, last = times[:100], times[-100:]
    print_table([("first 100 runs (empty log), median", statistics.median(first)),
                 ("last 100 runs (full log + CSV), median", statistics.median(last)),
                 ("first 100 runs, mean", statistics.mean(first)),
                 ("last 100 runs, mean", statistics.mean(last))])

    # the sample after one refresh (its generated sheets exist), with a 1-row and with a 1,000-row log;
    # the two are measured alternately so that drift of the machine hits both alike
    params = {"today": dt.date(2026, 11, 21)}
    short, full, work = tmp / "short.xlsm", tmp / "full.xlsm", tmp / "work.xlsm"
    shutil.copy2(ROOT / "workbook" / "Logistics.xlsm", short)
    run_once(short, "refresh", params)
    shutil.copy2(short, full)
    full_log = [[i + 1, *rows[-1][1:]] for i in range(run_log.KEEP - 1)]  # the next run fills the sheet
    FileBook(full).write([run_log.log_sheet(full_log, "x.csv")])
    timings = {short: [], full: []}
    for _ in range(args.repeat):
        for src in (short, full):
            shutil.copy2(src, work)
            t = time.perf_counter()
            run_once(work, "refresh", params)
            timings[src].append(time.perf_counter() - t)
    print()
    print_table([("刷新汇总 on the sample, 1-row log", statistics.median(timings[short])),
                 ("刷新汇总 on the sample, full log", statistics.median(timings[full]))])
    shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
