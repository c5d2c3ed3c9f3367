"""Notebook 02's exercise answers, which test_exercise_checks.py runs through every self-check's shared
behaviours, and what its self-checks say about particular mistakes."""
import torch

from exercise_table import Exercise
from helpers.exercises import nb02


def bernoulli_log_likelihood(p, y):
    return (y * torch.log(p) + (1 - y) * torch.log(1 - p)).sum()


def log_of_the_product(p, y):
    return torch.log((p ** y * (1 - p) ** (1 - y)).prod())


def bce(p, y):
    return -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean()


def bce_without_the_minus_sign(p, y):
    return (y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean()


def bce_grad(z, y):
    return torch.sigmoid(z) - y


def bce_grad_with_the_wrong_sign(z, y):
    return y - torch.sigmoid(z)


def test_log_of_the_product_fails_only_where_it_underflows(capsys):
    nb02.check_bernoulli_log_likelihood(log_of_the_product)
    out = capsys.readouterr().out
    assert "✓ 5 samples" in out
    assert "✗ 2000 samples, whose product of probabilities underflows to 0: returned tensor of shape (): -inf" in out


def test_bce_check_catches_a_sum_instead_of_a_mean(capsys):
    nb02.check_bce(lambda p, y: -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).sum())
    out = capsys.readouterr().out
    assert "✗ a (4, 3) batch averages over all 12 labels" in out


def test_bce_grad_check_catches_the_gradient_with_respect_to_p(capsys):
    def gradient_with_respect_to_p(z, y):
        p = torch.sigmoid(z)
        return (p - y) / (p * (1 - p))

    nb02.check_bce_grad(gradient_with_respect_to_p)
    out = capsys.readouterr().out
    assert "✗ 6 logits" in out


# The table that tests/test_exercise_checks.py runs through every self-check's shared behaviours.
EXERCISES = [
    Exercise(nb02.check_bernoulli_log_likelihood, bernoulli_log_likelihood,
             log_of_the_product,
             "underflows to 0", case_count=5, wrong_passes_some_cases=True),
    Exercise(nb02.check_bce, bce, bce_without_the_minus_sign,
             "the minus sign", case_count=5),
    Exercise(nb02.check_bce_grad, bce_grad, bce_grad_with_the_wrong_sign,
             "σ(z) − y", case_count=4),
]
