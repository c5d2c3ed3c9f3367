"""Regression losses for other noise than Gaussian: L1 (Laplace noise), Huber and SmoothL1 (notebook 12).

MSE (``regression.py``) is the NLL of Gaussian noise: one outlier with residual r costs r², and its gradient 2r
grows without bound, so a few gross errors can drag a whole fit. The losses here grow only linearly far out, so
their gradients are bounded.
"""
import torch

from helpers import analytic_grads, validation


def _residual(input, target, reduction, loss_name):
    validation.reduction(reduction)
    validation.floating("input", input)
    validation.tensor("target", target)
    validation.same_shape(input, target, loss_name)
    return input - target


def l1_loss(input, target, reduction="mean"):
    """Mean absolute error: ℓ_i = |input_i − target_i|, then reduced ("mean", "sum" or "none").

    The negative log-likelihood of Laplace noise, q(y | μ) ∝ exp(−|y − μ|/a), up to the factor 1/a and a constant.
    The best constant prediction under L1 is a median of the targets (under MSE it is their mean). Gradient:
    sign(input − target), which is 0 where they are equal, as in torch.

    Shapes: input and target of the same shape (a mismatch raises ``ValueError`` instead of broadcasting);
    "none" returns that shape, the others a 0-dim tensor.

    >>> l1_loss(torch.tensor([1.0, 2.0, 10.0]), torch.tensor([0.0, 4.0, 0.0]))
    tensor(4.3333)

    Taught in notebooks/12_the_likelihood_recipe_beyond_gaussians.ipynb.
    """
    return analytic_grads.reduce(_residual(input, target, reduction, "l1_loss").abs(), reduction)


def smooth_l1_loss(input, target, reduction="mean", beta=1.0):
    """SmoothL1: ℓ_i = 0.5·d_i²/β if |d_i| < β, else |d_i| − 0.5·β, with d = input − target.

    Quadratic near zero, linear beyond β; the two pieces meet with equal value and slope at |d| = β. β = 0 is
    exactly L1. Gradient: d/β inside, sign(d) outside, so it never exceeds 1 in size. It equals Huber(δ = β)/β.

    Shapes: input and target of the same shape; "none" returns that shape, the others a 0-dim tensor.
    beta: a number ≥ 0 (negative raises ``ValueError``).

    >>> smooth_l1_loss(torch.tensor([0.5, 3.0]), torch.tensor([0.0, 0.0]), reduction="none")
    tensor([0.1250, 2.5000])

    Taught in notebooks/12_the_likelihood_recipe_beyond_gaussians.ipynb.
    """
    if not float(beta) >= 0:
        raise ValueError(f"smooth_l1_loss needs beta ≥ 0 (the width of the quadratic zone; 0 gives L1); got {beta}.")
    d = _residual(input, target, reduction, "smooth_l1_loss")
    size = d.abs()
    if beta == 0:  # 0.5·d²/0 would be nan in the unused branch, and nan poisons torch.where's gradient
        return analytic_grads.reduce(size, reduction)
    outside = size >= beta        # False for nan, which then propagates through the quadratic branch, as in torch
    inner = torch.where(outside, 0.0, d)  # the quadratic branch never sees an inf: 0·inf would make the gradient nan
    loss = torch.where(outside, size - 0.5 * beta, 0.5 * inner * inner / beta)
    return analytic_grads.reduce(loss, reduction)


def huber_loss(input, target, reduction="mean", delta=1.0):
    """Huber: ℓ_i = 0.5·d_i² if |d_i| ≤ δ, else δ·(|d_i| − 0.5·δ), with d = input − target.

    MSE/2 for small residuals, δ times L1 for large ones: δ is the residual beyond which a point counts as an
    outlier. Gradient: d inside, δ·sign(d) outside, bounded by δ. Huber(δ) = δ·SmoothL1(β = δ).

    Shapes: input and target of the same shape; "none" returns that shape, the others a 0-dim tensor.
    delta: a number > 0 (zero or negative raises ``ValueError``).

    >>> huber_loss(torch.tensor([0.5, 3.0]), torch.tensor([0.0, 0.0]), reduction="none", delta=2.0)
    tensor([0.1250, 4.0000])

    Taught in notebooks/12_the_likelihood_recipe_beyond_gaussians.ipynb.
    """
    if not float(delta) > 0:
        raise ValueError(f"huber_loss needs delta > 0 (the residual where quadratic turns linear); got {delta}.")
    d = _residual(input, target, reduction, "huber_loss")
    size = d.abs()
    outside = size >= delta                # as in smooth_l1_loss: nan propagates, an inf residual has gradient ±δ
    inner = torch.where(outside, 0.0, d)
    loss = torch.where(outside, delta * (size - 0.5 * delta), 0.5 * inner * inner)
    return analytic_grads.reduce(loss, reduction)
