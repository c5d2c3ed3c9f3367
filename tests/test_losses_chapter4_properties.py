"""Property-based tests (hypothesis) of chapter 4's losses: agreement with torch on invented input, and the facts
notebook 12 and 13 teach (bounded gradients, Huber = δ·SmoothL1, the best constants, KL ≥ 0, focal ≤ BCE)."""
import warnings

import torch
import torch.nn.functional as F
from hypothesis import given, strategies as st

from conftest import elementwise_shapes, float_dtypes, magnitudes, reductions, tensors, tolerance
from helpers import losses
from conftest import assert_matches_torch as assert_matches

positive = st.floats(0.01, 10.0)


@given(data=st.data(), shape=elementwise_shapes, dtype=float_dtypes, scale=magnitudes, reduction=reductions,
       name=st.sampled_from(["l1_loss", "smooth_l1_loss", "huber_loss"]), width=positive)
def test_robust_regression_matches_torch(data, shape, dtype, scale, reduction, name, width):
    x, y = data.draw(tensors(shape, dtype, -scale, scale)), data.draw(tensors(shape, dtype, -scale, scale))
    options = {} if name == "l1_loss" else {"beta" if name == "smooth_l1_loss" else "delta": width}
    assert_matches(name, x, y, reduction=reduction, grad_wrt=(0, 1), **options)


@given(data=st.data(), shape=elementwise_shapes, dtype=float_dtypes, scale=magnitudes, width=positive)
def test_bounded_gradients_and_huber_is_delta_times_smooth_l1(data, shape, dtype, scale, width):
    x, y = data.draw(tensors(shape, dtype, -scale, scale)), data.draw(tensors(shape, dtype, -scale, scale))
    leaf = x.clone().requires_grad_()
    losses.huber_loss(leaf, y, reduction="sum", delta=width).backward()
    assert (leaf.grad.abs() <= width * (1 + 1e-6)).all()
    leaf.grad = None
    losses.smooth_l1_loss(leaf, y, reduction="sum", beta=width).backward()
    assert (leaf.grad.abs() <= 1 + 1e-6).all()
    tol = tolerance(dtype)
    torch.testing.assert_close(losses.huber_loss(x, y, reduction="none", delta=width),
                               width * losses.smooth_l1_loss(x, y, reduction="none", beta=width),
                               rtol=tol["rtol"] * 10, atol=tol["atol"] * max(1.0, scale))


@given(data=st.data(), n=st.integers(1, 9), dtype=float_dtypes)
def test_the_median_minimises_l1_and_the_mean_minimises_mse(data, n, dtype):
    y = data.draw(tensors((n,), torch.float64, -10, 10))
    median, mean = y.median(), y.mean()
    for shift in (-0.3, 0.3):
        assert losses.l1_loss(median.expand(n), y) <= losses.l1_loss((median + shift).expand(n), y) + 1e-12
        assert losses.mse_loss(mean.expand(n), y) <= losses.mse_loss((mean + shift).expand(n), y) + 1e-12


@given(data=st.data(), shape=elementwise_shapes.filter(len), dtype=float_dtypes, reduction=reductions,
       full=st.booleans())
def test_gaussian_nll_loss_matches_torch(data, shape, dtype, reduction, full):
    x, y = data.draw(tensors(shape, dtype, -100, 100)), data.draw(tensors(shape, dtype, -100, 100))
    var = data.draw(tensors(shape, dtype, 0.0, 100.0))  # includes 0, clamped at eps
    assert_matches("gaussian_nll_loss", x, y, var, full=full, reduction=reduction, grad_wrt=(0, 1, 2))


@given(data=st.data(), shape=elementwise_shapes, dtype=float_dtypes, reduction=reductions, full=st.booleans(),
       log_input=st.booleans())
def test_poisson_nll_loss_matches_torch(data, shape, dtype, reduction, full, log_input):
    x = data.draw(tensors(shape, dtype, -5, 5) if log_input else tensors(shape, dtype, 0, 50))
    k = data.draw(tensors(shape, dtype, 0, 30)).round()
    assert_matches("poisson_nll_loss", x, k, log_input=log_input, full=full, reduction=reduction)


@given(data=st.data(), shape=elementwise_shapes.filter(len), dtype=float_dtypes, scale=magnitudes,
       reduction=st.sampled_from(["none", "batchmean", "sum", "mean"]), log_target=st.booleans())
def test_kl_div_matches_torch_and_is_non_negative_between_distributions(data, shape, dtype, scale, reduction,
                                                                         log_target):
    log_q = torch.log_softmax(data.draw(tensors(shape, dtype, -scale, scale)), dim=-1)
    log_p = torch.log_softmax(data.draw(tensors(shape, dtype, -scale, scale)), dim=-1)
    target = log_p if log_target else log_p.exp()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)   # torch's note that "mean" is not the KL per row
        ours, _ = assert_matches("kl_div", log_q, target, reduction=reduction, log_target=log_target,
                                 grad_wrt=(0, 1))
    assert ((ours.sum(-1) if reduction == "none" else ours) >= -1e-4 * max(1.0, scale)).all()


@given(data=st.data(), shape=elementwise_shapes, dtype=float_dtypes, scale=magnitudes, reduction=reductions,
       gamma=st.floats(0.0, 5.0), alpha=st.sampled_from([-1.0, 0.25, 0.75]))
def test_focal_loss_matches_the_formula_and_never_exceeds_bce(data, shape, dtype, scale, reduction, gamma, alpha):
    x = data.draw(tensors(shape, dtype, -scale, scale))
    y = data.draw(tensors(shape, dtype, 0, 1).map(torch.round))
    assert_matches("sigmoid_focal_loss", x, y, alpha=alpha, gamma=gamma, reduction="none",
                   reference_dtype=torch.float64)
    focal = losses.sigmoid_focal_loss(x, y, alpha=-1.0, gamma=gamma)
    bce = F.binary_cross_entropy_with_logits(x, y, reduction="none")
    assert (focal <= bce * (1 + 1e-6) + 1e-12).all()
