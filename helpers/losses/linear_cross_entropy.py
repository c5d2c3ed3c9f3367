"""A linear head and cross-entropy in one step that never holds the N×V logits (notebook 15)."""
import numbers

import torch
from torch.autograd.function import once_differentiable

from helpers import validation

# Rows per chunk when chunk_size is None: about 2**22 logits (16 MiB in float32) at a time, at least one row.
DEFAULT_CHUNK_ELEMENTS = 2 ** 22


def linear_cross_entropy(hidden, weight, target, ignore_index=-100, reduction="mean", label_smoothing=0.0,
                         chunk_size=None):
    """Cross-entropy of the logits z = hidden @ weight.T, computed a chunk of rows at a time.

    Equal to ``cross_entropy(hidden @ weight.T, target, ...)``: per row i with class index y and ε = label_smoothing,
        ℓ_i = LSE(z_i) − (1 − ε)·z_{i,y} − (ε/V)·Σ_c z_{i,c},   LSE(z_i) = m_i + log Σ_c exp(z_{i,c} − m_i),
    where m_i = max_c z_{i,c}; rows whose target is ``ignore_index`` give 0 and "mean" divides by the kept rows.
    The gradient of the logits is q − p, the model's q = softmax(z_i) minus the target p = (1 − ε)·onehot(y) + ε/V,
    so ∂ℓ/∂hidden = (q − p) @ weight and ∂ℓ/∂weight = (q − p).T @ hidden.
    With reduction "mean" or "sum" the forward pass turns each chunk into its share of both gradients while the
    chunk's logits exist, and the backward pass only scales them (as Liger Kernel's fused linear cross-entropy
    does, LinkedIn, 2024). With "none" the forward keeps only m_i and log Σ_c exp(z_{i,c} − m_i) per row and the
    backward recomputes each chunk's logits from hidden and weight (as Cut Cross-Entropy does: Wijmans et al.,
    Apple, 2024, "Cut Your Losses in Large-Vocabulary Language Models"). Either way the extra memory is one chunk
    of logits instead of N×V of them, their log-probabilities and their gradient.

    Shapes: hidden (N, d), weight (V, d) of the same floating dtype, target (N,) of class indices (long or uint8)
    in [0, V − 1] or ``ignore_index``; "none" returns (N,). ``chunk_size`` rows per chunk (a positive int), by
    default about 2**22 / V.

    >>> hidden, weight = torch.tensor([[1.0, 0.0], [0.0, 2.0]]), torch.tensor([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    >>> linear_cross_entropy(hidden, weight, torch.tensor([0, 2]), reduction="none", chunk_size=1)
    tensor([0.8620, 0.7586])

    Taught in notebooks/15_memory_and_precision_of_the_loss_layer.ipynb.
    """
    validation.reduction(reduction)
    validation.label_smoothing(label_smoothing)
    target = _check(hidden, weight, target, ignore_index, chunk_size)
    if chunk_size is None:
        chunk_size = max(1, DEFAULT_CHUNK_ELEMENTS // max(1, weight.shape[0]))
    grads_in_forward = (reduction != "none" and torch.is_grad_enabled()
                        and (hidden.requires_grad or weight.requires_grad))
    return LinearCrossEntropy.apply(hidden, weight, target, ignore_index, reduction, float(label_smoothing),
                                    int(chunk_size), grads_in_forward)


def _check(hidden, weight, target, ignore_index, chunk_size):
    validation.floating("hidden", hidden)
    validation.floating("weight", weight)
    validation.tensor("target", target)
    if hidden.dim() != 2:
        hint = (f" Flatten (B, T, d) hidden states with hidden.reshape(-1, {hidden.shape[-1]}) and the target with "
                f"target.reshape(-1).") if hidden.dim() > 2 else ""
        raise ValueError(f"hidden must have shape (N, d), one row per token; got shape {tuple(hidden.shape)}.{hint}")
    if weight.dim() != 2:
        raise ValueError(f"weight must have shape (V, d), one row per class; got shape {tuple(weight.shape)}.")
    if weight.shape[1] != hidden.shape[1]:
        raise ValueError(f"hidden (N, d) and weight (V, d) must share d; got hidden {tuple(hidden.shape)} and weight "
                         f"{tuple(weight.shape)}. A weight of shape (d, V) needs weight.T.")
    validation.same_dtype("weight", weight, "hidden", hidden)
    if target.is_floating_point() or target.dtype not in validation.CLASS_INDEX_DTYPES:
        raise TypeError(f"target must hold class indices of dtype torch.long (or torch.uint8); got {target.dtype}. "
                        f"Use target.long().")
    if tuple(target.shape) != (hidden.shape[0],):
        raise ValueError(f"target must have shape (N,) = ({hidden.shape[0]},), one class index per row of hidden; "
                         f"got shape {tuple(target.shape)}.")
    target = target.long()
    n_classes = weight.shape[0]
    out_of_range = ((target < 0) | (target >= n_classes)) & (target != ignore_index)
    if out_of_range.any():
        bad = target[out_of_range][0].item()
        raise IndexError(f"class indices must lie in [0, {n_classes - 1}] for a weight with V = {n_classes} rows "
                         f"(or equal ignore_index = {ignore_index}); got {bad}.")
    if chunk_size is not None:
        if isinstance(chunk_size, bool) or not isinstance(chunk_size, numbers.Integral):
            raise TypeError(f"chunk_size must be a positive int (rows per chunk) or None; got "
                            f"{type(chunk_size).__name__} {chunk_size!r}.")
        if chunk_size <= 0:
            raise ValueError(f"chunk_size must be a positive number of rows; got {chunk_size}.")
    return target


def _shifted_logits(hidden_chunk, weight, row_max=None):
    """z − m for one chunk of rows, in a fresh (chunk, V) buffer that the caller may overwrite."""
    z = hidden_chunk @ weight.T
    if row_max is None:
        row_max = z.amax(1, keepdim=True)
        row_max = torch.where(row_max == float("-inf"), 0.0, row_max)  # a +inf logit makes the row nan, as in torch
    return z.sub_(row_max), row_max


def _accumulate_chunk_gradients(probs, g_rows, safe_target, eps, weight, hidden_rows, grad_hidden_rows, grad_weight):
    """Turn a chunk's softmax q into (q − p)·g in place and add its share to the hidden and weight gradients."""
    grad_logits = probs.mul_(g_rows)
    grad_logits.scatter_add_(1, safe_target, -(1 - eps) * g_rows)
    if eps > 0:
        grad_logits.sub_((eps / probs.shape[1]) * g_rows)
    if grad_hidden_rows is not None:
        torch.matmul(grad_logits, weight, out=grad_hidden_rows)
    if grad_weight is not None:
        grad_weight.addmm_(grad_logits.T, hidden_rows)


def _row_weights(grad_output, reduction, kept):
    """g_i = d(reduced loss)/d(ℓ_i), zero on ignored rows ("mean" with no kept row: zero everywhere)."""
    if reduction == "none":
        g = grad_output
    else:
        count = int(kept.sum()) if reduction == "mean" else 1
        g = (grad_output / count if count else torch.zeros_like(grad_output)).expand(kept.shape[0])
    return g.masked_fill(~kept, 0.0)


class LinearCrossEntropy(torch.autograd.Function):
    """Forward and backward of ``linear_cross_entropy`` a chunk of rows at a time (see its docstring).

    Reduced to a number ("mean" or "sum"), the loss has one incoming gradient, a scalar, so each chunk's logit
    gradient (q − p)/count is known during the forward pass: the forward computes both weight and hidden gradients
    there (as Liger Kernel does), and the backward only scales them. Three matrix products in all, like
    ``hidden @ weight.T`` and its backward. With reduction="none" every row has its own incoming gradient: the
    backward recomputes each chunk's logits from the m_i and log Σ exp(z_i − m_i) kept per row (as Cut
    Cross-Entropy does); so does a second backward through a retained graph.
    """

    @staticmethod
    def forward(ctx, hidden, weight, target, ignore_index, reduction, label_smoothing, chunk_size, grads_in_forward):
        n_rows, n_classes = hidden.shape[0], weight.shape[0]
        kept = target != ignore_index
        safe_target = target.masked_fill(~kept, 0).unsqueeze(1)
        loss = hidden.new_empty(n_rows)
        row_max = hidden.new_empty(n_rows)
        log_sum_exp = hidden.new_empty(n_rows)  # log Σ exp(z − m): LSE = m + log_sum_exp
        if grads_in_forward:
            g = _row_weights(torch.ones((), dtype=hidden.dtype), reduction, kept)
            wants_hidden, wants_weight = ctx.needs_input_grad[:2]
            grad_hidden = torch.empty_like(hidden) if wants_hidden else None
            grad_weight = torch.zeros_like(weight) if wants_weight else None
        for start in range(0, n_rows, chunk_size):
            rows = slice(start, start + chunk_size)
            shifted, m = _shifted_logits(hidden[rows], weight)
            row_max[rows] = m.squeeze(1)
            on_target = shifted.gather(1, safe_target[rows]).squeeze(1)
            smoothing_term = shifted.sum(1) if label_smoothing > 0 else None
            exp_shifted = shifted.exp_()
            sum_exp = exp_shifted.sum(1, keepdim=True)
            log_sum_exp[rows] = sum_exp.log().squeeze(1)
            chunk_loss = log_sum_exp[rows] - (1 - label_smoothing) * on_target
            if smoothing_term is not None:
                chunk_loss -= (label_smoothing / n_classes) * smoothing_term
            loss[rows] = chunk_loss
            if grads_in_forward:
                _accumulate_chunk_gradients(exp_shifted.div_(sum_exp), g[rows].unsqueeze(1), safe_target[rows],
                                            label_smoothing, weight, hidden[rows],
                                            grad_hidden[rows] if wants_hidden else None, grad_weight)
            del shifted, exp_shifted  # free this chunk's logits before the next chunk allocates its own
        loss.masked_fill_(~kept, 0.0)

        ctx.settings = (reduction, label_smoothing, chunk_size)
        ctx.gradients = (grad_hidden, grad_weight) if grads_in_forward else None
        ctx.save_for_backward(hidden, weight, safe_target, kept, row_max, log_sum_exp)
        if reduction == "none":
            return loss
        if reduction == "sum":
            return loss.sum()
        return loss.sum() / kept.sum()  # no kept row: 0/0 = nan, as in torch

    @staticmethod
    @once_differentiable
    def backward(ctx, grad_output):
        reduction, eps, chunk_size = ctx.settings
        if ctx.gradients is not None:  # computed in the forward pass: hand them out once, scaled in place
            grads, ctx.gradients = ctx.gradients, None  # released, so autograd can keep them as .grad without a copy
            scale = grad_output.item()
            return tuple(None if grad is None else grad if scale == 1 else grad.mul_(scale)
                         for grad in grads) + (None,) * 6
        # reduction="none", or a second backward through a retained graph: recompute each chunk's logits.
        hidden, weight, safe_target, kept, row_max, log_sum_exp = ctx.saved_tensors
        wants_hidden, wants_weight = ctx.needs_input_grad[:2]
        g = _row_weights(grad_output, reduction, kept)
        grad_hidden = torch.empty_like(hidden) if wants_hidden else None
        grad_weight = torch.zeros_like(weight) if wants_weight else None
        for start in range(0, hidden.shape[0], chunk_size):
            rows = slice(start, start + chunk_size)
            shifted, _ = _shifted_logits(hidden[rows], weight, row_max[rows].unsqueeze(1))
            probs = shifted.sub_(log_sum_exp[rows].unsqueeze(1)).exp_()  # q = exp(z − m − log Σ)
            _accumulate_chunk_gradients(probs, g[rows].unsqueeze(1), safe_target[rows], eps, weight, hidden[rows],
                                        grad_hidden[rows] if wants_hidden else None, grad_weight)
            del shifted, probs
        return grad_hidden, grad_weight, None, None, None, None, None, None

