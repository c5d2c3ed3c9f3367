"""helpers.timing: the runs really alternate, and compare_speed prints its lines and checks the ratio."""
import itertools

import pytest

from helpers import timing


def test_runs_alternate_after_one_warmup_each():
    calls = []
    timing.alternating_medians(lambda: calls.append("slow"), lambda: calls.append("fast"), repeat=3)
    assert calls == ["slow", "fast"] * 4


class FakeClock:
    """perf_counter for two functions that take ``slow`` and ``fast`` seconds: each call advances the clock."""

    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now

    def function_taking(self, seconds):
        def fn():
            self.now += seconds
        return fn


@pytest.fixture
def clock(monkeypatch):
    fake = FakeClock()
    monkeypatch.setattr(timing.time, "perf_counter", fake)
    return fake


def test_medians_belong_to_the_right_function(clock):
    durations = itertools.cycle([0.5, 0.001, 0.3, 0.002, 0.4, 0.003])
    slow_fn = lambda: clock.function_taking(next(durations))()   # noqa: E731
    fast_fn = lambda: clock.function_taking(next(durations))()   # noqa: E731
    slow, fast = timing.alternating_medians(slow_fn, fast_fn, repeat=3, warmup=0)
    assert slow == pytest.approx(0.4)
    assert fast == pytest.approx(0.002)


def test_compare_speed_prints_the_medians_and_the_ratio(clock, capsys):
    ratio = timing.compare_speed("loop", clock.function_taking(0.02), "vectorised", clock.function_taking(0.0001),
                                 at_least=10, repeat=3)
    assert ratio == pytest.approx(200)
    assert capsys.readouterr().out.splitlines() == [
        "[timing] loop: 20.00 ms (median of 3)",
        "[timing] vectorised: 100.0 µs (median of 3)",
        "[timing] ratio: 200.0×",
        "✓ vectorised is at least 10× faster than loop",
    ]


def test_compare_speed_fails_when_the_ratio_is_too_small(clock):
    with pytest.raises(AssertionError, match="at least 10× faster"):
        timing.compare_speed("a", clock.function_taking(0.002), "b", clock.function_taking(0.001), at_least=10)


def test_repeat_must_be_positive():
    with pytest.raises(ValueError, match="repeat"):
        timing.alternating_medians(lambda: None, lambda: None, repeat=0)
