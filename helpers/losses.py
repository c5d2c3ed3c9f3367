"""Every loss in lossbook, built from tensor primitives, with exactly ``torch.nn.functional``'s semantics.

Read this file as a short, annotated ``torch/nn/functional.py``: each function gives its formula, the shapes it
accepts and a tiny example, and names the notebook that teaches it. Nothing here calls torch's losses, softmax,
log_softmax, logsigmoid or softplus; building them is the lesson. For valid input the values and gradients
equal torch's (tests/test_losses_parity.py checks this); for invalid input we raise a ``TypeError``,
``ValueError`` or ``IndexError`` that says what was expected and what arrived (see ``helpers.validation``).

Shapes: N is the batch size, C the number of classes, d1..dk optional extra positions (pixels, tokens).
"""
import torch

from helpers import analytic_grads, validation

__all__ = [
    "sigmoid", "log_sigmoid", "softmax", "log_softmax", "logsumexp",
    "sse", "mse_loss",
    "binary_cross_entropy", "binary_cross_entropy_with_logits",
    "nll_loss", "cross_entropy",
]


# ----------------------------------------------------------------------------------------------------------------
# Activations and their logs
# ----------------------------------------------------------------------------------------------------------------

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
    # Each branch only ever sees the inputs it is used for, so no exp overflows in the branch torch.where drops
    # (an inf there would turn the gradient into nan).
    negative = x.clamp(max=0)
    positive = x.clamp(min=0)
    return torch.where(x < 0, negative - torch.log1p(torch.exp(negative)), -torch.log1p(torch.exp(-positive)))


def logsumexp(x, dim, keepdim=False):
    """log Σ_j exp(x_j) along ``dim``, as m + log Σ_j exp(x_j − m) with m = max_j x_j.

    Subtracting the maximum makes the largest term exp(0) = 1, so nothing overflows and the sum is ≥ 1. The
    gradient is softmax(x); m is treated as a constant because the result does not depend on it.

    Shapes: any; ``dim`` is removed unless ``keepdim``. Integer input is promoted, as torch.logsumexp does.

    >>> logsumexp(torch.tensor([1000.0, 1000.0]), dim=0)
    tensor(1000.6932)

    Taught in notebooks/06_cross_entropy_with_tensors.ipynb.
    """
    x = validation.floating_or_promoted("x", x)
    m = x.detach().amax(dim, keepdim=True)
    m = torch.where(torch.isfinite(m), m, 0.0)  # an all −inf row stays −inf instead of becoming nan
    out = m + torch.log(torch.exp(x - m).sum(dim, keepdim=True))
    return out if keepdim else out.squeeze(dim)


def softmax(x, dim):
    """softmax(x)_j = exp(x_j) / Σ_k exp(x_k) along ``dim``, computed as exp(x_j − m) / Σ_k exp(x_k − m).

    Adding a constant to every x_j changes nothing (shift invariance), so subtracting m = max_k x_k is free and
    keeps exp from overflowing.

    Shapes: any; the output has x's shape and sums to 1 along ``dim``.

    >>> softmax(torch.tensor([1.0, 2.0, 3.0]), dim=0)
    tensor([0.0900, 0.2447, 0.6652])

    Taught in notebooks/05_softmax_and_the_categorical_likelihood.ipynb.
    """
    validation.floating("x", x)
    e = torch.exp(x - x.detach().amax(dim, keepdim=True))
    return e / e.sum(dim, keepdim=True)


def log_softmax(x, dim):
    """log softmax(x)_j = x_j − logsumexp(x) along ``dim``, computed as (x_j − m) − log Σ_k exp(x_k − m).

    Exact where log(softmax(x)) is not: a tiny probability that rounds to 0 would give −inf. The order of the
    subtractions matters too: x_j − (m + log Σ) would round the small log-probabilities of a dominant logit to
    the spacing of floats near m (e.g. −4.5e−5 becomes 0 at m = 1e4 in float32); x_j − m is exact.

    Shapes: any; the output has x's shape.

    >>> log_softmax(torch.tensor([0.0, 100.0]), dim=0)
    tensor([-100.,    0.])

    Taught in notebooks/06_cross_entropy_with_tensors.ipynb.
    """
    validation.floating("x", x)
    m = x.detach().amax(dim, keepdim=True)
    shifted = x - torch.where(torch.isfinite(m), m, 0.0)
    return shifted - torch.log(torch.exp(shifted).sum(dim, keepdim=True))


# ----------------------------------------------------------------------------------------------------------------
# Regression
# ----------------------------------------------------------------------------------------------------------------

def _check_regression(input, target, loss_name):
    validation.floating("input", input)
    validation.tensor("target", target)
    validation.same_shape(input, target, loss_name)


def sse(input, target):
    """Sum of squared errors: SSE = Σ_i (input_i − target_i)².

    The negative log-likelihood of Gaussian noise with fixed variance σ², up to the factor 1/(2σ²) and a constant.

    Shapes: input and target of the same shape (anything); returns a 0-dim tensor.

    >>> sse(torch.tensor([1.0, 2.0]), torch.tensor([0.0, 4.0]))
    tensor(5.)

    Taught in notebooks/01_learning_as_optimisation_and_mse.ipynb.
    """
    _check_regression(input, target, "sse")
    return ((input - target) ** 2).sum()


