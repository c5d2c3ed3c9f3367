"""Self-checks for the exercises of notebooks/08_cross_entropy_options_and_pitfalls.ipynb.

Each ``check_*`` runs the reader's function on a few cases through ``helpers.selfcheck.run_checks`` and prints
one ✓/✗ line per case; it never raises. A failed case says what was expected and what arrived; the hint gives a
direction, never the code.
"""
import torch
import torch.nn.functional as F

from helpers.selfcheck import Case, random_logits, run_checks


def _smoothed_floor_reference(num_classes, epsilon):
    """The entropy, in nats, of PyTorch's smoothed target: 1 − ε + ε/C on the true class, ε/C on the others."""
    true_class = torch.tensor(1 - epsilon + epsilon / num_classes, dtype=torch.float64)
    other = torch.tensor(epsilon / num_classes, dtype=torch.float64)
    return -(torch.xlogy(true_class, true_class) + (num_classes - 1) * torch.xlogy(other, other))


def check_smoothed_loss_floor(your_fn):
    """Check ``your_fn(num_classes, epsilon)``: the smallest value that one item's
    ``F.cross_entropy(logits, target, label_smoothing=epsilon)`` can take over all logits, as a 0-dim tensor."""
    cases = [Case(label, (c, eps), expected=_smoothed_floor_reference(c, eps), rtol=1e-5, atol=1e-6)
             for label, c, eps in [("C = 3 classes, ε = 0.1", 3, 0.1),
                                   ("C = 10 classes, ε = 0.1", 10, 0.1),
                                   ("a vocabulary of C = 50000 tokens, ε = 0.1", 50_000, 0.1),
                                   ("ε = 1: the target is uniform over C = 4", 4, 1.0),
                                   ("ε = 0: no smoothing, a one-hot target (C = 5)", 5, 0.0)]]
    run_checks("smoothed_loss_floor(num_classes, epsilon)", your_fn, cases,
               hint="a ✗ line gives the floor and your value. At the floor the model has nothing left to learn: "
                    "its q is the smoothed target itself. Count what each of the C classes receives under "
                    "PyTorch's convention (ε is spread over all C classes, the true one included), and recall "
                    "that a zero probability contributes nothing (0·log 0 = 0).")


def _smoothed_ignore_reference(logits, target, epsilon, ignore_index):
    return F.cross_entropy(logits, target, ignore_index=ignore_index, label_smoothing=epsilon)


def check_smoothed_cross_entropy_ignore_index(your_fn):
    """Check ``your_fn(logits, target, epsilon, ignore_index)``: ``F.cross_entropy(logits, target,
    ignore_index=ignore_index, label_smoothing=epsilon)`` for logits (N, C), built from probability targets,
    value and gradient."""
    logits = random_logits(9, 5, seed=81)
    target = torch.randint(0, 5, (9,), generator=torch.Generator().manual_seed(82))
    padded = target.clone()
    padded[[1, 4, 8]] = -100
    pad_is_class_0 = target.clone()
    pad_is_class_0[[0, 6]] = 0
    cases = [
        Case("nothing ignored, ε = 0.1", (logits, target, 0.1, -100), reference=_smoothed_ignore_reference,
             grad_of=(0,)),
        Case("3 of 9 targets are −100, ε = 0.1", (logits, padded, 0.1, -100),
             reference=_smoothed_ignore_reference, grad_of=(0,)),
        Case("3 of 9 targets are −100, ε = 0.3", (logits, padded, 0.3, -100),
             reference=_smoothed_ignore_reference, grad_of=(0,)),
        Case("ignore_index = 0, a pad id that is also a class index, ε = 0.2", (logits, pad_is_class_0, 0.2, 0),
             reference=_smoothed_ignore_reference, grad_of=(0,)),
        Case("every target ignored: a nan mean, and a zero gradient", (logits, torch.full((9,), -100), 0.1, -100),
             reference=_smoothed_ignore_reference, grad_of=(0,)),
    ]
    run_checks("smoothed_cross_entropy_ignore_index(logits, target, epsilon, ignore_index)", your_fn, cases,
               hint="a ✗ line names the case, torch's value and yours. A padded item has no label, so it has no "
                    "smoothed target either: it must leave the sum and the count of the mean, and it must not "
                    "reach anything that needs a valid class index. When nothing is left, torch returns nan with "
                    "a zero gradient.")

