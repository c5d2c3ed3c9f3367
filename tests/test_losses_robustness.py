"""The inputs PyTorch's own tests use: empty tensors, nan and ±inf, non-contiguous views, and softmax's ``dtype=``.

Where torch computes, helpers computes the same value and gradient; where helpers refuses, the error is its own.
"""
import pytest
import torch
import torch.nn.functional as F

from conftest import TORCH_TWINS, assert_matches_torch, class_indices, class_weights, logits, probabilities
from helpers import losses

NAN, INF = float("nan"), float("inf")
SPECIAL = torch.tensor([NAN, INF, -INF, 0.0, 1.0, -1.0, 50.0, -50.0, 120.0, -120.0])
ALONG_A_DIM = ["softmax", "log_softmax", "logsumexp"]


# ----------------------------------------------------------------------------------------------------------------
# Empty tensors
# ----------------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("shape, dim", [((0,), 0), ((3, 0), 1), ((0, 4), 0), ((0, 4), 1), ((2, 0, 3), 1),
                                        ((2, 0, 3), 2)])
@pytest.mark.parametrize("name", ALONG_A_DIM)
def test_activations_over_empty_tensors_match_torch(name, shape, dim):
    # softmax over an empty dim is empty; logsumexp over an empty dim is log 0 = −inf, one per remaining position.
    ours, _ = assert_matches_torch(name, torch.empty(shape), dim=dim)
    if name == "logsumexp" and shape[dim] == 0:
        assert ours.numel() == 0 or torch.all(ours == -INF), ours


@pytest.mark.parametrize("keepdim", [False, True])
def test_logsumexp_over_an_empty_dim_keeps_the_dimension_when_asked(keepdim):
    ours = losses.logsumexp(torch.empty(3, 0), dim=1, keepdim=keepdim)
    theirs = torch.logsumexp(torch.empty(3, 0), dim=1, keepdim=keepdim)
    torch.testing.assert_close(ours, theirs)


@pytest.mark.parametrize("name", ["sigmoid", "log_sigmoid"])
def test_elementwise_activations_of_empty_tensors_match_torch(name):
    assert_matches_torch(name, torch.empty(0, 3))


@pytest.mark.parametrize("shape", [(0,), (0, 3)])
@pytest.mark.parametrize("name", ["mse_loss", "binary_cross_entropy", "binary_cross_entropy_with_logits"])
def test_elementwise_losses_of_empty_batches_match_torch(name, shape, reduction):
    # "mean" of nothing is 0/0 = nan in torch, "sum" is 0, "none" is empty; the gradient is empty either way.
    assert_matches_torch(name, probabilities(shape, seed=1), probabilities(shape, seed=2), reduction=reduction)


@pytest.mark.parametrize("input_shape, target_shape", [((0, 5), (0,)), ((0, 5, 3), (0, 3)), ((2, 5, 0), (2, 0))])
@pytest.mark.parametrize("name", ["cross_entropy", "nll_loss"])
def test_class_losses_of_empty_batches_match_torch(name, input_shape, target_shape, reduction):
    assert_matches_torch(name, logits(input_shape), torch.zeros(target_shape, dtype=torch.long), reduction=reduction)


def test_cross_entropy_with_empty_probability_targets_and_smoothing_matches_torch(reduction):
    assert_matches_torch("cross_entropy", logits((0, 4)), torch.empty(0, 4, dtype=torch.float64),
                         reduction=reduction, label_smoothing=0.1)


# ----------------------------------------------------------------------------------------------------------------
# nan and ±inf
# ----------------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["sigmoid", "log_sigmoid"])
def test_elementwise_activations_of_nan_and_inf_match_torch(name):
    assert_matches_torch(name, SPECIAL)


