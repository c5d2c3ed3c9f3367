"""Self-checks for the exercises of notebooks/04_binary_cross_entropy_in_pytorch.ipynb.

Each ``check_*`` runs the reader's function on a few cases, prints one ✓/✗ line per case and never raises
(see ``helpers.selfcheck``). A failed case shows what was expected and what arrived; the hint gives a direction to
think in, never the code.
"""
import torch
import torch.nn.functional as F

from helpers.selfcheck import Case, run_checks

__all__ = ["check_decision_logit", "check_masked_bce"]


def _decision_logit(pos_weight, cost_fp, cost_fn):
    return torch.log(pos_weight) + torch.log(cost_fp / cost_fn)


def check_decision_logit(your_fn):
    """Exercise 1: ``your_fn(pos_weight, cost_fp, cost_fn)`` returns the logit above which a model trained with
    ``pos_weight`` should predict "positive", when a false alarm costs ``cost_fp`` and a missed positive ``cost_fn``.

    The model's logits are taken to be the optimal ones for the weighted loss, so σ(z − log w₊) is calibrated.
    """
    def t(*values):
        return torch.tensor(values, dtype=torch.float64)

    cases = [
        Case("pos_weight = 1, equal costs: a calibrated model, threshold probability 1/2",
             (t(1.0), t(1.0), t(1.0)), reference=_decision_logit),
        Case("pos_weight = 1, a missed positive costs 9 false alarms", (t(1.0), t(1.0), t(9.0)),
             reference=_decision_logit),
        Case("pos_weight = 16.5439 (section 5's labels), equal costs", (t(16.5439), t(1.0), t(1.0)),
             reference=_decision_logit),
        Case("pos_weight = 9 and a missed positive costs 9 false alarms", (t(9.0), t(1.0), t(9.0)),
             expected=t(0.0)),
        Case("three labels at once, shape (3,)", (t(1.0, 4.0, 20.0), t(1.0, 2.0, 1.0), t(5.0, 1.0, 1.0)),
             reference=_decision_logit),
    ]
    run_checks("decision_logit(pos_weight, cost_fp, cost_fn)", your_fn, cases,
               hint="two separate things move the threshold. Training with pos_weight moved every optimal logit "
                    "(undo that first, as in section 6), and the costs move the calibrated probability at which "
                    "predicting positive starts to pay (compare the expected cost of the two decisions). Both "
                    "are shifts along the logit axis.")


def _masked_bce_reference(logits, targets, observed):
    keep = observed.bool()
    if not keep.any():
        return (logits * 0).sum()
    return F.binary_cross_entropy_with_logits(logits[keep], targets[keep])


def check_masked_bce(your_fn):
    """Exercise 2: ``your_fn(logits, targets, observed)`` is the mean BCE-with-logits over the observed labels only.

    ``observed`` is 1. where a label exists and 0. where it is missing; a missing label's target may be anything,
    even nan. A batch without a single label costs 0, with a zero gradient. Value and gradient are checked.
    """
    generator = torch.Generator().manual_seed(4)
    logits = torch.randn(6, 3, generator=generator) * 2
    targets = torch.randint(0, 2, (6, 3), generator=generator).float()
    observed = (torch.rand(6, 3, generator=generator) > 0.25).float()
    with_nan = torch.where(observed.bool(), targets, torch.tensor(float("nan")))
    empty_row = observed.clone()
    empty_row[2] = 0.0
    cases = [
        Case("every label observed: the plain mean", (logits, targets, torch.ones(6, 3)),
             reference=_masked_bce_reference, grad_of=(0,)),
        Case(f"{int(observed.sum())} of 18 labels observed: the mean over those only", (logits, targets, observed),
             reference=_masked_bce_reference, grad_of=(0,)),
        Case("one row with no label at all", (logits, targets, empty_row), reference=_masked_bce_reference,
             grad_of=(0,)),
        Case("the missing labels are stored as nan", (logits, with_nan, observed),
             reference=_masked_bce_reference, grad_of=(0,)),
        Case("a batch without a single label: loss 0, gradient 0", (logits, targets, torch.zeros(6, 3)),
             reference=_masked_bce_reference, grad_of=(0,)),
    ]
    run_checks("masked_bce(logits, targets, observed)", your_fn, cases,
               hint="the mean must run over the observed labels only: ask what your denominator counts. A missing "
                    "label must contribute nothing, not even through the gradient (0 · nan is still nan, in the "
                    "backward pass too), and a batch without labels must not divide by zero.")
