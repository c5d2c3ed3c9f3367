"""Property-based tests (hypothesis) of helpers.losses over shapes, dtypes (float32/float64) and magnitudes up to 1e4.

Two kinds of property: agreement with torch.nn.functional on whatever input hypothesis invents, and the
mathematical facts the notebooks teach (softmax is a distribution, shift invariance, CE = NLL ∘ log_softmax,
BCE with logits = BCE ∘ sigmoid, reductions, label smoothing = smoothed probability targets, p − y gradients).
The profile (40 examples, derandomized, no database) is registered in conftest.py.
"""
import torch
from hypothesis import given, strategies as st

from conftest import (assert_matches_torch, class_index_problems, class_layouts, class_targets, elementwise_shapes,
                      float_dtypes, magnitudes, reductions, tensors, tolerance)
from helpers import losses


def assert_close(actual, expected, dtype=torch.float64, scale=1.0, **kwargs):
    """The contract's tolerance for dtype. Where two routes to the same number round differently (a shifted input,
    log_softmax then NLL), their difference is of order eps·scale, so the absolute floor grows with ``scale``."""
    tol = tolerance(dtype)
    torch.testing.assert_close(actual, expected, rtol=tol["rtol"], atol=tol["atol"] * max(1.0, scale), **kwargs)


def magnitude(x):
    return x.abs().max().item() if x.numel() else 0.0


def n_classes_of(x):
    return x.shape[1 if x.dim() > 1 else 0]


def class_dim_of(x):
    return 1 if x.dim() > 1 else 0


# ----------------------------------------------------------------------------------------------------------------
# Agreement with torch
# ----------------------------------------------------------------------------------------------------------------

@st.composite
def activation_cases(draw):
    shape = tuple(draw(st.lists(st.integers(1, 5), min_size=1, max_size=3)))
    dtype, scale = draw(float_dtypes), draw(magnitudes)
    return draw(tensors(shape, dtype, -scale, scale)), draw(st.integers(-len(shape), len(shape) - 1)), scale


@given(case=activation_cases(), name=st.sampled_from(["sigmoid", "log_sigmoid", "softmax", "log_softmax", "logsumexp"]))
def test_activations_match_torch(case, name):
    x, dim, scale = case
    kwargs = {} if name in ("sigmoid", "log_sigmoid") else {"dim": dim}
    # torch in float64 as the reference: its float32 logsumexp gradient exp(x − lse) is itself off by ~1e−4 at 1e4.
    assert_matches_torch(name, x, reference_dtype=torch.float64, **kwargs)


@given(data=st.data(), shape=elementwise_shapes, dtype=float_dtypes, scale=magnitudes, reduction=reductions)
def test_mse_loss_matches_torch(data, shape, dtype, scale, reduction):
    x, y = data.draw(tensors(shape, dtype, -scale, scale)), data.draw(tensors(shape, dtype, -scale, scale))
    assert_matches_torch("mse_loss", x, y, reduction=reduction, grad_wrt=(0, 1))


@given(data=st.data(), shape=elementwise_shapes, dtype=float_dtypes, reduction=reductions, weighted=st.booleans())
def test_binary_cross_entropy_matches_torch(data, shape, dtype, reduction, weighted):
    # Probabilities include exactly 0 and 1, where each log is clamped at −100.
    p, y = data.draw(tensors(shape, dtype, 0.0, 1.0)), data.draw(tensors(shape, dtype, 0.0, 1.0))
    weight = data.draw(tensors(shape[-1:], dtype, 0.1, 5.0)) if weighted else None
    assert_matches_torch("binary_cross_entropy", p, y, weight=weight, reduction=reduction, grad_wrt=(0, 1))


@given(data=st.data(), shape=elementwise_shapes.filter(len), dtype=float_dtypes, scale=magnitudes,
       reduction=reductions, weighted=st.booleans(), pos_weighted=st.booleans())
