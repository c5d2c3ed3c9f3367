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


def cauchy_nll(mu, log_gamma, y):
    gamma = log_gamma.exp()
    return (torch.log(torch.pi * gamma) + torch.log1p(((y - mu) / gamma) ** 2)).mean()


def cauchy_nll_without_the_normalising_constant(mu, log_gamma, y):
    return torch.log1p(((y - mu) / log_gamma.exp()) ** 2).mean()


def cauchy_nll_with_log_gamma_used_as_gamma(mu, log_gamma, y):
    return (torch.log(torch.pi * log_gamma) + torch.log1p(((y - mu) / log_gamma) ** 2)).mean()


def test_pinball_with_swapped_weights_passes_the_symmetric_case_only(capsys):
    nb12.check_pinball_loss(pinball_loss_with_tau_on_the_wrong_side)
    out = capsys.readouterr().out
    assert "✓ τ = 0.5 on three residuals by hand" in out, out
    assert_failed_with_hint(out, "asymmetric", failure="an under-prediction costs 9×")


def test_pinball_as_half_l1_at_tau_one_half():
    y = torch.tensor([3.0, -1.0, 0.5])
    torch.testing.assert_close(pinball_loss(torch.zeros(3), y, 0.5), 0.5 * y.abs().mean())


def test_cauchy_nll_without_its_constant_fails_the_first_case(capsys):
    nb12.check_cauchy_nll(cauchy_nll_without_the_normalising_constant)
    assert_failed_with_hint(capsys.readouterr().out, "normalising constant", failure="the NLL is log π")


def test_cauchy_gradient_redescends_for_far_outliers(capsys):
    mu = torch.zeros(3, requires_grad=True)
    y = torch.tensor([1.0, 10.0, 1000.0])
    cauchy_nll(mu, torch.zeros(3), y).backward()
    pull = -mu.grad * 3
    assert pull[0] > pull[1] > pull[2] > 0 and pull[2] < 0.01   # 2r/(γ² + r²): largest at r = γ, then fading
    nb12.check_cauchy_nll(cauchy_nll)
    assert_all_passed(capsys.readouterr().out, 3)


# The table that tests/test_exercise_checks.py runs through every self-check's shared behaviours.
EXERCISES = [
    Exercise(nb12.check_pinball_loss, pinball_loss, pinball_loss_with_tau_on_the_wrong_side, "asymmetric",
             case_count=4, wrong_passes_some_cases=True),
    Exercise(nb12.check_cauchy_nll, cauchy_nll, cauchy_nll_with_log_gamma_used_as_gamma, "Get γ from log_gamma",
             case_count=3),
]