def mse_loss(input, target, reduction="mean"):
    """Mean squared error: ℓ_i = (input_i − target_i)², then reduced ("mean": SSE/n, "sum": SSE, "none": ℓ).

    Unlike ``F.mse_loss`` (which only warns and then broadcasts, e.g. (N,) against (N, 1) into (N, N)), a shape
    mismatch raises ``ValueError``.

    Shapes: input and target of the same shape; "none" returns that shape, the others a 0-dim tensor.

    >>> mse_loss(torch.tensor([1.0, 2.0]), torch.tensor([0.0, 4.0]))
    tensor(2.5000)

    Taught in notebooks/01_learning_as_optimisation_and_mse.ipynb.
    """
    validation.reduction(reduction)
    _check_regression(input, target, "mse_loss")
    return analytic_grads.reduce((input - target) ** 2, reduction)


# ----------------------------------------------------------------------------------------------------------------
# Binary classification
# ----------------------------------------------------------------------------------------------------------------

def _check_binary(input, target, weight, loss_name):
    validation.floating("input", input)
    validation.tensor("target", target)
    if not target.is_floating_point():
        raise TypeError(f"{loss_name} needs a floating-point target (0.0/1.0 or probabilities); got dtype "
                        f"{target.dtype}. Use target.float().")
    validation.same_shape(input, target, loss_name)
    if weight is not None:
        validation.broadcastable_into("weight", weight, input.shape, "one weight per element, or per column")
        weight = weight.to(input.dtype)
    return weight


def binary_cross_entropy(input, target, weight=None, reduction="mean"):
    """Binary cross-entropy of probabilities: ℓ_i = −w_i·[y_i·log p_i + (1 − y_i)·log(1 − p_i)].

    The negative log-likelihood of a Bernoulli label y given P(y = 1) = p. As in torch, each log is clamped at
    −100, so p = 0 with y = 1 costs 100 rather than inf. "mean" is mean(w·ℓ) over all elements. Gradient:
    w·(p − y)/(p(1 − p)), see ``analytic_grads.BinaryCrossEntropy``.

    Shapes: input p (any shape, values in [0, 1]); target y of the same shape and dtype, values in [0, 1];
    weight broadcastable to that shape.

    >>> binary_cross_entropy(torch.tensor([0.9, 0.2]), torch.tensor([1.0, 0.0]), reduction="none")
    tensor([0.1054, 0.2231])

    Taught in notebooks/02_binary_cross_entropy_from_likelihood.ipynb and notebooks/04_binary_cross_entropy_in_pytorch.ipynb.
    """
    validation.reduction(reduction)
    weight = _check_binary(input, target, weight, "binary_cross_entropy")
    validation.same_dtype("target", target, "input", input)
    validation.in_unit_interval("input", input, "probabilities")
    validation.in_unit_interval("target", target, "targets")
    return analytic_grads.BinaryCrossEntropy.apply(input, target, weight, reduction)


def binary_cross_entropy_with_logits(input, target, weight=None, reduction="mean", pos_weight=None):
    """Binary cross-entropy of logits: ℓ_i = w_i·[(1 − y_i)·x_i − (1 + (pw − 1)·y_i)·log σ(x_i)].

    Algebraically BCE(σ(x), y), with the positive term −y·log σ(x) scaled by ``pos_weight`` (pw). Written with
    log σ(x) = min(x, 0) − log(1 + e^{−|x|}), it stays finite and exact for any logit, e.g. ±1e4 in float32.
    Gradient: w·(σ(x) − y) without pos_weight, see ``analytic_grads.BinaryCrossEntropyWithLogits``.

    Shapes: input x (any shape, logits); target y of the same shape, values in [0, 1]; weight broadcastable to
    that shape; pos_weight broadcastable from the last dimension, e.g. (C,) for C independent labels per row.
    A usual choice for pos_weight is #negatives / #positives per label.

    >>> binary_cross_entropy_with_logits(torch.tensor([2.0, -1e4]), torch.tensor([1.0, 0.0]), reduction="none")
    tensor([0.1269, 0.0000])

    Taught in notebooks/03_binary_cross_entropy_with_tensors.ipynb and notebooks/04_binary_cross_entropy_in_pytorch.ipynb.
    """
    validation.reduction(reduction)
    weight = _check_binary(input, target, weight, "binary_cross_entropy_with_logits")
    validation.in_unit_interval("target", target, "targets")
    if pos_weight is not None:
        validation.broadcastable_into("pos_weight", pos_weight, input.shape, "one weight per label, i.e. shape (C,) "
                                      "for input (..., C)")
        pos_weight = pos_weight.to(input.dtype)
    return analytic_grads.BinaryCrossEntropyWithLogits.apply(input, target, weight, pos_weight, reduction)


