"""Negative log-likelihood and cross-entropy over C classes (notebooks 06-08)."""
import torch

from helpers import analytic_grads, validation
from helpers.losses.activations import log_softmax


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

    Class indices t:      ℓ_i = (1 − ε)·w_t·(−log q_{i,t}) + (ε/C)·Σ_c w_c·(−log q_{i,c}),  q_i = softmax(input_i)
    (the model's distribution). With ε = label_smoothing = 0 this is −w_t·log q_{i,t}
    = w_t·(logsumexp(input_i) − input_{i,t}). "mean" divides
    by Σ w_{t_i} over items whose target is not ``ignore_index`` (nan if there are none).
    Class probabilities p (a float target of the input's shape, e.g. from distillation or mixup):
                          ℓ_i = −Σ_c w_c·p'_{i,c}·log q_{i,c},   p' = (1 − ε)·p + ε/C,
    and "mean" divides by the number of items N·d1···dk, weighted or not. ignore_index does not apply.
    Gradient for class indices: q − onehot(t) without weight or smoothing, see ``analytic_grads.SoftmaxCrossEntropy``.

    Shapes: input (C,), (N, C) or (N, C, d1, ..., dk) of logits; target (), (N,) or (N, d1, ..., dk) of class
    indices (long or uint8), or probabilities of the input's shape; weight (C,). "none" returns the item shape.

    >>> cross_entropy(torch.tensor([[1.0, 2.0], [1.0, 3.0]]), torch.tensor([0, 1]), reduction="none")
    tensor([1.3133, 0.1269])

    Taught in notebooks/06_cross_entropy_with_tensors.ipynb, notebooks/07_cross_entropy_in_pytorch.ipynb and
    notebooks/08_cross_entropy_options_and_pitfalls.ipynb (label smoothing, probability targets).
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
