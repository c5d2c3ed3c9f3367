"""Chapter 4's losses on the inputs PyTorch's own tests use: empty batches, nan and ±inf, non-contiguous views."""
import pytest
import torch

from conftest import logits, probabilities
from conftest import assert_matches_torch as assert_matches

NAN, INF = float("nan"), float("inf")
SPECIAL = torch.tensor([NAN, INF, -INF, 0.0, 1.0, -1.0, 0.5, 50.0, -50.0])
REGRESSION = [("l1_loss", {}), ("smooth_l1_loss", {"beta": 1.0}), ("smooth_l1_loss", {"beta": 0.0}),
              ("huber_loss", {"delta": 1.0})]


@pytest.mark.parametrize("shape", [(0,), (0, 3)])
@pytest.mark.parametrize("name, options", REGRESSION + [("poisson_nll_loss", {}), ("sigmoid_focal_loss", {})],
                         ids=lambda v: v if isinstance(v, str) else "+".join(f"{k}={x}" for k, x in v.items()))
def test_empty_batches_match_torch(name, options, shape, reduction):
    # "mean" over nothing is nan, "sum" is 0, "none" is empty, as in torch.
    assert_matches(name, torch.empty(shape), torch.empty(shape), reduction=reduction, grad_wrt=(0, 1), **options)


def test_gaussian_nll_and_kl_div_of_empty_batches_match_torch(reduction):
    assert_matches("gaussian_nll_loss", torch.empty(0, 3), torch.empty(0, 3), torch.empty(0, 3), reduction=reduction,
                   grad_wrt=(0, 1, 2))
    for kl_reduction in ("none", "sum", "batchmean"):
        assert_matches("kl_div", torch.empty(0, 3), torch.empty(0, 3), reduction=kl_reduction, grad_wrt=(0, 1))


@pytest.mark.parametrize("name, options", REGRESSION,
                         ids=lambda v: v if isinstance(v, str) else "+".join(f"{k}={x}" for k, x in v.items()))
def test_nan_and_inf_residuals_match_torch(name, options, reduction):
    # An inf residual has loss inf and gradient ±1 (±δ for Huber), not nan; a nan residual gives nan.
    x = SPECIAL.clone()
    assert_matches(name, x, torch.zeros_like(x), reduction=reduction, grad_wrt=(0, 1), **options)
    assert_matches(name, torch.zeros_like(x), x, reduction=reduction, grad_wrt=(0, 1), **options)


def test_poisson_nll_loss_of_extreme_log_rates_matches_torch(reduction):
    x = torch.tensor([-INF, -100.0, 0.0, 30.0, 88.0])
    k = torch.tensor([0.0, 0.0, 3.0, 2.0, 1.0])
    assert_matches("poisson_nll_loss", x, k, reduction=reduction)


@pytest.mark.parametrize("name", ["l1_loss", "smooth_l1_loss", "huber_loss", "poisson_nll_loss", "sigmoid_focal_loss"])
def test_non_contiguous_views_match_torch(name, reduction):
    x = logits((4, 6), seed=1).t()                                  # (6, 4), transposed: not contiguous
    y = probabilities((6, 8), seed=2)[:, ::2]                       # every other column: strided
    assert not x.is_contiguous() and not y.is_contiguous()
    grad_wrt = (0,) if name == "poisson_nll_loss" else (0, 1)
    assert_matches(name, x, y, reduction=reduction, grad_wrt=grad_wrt)


def test_gaussian_nll_and_kl_div_of_non_contiguous_views_match_torch(reduction):
    x, y = logits((4, 6), seed=1).t(), logits((4, 6), seed=2).t()
    var = probabilities((6, 8), low=0.1, high=2.0, seed=3)[:, ::2]
    assert_matches("gaussian_nll_loss", x, y, var, reduction=reduction, grad_wrt=(0, 1, 2))
    log_q = torch.log_softmax(logits((4, 6), seed=4), dim=0).t()
    p = torch.softmax(logits((4, 6), seed=5), dim=0).t()
    assert_matches("kl_div", log_q, p, reduction="batchmean", grad_wrt=(0, 1))
