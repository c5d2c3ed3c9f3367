"""Time two functions alternately, so that both see the same machine load, and report the ratio of medians."""
import statistics
import time


def interleaved_medians(fn_a, fn_b, repeat):
    """Median seconds of fn_a() and fn_b() over ``repeat`` alternating calls (after one warm-up call each)."""
    fn_a(), fn_b()
    times_a, times_b = [], []
    for _ in range(repeat):
        for fn, times in ((fn_a, times_a), (fn_b, times_b)):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
    return statistics.median(times_a), statistics.median(times_b)


def report(name, ours_label, ours, theirs_label, theirs, target=None):
    ratio = ours / theirs
    verdict = "" if target is None else (f"  (target ≤ {target}×: {'met' if ratio <= target else 'NOT met'})")
    print(f"{name}\n  {ours_label}: {ours * 1e3:9.2f} ms   {theirs_label}: {theirs * 1e3:9.2f} ms   "
          f"ratio {ratio:5.2f}×{verdict}")
    return ratio
