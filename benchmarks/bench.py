"""make bench: kgxl's speed against the floor of reading the workbook once, at three sizes, in one run.

    python benchmarks/bench.py [--sizes 180 600 5000] [--out benchmarks/RESULTS.md]
For each size (benchmarks/books.py: 180 is the bundled sample; 600 and 5,000 children are a whole
school year), each operation runs in a process of its own (benchmarks/measure.py): a bare
python-calamine read of every sheet (the floor), kgxl validate, every action as the command line
runs it, kgxl refresh, and an openpyxl load + save for reference (up to 600 children). Times are medians after a
warm-up, as ratios to the floor measured in the same run; memory is each process's peak RSS. Then
the xlwings operations per ribbon entry point, and of 刷新汇总 clicked again (benchmarks/xlwings_ops.py). Then, for
the sample and 600 children, the click as the user waits for it (benchmarks/cold_warm.py): whole processes, cold,
and a process that stays up, warm, first, unchanged and after an edit. Prints the tables and writes them, with the
machine, the targets and issue 39's table with its verdicts, to RESULTS.md.
"""
import argparse
import json
import os
import platform
import subprocess
import sys
import time
from importlib.metadata import version
from pathlib import Path

from books import SAMPLE_SIZE, book
from python_calamine import CalamineWorkbook

from kgxl.app.pipeline import ACTIONS

HERE = Path(__file__).resolve().parent
COMPUTE = [a for a in ACTIONS if a not in ("validate", "refresh", "export")]
OPERATIONS = ["floor", "validate", *COMPUTE, "refresh", "openpyxl"]
REPEAT = {SAMPLE_SIZE: 3, 600: 3}  # runs after the warm-up; larger books: 2 for the target rows, else 1
TARGET_ROWS = ("floor", "validate", "refresh")
TODAY = {SAMPLE_SIZE: "2026-11-20"}  # the school-year books: the year's last day
TARGETS = "validate ≤ 2 × floor and refresh ≤ 3 × floor at 600 children; refresh at 5,000 ≤ 9 × refresh at 600; " \
          "xlwings operations equal at every size; peak memory at 5,000 under 1 GB"
CLICK_TARGETS = "cold `kgxl refresh` on the sample ≤ 0.6 s and at 600 ≤ 4 × the bare-read process; `kgxl --help` ≤ " \
                "0.25 s; warm second refresh at 600 ≤ 3 × the in-process bare read; unchanged input ≤ 1.5 × the bare read"
CLICK_SIZES = (SAMPLE_SIZE, 600)


