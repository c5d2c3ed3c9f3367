"""Chapter 4's losses equal torch.nn.functional (and, for focal loss, the published formula as torchvision implements
it) in values and gradients, for every reduction and option: robust regression, Gaussian and Poisson NLL, KL, focal.
"""
import math

import pytest
import torch
import torch.nn.functional as F

from conftest import REDUCTIONS, assert_matches_torch as assert_matches, logits, probabilities
from helpers import losses

# torch warns that kl_div's "mean" is not the KL per row; the tests below say so themselves.
pytestmark = pytest.mark.filterwarnings("ignore:reduction. 'mean' divides the total loss:UserWarning")


SHAPES = [(), (7,), (4, 3), (2, 3, 4)]


# ----------------------------------------------------------------------------------------------------------------
# L1, SmoothL1, Huber
# ----------------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("shape", SHAPES)
def test_l1_loss_matches_torch(shape, dtype, reduction):
    assert_matches("l1_loss", logits(shape, dtype, seed=1), logits(shape, dtype, seed=2), reduction=reduction,
                   grad_wrt=(0, 1))


def test_l1_loss_gradient_is_zero_where_input_equals_target(reduction):
    x = torch.tensor([1.0, 2.0, 3.0])
    ours, _ = assert_matches("l1_loss", x, x.clone(), reduction=reduction, grad_wrt=(0, 1))
    leaf = x.clone().requires_grad_()
    losses.l1_loss(leaf, x, reduction="sum").backward()
    assert (leaf.grad == 0).all()


@pytest.mark.parametrize("beta", [0.0, 0.5, 1.0, 3.0])
@pytest.mark.parametrize("shape", SHAPES)
def test_smooth_l1_loss_matches_torch(shape, beta, dtype, reduction):
    assert_matches("smooth_l1_loss", logits(shape, dtype, seed=1), logits(shape, dtype, seed=2), reduction=reduction,
                   beta=beta, grad_wrt=(0, 1))


@pytest.mark.parametrize("delta", [0.1, 1.0, 2.5])
@pytest.mark.parametrize("shape", SHAPES)
def test_huber_loss_matches_torch(shape, delta, dtype, reduction):
    assert_matches("huber_loss", logits(shape, dtype, seed=1), logits(shape, dtype, seed=2), reduction=reduction,
                   delta=delta, grad_wrt=(0, 1))


@pytest.mark.parametrize("name, option", [("smooth_l1_loss", "beta"), ("huber_loss", "delta")])
def test_residuals_exactly_at_the_kink_and_at_zero_match_torch(name, option, dtype, reduction):
    x = torch.tensor([-2.0, -1.0, 0.0, 1.0, 2.0, 1e4, -1e4], dtype=dtype)
    assert_matches(name, x, torch.zeros_like(x), reduction=reduction, grad_wrt=(0, 1), **{option: 1.0})
    assert_matches(name, x, torch.zeros_like(x), reduction=reduction, grad_wrt=(0, 1), **{option: 2.0})


def test_smooth_l1_with_beta_0_is_l1_even_at_zero_residual(reduction):
    x = torch.tensor([-1.0, 0.0, 0.0, 2.0])
    ours, _ = assert_matches("smooth_l1_loss", x, torch.zeros(4), beta=0.0, reduction=reduction, grad_wrt=(0, 1))
    torch.testing.assert_close(ours, losses.l1_loss(x, torch.zeros(4), reduction=reduction))


@pytest.mark.parametrize("delta", [0.3, 1.0, 4.0])
def test_huber_is_delta_times_smooth_l1(delta, reduction):
    x, y = logits((5, 3), seed=1), logits((5, 3), seed=2)
    torch.testing.assert_close(losses.huber_loss(x, y, reduction=reduction, delta=delta),
                               delta * losses.smooth_l1_loss(x, y, reduction=reduction, beta=delta))


# ----------------------------------------------------------------------------------------------------------------
# Gaussian NLL
# ----------------------------------------------------------------------------------------------------------------

# (input shape, var shape): one variance per prediction, one per row (broadcast over the last dimension, with or
# without its size-1 axis), one shared along another axis, and a single number.
VAR_LAYOUTS = {
    "var like input": ((4, 3), (4, 3)),
    "var (N,) for input (N, D)": ((4, 3), (4,)),
    "var (N, 1) for input (N, D)": ((4, 3), (4, 1)),
    "var (N, 1, H) for input (N, C, H)": ((2, 3, 4), (2, 1, 4)),
    "1-D input, var like it": ((6,), (6,)),
    "1-D input, var (1,)": ((6,), (1,)),
    "var a float": ((4, 3), None),
}


