"""Self-checks for the exercises of notebooks/03_binary_cross_entropy_with_tensors.ipynb.

Each ``check_*`` runs the reader's function on a few cases against PyTorch, prints one ✓/✗ line per case and
never raises (see ``helpers.selfcheck``).
"""
import torch
import torch.nn.functional as F

from helpers.selfcheck import Case, run_checks

__all__ = ["check_stable_bce_with_logits", "check_bce_with_logits_grad", "check_clamped_bce"]


def _batch_of_logits_and_targets(seed=3, shape=(6, 3), scale=8.0):
    generator = torch.Generator().manual_seed(seed)
    logits = torch.randn(shape, generator=generator) * scale
    targets = torch.randint(0, 2, shape, generator=generator).float()
    return logits, targets


def _bce_with_logits_per_element(z, y):
    return F.binary_cross_entropy_with_logits(z, y, reduction="none")


def check_stable_bce_with_logits(your_fn):
    """Exercise 1: ``your_fn(z, y)`` returns the per-element BCE of logits z (no reduction), finite for any z.

    Compared with ``F.binary_cross_entropy_with_logits(z, y, reduction="none")`` in value and, away from z = 0,
    in the gradient autograd finds through the reader's formula.
    """
    batch_z, batch_y = _batch_of_logits_and_targets()
    cases = [
        Case("moderate logits", (torch.tensor([-2.0, -0.5, 0.5, 3.0]), torch.tensor([0.0, 1.0, 1.0, 0.0])),
             reference=_bce_with_logits_per_element, grad_of=(0,)),
        Case("z = 0 costs log 2 whatever the label", (torch.zeros(2), torch.tensor([0.0, 1.0])),
             reference=_bce_with_logits_per_element),
        Case("large positive logits (σ(z) rounds to 1 in float32)",
             (torch.tensor([20.0, 50.0, 1e4, 1e4]), torch.tensor([0.0, 0.0, 0.0, 1.0])),
             reference=_bce_with_logits_per_element, grad_of=(0,)),
        Case("large negative logits (σ(z) underflows to 0)",
             (torch.tensor([-20.0, -100.0, -1e4, -1e4]), torch.tensor([1.0, 1.0, 1.0, 0.0])),
             reference=_bce_with_logits_per_element, grad_of=(0,)),
        Case("soft targets between 0 and 1", (torch.tensor([-3.0, 1.0, 40.0]), torch.tensor([0.2, 0.5, 0.9])),
             reference=_bce_with_logits_per_element, grad_of=(0,)),
        Case("a (6, 3) batch keeps its shape", (batch_z, batch_y), reference=_bce_with_logits_per_element,
             grad_of=(0,)),
    ]
    run_checks("stable_bce_with_logits(z, y)", your_fn, cases,
               hint="compute max(z, 0) − z·y + log1p(exp(−|z|)) with torch.clamp(z, min=0), torch.log1p, torch.exp "
                    "and z.abs(); never form σ(z) and take its log.")


def _autograd_grad_of_mean(z, y):
    z = z.detach().clone().requires_grad_(True)
    F.binary_cross_entropy_with_logits(z, y).backward()
    return z.grad


def check_bce_with_logits_grad(your_fn):
    """Exercise 2: ``your_fn(z, y)`` returns d(mean BCE)/dz by hand, i.e. (σ(z) − y) / z.numel().

    Compared with the gradient autograd finds for ``F.binary_cross_entropy_with_logits(z, y)`` (mean).
    """
    batch_z, batch_y = _batch_of_logits_and_targets(seed=4, shape=(5, 4), scale=3.0)
    cases = [
        Case("a single logit", (torch.tensor([1.5]), torch.tensor([1.0])), reference=_autograd_grad_of_mean),
        Case("z = 0 (σ(0) = 0.5)", (torch.zeros(2), torch.tensor([0.0, 1.0])), reference=_autograd_grad_of_mean),
        Case("four logits: the mean divides by 4",
             (torch.tensor([-2.0, -0.5, 0.5, 3.0]), torch.tensor([0.0, 1.0, 1.0, 0.0])),
             reference=_autograd_grad_of_mean),
        Case("extreme logits ±1e4 (finite, ±1/N or 0)",
             (torch.tensor([1e4, 1e4, -1e4, -1e4]), torch.tensor([0.0, 1.0, 0.0, 1.0])),
             reference=_autograd_grad_of_mean),
        Case("a (5, 4) batch: N is every element", (batch_z, batch_y), reference=_autograd_grad_of_mean),
    ]
    run_checks("bce_with_logits_grad(z, y)", your_fn, cases,
               hint="each element's loss has derivative σ(z) − y; the mean divides the total by z.numel(), "
                    "so return (torch.sigmoid(z) − y) / z.numel(), with z's shape.")


def _bce_per_element(p, y):
    return F.binary_cross_entropy(p, y, reduction="none")


def check_clamped_bce(your_fn):
    """Exercise 3: ``your_fn(p, y)`` returns the per-element BCE of probabilities p with each log clamped at −100.

    Compared with ``F.binary_cross_entropy(p, y, reduction="none")``, including p = 0 and p = 1.
    """
    batch_p = torch.sigmoid(_batch_of_logits_and_targets(seed=5, shape=(4, 3), scale=3.0)[0])
    batch_y = _batch_of_logits_and_targets(seed=6, shape=(4, 3))[1]
    cases = [
        Case("ordinary probabilities", (torch.tensor([0.9, 0.2, 0.6]), torch.tensor([1.0, 0.0, 0.0])),
             reference=_bce_per_element),
        Case("p = 0 with y = 1 costs 100, not inf", (torch.tensor([0.0]), torch.tensor([1.0])),
             reference=_bce_per_element),
        Case("p = 1 with y = 0 costs 100, not inf", (torch.tensor([1.0]), torch.tensor([0.0])),
             reference=_bce_per_element),
        Case("p = 0 with y = 0 and p = 1 with y = 1 cost 0, not nan",
             (torch.tensor([0.0, 1.0]), torch.tensor([0.0, 1.0])), reference=_bce_per_element),
        Case("σ of large logits (σ(20) is exactly 1.0 in float32)",
             (torch.sigmoid(torch.tensor([20.0, -20.0, 16.0])), torch.tensor([0.0, 1.0, 0.0])),
             reference=_bce_per_element),
        Case("a (4, 3) batch keeps its shape", (batch_p, batch_y), reference=_bce_per_element),
    ]
    run_checks("clamped_bce(p, y)", your_fn, cases,
               hint="clamp each log before multiplying: torch.log(p).clamp(min=-100) and "
                    "torch.log(1 - p).clamp(min=-100); 0·(−inf) is nan, but 0·(−100) is 0.")
