"""Self-checks for the exercises of notebooks/02_binary_cross_entropy_from_likelihood.ipynb.

Each ``check_*`` runs the reader's function on a few cases through ``helpers.selfcheck.run_checks`` and prints
one ✓/✗ line per case; it never raises.
"""
import torch
import torch.nn.functional as F

from helpers.selfcheck import Case, run_checks


def _probabilities_and_labels(*shape, seed):
    generator = torch.Generator().manual_seed(seed)
    p = torch.rand(*shape, generator=generator) * 0.9 + 0.05  # in [0.05, 0.95]: no log is anywhere near −inf
    y = torch.randint(0, 2, shape, generator=generator).float()
    return p, y


def _log_likelihood_reference(p, y):
    return -F.binary_cross_entropy(p, y, reduction="sum")


def check_bernoulli_log_likelihood(your_log_likelihood):
    """Check ``your_log_likelihood(p, y)`` = Σ_i [y_i·log p_i + (1 − y_i)·log(1 − p_i)], gradients included."""
    p, y = _probabilities_and_labels(5, seed=1)
    p2, y2 = _probabilities_and_labels(3, 4, seed=2)
    many_p = torch.full((2000,), 0.3)
    many_y = torch.ones(2000)
    cases = [
        Case("5 samples", (p, y), reference=_log_likelihood_reference, grad_of=(0,)),
        Case("a (3, 4) batch sums over all 12 labels", (p2, y2), reference=_log_likelihood_reference, grad_of=(0,)),
        Case("all labels 1: Σ log p", (p, torch.ones(5)), reference=_log_likelihood_reference),
        Case("all labels 0: Σ log(1 − p)", (p, torch.zeros(5)), reference=_log_likelihood_reference),
        Case("2000 samples, whose product of probabilities underflows to 0", (many_p, many_y),
             reference=_log_likelihood_reference, rtol=1e-4, atol=1e-3),
    ]
    run_checks("bernoulli_log_likelihood(p, y)", your_log_likelihood, cases,
               hint="add logs instead of multiplying probabilities: Σ_i [y_i·log p_i + (1 − y_i)·log(1 − p_i)]. "
                    "A product of 2000 probabilities underflows to 0, and log(0) = −inf.")


def _bce_reference(p, y):
    return F.binary_cross_entropy(p, y)


def check_bce(your_bce):
    """Check ``your_bce(p, y)``, the mean binary cross-entropy of probabilities, against ``F.binary_cross_entropy``."""
    p, y = _probabilities_and_labels(5, seed=3)
    p2, y2 = _probabilities_and_labels(4, 3, seed=4)
    cases = [
        Case("5 samples", (p, y), reference=_bce_reference, grad_of=(0,)),
        Case("a (4, 3) batch averages over all 12 labels", (p2, y2), reference=_bce_reference, grad_of=(0,)),
        Case("confident and right (p = 0.999, y = 1) costs almost nothing",
             (torch.tensor([0.999]), torch.tensor([1.0])), reference=_bce_reference),
        Case("confident and wrong (p = 0.01, y = 1) costs −log(0.01) ≈ 4.6",
             (torch.tensor([0.01]), torch.tensor([1.0])), reference=_bce_reference),
        Case("a label of 0 uses log(1 − p)", (torch.tensor([0.2, 0.7]), torch.tensor([0.0, 0.0])),
             reference=_bce_reference, grad_of=(0,)),
    ]
    run_checks("bce(p, y)", your_bce, cases,
               hint="negate the mean of y·log p + (1 − y)·log(1 − p): the minus sign turns the log-likelihood "
                    "into a loss, and the mean divides by the number of labels (p.numel()).")


def _bce_grad_reference(z, y):
    z = z.detach().requires_grad_(True)
    loss = F.binary_cross_entropy_with_logits(z, y, reduction="sum")
    return torch.autograd.grad(loss, z)[0]


def check_bce_grad(your_bce_grad):
    """Check ``your_bce_grad(z, y)``: d/dz of the summed BCE of σ(z), computed by hand, against autograd."""
    generator = torch.Generator().manual_seed(5)
    z = torch.randn(6, generator=generator) * 3
    y = torch.randint(0, 2, (6,), generator=generator).float()
    z2 = torch.randn(3, 4, generator=generator) * 3
    y2 = torch.randint(0, 2, (3, 4), generator=generator).float()
    cases = [
        Case("6 logits", (z, y), reference=_bce_grad_reference),
        Case("a (3, 4) batch of logits", (z2, y2), reference=_bce_grad_reference),
        Case("z = 0 (σ = 0.5): the gradient is 0.5 − y", (torch.zeros(2), torch.tensor([0.0, 1.0])),
             reference=_bce_grad_reference),
        Case("large logits (±30) stay finite", (torch.tensor([30.0, -30.0]), torch.tensor([0.0, 1.0])),
             reference=_bce_grad_reference),
    ]
    run_checks("bce_grad(z, y)", your_bce_grad, cases,
               hint="differentiate −[y·log σ(z) + (1 − y)·log(1 − σ(z))] using σ'(z) = σ(z)(1 − σ(z)); the "
                    "σ(1 − σ) cancels and leaves σ(z) − y, one value per logit (no autograd needed).")
