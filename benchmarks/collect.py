"""kgxl collect on a district of N exports (#31): time per file and in all, reading them one by one against a
process pool, and the whole command (read, DuckDB, the district workbook), in one run.

    python benchmarks/collect.py [--files 300] [--workers 2]
Six kindergartens are made by the sample generator and exported by kgxl; the rest are re-labelled copies of their
exports (kgxl.app.district_sample), as a district bureau would receive them. The same files are read again as
tasks of a local dask.distributed cluster. Results are printed, not asserted."""
import argparse
import os
import tempfile
import time
from pathlib import Path

from kgxl.app.collect import export_files, read_all
from kgxl.app.district_sample import MONTH, inbox, made
from kgxl.front.cli import main


def timed(fn):
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def run(files: int, workers: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        t_made, sources = timed(lambda: made(work / "made", 6, workers))
        box = work / "inbox"
        inbox(box, sources, files)
        paths, _ = export_files([box])
        one, reads = timed(lambda: read_all(paths, MONTH, workers=1))
        pool, _ = timed(lambda: read_all(paths, MONTH, workers=workers))
        whole, code = timed(lambda: main(["collect", str(box), "--month", MONTH, "--out", str(work / "d.xlsx"),
                                          "--db", str(work / "d.duckdb"), "--workers", str(workers)]))
        assert code == 0 and all(r.ok for r in reads)
        dask, _ = timed(lambda: read_all(paths, MONTH, workers=workers, scheduler="local"))
        print(f"{files} exports ({sum(p.stat().st_size for p in paths) / 2**20:.1f} MB; the six real ones made in "
              f"{t_made:.1f} s)")
        print(f"  read one by one:         {one:6.2f} s  ({1000 * one / files:.1f} ms per file)")
        print(f"  read by {workers} processes:      {pool:6.2f} s  ({one / pool:.2f} x faster)")
        print(f"  kgxl collect, all of it: {whole:6.2f} s  (read by {workers} processes, DuckDB, the district workbook)")
        print(f"  read on a local Dask cluster of {workers} workers: {dask:6.2f} s (starting the cluster included)")


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--files", type=int, default=300)
    p.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    a = p.parse_args()
    run(a.files, a.workers)
