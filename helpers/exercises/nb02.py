"""Self-checks for the exercises of notebooks/02_binary_cross_entropy_from_likelihood.ipynb.

Each ``check_*`` runs the reader's function on a few cases through ``helpers.selfcheck.run_checks`` and prints
one ✓/✗ line per case (which case, what arrived, what was expected) and, if a case fails, a hint that nudges
without giving the answer away; it never raises.
"""
import torch

from helpers import losses
from helpers.selfcheck import Case, run_checks

__all__ = ["check_best_constant_logit", "check_fit_with_weight_decay", "FIVE_X", "FIVE_Y", "SEPARABLE_X",
           "SEPARABLE_Y"]

# The running example of the notebook (five points, not separable) and the six separable points of its section 10.
FIVE_X = (-1.5, -0.5, 0.3, 1.2, 2.0)
FIVE_Y = (0.0, 1.0, 0.0, 1.0, 1.0)
SEPARABLE_X = (-2.0, -1.2, -0.4, 0.3, 1.1, 1.8)
SEPARABLE_Y = (0.0, 0.0, 0.0, 1.0, 1.0, 1.0)


def _f64(values):
    return torch.tensor(values, dtype=torch.float64)


# ---- Exercise 1 · the best constant logit ---------------------------------------------------------------------

def _best_constant_logit_reference(y):
    # NLL(b) = −Σ [y·log σ(b) + (1 − y)·log(1 − σ(b))] is smallest where σ(b) = N₁/N, i.e. b = log(N₁/N₀).
    # With no 0s (or no 1s) the NLL keeps falling as b → +∞ (−∞): the "minimiser" is ±inf.
    ones = y.sum()
    return torch.log(ones / (y.numel() - ones))


def check_best_constant_logit(your_best_constant_logit):
    """Check ``your_best_constant_logit(y)``: the b that minimises the NLL of labels ``y`` when every logit is b."""
    generator = torch.Generator().manual_seed(2)
    many = torch.bernoulli(torch.full((2000,), 0.3), generator=generator)
    batch = torch.tensor([[1.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 0.0, 1.0]])
    cases = [
        Case("the five labels of this notebook (three 1s, two 0s)", (_f64(FIVE_Y),),
             reference=_best_constant_logit_reference),
        Case(f"2000 labels, {int(many.sum())} of them 1", (many,), reference=_best_constant_logit_reference),
        Case("a (3, 4) batch: every element is one sample", (batch,), reference=_best_constant_logit_reference),
        Case("only 1s: the NLL keeps falling as b grows, so the answer is +inf", (torch.ones(4),),
             reference=_best_constant_logit_reference),
        Case("only 0s: the answer is −inf", (torch.zeros(3),), reference=_best_constant_logit_reference),
    ]
    run_checks("best_constant_logit(y)", your_best_constant_logit, cases,
               hint="set the derivative of the NLL with respect to b to zero (every logit is b, so section 7's "
                    "gradient becomes one sum) and solve it for σ(b) first. The answer is a logit, not a "
                    "probability: turn the probability into log-odds (section 1). With only one kind of label "
                    "there is no finite minimum.")


# ---- Exercise 2 · weight decay on separable data --------------------------------------------------------------

def _penalised_fit_reference(x, y, weight_decay):
    """Newton's method on NLL(w, b) + (λ/2)·w², in float64 (the objective is strictly convex in w, b here)."""
    x, y = x.double(), y.double()
    design = torch.stack([x, torch.ones_like(x)], dim=1)
    penalty = torch.diag(torch.tensor([float(weight_decay), 0.0], dtype=torch.float64))
    theta = torch.zeros(2, dtype=torch.float64)
    for _ in range(100):
        q = losses.sigmoid(design @ theta)
        gradient = design.T @ (q - y) + penalty @ theta
        hessian = design.T @ (design * (q * (1 - q))[:, None]) + penalty
        theta = theta - torch.linalg.solve(hessian, gradient)
    return theta


def check_fit_with_weight_decay(your_fit):
    """Check ``your_fit(x, y, weight_decay)``: tensor([w, b]) minimising Σ BCE(σ(w·xᵢ + b), yᵢ) + (λ/2)·w²."""
    cases = [
        Case("the six separable points of section 10, weight decay 1", (_f64(SEPARABLE_X), _f64(SEPARABLE_Y), 1.0),
             reference=_penalised_fit_reference, rtol=1e-4, atol=1e-4),
        Case("the same points, weight decay 0.1: a steeper but finite fit",
             (_f64(SEPARABLE_X), _f64(SEPARABLE_Y), 0.1), reference=_penalised_fit_reference, rtol=1e-4, atol=1e-4),
        Case("the five points of section 1, weight decay 0: the maximum likelihood (1.32, 0.23)",
             (_f64(FIVE_X), _f64(FIVE_Y), 0.0), reference=_penalised_fit_reference, rtol=1e-4, atol=1e-4),
        Case("the five points, weight decay 1: w shrinks towards 0", (_f64(FIVE_X), _f64(FIVE_Y), 1.0),
             reference=_penalised_fit_reference, rtol=1e-4, atol=1e-4),
    ]
    run_checks("fit_with_weight_decay(x, y, weight_decay)", your_fit, cases,
               hint="compare your w with the expected one. Far too large on the separable points: the penalty is "
                    "missing from the gradient, or pushes the wrong way (it must pull w back towards 0, and b is "
                    "not penalised). Slightly off: you stopped before the minimum; at the minimum the gradient of "
                    "the whole objective, NLL plus penalty, is zero in both w and b, so run until it is.")
