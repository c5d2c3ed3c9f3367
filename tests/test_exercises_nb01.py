"""The self-checks of notebook 01's exercises: the reference solutions pass, wrong ones get ✗ and the hint,
stubs get "not implemented yet", and no check ever raises."""
import math

import pytest
import torch

from helpers.exercises import nb01


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


def stub(*args, **kwargs):
    raise NotImplementedError


CHECKS = [
    (nb01.check_mse, mse, mse_that_always_averages, "'sum' adds them all"),
    (nb01.check_gaussian_nll, gaussian_nll, gaussian_nll_without_constant, "n/2 · log(2πσ²)"),
    (nb01.check_safe_mse, safe_mse, broadcasting_mse, "raise ValueError"),
]
IDS = ["mse", "gaussian_nll", "safe_mse"]


@pytest.mark.parametrize("check, solution, wrong, hint", CHECKS, ids=IDS)
def test_reference_solution_passes_every_check(capsys, check, solution, wrong, hint):
    check(solution)
    out = capsys.readouterr().out
    assert "✗" not in out
    assert out.count("✓") >= 4
    assert "checks passed." in out and "All " in out


@pytest.mark.parametrize("check, solution, wrong, hint", CHECKS, ids=IDS)
def test_wrong_solution_gets_crosses_and_the_hint(capsys, check, solution, wrong, hint):
    check(wrong)
    out = capsys.readouterr().out
    assert "  ✗ " in out
    assert "All " not in out
    assert "Hint: " in out and hint in out


@pytest.mark.parametrize("check, solution, wrong, hint", CHECKS, ids=IDS)
def test_stub_is_reported_as_not_implemented(capsys, check, solution, wrong, hint):
    check(stub)
    out = capsys.readouterr().out
    assert "not implemented yet" in out
    assert "✓" not in out


@pytest.mark.parametrize("check, solution, wrong, hint", CHECKS, ids=IDS)
def test_a_crashing_solution_is_reported_not_raised(capsys, check, solution, wrong, hint):
    def crashes(*args, **kwargs):
        raise TypeError("boom")

    check(crashes)
    out = capsys.readouterr().out
    assert "raised TypeError" in out and "Hint: " in out


def test_mse_check_catches_a_missing_none_reduction(capsys):
    nb01.check_mse(lambda input, target, reduction="mean": mse(input, target, "sum" if reduction == "none" else
                                                               reduction))
    out = capsys.readouterr().out
    assert "✗ reduction='none' keeps one squared error per value: returned shape ()" in out


def test_mse_check_catches_a_detached_result(capsys):
    nb01.check_mse(lambda input, target, reduction="mean": mse(input.detach(), target, reduction))
    out = capsys.readouterr().out
    assert "✗ reduction='mean' on 6 values: the value is right, but no gradient can flow back" in out
    assert "Hint: " in out


@pytest.mark.filterwarnings("ignore:Using a target size")
def test_safe_mse_check_rejects_torch_runtime_error(capsys):
    nb01.check_safe_mse(torch.nn.functional.mse_loss)
    out = capsys.readouterr().out
    assert "raised RuntimeError" in out
    assert "✓ same shapes (5,): the mean squared error" in out
