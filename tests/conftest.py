"""Shared tools for the ``helpers.losses`` tests: the hypothesis profile, tolerances, test data and torch comparisons.

``assert_matches_torch("cross_entropy", logits, target, reduction="sum")`` runs ``helpers.losses.cross_entropy``
and its ``torch.nn.functional`` twin on the same arguments and asserts that values and gradients agree.
"""
import os

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import settings, strategies as st
from hypothesis.extra import numpy as hnp

from helpers import losses

# Reproducible in CI: the same examples on every run, no example database written to the repository. For a long
# random search, run with LOSSBOOK_HYPOTHESIS_PROFILE=thorough.
settings.register_profile("lossbook", max_examples=40, deadline=None, derandomize=True, database=None)
settings.register_profile("thorough", max_examples=2000, deadline=None, database=None)
settings.load_profile(os.environ.get("LOSSBOOK_HYPOTHESIS_PROFILE", "lossbook"))

# The tests use tiny tensors: a second OpenMP thread only adds waiting (10× slower on a busy 2-core machine).
torch.set_num_threads(1)

FLOAT_DTYPES = (torch.float32, torch.float64)
REDUCTIONS = ("none", "mean", "sum")


@pytest.fixture(params=FLOAT_DTYPES, ids=["float32", "float64"])
def dtype(request):
    """float32, then float64, for any test that takes a ``dtype`` argument."""
    return request.param


@pytest.fixture(params=REDUCTIONS)
def reduction(request):
    """Each of torch's three reductions in turn, for any test that takes a ``reduction`` argument."""
    return request.param

# The contract: equal to torch within 1e-7 relative in float64 and 2e-5 in float32. The small absolute floor only
# matters for entries that are zero up to rounding (e.g. a gradient p − y with p ≈ y), where "relative" is undefined.
TOLERANCES = {
    torch.float64: {"rtol": 1e-7, "atol": 1e-12},
    torch.float32: {"rtol": 2e-5, "atol": 1e-6},
}


def tolerance(dtype):
    return TOLERANCES[dtype]


def _sse_in_torch(input, target):
    return F.mse_loss(input, target, reduction="sum")


def torchvision_sigmoid_focal_loss(inputs, targets, alpha=0.25, gamma=2.0, reduction="none"):
    """torchvision.ops.sigmoid_focal_loss (torchvision 0.2x), line for line: the reference of Lin et al. 2017."""
    p = torch.sigmoid(inputs)
    ce_loss = F.binary_cross_entropy_with_logits(inputs, targets, reduction="none")
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = ce_loss * ((1 - p_t) ** gamma)
    if alpha >= 0:
        alpha_t = alpha * targets + (1 - alpha) * (1 - targets)
        loss = alpha_t * loss
    if reduction == "mean":
        loss = loss.mean()
    elif reduction == "sum":
        loss = loss.sum()
    return loss


# Each helper and the torch function it must agree with.
TORCH_TWINS = {
    "sigmoid": (losses.sigmoid, torch.sigmoid),
    "log_sigmoid": (losses.log_sigmoid, F.logsigmoid),
    "softmax": (losses.softmax, F.softmax),
    "log_softmax": (losses.log_softmax, F.log_softmax),
    "logsumexp": (losses.logsumexp, torch.logsumexp),
    "sse": (losses.sse, _sse_in_torch),
    "mse_loss": (losses.mse_loss, F.mse_loss),
    "binary_cross_entropy": (losses.binary_cross_entropy, F.binary_cross_entropy),
    "binary_cross_entropy_with_logits": (losses.binary_cross_entropy_with_logits, F.binary_cross_entropy_with_logits),
    "nll_loss": (losses.nll_loss, F.nll_loss),
    "cross_entropy": (losses.cross_entropy, F.cross_entropy),
    "l1_loss": (losses.l1_loss, F.l1_loss),
    "smooth_l1_loss": (losses.smooth_l1_loss, F.smooth_l1_loss),
    "huber_loss": (losses.huber_loss, F.huber_loss),
    "gaussian_nll_loss": (losses.gaussian_nll_loss, F.gaussian_nll_loss),
    "poisson_nll_loss": (losses.poisson_nll_loss, F.poisson_nll_loss),
    "kl_div": (losses.kl_div, F.kl_div),
    "sigmoid_focal_loss": (losses.sigmoid_focal_loss, torchvision_sigmoid_focal_loss),
}