# ----------------------------------------------------------------------------------------------------------------
# Multi-class classification
# ----------------------------------------------------------------------------------------------------------------

def nll_loss(input, target, weight=None, ignore_index=-100, reduction="mean"):
    """Negative log-likelihood of class indices: ℓ_i = −w_{t_i}·input[i, t_i], given log-probabilities.

    It only picks each item's true-class entry (no one-hot matrix needed) and negates it. It does not take a
    log, so feed it log_softmax output: on raw scores it returns meaningless, even negative, "losses".
    Items whose target equals ``ignore_index`` contribute 0 and are left out of the mean. "mean" divides by
    Σ w_{t_i} over the kept items (N when there is no weight); if every item is ignored it is nan ("sum": 0).

    Shapes: input (C,), (N, C) or (N, C, d1, ..., dk); target (), (N,) or (N, d1, ..., dk) of dtype long (or
    uint8) with values in [0, C − 1] or ignore_index; weight (C,). "none" returns the target's shape.

    >>> nll_loss(torch.tensor([[-0.1, -2.4], [-1.2, -0.4]]), torch.tensor([0, 1]), reduction="none")
    tensor([0.1000, 0.4000])

    Taught in notebooks/06_cross_entropy_with_tensors.ipynb and notebooks/07_cross_entropy_in_pytorch.ipynb.
    """
    validation.reduction(reduction)
    validation.floating("input", input)
    cdim = validation.class_dim(input)
    target = validation.class_index_target(input, target, ignore_index)
    weight = validation.class_weight(weight, input)

    kept = target != ignore_index
    safe_target = target.masked_fill(~kept, 0)
    picked = input.gather(cdim, safe_target.unsqueeze(cdim)).squeeze(cdim)
    w_target = torch.ones_like(picked) if weight is None else weight[safe_target]
    w_target = w_target.masked_fill(~kept, 0)
    loss = (-w_target * picked).masked_fill(~kept, 0)  # also hides a −inf log-probability on an ignored item
    if reduction != "mean":
        return analytic_grads.reduce(loss, reduction)
    total_weight = w_target.sum()
    if total_weight == 0:  # nothing left to average: nan, like torch, but with zero gradients, also like torch
        return loss.sum() + float("nan")
    return loss.sum() / total_weight


def cross_entropy(input, target, weight=None, ignore_index=-100, reduction="mean", label_smoothing=0.0):
    """Cross-entropy of logits: log_softmax along the class dimension, then the NLL of the targets.

    Class indices t:      ℓ_i = (1 − ε)·w_t·(−log p_{i,t}) + (ε/C)·Σ_c w_c·(−log p_{i,c}),  p_i = softmax(input_i).
    With ε = label_smoothing = 0 this is −w_t·log p_{i,t} = w_t·(logsumexp(input_i) − input_{i,t}). "mean" divides
    by Σ w_{t_i} over items whose target is not ``ignore_index`` (nan if there are none).
    Class probabilities q (a float target of the input's shape, e.g. from distillation or mixup):
                          ℓ_i = −Σ_c w_c·q'_{i,c}·log p_{i,c},   q' = (1 − ε)·q + ε/C,
    and "mean" divides by the number of items N·d1···dk, weighted or not. ignore_index does not apply.
    Gradient for class indices: p − onehot(t) without weight or smoothing, see ``analytic_grads.SoftmaxCrossEntropy``.

    Shapes: input (C,), (N, C) or (N, C, d1, ..., dk) of logits; target (), (N,) or (N, d1, ..., dk) of class
    indices (long or uint8), or probabilities of the input's shape; weight (C,). "none" returns the item shape.

    >>> cross_entropy(torch.tensor([[1.0, 2.0], [1.0, 3.0]]), torch.tensor([0, 1]), reduction="none")
    tensor([1.3133, 0.1269])

    Taught in notebooks/06_cross_entropy_with_tensors.ipynb and notebooks/07_cross_entropy_in_pytorch.ipynb.
    """
    validation.reduction(reduction)
    validation.floating("input", input)
    validation.tensor("target", target)
    validation.label_smoothing(label_smoothing)
    cdim = validation.class_dim(input)
    weight = validation.class_weight(weight, input)
    if target.shape == input.shape:
        validation.probability_target(input, target, ignore_index)
        return _cross_entropy_with_probabilities(input, target, weight, reduction, label_smoothing, cdim)
    target = validation.class_index_target(input, target, ignore_index)
    return analytic_grads.SoftmaxCrossEntropy.apply(input, target, weight, ignore_index, reduction,
                                                    float(label_smoothing))


def _cross_entropy_with_probabilities(input, target, weight, reduction, label_smoothing, cdim):
    n_classes = input.shape[cdim]
    if label_smoothing > 0:
        target = target * (1 - label_smoothing) + label_smoothing / n_classes
    weighted_target = target if weight is None else target * weight.view([-1] + [1] * (input.dim() - cdim - 1))
    loss = -(weighted_target * log_softmax(input, cdim)).sum(cdim)
    return analytic_grads.reduce(loss, reduction)
