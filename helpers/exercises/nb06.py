"""Self-checks for the exercises of notebooks/06_cross_entropy_with_tensors.ipynb.

Each ``check_*`` runs the reader's function on a few cases through ``helpers.selfcheck.run_checks`` and prints
one ✓/✗ line per case; it never raises. A failed case shows what was expected and what arrived; the hint gives a
direction to think in, never the code.
"""
import functools

import torch
import torch.nn.functional as F

from helpers.selfcheck import Case, random_logits, run_checks

__all__ = ["measured_inf_gap", "check_inf_gap", "check_repaired_cross_entropy"]

_SCAN = {torch.float16: (0.0, 40.0), torch.bfloat16: (0.0, 120.0), torch.float32: (0.0, 120.0),
         torch.float64: (700.0, 800.0)}
_STEP = 0.005


@functools.lru_cache(maxsize=None)
def measured_inf_gap(dtype):
    """The smallest logit gap, on a grid of step 0.005, at which ``torch.log(torch.softmax([0, gap]))[0]`` is -inf in
    ``dtype`` (the gap itself is rounded to ``dtype`` first, as it would be in a model), as a float64 tensor."""
    low, high = _SCAN[dtype]
    gaps = torch.arange(low, high, _STEP, dtype=torch.float64)
    pairs = torch.stack([torch.zeros_like(gaps), gaps], dim=1).to(dtype)
    losing = torch.log(torch.softmax(pairs, dim=1))[:, 0]
    return gaps[torch.isinf(losing)][0]


def check_inf_gap(your_fn):
    """Exercise 1: ``your_fn(dtype)`` predicts, from ``torch.finfo(dtype)`` and without calling softmax, the logit gap
    at which log(softmax([0, gap]))[0] becomes -inf. Compared with the measured gap, to within 0.3."""
    def call(dtype):
        predicted = your_fn(dtype)
        if isinstance(predicted, (int, float)) and not isinstance(predicted, bool):
            return torch.tensor(float(predicted), dtype=torch.float64)
        return predicted.double() if isinstance(predicted, torch.Tensor) else predicted

    tolerance = {"atol": 0.3, "rtol": 0.0}
    cases = [Case(f"{name}: the measured gap is {measured_inf_gap(dtype).item():.3f}", (dtype,),
                  expected=measured_inf_gap(dtype), **tolerance)
             for name, dtype in [("float32", torch.float32), ("float16", torch.float16),
                                 ("bfloat16", torch.bfloat16), ("float64", torch.float64)]]
    run_checks("inf_gap(dtype)", call, cases,
               hint="log(q) is -inf exactly when the stored probability q ≈ e^(−gap) has become 0. Which is the "
                    "smallest positive number the dtype can hold once subnormals count, and a value below it is "
                    "rounded to the nearest representable number: when is 0 the nearest? Work with logarithms, "
                    "because the small numbers themselves underflow in float64 too.")


def _labels(n, c, seed):
    return torch.randint(0, c, (n,), generator=torch.Generator().manual_seed(seed))


def check_repaired_cross_entropy(your_fn):
    """Exercise 2: ``your_fn(logits, targets)`` is the mean cross-entropy of (N, C) logits and (N,) class indices,
    equal to ``F.cross_entropy`` in value and gradient."""
    batch, batch_targets = random_logits(64, 10, seed=6), _labels(64, 10, seed=7)
    square, square_targets = random_logits(5, 5, seed=8), torch.tensor([4, 0, 0, 2, 1])
    small, small_targets = random_logits(8, 5, seed=9), _labels(8, 5, seed=10)
    gap = torch.tensor([[0.0, 200.0], [200.0, 0.0]])
    cases = [
        Case("a (64, 10) batch", (batch, batch_targets), reference=F.cross_entropy),
        Case("a square (5, 5) batch, where no shape can look wrong", (square, square_targets),
             reference=F.cross_entropy),
        Case("one item, shape (1, 4)", (small[:1, :4], torch.tensor([3])), reference=F.cross_entropy),
        Case("the gradient on an (8, 5) batch", (small, small_targets), reference=F.cross_entropy, grad_of=(0,)),
        Case("a gap of 200: [[0, 200], [200, 0]] with targets [0, 0] costs (200 + 0) / 2", (gap, torch.tensor([0, 0])),
             reference=F.cross_entropy, grad_of=(0,)),
    ]
    run_checks("repaired_cross_entropy(logits, targets)", your_fn, cases,
               hint="there are two silent bugs. For each item, exponentiate your log-probabilities: do they form a "
                    "distribution over that item's classes, or over something else? And before the mean, look at "
                    "the shape of what you picked: one entry per item, or more?")
