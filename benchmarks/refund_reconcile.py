"""Issue 22's check on a big book: for every rule (按缺勤天数退, 连续缺勤满N天退 N = 2..5, 不退) and every month
with a register, the term's refunds as 伙食费退费 lists them, as 伙食费核算 owes them and as 学期结算 settles them
must be equal. Run by hand: `python benchmarks/refund_reconcile.py BOOK [--today YYYY-MM-DD]`."""
import argparse
import datetime as dt
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from test_refund_ledger import reconcile  # noqa: E402


def main():
    p = argparse.ArgumentParser()
    p.add_argument("book", type=Path)
    p.add_argument("--today", default="2027-06-30")
    a = p.parse_args()
    start = time.perf_counter()
    rows = reconcile(a.book, dt.date.fromisoformat(a.today))
    bad = [r for r in rows if not r[3] == r[4] == r[5]]
    for rule, n, month, sheets, account, settled in rows:
        print(f"{rule}{n or ''}\t{month}\t{sheets / 100:,.2f}\t{account / 100:,.2f}\t{settled / 100:,.2f}")
    print(f"{len(rows)} rule-months, {len(bad)} not equal, {time.perf_counter() - start:.1f} s")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
