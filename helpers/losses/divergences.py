"""The Kullback-Leibler divergence between a target distribution and a model's, as torch's kl_div computes it
(notebooks 09 and 12)."""
import torch

from helpers import validation

KL_REDUCTIONS = ("none", "batchmean", "sum", "mean")


def kl_div(input, target, reduction="mean", log_target=False):
    """KL(p‖q) term by term: ℓ = p·(log p − log q), with log q = ``input`` and p = ``target`` (or log p).

    Note the order: the *input* is the model's log-probabilities log q, the *target* p the data's probabilities
    (with ``log_target=True``, log p). A zero in p contributes 0 (0·log 0 = 0, computed with xlogy). Reductions:
    "batchmean" divides the sum by the batch size N and is the true mean KL per row; "mean" divides by every
    element (N·C), which is smaller by a factor C; "sum" and "none" as usual.

    Shapes: input (N, C) or any shape; target of the same shape and floating point. A negative target with
    log_target=False raises ``ValueError`` (probabilities are ≥ 0; did you mean log_target=True?).

    >>> kl_div(torch.tensor([[0.5, 0.5]]).log(), torch.tensor([[1.0, 0.0]]), reduction="batchmean")
    tensor(0.6931)

    Taught in notebooks/09_entropy_cross_entropy_and_kl.ipynb (KL(p‖q), torch's argument order and reductions)
    and notebooks/12_the_likelihood_recipe_beyond_gaussians.ipynb.
    """
    if reduction not in KL_REDUCTIONS:
        raise ValueError(f"kl_div's reduction must be one of 'none', 'batchmean', 'sum' or 'mean'; got {reduction!r}.")
    validation.floating("input", input)
    validation.floating("target", target)
    validation.same_shape(input, target, "kl_div")
    if log_target:
        loss = torch.exp(target) * (target - input)
    else:
        if target.numel() and target.detach().min() < 0:
            raise ValueError(f"kl_div's target holds probabilities p ≥ 0 when log_target=False; got a minimum of "
                             f"{target.detach().min().item():.6g}. For log-probabilities pass log_target=True.")
        loss = torch.xlogy(target, target) - target * input
    if reduction == "none":
        return loss
    if reduction == "mean":
        return loss.mean()
    total = loss.sum()
    return total / input.shape[0] if reduction == "batchmean" and input.dim() > 0 else total
