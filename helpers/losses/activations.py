"""The sigmoid, the softmax and their logs, built so that no exp overflows (notebooks 02, 03, 05, 06)."""
import torch

from helpers import analytic_grads, validation


def sigmoid(x):
    """σ(x) = 1 / (1 + e^{−x}), elementwise, computed so that no exp overflows.

    For x ≥ 0 we use 1/(1 + e^{−x}); for x < 0 the equal e^{x}/(1 + e^{x}). Either way the exponent is −|x| ≤ 0.
    Gradient: σ'(x) = σ(x)(1 − σ(x)).

    Shapes: any; the output has x's shape. Integer input is promoted to the default float dtype, as torch.sigmoid does.

    >>> sigmoid(torch.tensor([-1000.0, 0.0, 2.0]))
    tensor([0.0000, 0.5000, 0.8808])

    Taught in notebooks/02_binary_cross_entropy_from_likelihood.ipynb.
    """
    x = validation.floating_or_promoted("x", x)
    return analytic_grads.Sigmoid.apply(x)


def log_sigmoid(x):
    """log σ(x) = −log(1 + e^{−x}) = min(x, 0) − log(1 + e^{−|x|}), elementwise.

    The naive log(sigmoid(x)) returns −inf once σ(x) underflows to 0 (x ≈ −104 in float32); this form is exact
    for every finite x. It is −softplus(−x), and 1 − σ(x) = σ(−x) gives log(1 − σ(x)) = log_sigmoid(−x).

    Shapes: any; the output has x's shape.

    >>> log_sigmoid(torch.tensor([-20.0, 0.0, 2.0]))
    tensor([-20.0000,  -0.6931,  -0.1269])

    Taught in notebooks/03_binary_cross_entropy_with_tensors.ipynb.
    """
    validation.floating("x", x)
    # exp(−|x|) ≤ 1 never overflows, and there is no branch: autograd gives σ(−x) everywhere, 1/2 at the kinks of
    # min and |·| at 0 (where their one-sided slopes are averaged), and nan at nan, as torch does.
    return torch.minimum(x, torch.zeros_like(x)) - torch.log1p(torch.exp(-x.abs()))


def logsumexp(x, dim, keepdim=False):
    """log Σ_j exp(x_j) along ``dim``, as m + log Σ_j exp(x_j − m) with m = max_j x_j.

    Subtracting the maximum makes the largest term exp(0) = 1, so nothing overflows and the sum is ≥ 1. The
    gradient is softmax(x); m is treated as a constant because the result does not depend on it.

    Shapes: any; ``dim`` is removed unless ``keepdim``. Integer input is promoted, as torch.logsumexp does. Over an
    empty ``dim`` the result is −inf (the log of an empty sum).

    >>> logsumexp(torch.tensor([1000.0, 1000.0]), dim=0)
    tensor(1000.6932)

    Taught in notebooks/06_cross_entropy_with_tensors.ipynb.
    """
    x = validation.floating_or_promoted("x", x)
    validation.dimension("x", x, dim)
    if x.dim() > 0 and x.shape[dim] == 0:  # the empty sum is 0 and log 0 = −inf, as in torch
        return x.sum(dim, keepdim=keepdim) - float("inf")
    m = x.detach().amax(dim, keepdim=True)
    m = torch.where(torch.isfinite(m), m, 0.0)  # an all −inf row stays −inf instead of becoming nan
    out = m + torch.log(torch.exp(x - m).sum(dim, keepdim=True))
    return out if keepdim else out.squeeze(dim)


def softmax(x, dim, dtype=None):
    """softmax(x)_j = exp(x_j) / Σ_k exp(x_k) along ``dim``, computed as exp(x_j − m) / Σ_k exp(x_k − m).

    Adding a constant to every x_j changes nothing (shift invariance), so subtracting m = max_k x_k is free and
    keeps exp from overflowing.

    Shapes: any; the output has x's shape and sums to 1 along ``dim`` (an empty ``dim`` gives an empty result).
    ``dtype``: cast x to it first, as torch.softmax does (e.g. float32 softmax of float16 logits).

    >>> softmax(torch.tensor([1.0, 2.0, 3.0]), dim=0)
    tensor([0.0900, 0.2447, 0.6652])

    Taught in notebooks/05_softmax_and_the_categorical_likelihood.ipynb.
    """
    x = _checked_along_dim(x, dim, dtype)
    if x.dim() > 0 and x.shape[dim] == 0:
        return x.clone()
    work = _accumulation_dtype(x)
    e = torch.exp(work - work.detach().amax(dim, keepdim=True))
    return (e / e.sum(dim, keepdim=True)).to(x.dtype)


def log_softmax(x, dim, dtype=None):
    """log softmax(x)_j = x_j − logsumexp(x) along ``dim``, computed as (x_j − m) − log Σ_k exp(x_k − m).

    Exact where log(softmax(x)) is not: a tiny probability that rounds to 0 would give −inf. The order of the
    subtractions matters too: x_j − (m + log Σ) would round the small log-probabilities of a dominant logit to
    the spacing of floats near m (e.g. −4.5e−5 becomes 0 at m = 1e4 in float32); x_j − m is exact.

    Shapes: any; the output has x's shape. ``dtype``: cast x to it first, as torch.log_softmax does.

    >>> log_softmax(torch.tensor([0.0, 100.0]), dim=0)
    tensor([-100.,    0.])

    Taught in notebooks/06_cross_entropy_with_tensors.ipynb.
    """
    x = _checked_along_dim(x, dim, dtype)
    if x.dim() > 0 and x.shape[dim] == 0:
        return x.clone()
    work = _accumulation_dtype(x)
    m = work.detach().amax(dim, keepdim=True)
    # Only an all −inf row needs a finite shift (its result is then nan, as in torch); a +inf logit gives nan too.
    shifted = work - torch.where(m == float("-inf"), 0.0, m)
    return (shifted - torch.log(torch.exp(shifted).sum(dim, keepdim=True))).to(x.dtype)


def _accumulation_dtype(x):
    """float16 and bfloat16 are computed in float32 and rounded once at the end, as torch's CPU kernels do."""
    return x.float() if x.dtype in (torch.float16, torch.bfloat16) else x


def _checked_along_dim(x, dim, dtype):
    """softmax's and log_softmax's input, cast to ``dtype`` first (as torch does), floating, with a valid ``dim``."""
    if dtype is not None:
        validation.tensor("x", x)
        if not isinstance(dtype, torch.dtype) or not dtype.is_floating_point:
            raise TypeError(f"dtype must be a floating-point torch.dtype such as torch.float32; got {dtype!r}")
        x = x.to(dtype)
    validation.floating("x", x)
    validation.dimension("x", x, dim)
    return x