def test_log_sigmoid_gradient_at_nan_is_nan_and_its_value_at_inf_is_plus_zero():
    x = torch.tensor([NAN, INF]).requires_grad_(True)
    value = losses.log_sigmoid(x)
    value.sum().backward()
    assert torch.isnan(x.grad[0]), "the gradient at nan must be nan, as torch's, not a silent 0"
    assert value[1] == 0 and not torch.signbit(value[1]), "log σ(+inf) is +0, as in torch (a learner sees -0.0000)"


@pytest.mark.parametrize("row", [[NAN, 0.0, 1.0], [INF, 0.0, 1.0], [-INF, 0.0, 1.0], [-INF, -INF, -INF],
                                 [INF, INF, 0.0], [-INF, INF, 0.0]])
@pytest.mark.parametrize("name", ALONG_A_DIM)
def test_activations_along_a_dim_of_nan_and_inf_rows_match_torch(name, row):
    assert_matches_torch(name, torch.tensor([row, [1.0, 2.0, 3.0]]), dim=1)


@pytest.mark.parametrize("label_smoothing", [0.0, 0.2])
def test_cross_entropy_with_nan_and_inf_logits_matches_torch(reduction, label_smoothing):
    z = torch.tensor([[NAN, 0.0, 1.0], [INF, 0.0, 1.0], [-INF, 0.0, 1.0], [1.0, 2.0, 3.0]])
    assert_matches_torch("cross_entropy", z, torch.tensor([1, 1, 1, 0]), reduction=reduction,
                         label_smoothing=label_smoothing)