# ----------------------------------------------------------------------------------------------------------------
# Comparing with torch
# ----------------------------------------------------------------------------------------------------------------

def upstream_gradient(output, seed=1234):
    """A random, non-uniform incoming gradient (0.5 to 1.5), so each item's gradient must be weighted correctly."""
    generator = torch.Generator().manual_seed(seed)
    return torch.rand(output.shape, generator=generator, dtype=torch.float64).to(output.dtype) + 0.5


def value_and_grads(fn, args, kwargs, grad_wrt):
    """Call fn on fresh leaf copies of args; return its output and the gradients w.r.t. the args at grad_wrt."""
    leaves = [a.detach().clone().requires_grad_(i in grad_wrt) if isinstance(a, torch.Tensor) else a
              for i, a in enumerate(args)]
    output = fn(*leaves, **kwargs)
    wanted = [leaves[i] for i in grad_wrt]
    if not wanted:
        return output.detach(), []
    grads = torch.autograd.grad(output, wanted, grad_outputs=upstream_gradient(output))
    return output.detach(), list(grads)


def describe(args, kwargs):
    shown = [f"{tuple(a.shape)} {a.dtype}" if isinstance(a, torch.Tensor) else repr(a) for a in args]
    shown += [f"{k}={tuple(v.shape) if isinstance(v, torch.Tensor) else repr(v)}" for k, v in kwargs.items()]
    return ", ".join(shown)


def assert_matches_torch(name, *args, grad_wrt=(0,), reference=None, reference_dtype=None, **kwargs):
    """Assert helpers.losses.<name>(*args, **kwargs) equals torch's twin in value, dtype, shape and gradients.

    ``grad_wrt`` lists the positions of the arguments to differentiate (0: input, 1: target). NaN equals NaN, so
    an all-ignored "mean" must be NaN in both. ``reference`` replaces torch's twin (e.g. to hand torch int64 targets
    where it rejects uint8); ``reference_dtype=torch.float64`` runs it in float64 and rounds the results back, for
    inputs where torch's own float32 result is the less accurate one. Returns (ours, reference) values.
    """
    ours_fn, torch_fn = TORCH_TWINS[name]
    reference = reference or torch_fn
    ours, ours_grads = value_and_grads(ours_fn, args, kwargs, grad_wrt)
    if reference_dtype is None:
        theirs, their_grads = value_and_grads(reference, args, kwargs, grad_wrt)
    else:
        widen = lambda a: a.to(reference_dtype) if isinstance(a, torch.Tensor) and a.is_floating_point() else a
        theirs, their_grads = value_and_grads(reference, [widen(a) for a in args],
                                              {k: widen(v) for k, v in kwargs.items()}, grad_wrt)
        theirs, their_grads = theirs.to(ours.dtype), [g.to(ours.dtype) for g in their_grads]
    call = f"{name}({describe(args, kwargs)})"
    tol = tolerance(args[0].dtype)
    torch.testing.assert_close(ours, theirs, equal_nan=True, **tol,
                               msg=lambda m: f"{call}: value differs from torch's.\n{m}")
    for position, ours_grad, their_grad in zip(grad_wrt, ours_grads, their_grads):
        torch.testing.assert_close(
            ours_grad, their_grad, equal_nan=True, **tol,
            msg=lambda m: f"{call}: gradient w.r.t. argument {position} differs from torch's.\n{m}")
    return ours, theirs


# ----------------------------------------------------------------------------------------------------------------
# Test data
# ----------------------------------------------------------------------------------------------------------------

def generator(seed):
    return torch.Generator().manual_seed(seed)


def logits(shape, dtype=torch.float64, scale=3.0, seed=0):
    return (torch.randn(shape, generator=generator(seed), dtype=torch.float64) * scale).to(dtype)


def probabilities(shape, dtype=torch.float64, low=0.0, high=1.0, seed=0):
    """Uniform values in (low, high); BCE inputs and targets."""
    return (low + (high - low) * torch.rand(shape, generator=generator(seed), dtype=torch.float64)).to(dtype)


