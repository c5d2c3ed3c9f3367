"""The seeds' experiment: Python's builtin sum over a tensor against torch.sum.

The lecture timed N = 3,000,000 (11.6 s against 0.034 s on its machine); we use a size that finishes in
seconds and report the ratio, which is what carries over between machines.
"""
import torch

from bench.side_by_side import report
from helpers.timing import alternating_medians


def builtin_sum_vs_torch_sum(n=300_000, repeat=3):
    torch.manual_seed(420)
    values = torch.rand(n, 1)
    slow, fast = alternating_medians(lambda: sum(values), lambda: torch.sum(values), repeat)
    return report(f"sum of a ({n:,}, 1) float32 tensor (median of {repeat})",
                  "builtin sum", slow, "torch.sum", fast)