def test_binary_cross_entropy_with_logits_matches_torch(data, shape, dtype, scale, reduction, weighted, pos_weighted):
    x, y = data.draw(tensors(shape, dtype, -scale, scale)), data.draw(tensors(shape, dtype, 0.0, 1.0))
    weight = data.draw(tensors(shape, dtype, 0.1, 5.0)) if weighted else None
    pos_weight = data.draw(tensors(shape[-1:], dtype, 0.1, 5.0)) if pos_weighted else None
    assert_matches_torch("binary_cross_entropy_with_logits", x, y, weight=weight, pos_weight=pos_weight,
                         reduction=reduction, grad_wrt=(0, 1))


@given(problem=class_index_problems())
def test_nll_loss_matches_torch(problem):
    assert_matches_torch("nll_loss", problem.pop("input"), problem.pop("target"), **problem)


@given(problem=class_index_problems(), label_smoothing=st.sampled_from([0.0, 0.1, 1.0]) | st.floats(0.0, 1.0))
def test_cross_entropy_with_class_indices_matches_torch(problem, label_smoothing):
    assert_matches_torch("cross_entropy", problem.pop("input"), problem.pop("target"),
                         label_smoothing=label_smoothing, **problem)


@given(data=st.data(), layout=class_layouts(), dtype=float_dtypes, scale=magnitudes, reduction=reductions,
       weighted=st.booleans(), label_smoothing=st.sampled_from([0.0, 0.25]))
def test_cross_entropy_with_probability_targets_matches_torch(data, layout, dtype, scale, reduction, weighted,
                                                              label_smoothing):
    input_shape, _, cdim = layout
    x = data.draw(tensors(input_shape, dtype, -scale, scale))
    raw = data.draw(tensors(input_shape, dtype, 0.0, 1.0))
    q = raw / raw.sum(cdim, keepdim=True).clamp(min=1e-3)  # rows of zeros stay zero: a valid (empty) target
    weight = data.draw(tensors((input_shape[cdim],), dtype, 0.1, 5.0)) if weighted else None
    assert_matches_torch("cross_entropy", x, q, weight=weight, label_smoothing=label_smoothing,
                         reduction=reduction, grad_wrt=(0, 1))


# ----------------------------------------------------------------------------------------------------------------
# Softmax, log-softmax and log-sum-exp
# ----------------------------------------------------------------------------------------------------------------

@given(case=activation_cases())
def test_softmax_is_a_distribution_and_agrees_with_log_softmax(case):
    x, dim, scale = case
    p = losses.softmax(x, dim)
    assert ((p >= 0) & (p <= 1)).all()
    assert_close(p.sum(dim), torch.ones_like(p.sum(dim)), x.dtype)
    assert_close(losses.log_softmax(x, dim).exp(), p, x.dtype)
    assert (losses.log_softmax(x, dim) <= 0).all()


@given(case=activation_cases())
def test_logsumexp_lies_between_the_max_and_the_max_plus_log_n(case):
    x, dim, scale = case
    lse, biggest = losses.logsumexp(x, dim), x.amax(dim)
    assert torch.isfinite(lse).all()
    assert (lse >= biggest).all()
    assert (lse <= biggest + torch.log(torch.tensor(float(x.shape[dim]))) * (1 + 1e-6)).all()


@given(case=activation_cases(), shift=st.floats(-50, 50))
def test_softmax_and_log_softmax_ignore_a_constant_shift(case, shift):
    x, dim, scale = case
    x, shifted = x.double(), x.double() + shift
    assert_close(losses.softmax(shifted, dim), losses.softmax(x, dim), scale=scale)
    assert_close(losses.log_softmax(shifted, dim), losses.log_softmax(x, dim), scale=scale + abs(shift))


@given(case=activation_cases())
def test_sigmoid_and_log_sigmoid_are_consistent(case):
    x, _, scale = case
    x = x.double()
    assert_close(losses.sigmoid(x) + losses.sigmoid(-x), torch.ones_like(x))
    # log σ(x) − log σ(−x) = x, written with the stable forms; exact even where σ(x) underflows.
    assert_close(losses.log_sigmoid(x) - losses.log_sigmoid(-x), x, scale=scale)


