"""Notebook 13's exercise answers, which test_exercise_checks.py runs through every self-check's shared
behaviours, and what its self-checks say about particular mistakes."""
import torch

from exercise_table import Exercise
from helpers.exercises import nb13
from selfcheck_output import assert_all_passed, assert_failed_with_hint


def adjust_to_new_prior(p, train_rate, deploy_rate):
    shift = (deploy_rate / (1 - deploy_rate)) / (train_rate / (1 - train_rate))
    return p * shift / (p * shift + 1 - p)


def adjust_by_the_ratio_of_rates(p, train_rate, deploy_rate):
    return (p * deploy_rate / train_rate).clamp(max=1.0)   # scales probabilities, not odds


def adjust_in_logit_space_unguarded(p, train_rate, deploy_rate):
    logit = torch.log(p / (1 - p))
    shift = torch.log(torch.tensor(deploy_rate / (1 - deploy_rate) / (train_rate / (1 - train_rate)), dtype=p.dtype))
    return torch.sigmoid(logit + shift)


def equal_mass_ece(confidence, correct, n_bins):
    order = confidence.argsort()
    gaps = [len(chunk) * (correct[chunk].mean() - confidence[chunk].mean()).abs()
            for chunk in torch.tensor_split(order, n_bins) if len(chunk)]
    return torch.stack(gaps).sum() / len(confidence)


def equal_width_ece(confidence, correct, n_bins):
    bins = torch.clamp((confidence * n_bins).ceil().long() - 1, 0, n_bins - 1)
    total = confidence.new_zeros(())
    for b in range(n_bins):
        inside = bins == b
        if inside.any():
            total = total + inside.sum() * (correct[inside].mean() - confidence[inside].mean()).abs()
    return total / len(confidence)


def test_scaling_probabilities_instead_of_odds_passes_only_the_trivial_cases(capsys):
    nb13.check_adjust_to_new_prior(adjust_by_the_ratio_of_rates)
    out = capsys.readouterr().out
    assert "✓ equal rates change nothing" in out, out
    assert_failed_with_hint(out, "odds", failure="q = 0.8 becomes 4/13")


def test_the_logit_route_is_right_except_at_certainty(capsys):
    # log(p/(1 − p)) is ±inf at p = 0 and 1, and σ(±inf) = 0 or 1: torch gets even this right.
    nb13.check_adjust_to_new_prior(adjust_in_logit_space_unguarded)
    assert_all_passed(capsys.readouterr().out, 5)


def test_equal_width_bins_are_not_equal_mass_bins(capsys):
    nb13.check_equal_mass_ece(equal_width_ece)
    out = capsys.readouterr().out
    assert "✓ one bin: |accuracy − mean confidence|" in out, out
    assert_failed_with_hint(out, "sorted by confidence", failure="four items, two bins")


def test_equal_mass_ece_of_perfectly_calibrated_bins_is_zero():
    confidence = torch.tensor([0.5, 0.5, 1.0, 1.0], dtype=torch.float64)
    correct = torch.tensor([1.0, 0.0, 1.0, 1.0], dtype=torch.float64)
    assert equal_mass_ece(confidence, correct, 2) == 0


# The table that tests/test_exercise_checks.py runs through every self-check's shared behaviours.
EXERCISES = [
    Exercise(nb13.check_adjust_to_new_prior, adjust_to_new_prior, adjust_by_the_ratio_of_rates, "Work with odds",
             case_count=5, wrong_passes_some_cases=True),
    Exercise(nb13.check_equal_mass_ece, equal_mass_ece, equal_width_ece, "sorted by confidence", case_count=4,
             wrong_passes_some_cases=True),
]
