"""How long one slider step of each explorer takes: state + figure update + PNG, the work a kernel does per step.

Each slider is moved the way a reader moves it: 15 single steps up from its default, then 15 back down (a
keyboard press or a slow drag), and every step is timed. Toggles are flipped through all their options. The
median over all steps must be at most 50 ms. Not included: sending the PNG to the browser, which happens after
the kernel's work and, on localhost, overlaps the next step.
"""
import statistics
import time

from helpers.explorers import EXPLORERS

BUDGET_MS = 50
STEPS = 15


def _moves(control):
    if hasattr(control, "step"):
        values = [control.value + k * control.step for k in range(1, STEPS + 1)]
        values += values[-2::-1] + [control.value]
        return [min(max(round(v, 10), control.min), control.max) for v in values]
    return [option for option in control.options if option != control.value] + [control.value]


def step_times_ms(explorer):
    times = []
    for control in explorer.controls.values():
        for value in _moves(control):
            start = time.perf_counter()
            control.value = value
            times.append((time.perf_counter() - start) * 1e3)
    return times


def explorer_updates():
    print(f"explorer slider steps (state + redraw + PNG), {STEPS} steps up and back per slider, "
          f"budget: median ≤ {BUDGET_MS} ms")
    medians = []
    for name, make in EXPLORERS.items():
        for big in (False, True):
            times = step_times_ms(make(big=big))
            median = statistics.median(times)
            medians.append(median)
            p90 = statistics.quantiles(times, n=10)[-1]
            layout = "big" if big else "normal"
            print(f"  {name:<16} {layout:<6}  {len(times):3d} steps   median {median:5.1f} ms   90th percentile "
                  f"{p90:5.1f} ms   {'met' if median <= BUDGET_MS else 'NOT met'}")
    print(f"  slowest median: {max(medians):.1f} ms ({'all met' if max(medians) <= BUDGET_MS else 'NOT met'})")
