"""Self-checks for the exercises of notebooks/01_learning_as_optimisation_and_mse.ipynb.

Each ``check_*`` runs the reader's function on a few cases through ``helpers.selfcheck.run_checks`` and prints
one ✓/✗ line per case; it never raises.
"""
import math

import torch
import torch.nn.functional as F

from helpers import losses
from helpers.selfcheck import Case, run_checks


def _regression_pair(*shape, seed):
    generator = torch.Generator().manual_seed(seed)
    return torch.randn(*shape, generator=generator), torch.randn(*shape, generator=generator)


def check_mse(your_mse):
    """Check ``your_mse(input, target, reduction="mean")`` against ``helpers.losses.mse_loss``, gradients included."""
    a, b = _regression_pair(6, seed=1)
    c, d = _regression_pair(3, 4, seed=2)
    cases = [
        Case("reduction='mean' on 6 values", (a, b), {"reduction": "mean"}, reference=losses.mse_loss, grad_of=(0,)),
        Case("reduction='sum' (the SSE) on 6 values", (a, b), {"reduction": "sum"}, reference=losses.mse_loss,
             grad_of=(0,)),
        Case("reduction='none' keeps one squared error per value", (a, b), {"reduction": "none"},
             reference=losses.mse_loss, grad_of=(0,)),
        Case("a (3, 4) batch, reduction='mean' divides by all 12 values", (c, d), {"reduction": "mean"},
             reference=losses.mse_loss, grad_of=(0,)),
        Case("the default reduction is 'mean'", (c, d), reference=losses.mse_loss),
        Case("a perfect prediction costs 0", (a, a.clone()), {"reduction": "sum"}, expected=torch.tensor(0.0)),
    ]
    run_checks("mse(input, target, reduction)", your_mse, cases,
               hint="square the differences (input − target)²; then 'sum' adds them all, 'mean' divides that "
                    "sum by the number of values (input.numel()), and 'none' returns them unreduced.")


def _gaussian_nll_reference(prediction, target, sigma):
    return -torch.distributions.Normal(prediction, sigma).log_prob(target).sum()


def check_gaussian_nll(your_gaussian_nll):
    """Check ``your_gaussian_nll(prediction, target, sigma)``, the summed NLL of N(prediction, σ²) noise.

    The reference is ``torch.distributions.Normal(prediction, sigma).log_prob(target)``, summed and negated.
    """
    a, b = _regression_pair(8, seed=3)
    c, d = _regression_pair(2, 5, seed=4)
    cases = [
        Case("σ = 1 on 8 values", (a, b, 1.0), reference=_gaussian_nll_reference, grad_of=(0,)),
        Case("σ = 0.5 on 8 values", (a, b, 0.5), reference=_gaussian_nll_reference, grad_of=(0,)),
        Case("σ = 3 on a (2, 5) batch", (c, d, 3.0), reference=_gaussian_nll_reference, grad_of=(0,)),
        Case("a perfect prediction still costs n/2·log(2πσ²)", (a, a.clone(), 0.5),
             expected=torch.tensor(8 / 2 * math.log(2 * math.pi * 0.25))),
    ]
    run_checks("gaussian_nll(prediction, target, sigma)", your_gaussian_nll, cases,
               hint="NLL = n/2 · log(2πσ²) + SSE / (2σ²), with n = target.numel() and "
                    "SSE = Σ (prediction − target)²; math.log and math.pi work for the constant term.")


def check_safe_mse(your_safe_mse):
    """Check ``your_safe_mse(input, target)``: the mean squared error, or ValueError when the shapes differ."""
    a, b = _regression_pair(5, seed=5)
    c, d = _regression_pair(2, 3, seed=6)
    cases = [
        Case("same shapes (5,): the mean squared error", (a, b), reference=F.mse_loss, grad_of=(0,)),
        Case("same shapes (2, 3): the mean squared error", (c, d), reference=F.mse_loss, grad_of=(0,)),
        Case("input (5,) with target (5, 1) raises ValueError", (a, b.unsqueeze(1)), raises=ValueError),
        Case("input (5, 1) with target (5,) raises ValueError", (a.unsqueeze(1), b), raises=ValueError),
        Case("input (2, 3) with target (3,) raises ValueError", (c, d[0]), raises=ValueError),
        Case("input (5,) with target (4,) raises ValueError, not torch's RuntimeError", (a, b[:4]),
             raises=ValueError),
    ]
    run_checks("safe_mse(input, target)", your_safe_mse, cases,
               hint="compare input.shape with target.shape before any arithmetic and raise ValueError(...) when "
                    "they differ; broadcasting would otherwise pair the wrong values (or fail with a RuntimeError).")
