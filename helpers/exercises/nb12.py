"""Self-checks for the exercises of notebooks/12_the_likelihood_recipe_beyond_gaussians.ipynb.

Each ``check_*`` runs the reader's function on a few cases, prints one ✓/✗ line per case and never raises
(see ``helpers.selfcheck``).
"""
import torch

from helpers.selfcheck import Case, random_logits, run_checks

__all__ = ["check_pinball_loss", "check_cauchy_nll"]


def _pinball_reference(input, target, tau):
    residual = target - input
    return torch.maximum(tau * residual, (tau - 1) * residual).mean()


def check_pinball_loss(your_fn):
    """Exercise 1: ``your_fn(input, target, tau)`` is the mean pinball (quantile) loss, whose best constant is the
    τ-quantile of the targets; checked in value and in the gradient with respect to the input."""
    skewed = random_logits(40, seed=12, scale=1.0).exp()   # log-normal: a long right tail
    cases = [
        Case("τ = 0.5 on three residuals by hand", (torch.tensor([0.0, 0.0, 0.0]), torch.tensor([2.0, -1.0, 0.0]),
                                                     0.5), expected=torch.tensor(0.5)),
        Case("τ = 0.9: an under-prediction costs 9× an over-prediction",
             (torch.tensor([0.0, 0.0]), torch.tensor([2.0, -1.0]), 0.9), expected=torch.tensor(0.95)),
        Case("τ = 0.9 on 40 skewed targets, value and gradient",
             (torch.full((40,), 1.2), skewed, 0.9), reference=_pinball_reference, grad_of=(0,)),
        Case("τ = 0.1, a (4, 3) batch, value and gradient",
             (random_logits(4, 3, seed=13), random_logits(4, 3, seed=14), 0.1), reference=_pinball_reference,
             grad_of=(0,)),
    ]
    run_checks("pinball_loss(input, target, tau)", your_fn, cases,
               hint="the loss must be asymmetric: a target above the prediction costs τ per unit of distance, a "
                    "target below it costs 1 − τ per unit. Check which sign of the residual gets which weight, "
                    "and that you average over every element.")


def _cauchy_reference(mu, log_gamma, y):
    return -torch.distributions.Cauchy(mu, log_gamma.exp()).log_prob(y).mean()


def check_cauchy_nll(your_fn):
    """Exercise 2: ``your_fn(mu, log_gamma, y)`` is the mean negative log-likelihood of y under a Cauchy distribution
    with location μ and scale γ = e^{log_gamma}, constant included; checked in value and in the gradients with
    respect to μ and log_gamma."""
    cases = [
        Case("μ = 0, γ = 1, y = 0: the NLL is log π", (torch.tensor([0.0]), torch.tensor([0.0]), torch.tensor([0.0])),
             expected=torch.log(torch.tensor(torch.pi))),
        Case("a shared scale γ = e^{0.5}, value and gradients",
             (random_logits(6, seed=21), torch.full((6,), 0.5), random_logits(6, seed=22)),
             reference=_cauchy_reference, grad_of=(0, 1)),
        Case("a scale per item and residuals up to about 30, value and gradients",
             (random_logits(8, seed=23), random_logits(8, seed=24, scale=0.5), random_logits(8, seed=25, scale=10.0)),
             reference=_cauchy_reference, grad_of=(0, 1)),
    ]
    run_checks("cauchy_nll(mu, log_gamma, y)", your_fn, cases,
               hint="write down the Cauchy density and take minus its log: one term grows with the distance from μ "
                    "measured in units of γ, the other is the normalising constant, which depends on γ too. Get γ "
                    "from log_gamma, and average over the items.")
