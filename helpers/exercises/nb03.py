"""Self-checks for the exercises of notebooks/03_binary_cross_entropy_with_tensors.ipynb.

Each ``check_*`` runs the reader's function on a few cases against PyTorch, prints one ✓/✗ line per case (which
case, what arrived, what was expected) and, if a case fails, a hint that nudges without giving the answer away. It
never raises (see ``helpers.selfcheck``).
"""
import torch
import torch.nn.functional as F

from helpers.selfcheck import Case, run_checks

__all__ = ["check_stable_bce_with_logits", "check_bce_with_logits_right_at_the_kink", "check_clamped_bce"]


def _batch_of_logits_and_targets(seed=3, shape=(6, 3), scale=8.0):
    generator = torch.Generator().manual_seed(seed)
    logits = torch.randn(shape, generator=generator) * scale
    targets = torch.randint(0, 2, shape, generator=generator).float()
    return logits, targets


def _bce_with_logits_per_element(z, y):
    return F.binary_cross_entropy_with_logits(z, y, reduction="none")


def check_stable_bce_with_logits(your_fn):
    """Exercise 1: ``your_fn(z, y)`` returns the per-element BCE of logits z (no reduction), finite for any z.

    Compared with ``F.binary_cross_entropy_with_logits(z, y, reduction="none")`` in value everywhere, and in the
    gradient autograd finds through the reader's formula everywhere except z = 0, the kink of max(z, 0) and |z|
    (Exercise 2 is about that point).
    """
    batch_z, batch_y = _batch_of_logits_and_targets()
    cases = [
        Case("moderate logits", (torch.tensor([-2.0, -0.5, 0.5, 3.0]), torch.tensor([0.0, 1.0, 1.0, 0.0])),
             reference=_bce_with_logits_per_element, grad_of=(0,)),
        Case("z = 0 costs log 2 whatever the label (value only)", (torch.zeros(2), torch.tensor([0.0, 1.0])),
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
               hint="inf or nan at large |z| means something overflowed or reached log 0: σ(z), e^z or e^(−z) "
                    "was formed somewhere, and only an exponential whose exponent can never be positive is safe. "
                    "A wrong value at moderate logits means the algebra slipped: redo the step from min(z, 0) to "
                    "max(z, 0) and check the sign of the term with y.")


def check_bce_with_logits_right_at_the_kink(your_fn):
    """Exercise 2: ``your_fn(z, y)`` is a stable per-element BCE of logits whose *autograd* gradient is σ(z) − y
    at every z, z = 0 included, where section 4's form gives −y and Exercise 1's gives 1 − y.

    Compared with ``F.binary_cross_entropy_with_logits(z, y, reduction="none")`` in value and gradient.
    """
    batch_z, batch_y = _batch_of_logits_and_targets(seed=4, scale=6.0)
    batch_z[0] = 0.0                                     # one row of exact zeros, with the batch's labels
    cases = [
        Case("z = 0 with y = 0 and y = 1: the kink", (torch.zeros(2), torch.tensor([0.0, 1.0])),
             reference=_bce_with_logits_per_element, grad_of=(0,)),
        Case("moderate logits", (torch.tensor([-2.0, -0.5, 0.5, 3.0]), torch.tensor([0.0, 1.0, 1.0, 0.0])),
             reference=_bce_with_logits_per_element, grad_of=(0,)),
        Case("logits ±20 and ±1e4, both labels",
             (torch.tensor([20.0, 20.0, -20.0, -20.0, 1e4, -1e4, 1e4, -1e4]),
              torch.tensor([0.0, 1.0, 0.0, 1.0, 0.0, 0.0, 1.0, 1.0])),
             reference=_bce_with_logits_per_element, grad_of=(0,)),
        Case("soft targets, z = 0 included", (torch.tensor([-3.0, 0.0, 40.0]), torch.tensor([0.2, 0.3, 0.9])),
             reference=_bce_with_logits_per_element, grad_of=(0,)),
        Case("a (6, 3) batch with a row of zeros", (batch_z, batch_y), reference=_bce_with_logits_per_element,
             grad_of=(0,)),
    ]
    run_checks("bce_right_at_the_kink(z, y)", your_fn, cases,
               hint="autograd takes one fixed slope at each kink, and which one depends on the function that makes "
                    "the kink (section 5 measured clamp and abs at 0; measure any other piece you use the same "
                    "way). The loss itself is smooth, so at z = 0 the slopes your pieces contribute "
                    "must add up to σ(0) − y. Build every kink from the same function, so that its choice at 0 "
                    "counts the same way everywhere, and keep every exponent ≤ 0.")


def _bce_per_element(p, y):
    return F.binary_cross_entropy(p, y, reduction="none")


def check_clamped_bce(your_fn):
    """Exercise 3: ``your_fn(q, y)`` returns the per-element BCE of probabilities q with each log clamped at −100.

    Compared with ``F.binary_cross_entropy(q, y, reduction="none")``, including q = 0 and q = 1, and in the
    gradient with respect to q for probabilities strictly between 0 and 1.
    """
    batch_p = torch.sigmoid(_batch_of_logits_and_targets(seed=5, shape=(4, 3), scale=3.0)[0])
    batch_y = _batch_of_logits_and_targets(seed=6, shape=(4, 3))[1]
    cases = [
        Case("ordinary probabilities", (torch.tensor([0.9, 0.2, 0.6]), torch.tensor([1.0, 0.0, 0.0])),
             reference=_bce_per_element, grad_of=(0,)),
        Case("q = 0 with y = 1 costs 100, not inf", (torch.tensor([0.0]), torch.tensor([1.0])),
             reference=_bce_per_element),
        Case("q = 1 with y = 0 costs 100, not inf", (torch.tensor([1.0]), torch.tensor([0.0])),
             reference=_bce_per_element),
        Case("q = 0 with y = 0 and q = 1 with y = 1 cost 0, not nan",
             (torch.tensor([0.0, 1.0]), torch.tensor([0.0, 1.0])), reference=_bce_per_element),
        Case("σ of large logits (σ(20) is exactly 1.0 in float32)",
             (torch.sigmoid(torch.tensor([20.0, -20.0, 16.0])), torch.tensor([0.0, 1.0, 0.0])),
             reference=_bce_per_element),
        Case("a (4, 3) batch keeps its shape", (batch_p, batch_y), reference=_bce_per_element, grad_of=(0,)),
    ]
    run_checks("clamped_bce(q, y)", your_fn, cases,
               hint="a nan where the loss should be 0 comes from 0 · (−inf): the term that the label switches off "
                    "must already be finite when it is multiplied by 0, and clamping the total afterwards cannot "
                    "turn a nan back into a number. An inf means a log 0 was never clamped at all.")
