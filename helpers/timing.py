"""Side-by-side speed comparisons that print a ratio, measured on the reader's machine.

Absolute times differ between machines and runs, so the lines holding them start with "[timing]" and the
nbval sanitize file (nbval_sanitize.cfg) masks them. The claim a notebook makes ("at least 10× faster") is a
check on the ratio, with a threshold far below what is measured, so it holds on any machine.
"""
import statistics
import time


def median_seconds(fn, repeat=5, warmup=1):
    """Median wall-clock time of ``fn()`` over ``repeat`` calls, after ``warmup`` untimed calls."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def format_seconds(seconds):
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds * 1e6:.1f} µs"


def compare_speed(slow_label, slow_fn, fast_label, fast_fn, at_least, repeat=5):
    """Time both functions alternately, print both medians and their ratio, and check ratio ≥ ``at_least``.

    Returns the measured ratio (slow / fast).
    """
    slow = median_seconds(slow_fn, repeat=repeat)
    fast = median_seconds(fast_fn, repeat=repeat)
    ratio = slow / fast
    print(f"[timing] {slow_label}: {format_seconds(slow)} (median of {repeat})")
    print(f"[timing] {fast_label}: {format_seconds(fast)} (median of {repeat})")
    print(f"[timing] ratio: {ratio:.1f}×")
    if ratio < at_least:
        raise AssertionError(f"✗ expected {fast_label} to be at least {at_least}× faster than {slow_label}; "
                             f"measured {ratio:.1f}×")
    print(f"✓ {fast_label} is at least {at_least}× faster than {slow_label}")
    return ratio
