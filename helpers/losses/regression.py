"""Losses of a real-valued target under Gaussian noise: SSE and MSE (notebook 01)."""
import torch

from helpers import analytic_grads, validation


def _check_regression(input, target, loss_name):
    validation.floating("input", input)
    validation.tensor("target", target)
    validation.same_shape(input, target, loss_name)


def sse(input, target):
    """Sum of squared errors: SSE = Σ_i (input_i − target_i)².

    The negative log-likelihood of Gaussian noise with fixed variance s², up to the factor 1/(2s²) and a constant.

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
