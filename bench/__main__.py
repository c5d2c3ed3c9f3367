"""Run every benchmark and print one ratio per line. Ratios, not absolute times, are what to compare."""
import torch

from bench import builtin_sum, explorers, linear_cross_entropy, losses

if __name__ == "__main__":
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads\n")
    losses.bce_with_logits()
    losses.cross_entropy()
    builtin_sum.builtin_sum_vs_torch_sum()
    print()
    linear_cross_entropy.linear_cross_entropy_at_128k()
    print()
    explorers.explorer_updates()
