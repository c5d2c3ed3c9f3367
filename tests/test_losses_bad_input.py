"""Bad input to helpers.losses raises a clear ValueError, TypeError or IndexError from the helper itself.

Each case checks the exception type, that it was raised inside helpers/ (not a RuntimeError or IndexError from
deep inside torch), and that the message names both what was expected and what arrived.
"""
import pathlib
import warnings

import pytest
import torch
import torch.nn.functional as F

from helpers import losses

HELPERS = pathlib.Path(losses.__file__).parent.parent  # helpers/

logits = torch.randn(4, 3)                       # (N, C) = (4, 3)
images = torch.randn(2, 3, 4, 5)                 # (N, C, H, W)
labels = torch.tensor([0, 2, 1, 2])
probs = torch.full((4, 3), 0.5)
bits = torch.tensor([[0.0, 1.0, 1.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [1.0, 1.0, 0.0]])
values = torch.randn(4)

CLASS_LOSSES = {"nll_loss": losses.nll_loss, "cross_entropy": losses.cross_entropy}
BINARY_LOSSES = {"binary_cross_entropy": losses.binary_cross_entropy,
                 "binary_cross_entropy_with_logits": losses.binary_cross_entropy_with_logits}


def case(id, call, error, match):
    return pytest.param(call, error, match, id=id)


def cases_for(functions, make_call, error, match):
    """The same mistake for several losses: make_call(fn) builds the call."""
    return [case(name, make_call(fn), error, match) for name, fn in functions.items()]


def assert_raises_clearly(call, error, match):
    with pytest.raises(error, match=match) as caught:
        call()
    origin = pathlib.Path(caught.traceback[-1].path)
    assert HELPERS in origin.parents, (
        f"{error.__name__} came from {origin}, not from helpers: the helper should check its input first")


# ----------------------------------------------------------------------------------------------------------------
# Class-index targets (nll_loss, cross_entropy)
# ----------------------------------------------------------------------------------------------------------------

CLASS_INDEX_MISTAKES = [
    *cases_for(CLASS_LOSSES, lambda f: lambda: f(logits, torch.tensor([0, 3, 1, 2])),
               IndexError, r"must lie in \[0, 2\] for an input with C = 3 classes.*got 3"),
    *cases_for(CLASS_LOSSES, lambda f: lambda: f(logits, torch.tensor([0, -1, 1, 2])),
               IndexError, r"must lie in \[0, 2\].*ignore_index = -100.*got -1"),
    *cases_for(CLASS_LOSSES, lambda f: lambda: f(logits, torch.tensor([0, -100, 1, 2]), ignore_index=-1),
               IndexError, r"must lie in \[0, 2\].*ignore_index = -1.*got -100"),
    *cases_for(CLASS_LOSSES, lambda f: lambda: f(images, torch.full((2, 4, 5), 3)),
               IndexError, r"must lie in \[0, 2\].*got 3"),
    *cases_for(CLASS_LOSSES, lambda f: lambda: f(torch.randn(3), torch.tensor(7)),
               IndexError, r"must lie in \[0, 2\].*got 7"),
    *cases_for(CLASS_LOSSES, lambda f: lambda: f(logits, torch.tensor([0, 200, 1, 2], dtype=torch.uint8)),
               IndexError, r"must lie in \[0, 2\].*got 200"),
    *cases_for(CLASS_LOSSES, lambda f: lambda: f(logits, labels.float()),
               TypeError, r"class-index targets must be integers \(torch\.long\); got dtype torch\.float32"),
    *cases_for(CLASS_LOSSES, lambda f: lambda: f(logits, labels.int()),
               TypeError, r"must have dtype torch\.long \(or torch\.uint8\); got torch\.int32"),
    *cases_for(CLASS_LOSSES, lambda f: lambda: f(logits, labels.bool()),
               TypeError, r"must have dtype torch\.long \(or torch\.uint8\); got torch\.bool"),
    *cases_for(CLASS_LOSSES, lambda f: lambda: f(logits, torch.tensor([0, 1, 2, 1, 0])),
               ValueError, r"needs a target of shape \(N, d1, \.\.\., dk\), i\.e\. \(4,\); got target of shape "
                           r"\(5,\)\. The batch sizes differ: 4 inputs but 5 targets"),
    *cases_for(CLASS_LOSSES, lambda f: lambda: f(images, torch.zeros(2, 4, 6, dtype=torch.long)),
               ValueError, r"i\.e\. \(2, 4, 5\); got target of shape \(2, 4, 6\)"),
    *cases_for(CLASS_LOSSES, lambda f: lambda: f(images, torch.zeros(2, 4, dtype=torch.long)),
               ValueError, r"i\.e\. \(2, 4, 5\); got target of shape \(2, 4\)"),
    *cases_for(CLASS_LOSSES, lambda f: lambda: f(logits, labels.unsqueeze(1)),
               ValueError, r"i\.e\. \(4,\); got target of shape \(4, 1\)\. Drop the extra dimension with "
                           r"target\.squeeze\(-1\)"),
    *cases_for(CLASS_LOSSES, lambda f: lambda: f(torch.randn(3), torch.tensor([0, 1])),
               ValueError, r"\(C,\) needs a 0-dim target, i\.e\. \(\); got target of shape \(2,\)"),
    *cases_for(CLASS_LOSSES, lambda f: lambda: f(logits, labels, weight=torch.ones(4)),
               ValueError, r"weight must hold one value per class, shape \(3,\); got shape \(4,\)"),
    *cases_for(CLASS_LOSSES, lambda f: lambda: f(logits, labels, weight=torch.ones(1, 3)),
               ValueError, r"weight must hold one value per class, shape \(3,\); got shape \(1, 3\)"),
    *cases_for(CLASS_LOSSES, lambda f: lambda: f(logits, labels, weight=torch.ones(3, dtype=torch.float64)),
               TypeError, r"weight must have the same dtype as input; got torch\.float64 and torch\.float32"),
    *cases_for(CLASS_LOSSES, lambda f: lambda: f(torch.tensor(1.0), torch.tensor(0)),
               ValueError, r"input must have a class dimension: \(C,\), \(N, C\) or \(N, C, d1, \.\.\., dk\); "
                           r"got a 0-dim tensor"),
]


@pytest.mark.parametrize("call, error, match", CLASS_INDEX_MISTAKES)
def test_class_index_mistakes(call, error, match):
    assert_raises_clearly(call, error, match)


# ----------------------------------------------------------------------------------------------------------------
# cross_entropy only: label smoothing and probability targets
# ----------------------------------------------------------------------------------------------------------------

CROSS_ENTROPY_MISTAKES = [
    case("label_smoothing < 0", lambda: losses.cross_entropy(logits, labels, label_smoothing=-0.1),
         ValueError, r"label_smoothing must lie in \[0, 1\]; got -0\.1"),
    case("label_smoothing > 1", lambda: losses.cross_entropy(logits, labels, label_smoothing=1.5),
         ValueError, r"label_smoothing must lie in \[0, 1\]; got 1\.5"),
    case("label_smoothing nan", lambda: losses.cross_entropy(logits, labels, label_smoothing=float("nan")),
         ValueError, r"label_smoothing must lie in \[0, 1\]; got nan"),
    case("label_smoothing > 1, probability target",
         lambda: losses.cross_entropy(logits, torch.softmax(logits, 1), label_smoothing=2.0),
         ValueError, r"label_smoothing must lie in \[0, 1\]; got 2\.0"),
    case("integer target of the input's shape",
         lambda: losses.cross_entropy(logits, torch.zeros(4, 3, dtype=torch.long)),
         TypeError, r"read as class probabilities and must be floating point; got dtype torch\.int64"),
    case("probability target of another dtype", lambda: losses.cross_entropy(logits, torch.softmax(logits, 1).double()),
         TypeError, r"target must have the same dtype as input; got torch\.float64 and torch\.float32"),
    case("ignore_index with probability targets",
         lambda: losses.cross_entropy(logits, torch.softmax(logits, 1), ignore_index=0),
         ValueError, r"ignore_index applies only to class-index targets; got ignore_index = 0"),
    case("float target of another shape", lambda: losses.cross_entropy(logits, torch.rand(4, 2)),
         TypeError, r"class-index targets must be integers.*got dtype torch\.float32 with shape \(4, 2\).*"
                    r"probabilities, pass a float target of the input's shape \(4, 3\)"),
]


@pytest.mark.parametrize("call, error, match", CROSS_ENTROPY_MISTAKES)
def test_cross_entropy_mistakes(call, error, match):
    assert_raises_clearly(call, error, match)


# ----------------------------------------------------------------------------------------------------------------
# Binary cross-entropy (probabilities and logits)
# ----------------------------------------------------------------------------------------------------------------

BINARY_MISTAKES = [
    case("p > 1", lambda: losses.binary_cross_entropy(torch.tensor([0.2, 1.2]), torch.tensor([0.0, 1.0])),
         ValueError, r"input must hold probabilities in \[0, 1\]; got 1 value\(s\) outside it, e\.g\. 1\.2\. "
                     r"Pass logits to binary_cross_entropy_with_logits"),
    case("p < 0", lambda: losses.binary_cross_entropy(torch.tensor([-0.5, 0.3]), torch.tensor([0.0, 1.0])),
         ValueError, r"input must hold probabilities in \[0, 1\].*e\.g\. -0\.5"),
    case("p nan", lambda: losses.binary_cross_entropy(torch.tensor([float("nan"), 0.3]), torch.tensor([0.0, 1.0])),
         ValueError, r"input must hold probabilities in \[0, 1\].*e\.g\. nan"),
    case("BCE target of another dtype", lambda: losses.binary_cross_entropy(probs, bits.double()),
         TypeError, r"target must have the same dtype as input; got torch\.float64 and torch\.float32"),
    *cases_for(BINARY_LOSSES, lambda f: lambda: f(probs, bits * 2),
               ValueError, r"target must hold targets in \[0, 1\]; got 6 value\(s\) outside it, e\.g\. 2"),
    *cases_for(BINARY_LOSSES, lambda f: lambda: f(probs, bits - 1),
               ValueError, r"target must hold targets in \[0, 1\]; got 6 value\(s\) outside it, e\.g\. -1"),
    *cases_for(BINARY_LOSSES, lambda f: lambda: f(probs[:, 0], bits[:, :1]),
               ValueError, r"needs input and target of the same shape; got input \(4,\) and target \(4, 1\)\. "
                           r"PyTorch would broadcast them to \(4, 4\)"),
    *cases_for(BINARY_LOSSES, lambda f: lambda: f(probs, bits[:2]),
               ValueError, r"same shape; got input \(4, 3\) and target \(2, 3\)\. PyTorch would broadcast them "
                           r"to nothing \(they do not broadcast\)"),
    *cases_for(BINARY_LOSSES, lambda f: lambda: f(probs, bits.long()),
               TypeError, r"needs a floating-point target \(0\.0/1\.0 or probabilities\); got dtype torch\.int64"),
    *cases_for(BINARY_LOSSES, lambda f: lambda: f(probs, bits.bool()),
               TypeError, r"needs a floating-point target.*got dtype torch\.bool"),
    *cases_for(BINARY_LOSSES, lambda f: lambda: f(probs, bits, weight=torch.ones(4)),
               ValueError, r"weight must broadcast to the input's shape \(4, 3\) .*; got shape \(4,\)"),
    *cases_for(BINARY_LOSSES, lambda f: lambda: f(probs, bits, weight=torch.ones(2, 4, 3)),
               ValueError, r"weight must broadcast to the input's shape \(4, 3\) .*; got shape \(2, 4, 3\)"),
    case("pos_weight of the wrong length",
         lambda: losses.binary_cross_entropy_with_logits(logits, bits, pos_weight=torch.ones(4)),
         ValueError, r"pos_weight must broadcast to the input's shape \(4, 3\) \(one weight per label, i\.e\. "
                     r"shape \(C,\) for input \(\.\.\., C\)\); got shape \(4,\)"),
    case("pos_weight not a tensor",
         lambda: losses.binary_cross_entropy_with_logits(logits, bits, pos_weight=[1.0, 2.0, 3.0]),
         TypeError, r"pos_weight must be a torch\.Tensor; got list"),
]


@pytest.mark.parametrize("call, error, match", BINARY_MISTAKES)
def test_binary_cross_entropy_mistakes(call, error, match):
    assert_raises_clearly(call, error, match)


# ----------------------------------------------------------------------------------------------------------------
# MSE and SSE: a shape mismatch that torch only warns about
# ----------------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name, call", [
    ("mse_loss", lambda i, t: losses.mse_loss(i, t)),
    ("mse_loss", lambda i, t: losses.mse_loss(i, t, reduction="none")),
    ("sse", lambda i, t: losses.sse(i, t)),
])
def test_regression_shape_mismatch_raises_where_torch_only_warns(name, call):
    predictions, targets = values, values.unsqueeze(1)  # (N,) against (N, 1)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        silently_broadcast = F.mse_loss(predictions, targets, reduction="none")
    assert silently_broadcast.shape == (4, 4) and "target size" in str(caught[0].message)
    assert_raises_clearly(lambda: call(predictions, targets), ValueError,
                          rf"{name} needs input and target of the same shape; got input \(4,\) and target \(4, 1\)\. "
                          r"PyTorch would broadcast them to \(4, 4\)")


