"""Self-checks for the exercises of notebooks/07_cross_entropy_in_pytorch.ipynb.

Each ``check_*`` runs the reader's function on a few cases through ``helpers.selfcheck.run_checks`` and prints
one ✓/✗ line per case; it never raises. The right answers come from ``torch.nn.functional.cross_entropy``.
"""
import torch
import torch.nn.functional as F

from helpers.selfcheck import Case, run_checks

SEEDS_INPUTS = torch.tensor([[1.0, 2.0], [1.0, 3.0], [1.0, 3.0]])
SEEDS_TARGET = torch.tensor([0, 1, 1])


def _batch(n, n_classes, seed):
    generator = torch.Generator().manual_seed(seed)
    logits = 2 * torch.randn(n, n_classes, generator=generator)
    target = torch.randint(0, n_classes, (n,), generator=generator)
    return logits, target


def _weighted_mean_reference(logits, target, weight):
    return F.cross_entropy(logits, target, weight=weight)


def check_weighted_mean_cross_entropy(your_fn):
    """Check ``your_fn(logits, target, weight)``: the class-weighted mean cross-entropy, gradients included.

    The weighted mean is Σ_i w[t_i]·ℓ_i / Σ_i w[t_i], as ``F.cross_entropy(logits, target, weight=weight)``.
    """
    logits, target = _batch(8, 4, seed=71)
    cases = [
        Case("the source notebook's inputs with weight [1, 2] (0.3642)", (SEEDS_INPUTS, SEEDS_TARGET, torch.tensor([1.0, 2.0])),
             reference=_weighted_mean_reference, grad_of=(0,)),
        Case("equal weights [1, 1] give the plain mean (0.5224)",
             (SEEDS_INPUTS, SEEDS_TARGET, torch.tensor([1.0, 1.0])), reference=_weighted_mean_reference),
        Case("8 items, 4 classes, weights [0.5, 1, 2, 4]", (logits, target, torch.tensor([0.5, 1.0, 2.0, 4.0])),
             reference=_weighted_mean_reference, grad_of=(0,)),
        Case("weight 0 removes a class from the sum and from the denominator",
             (logits, target, torch.tensor([0.0, 1.0, 1.0, 1.0])), reference=_weighted_mean_reference,
             grad_of=(0,)),
    ]
    run_checks("weighted_mean_cross_entropy(logits, target, weight)", your_fn, cases,
               hint="per item ℓ_i = −w[t_i]·log_softmax(logits, dim=1)[i, t_i] (gather or index with "
                    "arange(N), target); then divide Σ ℓ_i by Σ w[t_i] = weight[target].sum(), not by N.")


def _smoothed_reference(target, num_classes, epsilon):
    smoothed = torch.full((target.shape[0], num_classes), epsilon / num_classes)
    return smoothed.scatter(1, target.unsqueeze(1), 1 - epsilon + epsilon / num_classes)


def check_label_smoothed_targets(your_fn):
    """Check ``your_fn(target, num_classes, epsilon)``: the (N, C) float targets (1 − ε)·onehot + ε/C."""
    _, target = _batch(6, 5, seed=72)
    cases = [
        Case("ε = 0.1, C = 2 on the source notebook's targets [0, 1, 1]", (SEEDS_TARGET, 2, 0.1),
             expected=_smoothed_reference(SEEDS_TARGET, 2, 0.1)),
        Case("ε = 0.2, C = 5 on 6 targets", (target, 5, 0.2), expected=_smoothed_reference(target, 5, 0.2)),
        Case("ε = 0 gives the plain one-hot rows, as floats", (target, 5, 0.0),
             expected=F.one_hot(target, 5).float()),
        Case("ε = 1 gives the uniform distribution 1/C in every entry", (target, 5, 1.0),
             expected=torch.full((6, 5), 0.2)),
        Case("a class the batch never uses still gets ε/C (C = 4, targets only 0 and 1)",
             (SEEDS_TARGET, 4, 0.1), expected=_smoothed_reference(SEEDS_TARGET, 4, 0.1)),
    ]
    run_checks("label_smoothed_targets(target, num_classes, epsilon)", your_fn, cases,
               hint="start from F.one_hot(target, num_classes).float() (num_classes, not target.max() + 1), "
                    "multiply it by (1 − epsilon) and add epsilon / num_classes to every entry; each row sums to 1.")


def _ignore_index_reference(logits, target, ignore_index):
    return F.cross_entropy(logits, target, ignore_index=ignore_index)


def check_cross_entropy_ignore_index(your_fn):
    """Check ``your_fn(logits, target, ignore_index)``: the mean cross-entropy over the items not ignored.

    As ``F.cross_entropy(logits, target, ignore_index=ignore_index)``: nan when every item is ignored.
    """
    logits, target = _batch(10, 4, seed=73)
    padded = target.clone()
    padded[[2, 5, 6]] = -100
    target_with_class_0 = target.clone()
    target_with_class_0[0] = 0
    cases = [
        Case("nothing ignored: the ordinary mean over 10 items", (logits, target, -100),
             reference=_ignore_index_reference, grad_of=(0,)),
        Case("3 of 10 targets are −100: the mean over the other 7", (logits, padded, -100),
             reference=_ignore_index_reference, grad_of=(0,)),
        Case("ignore_index = 0 (a pad token id that is also a class index)", (logits, target_with_class_0, 0),
             reference=_ignore_index_reference, grad_of=(0,)),
        Case("every target ignored: the mean of nothing is nan", (logits, torch.full((10,), -100), -100),
             expected=torch.tensor(float("nan"))),
    ]
    run_checks("cross_entropy_ignore_index(logits, target, ignore_index)", your_fn, cases,
               hint="kept = target != ignore_index; take −log_softmax(logits, dim=1) at each target, after "
                    "replacing ignored targets by a valid class (e.g. target.masked_fill(~kept, 0)) so that "
                    "gather works; zero the ignored items and divide the sum by kept.sum() (0/0 = nan).")