# ----------------------------------------------------------------------------------------------------------------
# Relations between the losses
# ----------------------------------------------------------------------------------------------------------------

@given(problem=class_index_problems())
def test_cross_entropy_is_nll_of_log_softmax(problem):
    x, t, weight, reduction = problem["input"], problem["target"], problem["weight"], problem["reduction"]
    expected = losses.nll_loss(losses.log_softmax(x, class_dim_of(x)), t, weight=weight, reduction=reduction)
    actual = losses.cross_entropy(x, t, weight=weight, reduction=reduction)
    assert_close(actual, expected, x.dtype, scale=magnitude(x), equal_nan=True)


@given(problem=class_index_problems(), label_smoothing=st.floats(0.0, 1.0))
def test_label_smoothing_equals_smoothed_one_hot_probability_targets(problem, label_smoothing):
    x, t, weight = problem["input"], problem["target"].clamp(min=0), problem["weight"]  # no ignored items here
    cdim = class_dim_of(x)
    one_hot = torch.nn.functional.one_hot(t, n_classes_of(x)).movedim(-1, cdim).to(x.dtype)
    smoothed = one_hot * (1 - label_smoothing) + label_smoothing / n_classes_of(x)
    from_indices = losses.cross_entropy(x, t, weight=weight, label_smoothing=label_smoothing, reduction="none")
    from_probabilities = losses.cross_entropy(x, smoothed, weight=weight, reduction="none")
    assert_close(from_indices, from_probabilities, x.dtype, scale=magnitude(x))


@given(data=st.data(), shape=elementwise_shapes, reduction=reductions)
def test_bce_with_logits_is_bce_of_sigmoid(data, shape, reduction):
    # Away from saturation (|x| ≤ 15 in float64), where sigmoid then log loses nothing.
    x, y = data.draw(tensors(shape, torch.float64, -15, 15)), data.draw(tensors(shape, torch.float64, 0.0, 1.0))
    expected = losses.binary_cross_entropy(losses.sigmoid(x), y, reduction=reduction)
    torch.testing.assert_close(losses.binary_cross_entropy_with_logits(x, y, reduction=reduction), expected,
                               rtol=1e-9, atol=1e-9)


@given(problem=class_index_problems(), label_smoothing=st.floats(0.0, 1.0))
def test_class_index_reductions(problem, label_smoothing):
    # "sum" adds the items; "mean" divides that by Σ w_t over kept items (their count without weights).
    x, t, weight = problem["input"], problem["target"], problem["weight"]
    kwargs = dict(weight=weight, label_smoothing=label_smoothing)
    per_item = losses.cross_entropy(x, t, reduction="none", **kwargs)
    kept = t != -100
    w_t = torch.ones(t.shape, dtype=x.dtype) if weight is None else weight[t.clamp(min=0)]
    total = per_item.sum()
    assert_close(losses.cross_entropy(x, t, reduction="sum", **kwargs), total, x.dtype, scale=total.abs().item())
    assert_close(losses.cross_entropy(x, t, reduction="mean", **kwargs), total / (w_t * kept).sum(), x.dtype,
                 scale=magnitude(x), equal_nan=True)


