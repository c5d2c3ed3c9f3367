"""Notebook 05's exercise answers, which test_exercise_checks.py runs through every self-check's shared
behaviours, and what its self-checks say about particular mistakes."""
import torch

from exercise_table import Exercise
from helpers.exercises import nb05


def stable_softmax(z):
    e = torch.exp(z - z.amax(dim=-1, keepdim=True))
    return e / e.sum(dim=-1, keepdim=True)


def naive_softmax(z):
    e = torch.exp(z)
    return e / e.sum(dim=-1, keepdim=True)


def softmax_with_temperature(z, temperature):
    return stable_softmax(z / temperature)


def naive_softmax_with_temperature(z, temperature):
    return naive_softmax(z / temperature)


def categorical_nll(probs, onehot):
    return -(onehot * torch.log(probs)).sum(dim=-1).mean()


def one_vs_rest_bce(probs, onehot):
    """The seeds' "cross-entropy": a binary cross-entropy summed over every column."""
    return -(onehot * torch.log(probs) + (1 - onehot) * torch.log(1 - probs)).sum(dim=-1).mean()


def summed_categorical_nll(probs, onehot):
    return -(onehot * torch.log(probs)).sum()


def test_softmax_that_detaches_fails_only_the_gradient_case(capsys):
    nb05.check_stable_softmax(lambda z: torch.softmax(z.detach(), dim=-1))
    out = capsys.readouterr().out
    assert "5/6 checks passed" in out
    assert "✗ gradient (of a weighted sum) matches torch.softmax" in out


def test_softmax_that_multiplies_by_the_temperature_fails(capsys):
    nb05.check_softmax_with_temperature(lambda z, t: stable_softmax(z * t))
    out = capsys.readouterr().out
    assert "✗ T = 0.5 sharpens the distribution" in out


def test_one_vs_rest_bce_from_the_seeds_fails_every_case(capsys):
    nb05.check_categorical_nll(one_vs_rest_bce)
    out = capsys.readouterr().out
    assert "0/5 checks passed" in out
    assert "one-vs-rest BCE" in out


# The table that tests/test_exercise_checks.py runs through every self-check's shared behaviours.
EXERCISES = [
    Exercise(nb05.check_stable_softmax, stable_softmax, naive_softmax,
             "subtract each row's maximum first", wrong_passes_some_cases=True),
    Exercise(nb05.check_softmax_with_temperature, softmax_with_temperature,
             naive_softmax_with_temperature,
             "then take a stable softmax", wrong_passes_some_cases=True),
    Exercise(nb05.check_categorical_nll, categorical_nll, summed_categorical_nll,
             ".mean() over the items", wrong_passes_some_cases=True),
]
