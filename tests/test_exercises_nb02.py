"""Notebook 02's exercise answers, which test_exercise_checks.py runs through every self-check's shared
behaviours, and what its self-checks say about particular mistakes."""
import math

import pytest
import torch

from exercise_table import Exercise
from helpers.exercises import nb02
from selfcheck_output import assert_failed_with_hint


def best_constant_logit(y):
    # NLL'(b) = Σ (σ(b) − yᵢ) = 0  ⇒  σ(b) = N₁/N  ⇒  b = log(N₁/N₀), the log-odds of the fraction of 1s
    fraction = y.mean()
    return torch.log(fraction / (1 - fraction))


def the_fraction_of_ones(y):
    return y.mean()


def log_of_the_fraction(y):
    return torch.log(y.mean())


def fit_with_weight_decay(x, y, weight_decay, steps=5000, learning_rate=0.5):
    w, b = torch.zeros((), dtype=x.dtype), torch.zeros((), dtype=x.dtype)
    for _ in range(steps):
        residual = torch.sigmoid(w * x + b) - y
        w, b = w - learning_rate * ((residual * x).sum() + weight_decay * w), b - learning_rate * residual.sum()
    return torch.stack([w, b])


def fit_without_the_penalty(x, y, weight_decay):
    return fit_with_weight_decay(x, y, 0.0)


def fit_with_the_penalty_pushing_the_wrong_way(x, y, weight_decay):
    return fit_with_weight_decay(x, y, -weight_decay, steps=200)


def test_the_fraction_itself_is_a_probability_not_a_logit(capsys):
    nb02.check_best_constant_logit(the_fraction_of_ones)
    out = capsys.readouterr().out
    assert "✗ the five labels of this notebook (three 1s, two 0s): returned tensor of shape (): 0.6, expected" in out, out
    assert_failed_with_hint(out, "not a probability")


def test_the_log_of_the_fraction_is_right_only_when_there_are_no_ones(capsys):
    nb02.check_best_constant_logit(log_of_the_fraction)
    out = capsys.readouterr().out
    assert "✓ only 0s" in out and "✗ only 1s" in out, out


def test_best_constant_logit_of_the_five_labels_is_log_three_halves():
    labels = torch.tensor(nb02.FIVE_Y, dtype=torch.float64)
    assert nb02._best_constant_logit_reference(labels).item() == pytest.approx(math.log(1.5), rel=1e-15)


def test_the_reference_fit_is_a_stationary_point_of_the_penalised_objective():
    for x, y, weight_decay in [(nb02.SEPARABLE_X, nb02.SEPARABLE_Y, 0.1), (nb02.FIVE_X, nb02.FIVE_Y, 0.0)]:
        x, y = torch.tensor(x, dtype=torch.float64), torch.tensor(y, dtype=torch.float64)
        theta = nb02._penalised_fit_reference(x, y, weight_decay).requires_grad_(True)
        w, b = theta
        objective = torch.nn.functional.binary_cross_entropy_with_logits(w * x + b, y, reduction="sum") \
            + weight_decay / 2 * w ** 2
        (gradient,) = torch.autograd.grad(objective, theta)
        assert gradient.abs().max() < 1e-10


def test_without_the_penalty_the_separable_fit_fails_but_the_five_points_pass(capsys):
    nb02.check_fit_with_weight_decay(fit_without_the_penalty)
    out = capsys.readouterr().out
    assert "✗ the six separable points of section 10, weight decay 1" in out, out
    assert "✓ the five points of section 1, weight decay 0" in out, out


def test_a_penalty_with_the_wrong_sign_is_caught(capsys):
    nb02.check_fit_with_weight_decay(fit_with_the_penalty_pushing_the_wrong_way)
    assert_failed_with_hint(capsys.readouterr().out, "pull w back towards 0", failure="weight decay 1")


# The table that tests/test_exercise_checks.py runs through every self-check's shared behaviours.
EXERCISES = [
    Exercise(nb02.check_best_constant_logit, best_constant_logit, the_fraction_of_ones,
             "not a probability", case_count=5),
    Exercise(nb02.check_fit_with_weight_decay, fit_with_weight_decay, fit_without_the_penalty,
             "the penalty is missing", case_count=4, wrong_passes_some_cases=True),
]