# ----------------------------------------------------------------------------------------------------------------
# Every loss: unknown reduction, non-tensors, integer inputs
# ----------------------------------------------------------------------------------------------------------------

# A valid call of each loss, as (function, args); the tests below change one thing.
VALID_LOSS_CALLS = {
    "mse_loss": (losses.mse_loss, (values, values)),
    "binary_cross_entropy": (losses.binary_cross_entropy, (probs, bits)),
    "binary_cross_entropy_with_logits": (losses.binary_cross_entropy_with_logits, (logits, bits)),
    "nll_loss": (losses.nll_loss, (torch.log_softmax(logits, 1), labels)),
    "cross_entropy": (losses.cross_entropy, (logits, labels)),
}
VALID_CALLS = {
    **VALID_LOSS_CALLS,
    "sse": (losses.sse, (values, values)),
    "sigmoid": (losses.sigmoid, (values,)),
    "log_sigmoid": (losses.log_sigmoid, (values,)),
    "softmax": (losses.softmax, (logits, 1)),
    "log_softmax": (losses.log_softmax, (logits, 1)),
    "logsumexp": (losses.logsumexp, (logits, 1)),
}
FIRST_PARAMETER = {name: "x" if name in ("sigmoid", "log_sigmoid", "softmax", "log_softmax", "logsumexp")
                   else "input" for name in VALID_CALLS}


