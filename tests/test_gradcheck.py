"""torch.autograd.gradcheck in float64: every hand-written or composed gradient in helpers.losses equals finite
differences of its own forward pass, for every loss, activation and option.

Inputs stay away from non-differentiable points: BCE probabilities in (0.05, 0.95), distinct logits, no clamps.
"""
import pytest
import torch

from conftest import CLASS_LAYOUTS, class_indices, class_probabilities, class_weights, logits, probabilities
from helpers import losses


def gradcheck(fn, args, grad_wrt=(0,), **kwargs):
    """gradcheck fn(*args, **kwargs) with respect to the float64 arguments at positions grad_wrt."""
    differentiable = [args[i].detach().clone().to(torch.float64).requires_grad_() for i in grad_wrt]

    def fn_of_differentiable(*diff):
        full = list(args)
        for i, tensor in zip(grad_wrt, diff):
            full[i] = tensor
        return fn(*full, **kwargs)

    assert torch.autograd.gradcheck(fn_of_differentiable, differentiable, eps=1e-6, atol=1e-6, rtol=1e-4)


# ----------------------------------------------------------------------------------------------------------------
# Activations
# ----------------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["sigmoid", "log_sigmoid"])
@pytest.mark.parametrize("scale", [1.0, 8.0])
def test_elementwise_activations(name, scale):
    x = logits((3, 4), scale=scale)
    x[0, 0] = 0.0  # the branch point of the stable forms
    gradcheck(getattr(losses, name), (x,))


@pytest.mark.parametrize("shape, dim", [((5,), 0), ((3, 4), 1), ((3, 4), 0), ((2, 3, 2), -1)])
@pytest.mark.parametrize("name", ["softmax", "log_softmax", "logsumexp"])
def test_activations_along_a_dimension(name, shape, dim):
    gradcheck(getattr(losses, name), (logits(shape, scale=4.0),), dim=dim)


# ----------------------------------------------------------------------------------------------------------------
# Regression
# ----------------------------------------------------------------------------------------------------------------

def test_mse_loss(reduction):
    gradcheck(losses.mse_loss, (logits((3, 4), seed=1), logits((3, 4), seed=2)), grad_wrt=(0, 1),
              reduction=reduction)


def test_sse():
    gradcheck(losses.sse, (logits((3, 4), seed=1), logits((3, 4), seed=2)), grad_wrt=(0, 1))


# ----------------------------------------------------------------------------------------------------------------
# Binary cross-entropy
# ----------------------------------------------------------------------------------------------------------------

BINARY_SHAPE = (3, 4)
WEIGHTS = {"no weight": None, "per element": (3, 4), "per column": (4,)}
POS_WEIGHTS = {"no pos_weight": None, "per label (C,)": (4,), "per element": (3, 4)}


def positive(shape, seed):
    return None if shape is None else probabilities(shape, low=0.2, high=3.0, seed=seed)


@pytest.mark.parametrize("weight", WEIGHTS)
def test_binary_cross_entropy(weight, reduction):
    p = probabilities(BINARY_SHAPE, low=0.05, high=0.95, seed=1)
    y = probabilities(BINARY_SHAPE, seed=2)
    gradcheck(losses.binary_cross_entropy, (p, y), grad_wrt=(0, 1), weight=positive(WEIGHTS[weight], 3),
              reduction=reduction)


@pytest.mark.parametrize("weight, pos_weight", [
    ("no weight", "no pos_weight"), ("no weight", "per label (C,)"), ("per element", "per label (C,)"),
    ("per column", "per element"),
])
def test_binary_cross_entropy_with_logits(weight, pos_weight, reduction):
    x = logits(BINARY_SHAPE, seed=1)
    y = probabilities(BINARY_SHAPE, seed=2)
    gradcheck(losses.binary_cross_entropy_with_logits, (x, y), grad_wrt=(0, 1), weight=positive(WEIGHTS[weight], 3),
              pos_weight=positive(POS_WEIGHTS[pos_weight], 4), reduction=reduction)


# ----------------------------------------------------------------------------------------------------------------
# NLL and cross-entropy
# ----------------------------------------------------------------------------------------------------------------

def class_problem(layout, ignored_fraction=0.3, ignore_index=-100):
    input_shape, target_shape = CLASS_LAYOUTS[layout]
    n_classes = input_shape[1 if len(input_shape) > 1 else 0]
    target = class_indices(target_shape, n_classes, seed=1, ignore_index=ignore_index,
                           ignored_fraction=ignored_fraction)
    return logits(input_shape), target, class_weights(n_classes)


@pytest.mark.parametrize("weighted", [False, True], ids=["no weight", "weight"])
@pytest.mark.parametrize("layout", ["unbatched (C,)", "(N, C)", "(N, C, d1, d2)"])
def test_nll_loss(layout, weighted, reduction):
    x, t, w = class_problem(layout)
    gradcheck(losses.nll_loss, (x, t), weight=w if weighted else None, reduction=reduction)


# (weighted, label_smoothing): the plain loss, and each extra term of the hand-written gradient.
CROSS_ENTROPY_OPTIONS = {"plain": (False, 0.0), "label_smoothing": (False, 0.2), "weight+label_smoothing": (True, 0.2)}


@pytest.mark.parametrize("options", CROSS_ENTROPY_OPTIONS)
@pytest.mark.parametrize("layout", CLASS_LAYOUTS)
def test_cross_entropy_with_class_indices(layout, options, reduction):
    weighted, label_smoothing = CROSS_ENTROPY_OPTIONS[options]
    x, t, w = class_problem(layout)  # about 30% of the targets are ignore_index
    gradcheck(losses.cross_entropy, (x, t), weight=w if weighted else None, label_smoothing=label_smoothing,
              reduction=reduction)


@pytest.mark.parametrize("name", ["nll_loss", "cross_entropy"])
def test_ignore_index_that_is_a_class(name, reduction):
    x, t, w = class_problem("(N, C, d1)", ignore_index=2)
    gradcheck(getattr(losses, name), (x, t), weight=w, ignore_index=2, reduction=reduction)


@pytest.mark.parametrize("options", ["plain", "weight+label_smoothing"])
@pytest.mark.parametrize("layout", ["unbatched (C,)", "(N, C)", "(N, C, d1, d2)"])
def test_cross_entropy_with_probability_targets(layout, options, reduction):
    weighted, label_smoothing = CROSS_ENTROPY_OPTIONS[options]
    input_shape, _ = CLASS_LAYOUTS[layout]
    cdim = 1 if len(input_shape) > 1 else 0
    q = class_probabilities(input_shape, cdim, seed=2)
    w = class_weights(input_shape[cdim]) if weighted else None
    gradcheck(losses.cross_entropy, (logits(input_shape), q), grad_wrt=(0, 1), weight=w,
              label_smoothing=label_smoothing, reduction=reduction)