@pytest.mark.parametrize("full", [False, True], ids=["full=False", "full=True"])
@pytest.mark.parametrize("layout", VAR_LAYOUTS)
def test_gaussian_nll_loss_matches_torch(layout, full, dtype, reduction):
    input_shape, var_shape = VAR_LAYOUTS[layout]
    x, y = logits(input_shape, dtype, seed=1), logits(input_shape, dtype, seed=2)
    if var_shape is None:
        assert_matches("gaussian_nll_loss", x, y, 0.7, full=full, reduction=reduction, grad_wrt=(0, 1))
    else:
        var = probabilities(var_shape, dtype, low=0.05, high=3.0, seed=3)
        assert_matches("gaussian_nll_loss", x, y, var, full=full, reduction=reduction, grad_wrt=(0, 1, 2))


@pytest.mark.parametrize("eps", [1e-6, 0.1])
def test_gaussian_nll_loss_clamps_var_at_eps_but_not_its_gradient(eps, dtype, reduction):
    # Entries below eps (including exactly 0) are replaced by eps in the value; the gradient w.r.t. var is still
    # computed at the clamped value, as if there were no clamp, exactly as in torch.
    x, y = logits((2, 4), dtype, seed=1), logits((2, 4), dtype, seed=2)
    var = torch.tensor([[0.0, 1e-9, 0.05, 1.0], [2.0, 0.0, 1e-7, 0.3]], dtype=dtype)
    ours, _ = assert_matches("gaussian_nll_loss", x, y, var, eps=eps, reduction=reduction, grad_wrt=(0, 1, 2))
    assert torch.isfinite(ours).all()


def test_gaussian_nll_loss_can_be_negative_and_full_adds_half_log_2pi():
    x, y, var = torch.zeros(3), torch.tensor([0.01, -0.02, 0.0]), torch.full((3,), 0.01)
    plain = losses.gaussian_nll_loss(x, y, var)
    assert plain < 0, "a narrow Gaussian that fits has density > 1, so its NLL is negative"
    torch.testing.assert_close(losses.gaussian_nll_loss(x, y, var, full=True), plain + 0.5 * math.log(2 * math.pi))
    torch.testing.assert_close(losses.gaussian_nll_loss(x, y, var, full=True, reduction="none"),
                               -torch.distributions.Normal(x, var.sqrt()).log_prob(y))


# ----------------------------------------------------------------------------------------------------------------
# Poisson NLL
# ----------------------------------------------------------------------------------------------------------------

def counts(shape, dtype, seed=4, rate=3.0):
    generator = torch.Generator().manual_seed(seed)
    return torch.poisson(torch.full(shape, rate, dtype=torch.float64), generator=generator).to(dtype)


@pytest.mark.parametrize("full", [False, True], ids=["full=False", "full=True"])
@pytest.mark.parametrize("log_input", [True, False], ids=["log_input=True", "log_input=False"])
@pytest.mark.parametrize("shape", [(), (9,), (4, 5)])
def test_poisson_nll_loss_matches_torch(shape, log_input, full, dtype, reduction):
    k = counts(shape, dtype)
    x = logits(shape, dtype, seed=1, scale=1.0) if log_input else probabilities(shape, dtype, 0.1, 6.0, seed=1)
    # The target's gradient is nan where k = 0 with full=True (0·log 0 under a mask), in torch too: compare it only
    # for strictly positive counts.
    grad_wrt = (0, 1) if not full else (0,)
    assert_matches("poisson_nll_loss", x, k, log_input=log_input, full=full, reduction=reduction, grad_wrt=grad_wrt)
    if full:
        assert_matches("poisson_nll_loss", x, k + 0.5, log_input=log_input, full=full, reduction=reduction,
                       grad_wrt=(0, 1))


def test_stirlings_term_is_added_only_for_counts_above_1_and_approximates_log_k_factorial(dtype):
    k = torch.tensor([0.0, 1.0, 2.0, 5.0, 20.0], dtype=dtype)
    x = torch.zeros_like(k)
    difference = (losses.poisson_nll_loss(x, k, full=True, reduction="none")
                  - losses.poisson_nll_loss(x, k, reduction="none"))
    assert (difference[:2] == 0).all()
    log_factorial = torch.lgamma(k + 1)
    torch.testing.assert_close(difference[2:], log_factorial[2:], rtol=0.05, atol=0.05)
    assert_matches("poisson_nll_loss", x, k, full=True, reduction="none")


@pytest.mark.parametrize("eps", [1e-8, 0.5])
def test_poisson_nll_loss_without_log_input_adds_eps_inside_the_log(eps, reduction):
    rate = torch.tensor([0.0, 0.5, 2.0], dtype=torch.float64)
    k = torch.tensor([0.0, 1.0, 3.0], dtype=torch.float64)
    assert_matches("poisson_nll_loss", rate, k, log_input=False, eps=eps, reduction=reduction, grad_wrt=(0, 1))


def test_poisson_nll_loss_accepts_integer_counts_like_torch(reduction):
    x = logits((6,), seed=1, scale=1.0)
    k = counts((6,), torch.float64).long()
    assert_matches("poisson_nll_loss", x, k, reduction=reduction)


