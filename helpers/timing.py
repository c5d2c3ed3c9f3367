"""Side-by-side speed comparisons that print a ratio, measured on the reader's machine.

Absolute times differ between machines and runs, so the lines holding them start with "[timing]" and the
nbval sanitize file (nbval_sanitize.cfg) masks them. The claim a notebook makes ("at least 10× faster") is a
check on the ratio, with a threshold far below what is measured, so it holds on any machine.
"""
import statistics
import time


def _seconds(fn):
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def alternating_medians(slow_fn, fast_fn, repeat=5, warmup=1):
    """Median wall-clock times of ``slow_fn()`` and ``fast_fn()``, timed in turn: slow, fast, slow, fast, …

    Interleaving the runs exposes both functions to the same background load (another process, a CPU that
    changes its clock), so the ratio of the medians is fairer than timing one function after the other. Each
    function gets ``warmup`` untimed calls first.

    >>> calls = []
    >>> slow, fast = alternating_medians(lambda: calls.append("slow"), lambda: calls.append("fast"), repeat=2)
    >>> calls  # one warm-up call each, then the timed calls in turn
    ['slow', 'fast', 'slow', 'fast', 'slow', 'fast']
    """
    if repeat < 1:
        raise ValueError(f"repeat must be at least 1; got {repeat}")
    for _ in range(warmup):
        slow_fn()
        fast_fn()
    slow_times, fast_times = [], []
    for _ in range(repeat):
        slow_times.append(_seconds(slow_fn))
        fast_times.append(_seconds(fast_fn))
    return statistics.median(slow_times), statistics.median(fast_times)


def format_seconds(seconds):
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds * 1e6:.1f} µs"


def compare_speed(slow_label, slow_fn, fast_label, fast_fn, at_least, repeat=5):
    """Time both functions alternately, print both medians and their ratio, and check ratio ≥ ``at_least``.

    The runs alternate (slow, fast, slow, fast, …; see ``alternating_medians``). Returns the measured ratio
    (slow / fast).
    """
    slow, fast = alternating_medians(slow_fn, fast_fn, repeat=repeat)
    ratio = slow / fast
    print(f"[timing] {slow_label}: {format_seconds(slow)} (median of {repeat})")
    print(f"[timing] {fast_label}: {format_seconds(fast)} (median of {repeat})")
    print(f"[timing] ratio: {ratio:.1f}×")
    if ratio < at_least:
        raise AssertionError(f"✗ expected {fast_label} to be at least {at_least}× faster than {slow_label}; "
                             f"measured {ratio:.1f}×")
    print(f"✓ {fast_label} is at least {at_least}× faster than {slow_label}")
    return ratio
