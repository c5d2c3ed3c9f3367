"""helpers.losses vs torch.nn.functional, forward + backward, at the sizes the Foundation issue names."""
import torch
import torch.nn.functional as F

from bench.side_by_side import report
from helpers import losses
from helpers.timing import alternating_medians

TARGET_RATIO = 1.5


def _forward_backward(loss_fn, inputs, *args, **kwargs):
    def run():
        inputs.grad = None
        loss_fn(inputs, *args, **kwargs).backward()
    return run


def bce_with_logits(n=3_000_000, repeat=41):
    torch.manual_seed(0)
    logits = torch.randn(n, requires_grad=True)
    target = torch.randint(0, 2, (n,)).float()
    ours, theirs = alternating_medians(
        _forward_backward(losses.binary_cross_entropy_with_logits, logits, target),
        _forward_backward(F.binary_cross_entropy_with_logits, logits, target), repeat)
    return report(f"binary_cross_entropy_with_logits, N = {n:,}, forward + backward (median of {repeat})",
                  "helpers", ours, "torch", theirs, TARGET_RATIO)


def cross_entropy(n=1_000_000, classes=10, repeat=21):
    torch.manual_seed(0)
    logits = torch.randn(n, classes, requires_grad=True)
    target = torch.randint(0, classes, (n,))
    ours, theirs = alternating_medians(
        _forward_backward(losses.cross_entropy, logits, target),
        _forward_backward(F.cross_entropy, logits, target), repeat)
    return report(f"cross_entropy, ({n:,} × {classes}), forward + backward (median of {repeat})",
                  "helpers", ours, "torch", theirs, TARGET_RATIO)
