"""The self-checks of notebooks/06_cross_entropy_with_tensors.ipynb: the reference solutions pass, wrong
functions get ✗ lines and the hint, stubs get "not implemented yet", and no check ever raises."""
import pytest
import torch

from helpers.exercises import nb06


def logsumexp(z, dim):
    m = z.amax(dim=dim, keepdim=True)
    return (m + torch.log(torch.exp(z - m).sum(dim=dim, keepdim=True))).squeeze(dim)


def naive_logsumexp(z, dim):
    return torch.log(torch.exp(z).sum(dim=dim))


def log_softmax(z, dim):
    return z - logsumexp(z, dim).unsqueeze(dim)


def log_of_softmax(z, dim):
    return torch.log(torch.softmax(z, dim=dim))


def cross_entropy(logits, target):
    logp = log_softmax(logits, 1)
    return -logp[torch.arange(len(target)), target].mean()


def cross_entropy_via_log_of_softmax(logits, target):
    logp = log_of_softmax(logits, 1)
    return -logp[torch.arange(len(target)), target].mean()


def stub(*args, **kwargs):
    raise NotImplementedError


CHECKS = [
    (nb06.check_logsumexp, logsumexp, naive_logsumexp),
    (nb06.check_log_softmax, log_softmax, log_of_softmax),
    (nb06.check_cross_entropy, cross_entropy, cross_entropy_via_log_of_softmax),
]


@pytest.mark.parametrize("check, solution, _", CHECKS)
def test_reference_solution_passes_every_check(capsys, check, solution, _):
    check(solution)
    out = capsys.readouterr().out
    assert "✗" not in out
    assert "checks passed." in out and "All" in out


@pytest.mark.parametrize("check, _, wrong", CHECKS)
def test_naive_version_gets_crosses_and_the_hint(capsys, check, _, wrong):
    check(wrong)
    out = capsys.readouterr().out
    assert "✗" in out
    assert "✓" in out, "the naive versions are right on ordinary input, so some cases should still pass"
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


def test_logsumexp_that_keeps_the_dimension_gets_a_shape_message(capsys):
    nb06.check_logsumexp(lambda z, dim: logsumexp(z, dim).unsqueeze(dim))
    out = capsys.readouterr().out
    assert "returned shape (4, 1), expected (4,)" in out


def test_cross_entropy_summed_instead_of_averaged_fails(capsys):
    nb06.check_cross_entropy(lambda logits, target: cross_entropy(logits, target) * len(target))
    out = capsys.readouterr().out
    assert "✗ an (8, 5) batch" in out
    assert "✓ one item, shape (1, 4)" in out