def test_poisson_nll_is_minus_the_log_pmf_up_to_log_k_factorial():
    rate, k = torch.tensor([0.5, 3.0, 7.0], dtype=torch.float64), torch.tensor([0.0, 2.0, 9.0], dtype=torch.float64)
    ours = losses.poisson_nll_loss(rate.log(), k, reduction="none")
    torch.testing.assert_close(ours + torch.lgamma(k + 1), -torch.distributions.Poisson(rate).log_prob(k))


# ----------------------------------------------------------------------------------------------------------------
# KL divergence
# ----------------------------------------------------------------------------------------------------------------

KL_REDUCTIONS = ["none", "batchmean", "sum", "mean"]


def distributions(shape, dtype, seed, zeros=False):
    p = torch.softmax(logits(shape, torch.float64, seed=seed), dim=-1)
    if zeros:  # zeros in the target: 0·log 0 = 0
        p = p.masked_fill(torch.rand(shape, generator=torch.Generator().manual_seed(seed)) < 0.3, 0.0)
        p = p / p.sum(-1, keepdim=True).clamp(min=1e-12)
    return p.to(dtype)


@pytest.mark.parametrize("kl_reduction", KL_REDUCTIONS)
@pytest.mark.parametrize("zeros", [False, True], ids=["positive target", "zeros in the target"])
@pytest.mark.parametrize("log_target", [False, True], ids=["log_target=False", "log_target=True"])
@pytest.mark.parametrize("shape", [(5,), (4, 5), (2, 3, 4)])
def test_kl_div_matches_torch(shape, log_target, zeros, kl_reduction, dtype):
    log_q = torch.log_softmax(logits(shape, dtype, seed=1), dim=-1)
    p = distributions(shape, dtype, seed=2, zeros=zeros)
    target = p.log() if log_target else p   # log 0 = −inf as a log-target: exp(−inf)·(−inf − x) is nan in torch too
    if log_target and zeros:
        target = target.clamp(min=-80.0)
    assert_matches("kl_div", log_q, target, reduction=kl_reduction, log_target=log_target, grad_wrt=(0, 1))


def test_kl_div_batchmean_is_the_mean_kl_per_row_and_mean_is_c_times_smaller():
    log_q = torch.log_softmax(logits((4, 5), seed=1), dim=1)
    p = distributions((4, 5), torch.float64, seed=2)
    per_row = (p * (p.log() - log_q)).sum(1)
    torch.testing.assert_close(losses.kl_div(log_q, p, reduction="batchmean"), per_row.mean())
    torch.testing.assert_close(losses.kl_div(log_q, p, reduction="mean"), per_row.mean() / 5)


def test_kl_div_of_a_0_dim_input_batchmean_is_the_sum():
    ours, _ = assert_matches("kl_div", torch.tensor(-0.5), torch.tensor(0.3), reduction="batchmean",
                             grad_wrt=(0, 1))


# ----------------------------------------------------------------------------------------------------------------
# Focal loss
# ----------------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("alpha", [0.25, 0.5, -1.0])
@pytest.mark.parametrize("gamma", [0.0, 0.5, 2.0, 5.0])
@pytest.mark.parametrize("target_kind", ["hard", "soft"])
@pytest.mark.parametrize("shape", [(), (7,), (4, 3)])
def test_sigmoid_focal_loss_matches_the_torchvision_formula(shape, target_kind, gamma, alpha, dtype, reduction):
    x = logits(shape, dtype, seed=1)
    y = probabilities(shape, dtype, seed=2)
    if target_kind == "hard":
        y = y.round()
    assert_matches("sigmoid_focal_loss", x, y, alpha=alpha, gamma=gamma, reduction=reduction, grad_wrt=(0, 1))


def test_sigmoid_focal_loss_defaults_are_torchvisions():
    x, y = logits((6,), seed=1), probabilities((6,), seed=2).round()
    assert_matches("sigmoid_focal_loss", x, y)


@pytest.mark.parametrize("gamma", [0.0, 2.0])
def test_focal_loss_of_large_logits_in_float32_is_finite_and_matches_float64(gamma, reduction):
    # torchvision's 1 − p_t rounds to 0 in float32 once σ(z) rounds to 1; ours computes σ(−z) instead, so the
    # reference is the same formula in float64.
    x = torch.tensor([1e4, -1e4, 30.0, -30.0, 20.0, -20.0])
    y = torch.tensor([0.0, 1.0, 1.0, 0.0, 0.0, 1.0])
    ours, _ = assert_matches("sigmoid_focal_loss", x, y, gamma=gamma, reduction=reduction,
                             reference_dtype=torch.float64)
    assert torch.isfinite(ours).all()


def test_focal_loss_with_gamma_0_and_no_alpha_is_bce_with_logits(reduction):
    x, y = logits((5, 2), seed=1), probabilities((5, 2), seed=2)
    torch.testing.assert_close(losses.sigmoid_focal_loss(x, y, alpha=-1, gamma=0.0, reduction=reduction),
                               F.binary_cross_entropy_with_logits(x, y, reduction=reduction))