@given(data=st.data(), shape=elementwise_shapes, dtype=float_dtypes, scale=magnitudes)
def test_elementwise_reductions(data, shape, dtype, scale):
    # MSE and both BCEs: "mean" is sum/numel (mean(w·ℓ) with a weight), and sse is MSE's sum. BCE gets the
    # probabilities y against the same values reversed as targets.
    x, y = data.draw(tensors(shape, dtype, -scale, scale)), data.draw(tensors(shape, dtype, 0.0, 1.0))
    weight = data.draw(tensors(shape, dtype, 0.1, 5.0))
    calls = {
        "mse_loss": lambda r: losses.mse_loss(x, y, reduction=r),
        "binary_cross_entropy": lambda r: losses.binary_cross_entropy(y, y.flip(list(range(y.dim()))), weight=weight,
                                                                      reduction=r),
        "binary_cross_entropy_with_logits": lambda r: losses.binary_cross_entropy_with_logits(x, y, weight=weight,
                                                                                              reduction=r),
    }
    for name, call in calls.items():
        per_element = call("none")
        assert per_element.shape == x.shape, name
        total = per_element.sum()
        assert_close(call("sum"), total, dtype, scale=total.abs().item())
        assert_close(call("mean"), total / max(x.numel(), 1), dtype, scale=total.abs().item() / max(x.numel(), 1))
    assert_close(losses.sse(x, y), losses.mse_loss(x, y, reduction="sum"), dtype)


# ----------------------------------------------------------------------------------------------------------------
# Large logits and the famous gradients
# ----------------------------------------------------------------------------------------------------------------

@given(data=st.data(), shape=elementwise_shapes, dtype=float_dtypes, scale=magnitudes, pos_weighted=st.booleans())
def test_bce_with_logits_is_finite_non_negative_and_its_gradient_bounded(data, shape, dtype, scale, pos_weighted):
    x = data.draw(tensors(shape, dtype, -scale, scale)).requires_grad_()
    y = data.draw(tensors(shape, dtype, 0.0, 1.0))
    pos_weight = data.draw(tensors(shape[-1:], dtype, 0.1, 5.0)) if pos_weighted else None
    loss = losses.binary_cross_entropy_with_logits(x, y, pos_weight=pos_weight, reduction="none")
    assert torch.isfinite(loss).all() and (loss >= 0).all()
    loss.sum().backward()
    bound = 1.0 if pos_weight is None else max(1.0, pos_weight.max().item())
    assert (x.grad.abs() <= bound * (1 + 1e-6)).all()


@given(problem=class_index_problems(), label_smoothing=st.floats(0.0, 1.0))
def test_cross_entropy_is_finite_non_negative_and_its_gradient_bounded(problem, label_smoothing):
    x = problem["input"].requires_grad_()
    loss = losses.cross_entropy(x, problem["target"], weight=problem["weight"], label_smoothing=label_smoothing,
                                reduction="none")
    assert torch.isfinite(loss).all() and (loss >= 0).all()
    loss.sum().backward()
    biggest_weight = 1.0 if problem["weight"] is None else problem["weight"].max().item()
    assert torch.isfinite(x.grad).all()
    assert (x.grad.abs() <= biggest_weight * (1 + 1e-5)).all()  # |s·p_j − q_j| ≤ max(s, q_j) ≤ max w


@given(data=st.data(), layout=class_layouts(), dtype=float_dtypes, scale=magnitudes)
def test_cross_entropy_gradient_is_softmax_minus_one_hot(data, layout, dtype, scale):
    input_shape, target_shape, cdim = layout
    n_classes = input_shape[cdim]
    x = data.draw(tensors(input_shape, dtype, -scale, scale)).requires_grad_()
    t = data.draw(class_targets(target_shape, n_classes))
    losses.cross_entropy(x, t, reduction="sum").backward()
    one_hot = torch.nn.functional.one_hot(t, n_classes).movedim(-1, cdim).to(dtype)
    assert_close(x.grad, losses.softmax(x.detach(), cdim) - one_hot, dtype)


@given(data=st.data(), shape=elementwise_shapes, dtype=float_dtypes, scale=magnitudes)
def test_bce_with_logits_gradient_is_sigmoid_minus_target(data, shape, dtype, scale):
    x = data.draw(tensors(shape, dtype, -scale, scale)).requires_grad_()
    y = data.draw(tensors(shape, dtype, 0.0, 1.0))
    losses.binary_cross_entropy_with_logits(x, y, reduction="sum").backward()
    assert_close(x.grad, losses.sigmoid(x.detach()) - y, dtype)
