"""Negative log-likelihoods beyond a fixed-variance Gaussian: a predicted variance, and Poisson counts (notebook 12).

The recipe of the whole collection: choose the distribution of the target given the input, let the network predict
its parameters, and minimise the average negative log-likelihood.
"""
import math

import torch

from helpers import analytic_grads, validation


def _variance(var, input):
    """var as a tensor that broadcasts to input in one of torch's three layouts; raises on anything else."""
    if isinstance(var, (int, float)) and not isinstance(var, bool):
        if var < 0:
            raise ValueError(f"gaussian_nll_loss needs var ≥ 0 (a variance s², not a standard deviation s); got {var}.")
        return torch.full_like(input, float(var))
    validation.floating("var", var)
    shape, var_shape = tuple(input.shape), tuple(var.shape)
    if var_shape == shape:
        pass
    elif var_shape == shape[:-1]:  # one variance per row: (..., D) inputs, (...,) variances
        var = var.unsqueeze(-1)
    elif len(var_shape) == len(shape) and sum(v for i, v in zip(shape, var_shape) if i != v) == 1:
        pass  # one dimension of size 1 broadcasts, e.g. (N, D) inputs and (N, 1) variances
    else:
        raise ValueError(
            f"gaussian_nll_loss needs var of the input's shape {shape} (one variance per prediction), of shape "
            f"{shape[:-1]} or with one dimension of size 1 such as {shape[:-1] + (1,)} (one variance shared along it); "
            f"got var of shape {var_shape}.")
    if var.numel() and var.detach().min() < 0:
        raise ValueError(f"gaussian_nll_loss needs var ≥ 0 everywhere (a variance s²; make it positive with softplus "
                         f"or exp of a network output); got a minimum of {var.detach().min().item():.6g}.")
    return var


def gaussian_nll_loss(input, target, var, full=False, eps=1e-6, reduction="mean"):
    """Gaussian NLL with a variance: ℓ_i = ½·[log v_i + (input_i − target_i)² / v_i] (+ ½·log 2π), v = max(var, eps).

    −log N(target; μ = input, s² = var) without the constant ½·log 2π unless ``full``. ``var`` is the variance s²,
    not the standard deviation s. The loss can be negative: a density can exceed 1. As in torch, var is clamped at
    ``eps`` for the value, but the gradient flows as if it were not (d/dvar = ½·(1/v − d²/v²) at the clamped v).

    Shapes: input (N, *) and target of the same shape (a mismatch raises instead of broadcasting); var of the
    same shape (heteroscedastic), of shape input.shape[:-1] or with one dimension of size 1 (shared), or a
    number ≥ 0. "none" returns the broadcast shape, the others a 0-dim tensor.

    >>> mean, target, var = torch.tensor([0.0, 0.0]), torch.tensor([1.0, 1.0]), torch.tensor([1.0, 0.25])
    >>> gaussian_nll_loss(mean, target, var, reduction="none")
    tensor([0.5000, 1.3069])

    Taught in notebooks/12_the_likelihood_recipe_beyond_gaussians.ipynb.
    """
    validation.reduction(reduction)
    validation.floating("input", input)
    validation.tensor("target", target)
    validation.same_shape(input, target, "gaussian_nll_loss")
    var = _variance(var, input).clone()
    with torch.no_grad():
        var.clamp_(min=eps)  # in place without autograd: the value is clamped, the gradient is not
    loss = 0.5 * (torch.log(var) + (input - target) ** 2 / var)
    if full:
        loss = loss + 0.5 * math.log(2 * math.pi)
    return analytic_grads.reduce(loss, reduction)


def poisson_nll_loss(input, target, log_input=True, full=False, eps=1e-8, reduction="mean"):
    """Poisson NLL of counts: ℓ_i = exp(input_i) − target_i·input_i (log_input) or λ_i − target_i·log(λ_i + eps).

    −log Poisson(k; λ) = λ − k·log λ + log k!, without log k! (it does not depend on the model). With
    ``log_input=True`` (the default) the input is log λ, any real number, and the loss is exp(input) − k·input.
    ``full=True`` adds Stirling's approximation log k! ≈ k·log k − k + ½·log(2πk), only where k > 1 (as in torch).

    Shapes: input and target of the same shape (target: counts ≥ 0, integer or float); "none" returns that
    shape, the others a 0-dim tensor. With ``log_input=False`` the input is λ and must be ≥ 0.

    >>> poisson_nll_loss(torch.tensor([0.0, 1.0]), torch.tensor([1.0, 3.0]), reduction="none")
    tensor([ 1.0000, -0.2817])

    Taught in notebooks/12_the_likelihood_recipe_beyond_gaussians.ipynb.
    """
    validation.reduction(reduction)
    validation.floating("input", input)
    validation.tensor("target", target)
    validation.same_shape(input, target, "poisson_nll_loss")
    if target.numel() and target.detach().min() < 0:
        raise ValueError(f"poisson_nll_loss needs counts ≥ 0 as target; got a minimum of "
                         f"{target.detach().min().item():.6g}.")
    if not log_input and input.numel() and input.detach().min() < 0:
        raise ValueError(f"with log_input=False the input is the rate λ and must be ≥ 0; got a minimum of "
                         f"{input.detach().min().item():.6g}. Pass log λ with log_input=True instead.")
    if log_input:
        loss = torch.exp(input) - target * input
    else:
        loss = input - target * torch.log(input + eps)
    if full:
        stirling = target * torch.log(target) - target + 0.5 * torch.log(2 * math.pi * target)
        loss = loss + stirling.masked_fill(target <= 1, 0)
    return analytic_grads.reduce(loss, reduction)
