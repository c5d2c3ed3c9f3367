"""Notebook 12's exercise answers, which test_exercise_checks.py runs through every self-check's shared
behaviours, and what its self-checks say about particular mistakes."""
import torch

from exercise_table import Exercise
from helpers.exercises import nb12
from selfcheck_output import assert_all_passed, assert_failed_with_hint


def pinball_loss(input, target, tau):
    residual = target - input
    return torch.where(residual >= 0, tau * residual, (tau - 1) * residual).mean()


def pinball_loss_with_tau_on_the_wrong_side(input, target, tau):
    residual = input - target
    return torch.where(residual >= 0, tau * residual, (tau - 1) * residual).mean()


def laplace_nll(mu, log_b, y):
    return ((y - mu).abs() / log_b.exp() + log_b + torch.log(torch.tensor(2.0))).mean()


def laplace_nll_without_the_normalising_constant(mu, log_b, y):
    return ((y - mu).abs() / log_b.exp()).mean()


def laplace_nll_with_log_b_used_as_b(mu, log_b, y):
    return ((y - mu).abs() / log_b + torch.log(2 * log_b)).mean()


def test_pinball_with_swapped_weights_passes_the_symmetric_case_only(capsys):
    nb12.check_pinball_loss(pinball_loss_with_tau_on_the_wrong_side)
    out = capsys.readouterr().out
    assert "✓ τ = 0.5 on three residuals by hand" in out, out
    assert_failed_with_hint(out, "asymmetric", failure="an under-prediction costs 9×")


def test_pinball_as_half_l1_at_tau_one_half():
    y = torch.tensor([3.0, -1.0, 0.5])
    torch.testing.assert_close(pinball_loss(torch.zeros(3), y, 0.5), 0.5 * y.abs().mean())


def test_laplace_nll_without_its_constant_fails_the_first_case(capsys):
    nb12.check_laplace_nll(laplace_nll_without_the_normalising_constant)
    assert_failed_with_hint(capsys.readouterr().out, "normalising constant", failure="the NLL is log 2")


def test_laplace_nll_is_minimised_at_the_median_for_any_scale(capsys):
    y = torch.tensor([0.0, 1.0, 5.0, 6.0, 30.0])
    grid = torch.linspace(-5, 35, 4001)
    nll = torch.stack([laplace_nll(mu.expand(5), torch.zeros(5), y) for mu in grid])
    assert abs(grid[nll.argmin()] - y.median()) < 0.02
    nb12.check_laplace_nll(laplace_nll)
    assert_all_passed(capsys.readouterr().out, 3)


# The table that tests/test_exercise_checks.py runs through every self-check's shared behaviours.
EXERCISES = [
    Exercise(nb12.check_pinball_loss, pinball_loss, pinball_loss_with_tau_on_the_wrong_side, "asymmetric",
             case_count=4, wrong_passes_some_cases=True),
    Exercise(nb12.check_laplace_nll, laplace_nll, laplace_nll_with_log_b_used_as_b, "Get b from log_b",
             case_count=3),
]