def class_probabilities(shape, class_dim, dtype=torch.float64, seed=0):
    """Soft targets: non-negative, summing to 1 along the class dimension."""
    return torch.softmax(logits(shape, torch.float64, seed=seed), dim=class_dim).to(dtype)


def class_indices(shape, n_classes, seed=0, ignore_index=-100, ignored_fraction=0.0, dtype=torch.long):
    """Random class indices in [0, C); about ``ignored_fraction`` of them replaced by ``ignore_index``.

    The first item is kept unless ``ignored_fraction`` is 1, so a small or unbatched target is not all ignored.
    """
    g = generator(seed)
    target = torch.randint(0, n_classes, shape, generator=g)
    ignored = torch.rand(shape, generator=g) < ignored_fraction
    if ignored_fraction < 1:
        ignored.view(-1)[0] = False
    return target.masked_fill(ignored, ignore_index).to(dtype)


def class_weights(n_classes, dtype=torch.float64, seed=7):
    """Non-uniform positive weights, one per class."""
    return (0.2 + 2 * torch.rand(n_classes, generator=generator(seed), dtype=torch.float64)).to(dtype)


# (input shape, target shape) for class-index losses: unbatched, batched, and K-dimensional inputs.
CLASS_LAYOUTS = {
    "unbatched (C,)": ((5,), ()),
    "(N, C)": ((6, 5), (6,)),
    "(N, C, d1)": ((3, 5, 4), (3, 4)),
    "(N, C, d1, d2)": ((2, 5, 3, 2), (2, 3, 2)),
}


# ----------------------------------------------------------------------------------------------------------------
# Hypothesis strategies
# ----------------------------------------------------------------------------------------------------------------

float_dtypes = st.sampled_from(FLOAT_DTYPES)
reductions = st.sampled_from(REDUCTIONS)
# Typical logits, saturating ones, and the ±1e4 that overflows exp in float32.
magnitudes = st.sampled_from([1e-3, 1.0, 10.0, 100.0, 1e4])
elementwise_shapes = st.lists(st.integers(1, 4), min_size=0, max_size=3).map(tuple)


def tensors(shape, dtype, low, high):
    """Float tensors of a given shape and dtype with values in [low, high] (hypothesis shrinks them)."""
    elements = st.floats(low, high, allow_nan=False, allow_infinity=False, allow_subnormal=False)
    return hnp.arrays(np.float64, shape, elements=elements).map(lambda a: torch.from_numpy(a).to(dtype))


def class_targets(shape, n_classes):
    """Class indices in [0, C) of a given shape, as int64 tensors."""
    indices = hnp.arrays(np.int64, shape, elements=st.integers(0, n_classes - 1))
    return indices.map(torch.from_numpy)


@st.composite
def class_layouts(draw, max_extra_dims=2):
    """(input shape, target shape, class dim): (C,), (N, C) or (N, C, d1, ..., dk) with the matching target."""
    n_classes = draw(st.integers(1, 5))
    if draw(st.integers(0, 4)) == 0:
        return (n_classes,), (), 0
    batch = draw(st.integers(1, 4))
    extra = tuple(draw(st.lists(st.integers(1, 3), max_size=max_extra_dims)))
    return (batch, n_classes) + extra, (batch,) + extra, 1


@st.composite
def class_index_problems(draw):
    """Keyword arguments of cross_entropy/nll_loss: logits, class-index targets (some ignored), weight, reduction."""
    input_shape, target_shape, cdim = draw(class_layouts())
    n_classes = input_shape[cdim]
    dtype, scale = draw(float_dtypes), draw(magnitudes)
    target = draw(class_targets(target_shape, n_classes))
    ignored = torch.from_numpy(draw(hnp.arrays(np.bool_, target_shape)))
    return {
        "input": draw(tensors(input_shape, dtype, -scale, scale)),
        "target": target.masked_fill(ignored, -100),
        "weight": draw(st.none() | tensors((n_classes,), dtype, 0.1, 5.0)),
        "reduction": draw(reductions),
    }
