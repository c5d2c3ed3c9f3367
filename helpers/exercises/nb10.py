"""Self-checks for the exercises of notebooks/10_gradients_of_the_losses.ipynb.

Each ``check_*`` runs the reader's hand-derived gradient on a few cases, compares it with the gradient autograd
finds through PyTorch's loss, prints one ✓/✗ line per case and never raises (see ``helpers.selfcheck``).
"""
import torch
import torch.nn.functional as F

from helpers.selfcheck import Case, random_logits, run_checks

__all__ = ["check_weighted_ce_grad", "check_softmax_regression_weight_grad"]


def _autograd_weighted_ce_grad(z, target, weight):
    z = z.detach().clone().requires_grad_(True)
    F.cross_entropy(z, target, weight=weight).backward()
    return z.grad


def check_weighted_ce_grad(your_fn):
    """Exercise 1: ``your_fn(z, target, weight)`` returns ∂/∂z of ``F.cross_entropy(z, target, weight=weight)``
    (mean reduction) for logits z of shape (N, C), class indices ``target`` (N,) and class weights (C,).

    Compared with autograd through ``F.cross_entropy``.
    """
    z = random_logits(5, 3, seed=10, scale=1.5)
    target = torch.tensor([0, 2, 1, 2, 2])
    cases = [
        Case("all weights 1: the plain (q − p)/N", (z, target, torch.ones(3)), reference=_autograd_weighted_ce_grad),
        Case("all weights 2.5: a common weight cancels", (z, target, torch.full((3,), 2.5)),
             reference=_autograd_weighted_ce_grad),
        Case("a single item with weight 4", (z[:1], target[:1], torch.tensor([4.0, 1.0, 1.0])),
             reference=_autograd_weighted_ce_grad),
        Case("weights [1, 3, 0.5] on five items", (z, target, torch.tensor([1.0, 3.0, 0.5])),
             reference=_autograd_weighted_ce_grad),
        Case("class 1 weighted 0: its item gets no gradient", (z, target, torch.tensor([1.0, 0.0, 2.0])),
             reference=_autograd_weighted_ce_grad),
    ]
    run_checks("weighted_ce_grad(z, target, weight)", your_fn, cases,
               hint="with weights, the default 'mean' is a weighted mean: which weight belongs to each item, and "
                    "what does PyTorch divide the weighted sum by (it is not the number of items)? A batch of one "
                    "item must give the same gradient whatever its weight.")


def _autograd_weight_grad(x, weight, bias, target):
    weight = weight.detach().clone().requires_grad_(True)
    F.cross_entropy(x @ weight.T + bias, target, ignore_index=-100).backward()
    return weight.grad


def _problem(seed, n_items, ignored):
    generator = torch.Generator().manual_seed(seed)
    x = torch.randn(n_items, 4, generator=generator, dtype=torch.float64)
    weight = 0.5 * torch.randn(3, 4, generator=generator, dtype=torch.float64)
    bias = 0.5 * torch.randn(3, generator=generator, dtype=torch.float64)
    target = torch.randint(0, 3, (n_items,), generator=generator)
    target[list(ignored)] = -100
    return x, weight, bias, target


def check_softmax_regression_weight_grad(your_fn):
    """Exercise 2: ``your_fn(x, weight, bias, target)`` returns ∂L/∂W (shape (C, D)) for
    L = ``F.cross_entropy(x @ weight.T + bias, target, ignore_index=-100)``, where some targets are −100.

    Compared with autograd.
    """
    cases = [
        Case("nothing ignored: (Q − P)ᵀX / N", _problem(20, 6, ()), reference=_autograd_weight_grad),
        Case("two of six items ignored", _problem(21, 6, (1, 4)), reference=_autograd_weight_grad),
        Case("all but one of five items ignored", _problem(22, 5, (0, 1, 2, 4)), reference=_autograd_weight_grad),
        Case("a batch of 40 with every third item ignored", _problem(23, 40, range(0, 40, 3)),
             reference=_autograd_weight_grad),
    ]
    run_checks("softmax_regression_weight_grad(x, weight, bias, target)", your_fn, cases,
               hint="an ignored item contributes nothing, neither to the sum nor to the count the mean divides "
                    "by; and −100 is not a class, so it cannot be one-hot encoded as it stands.")
