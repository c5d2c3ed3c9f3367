"""The self-checks of notebook 02's exercises: the reference solutions pass, wrong ones get ✗ and the hint,
stubs get "not implemented yet", and no check ever raises."""
import pytest
import torch

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


def stub(*args, **kwargs):
    raise NotImplementedError


CHECKS = [
    (nb02.check_bernoulli_log_likelihood, bernoulli_log_likelihood, log_of_the_product, "underflows to 0"),
    (nb02.check_bce, bce, bce_without_the_minus_sign, "the minus sign"),
    (nb02.check_bce_grad, bce_grad, bce_grad_with_the_wrong_sign, "σ(z) − y"),
]
IDS = ["bernoulli_log_likelihood", "bce", "bce_grad"]


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
