"""Focal loss (Lin et al., "Focal Loss for Dense Object Detection", ICCV 2017): BCE that fades on easy examples."""
import torch

from helpers import analytic_grads, validation
from helpers.losses.activations import log_sigmoid, sigmoid


def sigmoid_focal_loss(inputs, targets, alpha=0.25, gamma=2.0, reduction="none"):
    """Focal loss of logits: ℓ_i = α_t·(1 − q_t)^γ·BCE(σ(z_i), y_i), with q_t the model's probability of the true label.

    q_t = σ(z)·y + (1 − σ(z))·(1 − y) and α_t = α·y + (1 − α)·(1 − y); α < 0 switches the α weighting off and
    γ = 0 with α < 0 is plain BCE with logits. The factor (1 − q_t)^γ shrinks the loss of well-classified
    examples, so the rare hard ones dominate the gradient. As in ``torchvision.ops.sigmoid_focal_loss`` (whose
    defaults α = 0.25, γ = 2 and reduction "none" are kept), but 1 − q_t is computed as y·σ(−z) + (1 − y)·σ(z),
    which stays accurate where σ(z) rounds to 1.

    Shapes: inputs (logits) of any shape; targets of the same shape, floating point in [0, 1]. gamma ≥ 0.

    >>> sigmoid_focal_loss(torch.tensor([2.0, -1.0]), torch.tensor([1.0, 1.0]), alpha=-1, gamma=2.0)
    tensor([0.0018, 0.7019])

    Taught in notebooks/13_calibration_imbalance_and_noisy_labels.ipynb.
    """
    validation.reduction(reduction)
    if not float(gamma) >= 0:
        raise ValueError(f"sigmoid_focal_loss needs gamma ≥ 0 (0 is plain BCE; the paper uses 2); got {gamma}.")
    validation.floating("inputs", inputs)
    validation.tensor("targets", targets)
    if not targets.is_floating_point():
        raise TypeError(f"sigmoid_focal_loss needs floating-point targets (0.0/1.0 or probabilities); got dtype "
                        f"{targets.dtype}. Use targets.float().")
    validation.same_shape(inputs, targets, "sigmoid_focal_loss")
    validation.in_unit_interval("target", targets, "targets")
    bce = (1 - targets) * inputs - log_sigmoid(inputs)              # −[y·log σ(z) + (1 − y)·log σ(−z)]
    one_minus_q_t = targets * sigmoid(-inputs) + (1 - targets) * sigmoid(inputs)
    loss = bce * one_minus_q_t ** gamma
    if alpha >= 0:
        loss = (alpha * targets + (1 - alpha) * (1 - targets)) * loss
    return analytic_grads.reduce(loss, reduction)