def run_json(args: list[str]) -> dict:
    done = subprocess.run([sys.executable, *args], cwd=HERE, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def describe(path: Path) -> str:
    wb = CalamineWorkbook.from_path(str(path))
    rows = sum(len(wb.get_sheet_by_name(n).to_python()) for n in wb.sheet_names)
    registers = sum(n.startswith("出勤-") for n in wb.sheet_names)
    return f"{len(wb.sheet_names)} sheets ({registers} registers), {rows:,} rows, {path.stat().st_size / 1e6:.1f} MB"


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else ""
    mem = next((int(line.split()[1]) / 1024 / 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")), 0) if Path("/proc/meminfo").exists() else 0
    libs = ", ".join(f"{p} {version(p)}" for p in ("pandas", "pandera", "python-calamine", "openpyxl", "xlwings"))
    return (f"{cpu}, {os.cpu_count()} CPUs, {mem:.0f} GB RAM; {platform.system()} {platform.release()}; "
            f"Python {platform.python_version()}; {libs}")


def measure(size: int) -> dict:
    path = book(size)
    today = TODAY.get(size, "2027-06-30")
    rows = {}
    for op in OPERATIONS:
        if op == "openpyxl" and size > 600:
            continue  # the reference is the 600-child book's (issue 9); at 5,000 it alone takes over a minute
        repeat = REPEAT.get(size, 2 if op in TARGET_ROWS else 1)
        rows[op] = run_json(["measure.py", op, str(path), "--repeat", str(repeat), "--today", today])
        print(f"  {size:>5} {op:<10} {rows[op]['median']:8.3f} s  {rows[op]['peak_mb']:7.0f} MB", flush=True)
    ops = run_json(["xlwings_ops.py", str(path), "--today", today])
    return {"book": describe(path), "rows": rows, "ops": ops["counts"], "ops by sheet": ops["by sheet"],
            "split": ops["split"]}


def table(size: int, r: dict) -> list[str]:
    floor = r["rows"]["floor"]["median"]
    out = [f"### {size:,} children: {r['book']}", "",
           "| operation | median s | × floor | peak MB | xlwings ops |", "|---|---:|---:|---:|---:|"]
    for op, m in r["rows"].items():
        label = {"floor": "calamine bare read (floor)", "openpyxl": "openpyxl load + save (reference)"}.get(
            op, f"kgxl {op}")
        ops = sum(r["ops"][op].values()) if op in r["ops"] else ""
        out.append(f"| {label} | {m['median']:.3f} | {m['median'] / floor:.1f} | {m['peak_mb']:.0f} | {ops} |")
    for again in ("refresh again", "refresh after 10 marks"):
        out.append(f"| 刷新汇总 clicked again in Excel: {again.removeprefix('refresh ')} |  |  |  | "
                   f"{sum(r['ops'][again].values())} |")
    return out + [""]


def click_table(clicks: dict) -> list[str]:
    out = ["## The click the user waits for (issues 30, 39)", "",
           "Cold: each a new process, Python start-up and imports included, against a new process that only reads "
           "every sheet with python-calamine: the first refresh of a copy of the book (everything computed), the same "
           "again (inputs unchanged), again after ten absences typed into one register. Warm: one process that stays "
           "up (the web page; xlwings' persistent Python on Windows), after its first refresh: a second on a fresh "
           "copy, again on the book it wrote (unchanged), again after the ten absences; against a bare read in that "
           "process. Medians of 3 runs after one dropped.", "",
           "| children | bare-read process | cold refresh | × | unchanged | × | 10 marks | × | `kgxl --help` | "
           "bare read in process | warm second refresh | × | unchanged | × | 10 marks | × |",
           "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for size, c in clicks.items():
        cold, warm = c["read_process"], c["read_in_process"]
        out.append(f"| {size:,} | {cold:.3f} | " + " | ".join(
            f"{c[k]:.3f} | {c[k] / cold:.1f}" for k in ("refresh_process", "unchanged_process", "edit_process"))
            + f" | {c['help_process']:.3f} | {warm:.3f} | " + " | ".join(
            f"{c[k]:.3f} | {c[k] / warm:.1f}" for k in ("second_refresh", "unchanged_refresh", "edit_refresh"))
            + " |")
    return out + [""]


def issue39(results: dict, clicks: dict, phases: dict) -> list[str]:
    """The table of issue 39: each case against its baseline measured in this run, and its target."""
    rows = []

    def case(what: str, value: float, base: float, limit: float, unit: str = "×") -> None:
        ratio = value / base
        rows.append(f"| {what} | {value:.3f} | {base:.3f} | {ratio:.2f} {unit} | ≤ {limit} {unit} | "
                    f"{'met' if ratio <= limit else 'NOT met'} |")
    big, sample = clicks.get(600), clicks.get(SAMPLE_SIZE)
    if big:
        case("warm refresh, inputs unchanged, 600 (s; in-process bare read)", big["unchanged_refresh"],
             big["read_in_process"], 1.5)
    if sample:
        case("cold `kgxl refresh`, inputs unchanged, sample (s; bare-read process)", sample["unchanged_process"],
             sample["read_process"], 3)
    if big:
        case("warm refresh after 10 marks in one register, 600 (s; in-process bare read)", big["edit_refresh"],
             big["read_in_process"], 2.5)
    if sample:
        case("cold refresh after the same edit, sample (s; bare-read process)", sample["edit_process"],
             sample["read_process"], 6)
    if 600 in results:
        r = results[600]["rows"]
        case("full refresh (first run), 600, in process (s; in-process bare read)", r["refresh"]["median"],
             r["floor"]["median"], 5)
        case("validate, 600, in process, the book first seen (s; in-process bare read)", r["validate"]["median"],
             r["floor"]["median"], 2)
    if 600 in phases:
        w = phases[600]["warm validate"]
        case("validate again in a process that stays up (web page, Excel), 600 (s; in-process bare read)", w["total"],
             w["floor"], 2)
    if SAMPLE_SIZE in results:
        ops = {k: sum(v.values()) for k, v in results[SAMPLE_SIZE]["ops"].items()}
        rows.append(f"| xlwings operations: refresh after 10 marks against a full refresh, sample | "
                    f"{ops['refresh after 10 marks']} | {ops['refresh']} | "
                    f"{ops['refresh after 10 marks'] / ops['refresh']:.1%} | ≤ 20 % | "
                    f"{'met' if ops['refresh after 10 marks'] <= 0.2 * ops['refresh'] else 'NOT met'} |")
    if 600 in results and 5000 in results:
        a, b = (sum(results[n]["ops"]["refresh"].values()) for n in (600, 5000))
        rows.append(f"| xlwings operations of a full refresh, 5,000 against 600 | {b} | {a} | {b / a:.3f} | equal | "
                    f"{'met' if a == b else 'NOT met'} |")
        case("refresh at 5,000 against 600 (s)", results[5000]["rows"]["refresh"]["median"],
             results[600]["rows"]["refresh"]["median"], 9)
    if 5000 in results:
        peak = max(m["peak_mb"] for m in results[5000]["rows"].values() if m["op"] != "openpyxl")
        rows.append(f"| kgxl's peak memory at 5,000 (MB) | {peak:.0f} | 1024 | {peak / 1024:.2f} | < 1 | "
                    f"{'met' if peak < 1024 else 'NOT met'} |")
    return ["## Issue 39: a click pays only for what changed", "",
            "| case | measured | baseline (same run) | ratio | target | verdict |", "|---|---:|---:|---:|---:|---|",
            *rows, ""]


def phase_table(runs: dict) -> list[str]:
    """Where the time of each missed click goes (benchmarks/phases.py): each phase over 2 % of its case."""
    out = ["## Where the time goes", "",
           "benchmarks/phases.py, one run each (the warm cases in one process after a first refresh; the cold case "
           "a new process, its imports timed before the refresh starts). A report's time includes the imports it "
           "triggers; the phases under 2 % are summed in the last row of each case.", ""]
    for size, cases in runs.items():
        for name, c in cases.items():
            total, floor = c["total"], c["floor"]
            out += [f"**{name}, {size:,} children**: {total:.3f} s, {total / floor:.1f} × the bare read "
                    f"({floor:.3f} s)", "", "| phase | s | % |", "|---|---:|---:|"]
            phases = sorted(c["phases"].items(), key=lambda kv: -kv[1])
            big = [(k, v) for k, v in phases if v >= 0.02 * total]
            out += [f"| {k} | {v:.3f} | {100 * v / total:.1f} |" for k, v in big]
            rest = total - sum(v for _, v in big)
            out += [f"| everything else | {rest:.3f} | {100 * rest / total:.1f} |", ""]
    return out


def click_verdicts(clicks: dict) -> list[str]:
    out = []

    def say(what: str, value: float, limit: float, unit: str) -> None:
        out.append(f"- {what}: {value:.2f}{unit} (target ≤ {limit}{unit}): {'met' if value <= limit else 'NOT met'}")
    if SAMPLE_SIZE in clicks:
        c = clicks[SAMPLE_SIZE]
        say("cold `kgxl refresh` on the sample", c["refresh_process"], 0.6, " s")
        say("`kgxl --help`", c["help_process"], 0.25, " s")
    if 600 in clicks:
        c = clicks[600]
        say("cold refresh at 600 against the bare-read process", c["refresh_process"] / c["read_process"], 4, " ×")
        say("warm second refresh at 600 against the in-process bare read", c["second_refresh"] / c["read_in_process"],
            3, " ×")
        say("unchanged input at 600 against the in-process bare read", c["unchanged_refresh"] / c["read_in_process"],
            1.5, " ×")
    return out


def verdicts(results: dict) -> list[str]:
    out = []
    if 600 in results:
        rows = results[600]["rows"]
        floor = rows["floor"]["median"]
        for op, limit in (("validate", 2), ("refresh", 3)):
            ratio = rows[op]["median"] / floor
            out.append(f"- {op} at 600: {ratio:.1f} × floor (target ≤ {limit}): {'met' if ratio <= limit else 'NOT met'}")
    if 600 in results and 5000 in results:
        ratio = results[5000]["rows"]["refresh"]["median"] / results[600]["rows"]["refresh"]["median"]
        out.append(f"- refresh at 5,000 / refresh at 600: {ratio:.1f} (target ≤ 9): {'met' if ratio <= 9 else 'NOT met'}")
    if 5000 in results:
        peak = max(m["peak_mb"] for m in results[5000]["rows"].values() if m["op"] != "openpyxl")
        out.append(f"- kgxl's peak memory at 5,000: {peak:.0f} MB (target < 1024): {'met' if peak < 1024 else 'NOT met'}")
    years = [s for s in results if s != SAMPLE_SIZE]  # the sample is a different shape (one term, 4 registers)
    for small, large in zip(years, years[1:]):
        diffs = ops_differences(results[small], results[large])
        out.append(f"- xlwings operations per entry point, {small:,} against {large:,} children: "
                   + ("equal" if not diffs else "NOT equal: " + "; ".join(diffs)))
    return out


def ops_differences(small: dict, large: dict) -> list[str]:
    """Each entry point's kinds of operation whose count differs between two sizes, with the sheets it differs on,
    and how many more writes xlwings itself split (it sends a write of more than 100,000 cells in parts)."""
    a, b, out = small["ops"], large["ops"], []
    for op in ACTIONS:
        for kind in sorted(set(a[op]) | set(b[op])):
            if a[op].get(kind, 0) == b[op].get(kind, 0):
                continue
            sa, sb = small["ops by sheet"][op], large["ops by sheet"][op]
            where = [f"{sheet} {sa.get(sheet, {}).get(kind, 0)}→{sb.get(sheet, {}).get(kind, 0)}"
                     for sheet in sorted(set(sa) | set(sb))
                     if sa.get(sheet, {}).get(kind, 0) != sb.get(sheet, {}).get(kind, 0)]
            split = large["split"][op] - small["split"][op] if kind == "setValues" else 0
            out.append(f"{op} {kind} {a[op].get(kind, 0)}→{b[op].get(kind, 0)} ({'、'.join(where)}"
                       + (f"; {split} more split by xlwings" if split else "") + ")")
    return out


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--sizes", type=int, nargs="+", default=[SAMPLE_SIZE, 600, 5000])
    p.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    args = p.parse_args()
    start = time.perf_counter()
    results = {}
    for size in args.sizes:
        print(f"{size} children: {book(size)}", flush=True)
        results[size] = measure(size)
    lines = ["# Benchmark results", "", f"Written by `make bench` (benchmarks/bench.py) on {time.strftime('%Y-%m-%d')}.",
             "", f"Machine: {machine()}.", "",
             "Each operation runs in a fresh process: times are medians of runs after a warm-up on the sample "
             "(180 and 600: 3 runs; 5,000: 2 for the floor, validate and refresh, 1 for the others), each the process's first "
             "sight of the book (kgxl keeps typed sheets and rules' findings by digest only for a process that stays "
             "up: see the warm cases below), in process, so Python start-up and imports (about 1.2 s for kgxl) are not in them; actions "
             "write the workbook as `kgxl ACTION BOOK` does, each run on a fresh copy. Peak MB is the process's "
             "peak resident memory, interpreter and imports included. xlwings ops: actions one entry point sends "
             "on xlwings' remote engine (the Excel path).", "", f"Targets (issue 9): {TARGETS}.", ""]
    for size, r in results.items():
        lines += table(size, r)
    clicks = {}
    for size in (s for s in CLICK_SIZES if s in args.sizes):
        clicks[size] = run_json(["cold_warm.py", str(book(size)), "--today", TODAY.get(size, "2027-06-30")])
        print(f"  {size:>5} cold and warm: {clicks[size]}", flush=True)
    lines += click_table(clicks)
    phases = {}
    for size, flags in ((SAMPLE_SIZE, []), (600, ["--warm-only"])):
        if size in args.sizes:
            phases[size] = run_json(["phases.py", str(book(size)), "--today", TODAY.get(size, "2027-06-30"), "--json",
                                     *flags])
            print(f"  {size:>5} phases: {phases[size]}", flush=True)
    lines += issue39(results, clicks, phases)
    lines += phase_table(phases)
    lines += ["## Against the targets", "", *verdicts(results), *click_verdicts(clicks), "",
              f"The whole run took {time.perf_counter() - start:.0f} s.", ""]
    text = "\n".join(lines)
    args.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
