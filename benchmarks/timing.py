"""Timing shared by the benchmarks: medians after a warm-up, printed as ratios to a floor."""
import statistics
import time


def median_time(fn, repeat: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def print_table(rows: list[tuple[str, float]]) -> None:
    """rows[0] is the floor."""
    floor = rows[0][1]
    width = max(len(w) for w, _ in rows) + 2
    print(f"{'what':{width}} {'seconds':>9} {'x floor':>8}")
    for what, t in rows:
        print(f"{what:{width}} {t:9.3f} {t / floor:8.1f}")
