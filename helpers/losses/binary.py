"""Binary cross-entropy, of probabilities and of logits (notebooks 02-04)."""
import torch

from helpers import analytic_grads, validation


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
    """Binary cross-entropy of probabilities: ℓ_i = −w_i·[y_i·log q_i + (1 − y_i)·log(1 − q_i)].

    The negative log-likelihood of a Bernoulli label y given the model's P(y = 1) = q. As in torch, each log is
    clamped at −100, so q = 0 with y = 1 costs 100 rather than inf. "mean" is mean(w·ℓ) over all elements.
    Gradient: w·(q − y)/(q(1 − q)), see ``analytic_grads.BinaryCrossEntropy``.

    Shapes: input q (any shape, values in [0, 1]); target y of the same shape and dtype, values in [0, 1];
    weight broadcastable to that shape.

    >>> binary_cross_entropy(torch.tensor([0.9, 0.2]), torch.tensor([1.0, 0.0]), reduction="none")
    tensor([0.1054, 0.2231])

    Taught in notebooks/02_binary_cross_entropy_from_likelihood.ipynb and
    notebooks/04_binary_cross_entropy_in_pytorch.ipynb.
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

    Taught in notebooks/03_binary_cross_entropy_with_tensors.ipynb and
    notebooks/04_binary_cross_entropy_in_pytorch.ipynb.
    """
    validation.reduction(reduction)
    weight = _check_binary(input, target, weight, "binary_cross_entropy_with_logits")
    validation.in_unit_interval("target", target, "targets")
    if pos_weight is not None:
        validation.broadcastable_into("pos_weight", pos_weight, input.shape, "one weight per label, i.e. shape (C,) "
                                      "for input (..., C)")
        pos_weight = pos_weight.to(input.dtype)
    return analytic_grads.BinaryCrossEntropyWithLogits.apply(input, target, weight, pos_weight, reduction)