@pytest.mark.parametrize("name", ["mse_loss", "binary_cross_entropy_with_logits"])
def test_elementwise_losses_of_nan_and_inf_inputs_match_torch(name, reduction):
    target = torch.tensor([1.0, 0.0] * (len(SPECIAL) // 2))
    assert_matches_torch(name, SPECIAL, target, reduction=reduction)


def test_bce_with_logits_and_pos_weight_of_nan_and_inf_match_torch(reduction):
    target = torch.tensor([1.0, 0.0] * (len(SPECIAL) // 2))
    assert_matches_torch("binary_cross_entropy_with_logits", SPECIAL, target, reduction=reduction,
                         pos_weight=torch.tensor(2.5))


def test_binary_cross_entropy_refuses_a_nan_probability_with_its_own_error():
    # torch raises a RuntimeError ("all elements of input should be between 0 and 1"); helpers says what arrived.
    with pytest.raises(ValueError, match=r"probabilities in \[0, 1\].*nan"):
        losses.binary_cross_entropy(torch.tensor([NAN, 0.5]), torch.tensor([1.0, 0.0]))


# ----------------------------------------------------------------------------------------------------------------
# Non-contiguous inputs
# ----------------------------------------------------------------------------------------------------------------

def _transposed(shape, **kwargs):
    """A non-contiguous view of the given shape, holding the same random numbers as ``logits``."""
    view = logits(shape[::-1], **kwargs).t()
    assert not view.is_contiguous()
    return view


@pytest.mark.parametrize("name, kwargs", [("sigmoid", {}), ("log_sigmoid", {}), ("softmax", {"dim": 1}),
                                          ("log_softmax", {"dim": 1}), ("logsumexp", {"dim": 0})])
def test_activations_of_non_contiguous_views_match_torch(name, kwargs):
    assert_matches_torch(name, _transposed((4, 6)), **kwargs)


def test_mse_and_bce_with_logits_of_non_contiguous_views_match_torch(reduction):
    input, target = _transposed((5, 3), seed=1), _transposed((5, 3), seed=2)
    assert_matches_torch("mse_loss", input, target, reduction=reduction, grad_wrt=(0, 1))
    assert_matches_torch("binary_cross_entropy_with_logits", input, torch.sigmoid(target), reduction=reduction,
                         weight=_transposed((5, 3), seed=3).abs(), pos_weight=logits((6,), seed=4).abs()[::2])


def test_binary_cross_entropy_of_non_contiguous_views_matches_torch(reduction):
    assert_matches_torch("binary_cross_entropy", torch.sigmoid(_transposed((5, 3), seed=1)),
                         torch.sigmoid(_transposed((5, 3), seed=2)), reduction=reduction)


@pytest.mark.parametrize("label_smoothing", [0.0, 0.1])
def test_cross_entropy_of_non_contiguous_views_matches_torch(reduction, label_smoothing):
    z = _transposed((7, 5))
    weight = class_weights(10)[::2]
    assert not weight.is_contiguous()
    target = class_indices((14,), 5, seed=2)[::2]
    assert_matches_torch("cross_entropy", z, target, weight=weight, reduction=reduction,
                         label_smoothing=label_smoothing)
    assert_matches_torch("nll_loss", z, target, weight=weight, reduction=reduction)


def test_cross_entropy_of_a_permuted_k_dimensional_input_matches_torch(reduction):
    z = logits((2, 3, 5)).permute(0, 2, 1)  # (N, C, d) = (2, 5, 3), not contiguous
    assert not z.is_contiguous()
    assert_matches_torch("cross_entropy", z, class_indices((2, 3), 5, seed=3), reduction=reduction)


# ----------------------------------------------------------------------------------------------------------------
# softmax(x, dim, dtype=...) and log_softmax(x, dim, dtype=...)
# ----------------------------------------------------------------------------------------------------------------

# float16 and bfloat16 round to 11 and 8 significant bits: one unit in the last place is the tolerance.
LOW_PRECISION_TOLERANCE = {torch.float16: {"rtol": 1e-3, "atol": 1e-3}, torch.bfloat16: {"rtol": 8e-3, "atol": 8e-3}}


@pytest.mark.parametrize("dtype", [torch.float64, torch.float32, torch.float16, torch.bfloat16],
                         ids=["float64", "float32", "float16", "bfloat16"])
@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
def test_softmax_dtype_argument_casts_first_like_torch(name, dtype):
    x = logits((4, 6), dtype=torch.float32, seed=5)
    ours_fn, torch_fn = TORCH_TWINS[name]
    ours_leaf, their_leaf = x.clone().requires_grad_(True), x.clone().requires_grad_(True)
    ours, theirs = ours_fn(ours_leaf, 1, dtype=dtype), torch_fn(their_leaf, 1, dtype=dtype)
    assert ours.dtype == theirs.dtype == dtype
    upstream = logits((4, 6), dtype=torch.float32, seed=6)
    (ours.float() * upstream).sum().backward()
    (theirs.float() * upstream).sum().backward()
    assert ours_leaf.grad.dtype == torch.float32, "the gradient flows back through the cast to x's own dtype"
    tol = LOW_PRECISION_TOLERANCE.get(dtype, {"rtol": 2e-5, "atol": 1e-6})
    torch.testing.assert_close(ours.float(), theirs.float(), **tol)
    torch.testing.assert_close(ours_leaf.grad, their_leaf.grad, **tol)


def test_softmax_dtype_argument_accepts_integer_input_like_torch():
    counts = torch.tensor([[1, 2, 3], [0, 0, 5]])
    torch.testing.assert_close(losses.softmax(counts, 1, dtype=torch.float64),
                               torch.softmax(counts, 1, dtype=torch.float64))
    with pytest.raises(TypeError, match="floating-point"):
        losses.softmax(counts, 1)


@pytest.mark.parametrize("bad", [torch.int64, "float32", float])
def test_softmax_dtype_must_be_a_floating_torch_dtype(bad):
    with pytest.raises(TypeError, match="dtype must be a floating-point torch.dtype"):
        losses.log_softmax(torch.zeros(2, 3), 1, dtype=bad)


@pytest.mark.parametrize("name", ALONG_A_DIM)
@pytest.mark.parametrize("dim", [2, -3])
def test_a_dim_out_of_range_is_a_clear_index_error(name, dim):
    with pytest.raises(IndexError, match=rf"dim {dim} is out of range for x of shape \(2, 3\)"):
        TORCH_TWINS[name][0](torch.zeros(2, 3), dim)
