"""Self-checks for the exercises of notebooks/04_binary_cross_entropy_in_pytorch.ipynb.

Each ``check_*`` runs the reader's function on a few cases, prints one ✓/✗ line per case and never raises
(see ``helpers.selfcheck``).
"""
import torch
import torch.nn.functional as F

from helpers.selfcheck import Case, run_checks

__all__ = ["check_pos_weight_from_labels", "check_weighted_bce", "check_bce_with_logits_pos_weight"]

WORKED_LOGITS = torch.tensor([[1.0, 2.0], [2.0, 2.0], [3.0, 4.0], [4.0, 5.0]])
WORKED_TARGETS = torch.tensor([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0], [0.0, 1.0]])


def _imbalanced_labels(n_rows, positive_rates, seed):
    generator = torch.Generator().manual_seed(seed)
    rates = torch.tensor(positive_rates)
    return (torch.rand(n_rows, len(positive_rates), generator=generator) < rates).float()


def _negatives_over_positives(labels):
    positives = labels.sum(dim=0)
    return (labels.shape[0] - positives) / positives


def check_pos_weight_from_labels(your_fn):
    """Exercise 1: ``your_fn(labels)`` returns #negatives / #positives per column of an (N, C) 0/1 label matrix."""
    cases = [
        Case("a 4 × 3 matrix counted by hand",
             (torch.tensor([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]),),
             expected=torch.tensor([1.0, 3.0, 3.0])),
        Case("balanced columns give 1", (torch.tensor([[1.0, 0.0], [0.0, 1.0]]),), expected=torch.tensor([1.0, 1.0])),
        Case("one label: shape (N, 1) gives shape (1,)", (_imbalanced_labels(50, [0.2], seed=1),),
             reference=_negatives_over_positives),
        Case("500 rows, positive rates 50 %, 20 %, 5 %, 2 %",
             (_imbalanced_labels(500, [0.5, 0.2, 0.05, 0.02], seed=2),), reference=_negatives_over_positives),
    ]
    run_checks("pos_weight_from_labels(labels)", your_fn, cases,
               hint="labels.sum(dim=0) counts each column's positives; the negatives are labels.shape[0] minus "
                    "that; return negatives / positives as a float tensor of shape (C,).")


def _weighted_bce_mean(p, y, weight):
    return F.binary_cross_entropy(p, y, weight=weight)


def check_weighted_bce(your_fn):
    """Exercise 2: ``your_fn(p, y, weight)`` equals ``F.binary_cross_entropy(p, y, weight=weight)`` (mean)."""
    generator = torch.Generator().manual_seed(7)
    p = torch.rand(6, 3, generator=generator) * 0.98 + 0.01
    y = torch.randint(0, 2, (6, 3), generator=generator).float()
    element_weight = torch.rand(6, 3, generator=generator) * 2
    cases = [
        Case("weights of ones give the plain mean", (p, y, torch.ones(6, 3)), reference=_weighted_bce_mean,
             grad_of=(0,)),
        Case("one weight per element", (p, y, element_weight), reference=_weighted_bce_mean, grad_of=(0,)),
        Case("one weight per column, shape (3,), broadcast over rows", (p, y, torch.tensor([1.0, 2.0, 0.5])),
             reference=_weighted_bce_mean, grad_of=(0,)),
        Case("zero weights still count in the mean's denominator",
             (torch.tensor([0.9, 0.2, 0.6, 0.3]), torch.tensor([1.0, 0.0, 0.0, 1.0]),
              torch.tensor([1.0, 1.0, 0.0, 0.0])), reference=_weighted_bce_mean, grad_of=(0,)),
    ]
    run_checks("weighted_bce(p, y, weight)", your_fn, cases,
               hint="compute −weight·[y·log p + (1 − y)·log(1 − p)] elementwise (weight broadcasts), then take "
                    ".mean(): BCE's mean divides by the number of elements, not by the sum of the weights.")


# Logits up to about ±10 cost only a little precision through torch.log(torch.sigmoid(x)); the extreme-logit case is
# the one an unstable formula must fail, so the ordinary cases allow a relative error of 1e-4.
_LOOSE = {"rtol": 1e-4, "atol": 1e-5}


def _bce_with_logits_pos_weight(x, y, pos_weight):
    return F.binary_cross_entropy_with_logits(x, y, pos_weight=pos_weight)


def check_bce_with_logits_pos_weight(your_fn):
    """Exercise 3: ``your_fn(x, y, pos_weight)`` equals ``nn.BCEWithLogitsLoss(pos_weight=pos_weight)(x, y)``.

    Checked in value and in the gradient with respect to the logits, including extreme logits.
    """
    generator = torch.Generator().manual_seed(8)
    x = torch.randn(8, 3, generator=generator) * 4
    y = torch.randint(0, 2, (8, 3), generator=generator).float()
    cases = [
        Case("the worked table with pos_weight = [3]", (WORKED_LOGITS, WORKED_TARGETS, torch.tensor([3.0])),
             reference=_bce_with_logits_pos_weight, grad_of=(0,), **_LOOSE),
        Case("pos_weight = 1 is the plain loss", (x, y, torch.tensor([1.0])),
             reference=_bce_with_logits_pos_weight, grad_of=(0,), **_LOOSE),
        Case("one pos_weight per column, shape (3,)", (x, y, torch.tensor([0.5, 2.0, 9.0])),
             reference=_bce_with_logits_pos_weight, grad_of=(0,), **_LOOSE),
        Case("extreme logits ±1e4 stay finite",
             (torch.tensor([[1e4, -1e4], [-1e4, 1e4]]), torch.tensor([[0.0, 1.0], [0.0, 1.0]]),
              torch.tensor([4.0, 4.0])), reference=_bce_with_logits_pos_weight, grad_of=(0,)),
    ]
    run_checks("bce_with_logits_pos_weight(x, y, pos_weight)", your_fn, cases,
               hint="the mean of −[pos_weight·y·log σ(x) + (1 − y)·log σ(−x)], with log σ computed stably "
                    "(F.logsigmoid(x), never torch.log(torch.sigmoid(x))).")
