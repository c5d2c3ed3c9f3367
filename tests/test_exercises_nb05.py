"""The self-checks of notebooks/05_softmax_and_the_categorical_likelihood.ipynb: the reference solutions pass,
wrong functions get ✗ lines and the hint, stubs get "not implemented yet", and no check ever raises."""
import pytest
import torch

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


def stub(*args, **kwargs):
    raise NotImplementedError


CHECKS = [
    (nb05.check_stable_softmax, stable_softmax, naive_softmax),
    (nb05.check_softmax_with_temperature, softmax_with_temperature, naive_softmax_with_temperature),
    (nb05.check_categorical_nll, categorical_nll, summed_categorical_nll),
]


@pytest.mark.parametrize("check, solution, _", CHECKS)
def test_reference_solution_passes_every_check(capsys, check, solution, _):
    check(solution)
    out = capsys.readouterr().out
    assert "✗" not in out
    assert "checks passed." in out and "All" in out


@pytest.mark.parametrize("check, _, wrong", CHECKS)
def test_wrong_function_gets_crosses_and_the_hint(capsys, check, _, wrong):
    check(wrong)
    out = capsys.readouterr().out
    assert "✗" in out
    assert "✓" in out, "the wrong functions are right on ordinary input, so some cases should still pass"
    assert "Hint:" in out


@pytest.mark.parametrize("check", [c for c, _, _ in CHECKS])
def test_stub_is_not_implemented_yet(capsys, check):
    check(stub)
    out = capsys.readouterr().out
    assert "not implemented yet" in out
    assert "✓" not in out


@pytest.mark.parametrize("check", [c for c, _, _ in CHECKS])
def test_a_function_returning_garbage_does_not_raise(capsys, check):
    check(lambda *args, **kwargs: "not a tensor")
    out = capsys.readouterr().out
    assert "expected a tensor" in out and "Hint:" in out


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
