"""Self-checks for the exercises of notebooks/06_cross_entropy_with_tensors.ipynb.

Each ``check_*`` runs the reader's function on a few cases through ``helpers.selfcheck.run_checks`` and prints
one ✓/✗ line per case; it never raises.
"""
import torch
import torch.nn.functional as F

from helpers.selfcheck import Case, random_logits, run_checks


def _labels(n, k, seed):
    generator = torch.Generator().manual_seed(seed)
    return torch.randint(0, k, (n,), generator=generator)


def check_logsumexp(your_logsumexp):
    """Check ``your_logsumexp(z, dim)`` = log Σ_j exp(z_j) along ``dim`` (removed), against ``torch.logsumexp``."""
    batch = random_logits(4, 6, seed=1)
    cases = [
        Case("a vector [1, 2, 3], dim=0", (torch.tensor([1.0, 2.0, 3.0]), 0), reference=torch.logsumexp),
        Case("a (4, 6) batch, dim=1: one value per row", (batch, 1), reference=torch.logsumexp),
        Case("a (4, 6) batch, dim=0: one value per column", (batch, 0), reference=torch.logsumexp),
        Case("[1000, 1000] gives 1000 + ln 2, where exp overflows", (torch.tensor([1000.0, 1000.0]), 0),
             reference=torch.logsumexp),
        Case("[-1000, -1000] gives -1000 + ln 2, where exp underflows to 0", (torch.tensor([-1000.0, -1000.0]), 0),
             reference=torch.logsumexp),
        Case("gradient (it is the softmax) matches torch.logsumexp", (batch, 1), reference=torch.logsumexp,
             grad_of=(0,)),
    ]
    run_checks("logsumexp(z, dim)", your_logsumexp, cases,
               hint="m = z.amax(dim=dim, keepdim=True); return (m + torch.log(torch.exp(z - m).sum(dim=dim, "
                    "keepdim=True))).squeeze(dim). Factoring out exp(m) makes the largest term exp(0) = 1.")


def check_log_softmax(your_log_softmax):
    """Check ``your_log_softmax(z, dim)`` = z − logsumexp(z) along ``dim``, against ``torch.log_softmax``."""
    batch = random_logits(3, 5, seed=2)
    cases = [
        Case("a vector [1, 2, 3], dim=0", (torch.tensor([1.0, 2.0, 3.0]), 0), reference=torch.log_softmax),
        Case("a (3, 5) batch, dim=1", (batch, 1), reference=torch.log_softmax),
        Case("a (3, 5) batch, dim=0", (batch, 0), reference=torch.log_softmax),
        Case("a gap of 110 in float32: [0, 110] gives [-110, 0], not [-inf, 0]", (torch.tensor([0.0, 110.0]), 0),
             reference=torch.log_softmax),
        Case("huge logits [1000, 0, -1000]", (torch.tensor([1000.0, 0.0, -1000.0]), 0), reference=torch.log_softmax),
        Case("gradient matches torch.log_softmax", (batch, 1), reference=torch.log_softmax, grad_of=(0,)),
    ]
    run_checks("log_softmax(z, dim)", your_log_softmax, cases,
               hint="return z - logsumexp(z) along dim with keepdim=True, so that it broadcasts back over dim; "
                    "compute logsumexp as m + log Σ exp(z - m). Never take torch.log(softmax(z)): a probability "
                    "that underflows to 0 becomes -inf.")


def check_cross_entropy(your_cross_entropy):
    """Check ``your_cross_entropy(logits, target)``, the mean CE of (N, C) logits and (N,) class indices."""
    batch, batch_target = random_logits(8, 5, seed=3), _labels(8, 5, seed=4)
    small, small_target = random_logits(6, 4, seed=5), _labels(6, 4, seed=6)
    cases = [
        Case("the seed notebook's example [[1, 2], [1, 3], [1, 3]], targets [0, 1, 1]",
             (torch.tensor([[1.0, 2.0], [1.0, 3.0], [1.0, 3.0]]), torch.tensor([0, 1, 1])),
             reference=F.cross_entropy),
        Case("an (8, 5) batch", (batch, batch_target), reference=F.cross_entropy),
        Case("one item, shape (1, 4)", (small[:1], small_target[:1]), reference=F.cross_entropy),
        Case("a gap of 200: [[0, 200], [200, 0]] with targets [0, 0] costs (200 + 0) / 2",
             (torch.tensor([[0.0, 200.0], [200.0, 0.0]]), torch.tensor([0, 0])), reference=F.cross_entropy),
        Case("gradient on a (6, 4) batch matches F.cross_entropy", (small, small_target), reference=F.cross_entropy,
             grad_of=(0,)),
        Case("gradient on the gap-of-200 example is finite and matches",
             (torch.tensor([[0.0, 200.0], [200.0, 0.0]]), torch.tensor([0, 0])), reference=F.cross_entropy,
             grad_of=(0,)),
    ]
    run_checks("cross_entropy(logits, target)", your_cross_entropy, cases,
               hint="logp = log_softmax(logits) along dim=1 (as z - logsumexp(z), stably); pick each item's "
                    "true class with logp[torch.arange(N), target]; negate and take the mean over the N items.")
