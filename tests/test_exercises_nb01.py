"""Notebook 01's exercise answers, which test_exercise_checks.py runs through every self-check's shared
behaviours, and what its self-checks say about particular mistakes."""
import math

import pytest
import torch

from exercise_table import Exercise
from helpers.exercises import nb01
from selfcheck_output import assert_failed_with_hint, assert_reported_not_raised


def mse(input, target, reduction="mean"):
    squared = (input - target) ** 2
    if reduction == "none":
        return squared
    return squared.sum() if reduction == "sum" else squared.sum() / squared.numel()


def mse_that_always_averages(input, target, reduction="mean"):
    return ((input - target) ** 2).mean()


def gaussian_nll(prediction, target, sigma):
    n = target.numel()
    return n / 2 * math.log(2 * math.pi * sigma ** 2) + ((prediction - target) ** 2).sum() / (2 * sigma ** 2)


def gaussian_nll_without_constant(prediction, target, sigma):
    return ((prediction - target) ** 2).sum() / (2 * sigma ** 2)


def safe_mse(input, target):
    if input.shape != target.shape:
        raise ValueError(f"shapes differ: {tuple(input.shape)} and {tuple(target.shape)}")
    return ((input - target) ** 2).mean()


def broadcasting_mse(input, target):
    return ((input - target) ** 2).mean()


def test_mse_check_catches_a_missing_none_reduction(capsys):
    nb01.check_mse(lambda input, target, reduction="mean": mse(input, target, "sum" if reduction == "none" else
                                                               reduction))
    out = capsys.readouterr().out
    assert "✗ reduction='none' keeps one squared error per value: returned shape ()" in out


def test_mse_check_catches_a_detached_result(capsys):
    nb01.check_mse(lambda input, target, reduction="mean": mse(input.detach(), target, reduction))
    out = capsys.readouterr().out
    assert "✗ reduction='mean' on 6 values: the value is right, but no gradient can flow back" in out
    assert_failed_with_hint(out)


@pytest.mark.filterwarnings("ignore:Using a target size")
def test_safe_mse_check_rejects_torch_runtime_error(capsys):
    nb01.check_safe_mse(torch.nn.functional.mse_loss)
    out = capsys.readouterr().out
    assert_reported_not_raised(out, "RuntimeError")
    assert "✓ same shapes (5,): the mean squared error" in out


# The table that tests/test_exercise_checks.py runs through every self-check's shared behaviours.
EXERCISES = [
    Exercise(nb01.check_mse, mse, mse_that_always_averages,
             "'sum' adds them all", case_count=6, wrong_passes_some_cases=True),
    Exercise(nb01.check_gaussian_nll, gaussian_nll, gaussian_nll_without_constant,
             "n/2 · log(2πσ²)", case_count=4),
    Exercise(nb01.check_safe_mse, safe_mse, broadcasting_mse,
             "raise ValueError", case_count=6, wrong_passes_some_cases=True),
]