@pytest.mark.parametrize("name", VALID_CALLS)
def test_the_valid_calls_used_below_are_valid(name):
    fn, args = VALID_CALLS[name]
    assert torch.isfinite(fn(*args)).all()


@pytest.mark.parametrize("reduction", ["avg", "elementwise_mean", "Mean", None])
@pytest.mark.parametrize("name", VALID_LOSS_CALLS)
def test_unknown_reduction(name, reduction):
    fn, args = VALID_LOSS_CALLS[name]
    assert_raises_clearly(lambda: fn(*args, reduction=reduction), ValueError,
                          rf"reduction must be one of 'none', 'mean' or 'sum'; got {reduction!r}")


@pytest.mark.parametrize("name", VALID_CALLS)
def test_input_that_is_not_a_tensor(name):
    fn, (first, *rest) = VALID_CALLS[name]
    assert_raises_clearly(lambda: fn(first.tolist(), *rest), TypeError,
                          rf"{FIRST_PARAMETER[name]} must be a torch\.Tensor; got list\. Wrap it with torch\.tensor")


@pytest.mark.parametrize("name", [*VALID_LOSS_CALLS, "sse"])
def test_target_that_is_not_a_tensor(name):
    fn, (first, target) = VALID_CALLS[name]
    assert_raises_clearly(lambda: fn(first, target.tolist()), TypeError,
                          r"target must be a torch\.Tensor; got list")


