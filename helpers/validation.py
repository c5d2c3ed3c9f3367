"""Input checks for ``helpers.losses``: one clear error per mistake, raised before any arithmetic.

PyTorch reports many of these mistakes from deep inside C++ as a bare ``RuntimeError`` (or, for an MSE shape
mismatch, only a warning and a silently broadcast result). Each check here says what was expected and what
arrived, and raises ``TypeError`` (wrong kind of tensor), ``ValueError`` (wrong shape or value) or
``IndexError`` (a class index out of range).
"""
import torch

REDUCTIONS = ("none", "mean", "sum")
CLASS_INDEX_DTYPES = (torch.int64, torch.uint8)


def _shape(t):
    return tuple(t.shape)


def tensor(name, x):
    if not isinstance(x, torch.Tensor):
        raise TypeError(f"{name} must be a torch.Tensor; got {type(x).__name__}. Wrap it with torch.tensor(...).")


def floating(name, x):
    tensor(name, x)
    if not x.is_floating_point():
        raise TypeError(
            f"{name} must be a floating-point tensor (e.g. torch.float32); got dtype {x.dtype}. "
            f"Convert it with {name}.float()."
        )


def dimension(name, x, dim):
    """``dim`` must name one of x's dimensions (negative counts from the end), as torch's reductions require."""
    if not isinstance(dim, int) or isinstance(dim, bool):
        raise TypeError(f"dim must be an int; got {type(dim).__name__}.")
    if not -max(x.dim(), 1) <= dim < max(x.dim(), 1):
        raise IndexError(f"dim {dim} is out of range for {name} of shape {tuple(x.shape)}: expected a dim in "
                         f"[{-max(x.dim(), 1)}, {max(x.dim(), 1) - 1}].")


def floating_or_promoted(name, x):
    """For the functions torch also lets integers into (sigmoid, logsumexp): promote them as torch does."""
    tensor(name, x)
    if x.is_floating_point():
        return x
    if x.is_complex():
        raise TypeError(f"{name} must be a real tensor; got dtype {x.dtype}.")
    return x.to(torch.get_default_dtype())


def reduction(value):
    if value not in REDUCTIONS:
        raise ValueError(f"reduction must be one of 'none', 'mean' or 'sum'; got {value!r}.")


def same_shape(input, target, loss_name):
    if input.shape != target.shape:
        raise ValueError(
            f"{loss_name} needs input and target of the same shape; got input {_shape(input)} and target "
            f"{_shape(target)}. PyTorch would broadcast them to {_broadcast_or_fail(input, target)} and average the "
            f"wrong pairs. Reshape one of them (e.g. target.view_as(input) or input.squeeze())."
        )


def _broadcast_or_fail(a, b):
    try:
        return tuple(torch.broadcast_shapes(a.shape, b.shape))
    except RuntimeError:
        return "nothing (they do not broadcast)"


def same_dtype(name, x, reference_name, reference):
    if x.dtype != reference.dtype:
        raise TypeError(
            f"{name} must have the same dtype as {reference_name}; got {x.dtype} and {reference.dtype}. "
            f"Convert it with {name}.to({reference_name}.dtype)."
        )


def in_unit_interval(name, x, meaning):
    if x.numel() == 0:
        return
    lowest, highest = x.detach().aminmax()  # one pass; nan propagates and fails the test below
    if not (lowest >= 0 and highest <= 1):
        bad = (x < 0) | (x > 1) | torch.isnan(x)
        first = x[bad].flatten()[0].item()
        raise ValueError(
            f"{name} must hold {meaning} in [0, 1]; got {int(bad.sum())} value(s) outside it, e.g. {first:.6g}. "
            + ("Pass logits to binary_cross_entropy_with_logits instead, or apply sigmoid first."
               if name == "input" else "Targets are probabilities of the positive class: 0, 1, or in between.")
        )


def broadcastable_into(name, x, shape, hint):
    tensor(name, x)
    try:
        broadcast = torch.broadcast_shapes(x.shape, shape)
    except RuntimeError:
        broadcast = None
    if broadcast != torch.Size(shape):
        raise ValueError(f"{name} must broadcast to the input's shape {tuple(shape)} ({hint}); got shape {_shape(x)}.")


def class_dim(input):
    if input.dim() == 0:
        raise ValueError("input must have a class dimension: (C,), (N, C) or (N, C, d1, ..., dk); got a 0-dim tensor.")
    return 1 if input.dim() > 1 else 0


def class_index_target(input, target, ignore_index):
    """Checks a class-index target for an (N, C, d1..dk) or (C,) input; returns it as int64 of the right shape."""
    tensor("target", target)
    if target.is_floating_point():
        raise TypeError(
            f"class-index targets must be integers (torch.long); got dtype {target.dtype} with shape {_shape(target)}. "
            f"Use target.long(), or, for class probabilities, pass a float target of the input's shape {_shape(input)}."
        )
    if target.dtype not in CLASS_INDEX_DTYPES:
        raise TypeError(f"class-index targets must have dtype torch.long (or torch.uint8); got {target.dtype}. "
                        f"Use target.long().")
    expected = _expected_target_shape(input)
    if input.dim() == 1 and _shape(target) == (1,):
        target = target.reshape(())
    if _shape(target) != expected:
        raise ValueError(_target_shape_message(input, target, expected))
    target = target.long()
    n_classes = input.shape[class_dim(input)]
    out_of_range = ((target < 0) | (target >= n_classes)) & (target != ignore_index)
    if out_of_range.any():
        bad = target[out_of_range].flatten()[0].item()
        raise IndexError(
            f"class indices must lie in [0, {n_classes - 1}] for an input with C = {n_classes} classes"
            f" (or equal ignore_index = {ignore_index}); got {bad}."
        )
    return target


def _expected_target_shape(input):
    if input.dim() == 1:
        return ()
    return (input.shape[0],) + _shape(input)[2:]


def _target_shape_message(input, target, expected):
    layout = "(C,) needs a 0-dim target" if input.dim() == 1 else "(N, C, d1, ..., dk) needs a target of shape (N, d1, ..., dk)"
    message = f"input of shape {_shape(input)} {layout}, i.e. {expected}; got target of shape {_shape(target)}."
    if target.dim() == len(expected) + 1 and target.shape[-1] == 1:
        message += " Drop the extra dimension with target.squeeze(-1)."
    elif input.dim() > 1 and target.dim() > 0 and target.shape[0] != input.shape[0]:
        message += f" The batch sizes differ: {input.shape[0]} inputs but {target.shape[0]} targets."
    return message


def probability_target(input, target, ignore_index):
    if not target.is_floating_point():
        raise TypeError(
            f"a target of the input's shape {_shape(input)} is read as class probabilities and must be floating point; "
            f"got dtype {target.dtype}. For class indices, the target has shape {_expected_target_shape(input)}."
        )
    same_dtype("target", target, "input", input)
    if ignore_index >= 0:
        raise ValueError(f"ignore_index applies only to class-index targets; got ignore_index = {ignore_index} "
                         f"with probability targets.")


def class_weight(weight, input):
    if weight is None:
        return None
    tensor("weight", weight)
    n_classes = input.shape[class_dim(input)]
    if _shape(weight) != (n_classes,):
        raise ValueError(f"weight must hold one value per class, shape ({n_classes},); got shape {_shape(weight)}.")
    same_dtype("weight", weight, "input", input)
    return weight


def label_smoothing(value):
    if not 0.0 <= float(value) <= 1.0:
        raise ValueError(f"label_smoothing must lie in [0, 1]; got {value}.")
