"""Notebook 04's exercise answers, which test_exercise_checks.py runs through every self-check's shared
behaviours, and what its self-checks say about particular mistakes."""
import torch
import torch.nn.functional as F

from exercise_table import Exercise
from helpers.exercises import nb04
from selfcheck_output import assert_failed_with_hint


def decision_logit(pos_weight, cost_fp, cost_fn):
    return torch.log(pos_weight) + torch.log(cost_fp / cost_fn)


def decision_logit_forgetting_pos_weight(pos_weight, cost_fp, cost_fn):
    return torch.log(cost_fp / cost_fn)


def decision_logit_with_the_cost_ratio_upside_down(pos_weight, cost_fp, cost_fn):
    return torch.log(pos_weight) + torch.log(cost_fn / cost_fp)


def masked_bce(logits, targets, observed):
    keep = observed.bool()
    safe_targets = torch.where(keep, targets, torch.zeros_like(targets))
    per_label = F.binary_cross_entropy_with_logits(logits, safe_targets, reduction="none")
    return torch.where(keep, per_label, torch.zeros_like(per_label)).sum() / observed.sum().clamp(min=1)


def masked_bce_diluted(logits, targets, observed):
    """weight = observed: the mean still divides by every element, observed or not."""
    return F.binary_cross_entropy_with_logits(logits, targets, weight=observed)


def masked_bce_with_nan_in_the_backward_pass(logits, targets, observed):
    """Right denominator, but the missing targets reach the loss before the mask removes them."""
    per_label = F.binary_cross_entropy_with_logits(logits, targets, reduction="none")
    return torch.where(observed.bool(), per_label, torch.zeros_like(per_label)).sum() / observed.sum()


def test_forgetting_pos_weight_passes_only_the_unweighted_cases(capsys):
    nb04.check_decision_logit(decision_logit_forgetting_pos_weight)
    out = capsys.readouterr().out
    assert "✓ pos_weight = 1, equal costs" in out and "✓ pos_weight = 1, a missed positive" in out, out
    assert_failed_with_hint(out, "undo that first", failure="pos_weight = 16.5439")


def test_a_cost_ratio_upside_down_fails_the_asymmetric_cases(capsys):
    nb04.check_decision_logit(decision_logit_with_the_cost_ratio_upside_down)
    out = capsys.readouterr().out
    assert "✓ pos_weight = 1, equal costs" in out, out
    assert_failed_with_hint(out, failure="a missed positive costs 9 false alarms")


def test_the_diluted_mean_fails_as_soon_as_a_label_is_missing(capsys):
    nb04.check_masked_bce(masked_bce_diluted)
    out = capsys.readouterr().out
    assert "✓ every label observed: the plain mean" in out, out
    assert_failed_with_hint(out, "what your denominator counts", failure="the mean over those only")


def test_a_nan_that_reaches_the_loss_is_caught_in_the_gradient(capsys):
    nb04.check_masked_bce(masked_bce_with_nan_in_the_backward_pass)
    out = capsys.readouterr().out
    assert "✓ one row with no label at all" in out, out
    nan_line = [line for line in out.splitlines() if "stored as nan" in line][0]
    assert nan_line.startswith("  ✗ ") and "the gradient of argument 0 differs" in nan_line, out
    assert "  ✗ a batch without a single label" in out, out


# The table that tests/test_exercise_checks.py runs through every self-check's shared behaviours.
EXERCISES = [
    Exercise(nb04.check_decision_logit, decision_logit, decision_logit_forgetting_pos_weight,
             "Both are shifts along the logit axis", case_count=5, wrong_passes_some_cases=True),
    Exercise(nb04.check_masked_bce, masked_bce, masked_bce_diluted,
             "ask what your denominator counts", case_count=5, wrong_passes_some_cases=True),
]