@pytest.mark.parametrize("name", ["nll_loss", "cross_entropy", "binary_cross_entropy"])
def test_weight_that_is_not_a_tensor(name):
    fn, args = VALID_LOSS_CALLS[name]
    assert_raises_clearly(lambda: fn(*args, weight=[1.0, 2.0, 3.0]), TypeError,
                          r"weight must be a torch\.Tensor; got list")


PROMOTES_INTEGERS = ("sigmoid", "logsumexp")  # torch.sigmoid and torch.logsumexp accept integers, and so do we


@pytest.mark.parametrize("dtype", [torch.int64, torch.int32, torch.bool])
@pytest.mark.parametrize("name", [name for name in VALID_CALLS if name not in PROMOTES_INTEGERS])
def test_integer_input(name, dtype):
    # Integer logits (or predictions) are almost always a bug: e.g. labels passed where scores were meant.
    fn, (first, *rest) = VALID_CALLS[name]
    assert_raises_clearly(lambda: fn(first.round().to(dtype), *rest), TypeError,
                          rf"{FIRST_PARAMETER[name]} must be a floating-point tensor \(e\.g\. torch\.float32\); "
                          rf"got dtype {dtype}")


@pytest.mark.parametrize("dtype", [torch.int64, torch.int32, torch.bool])
@pytest.mark.parametrize("name", PROMOTES_INTEGERS)
def test_integer_input_is_promoted_where_torch_promotes_it(name, dtype):
    fn, (first, *rest) = VALID_CALLS[name]
    twin = {"sigmoid": torch.sigmoid, "logsumexp": torch.logsumexp}[name]
    integers = first.round().to(dtype)
    ours, theirs = fn(integers, *rest), twin(integers, *rest)
    assert ours.dtype == theirs.dtype == torch.get_default_dtype()
    torch.testing.assert_close(ours, theirs)


def test_complex_input_is_refused():
    assert_raises_clearly(lambda: losses.sigmoid(torch.tensor([1 + 1j])), TypeError, r"x must be a real tensor")
