"""torch.autograd.gradcheck in float64 for chapter 4's losses, every option, away from kinks and clamps."""
import pytest
import torch

from conftest import logits, probabilities
from helpers import losses
from test_gradcheck import gradcheck


def residuals_away_from(kink, seed):
    """Inputs and targets whose residuals stay at least 0.05 from 0 and from ±kink (the non-smooth points)."""
    x, y = logits((3, 4), seed=seed), logits((3, 4), seed=seed + 1)
    d = x - y
    for point in (0.0, kink, -kink):
        d = torch.where((d - point).abs() < 0.05, d + 0.1, d)
    return y + d, y


def test_l1_loss(reduction):
    gradcheck(losses.l1_loss, residuals_away_from(0.0, seed=1), grad_wrt=(0, 1), reduction=reduction)


@pytest.mark.parametrize("beta", [0.0, 0.5, 2.0])
def test_smooth_l1_loss(beta, reduction):
    gradcheck(losses.smooth_l1_loss, residuals_away_from(beta, seed=3), grad_wrt=(0, 1), reduction=reduction,
              beta=beta)


@pytest.mark.parametrize("delta", [0.5, 2.0])
def test_huber_loss(delta, reduction):
    gradcheck(losses.huber_loss, residuals_away_from(delta, seed=5), grad_wrt=(0, 1), reduction=reduction,
              delta=delta)


@pytest.mark.parametrize("var_shape", [(3, 4), (3,), (3, 1)])
@pytest.mark.parametrize("full", [False, True])
def test_gaussian_nll_loss(var_shape, full, reduction):
    var = probabilities(var_shape, low=0.2, high=2.0, seed=3)
    gradcheck(losses.gaussian_nll_loss, (logits((3, 4), seed=1), logits((3, 4), seed=2), var), grad_wrt=(0, 1, 2),
              full=full, reduction=reduction)


@pytest.mark.parametrize("log_input", [True, False])
@pytest.mark.parametrize("full", [False, True])
def test_poisson_nll_loss(log_input, full, reduction):
    x = logits((3, 4), seed=1, scale=1.0) if log_input else probabilities((3, 4), low=0.3, high=5.0, seed=1)
    k = probabilities((3, 4), low=0.2, high=8.0, seed=2)   # real-valued "counts", away from the mask at k = 1
    k = torch.where((k - 1).abs() < 0.05, k + 0.1, k)
    gradcheck(losses.poisson_nll_loss, (x, k), grad_wrt=(0, 1), log_input=log_input, full=full, reduction=reduction)


@pytest.mark.parametrize("log_target", [False, True])
@pytest.mark.parametrize("kl_reduction", ["none", "batchmean", "sum", "mean"])
def test_kl_div(log_target, kl_reduction):
    log_q = torch.log_softmax(logits((3, 4), seed=1), dim=1)
    p = torch.softmax(logits((3, 4), seed=2), dim=1)
    gradcheck(losses.kl_div, (log_q, p.log() if log_target else p), grad_wrt=(0, 1), reduction=kl_reduction,
              log_target=log_target)


@pytest.mark.parametrize("alpha", [0.25, -1.0])
@pytest.mark.parametrize("gamma", [0.0, 1.0, 2.0])
def test_sigmoid_focal_loss(alpha, gamma, reduction):
    x, y = logits((3, 4), seed=1), probabilities((3, 4), low=0.05, high=0.95, seed=2)
    gradcheck(losses.sigmoid_focal_loss, (x, y), grad_wrt=(0, 1), alpha=alpha, gamma=gamma, reduction=reduction)
