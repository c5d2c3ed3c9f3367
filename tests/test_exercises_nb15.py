"""Notebook 15's exercise answers, which test_exercise_checks.py runs through every self-check's shared
behaviours, and what its self-checks say about particular mistakes."""
import torch

from exercise_table import Exercise
from helpers.exercises import nb15


def merged_logsumexp(max_a, sum_a, max_b, sum_b):
    m = torch.maximum(max_a, max_b)
    return m + torch.log(sum_a * torch.exp(max_a - m) + sum_b * torch.exp(max_b - m))


def merged_by_adding_the_sums(max_a, sum_a, max_b, sum_b):
    return torch.maximum(max_a, max_b) + torch.log(sum_a + sum_b)


def sharded_cross_entropy(logit_slices, target):
    maxima = torch.stack([z.amax(1) for z in logit_slices]).amax(0)
    sum_exp = sum(torch.exp(z - maxima[:, None]).sum(1) for z in logit_slices)
    target_logit = torch.zeros_like(maxima)
    start = 0
    for z in logit_slices:
        local = target - start
        inside = (local >= 0) & (local < z.shape[1])
        target_logit += torch.where(inside, z.gather(1, local.clamp(0, z.shape[1] - 1)[:, None]).squeeze(1), 0.0)
        start += z.shape[1]
    return (maxima + torch.log(sum_exp) - target_logit).mean()


def mean_of_slice_cross_entropies(logit_slices, target):
    # Each slice normalises over its own classes: the softmax of a slice, not of the vocabulary.
    losses, start = [], 0
    for z in logit_slices:
        local = (target - start).clamp(0, z.shape[1] - 1)
        losses.append(torch.nn.functional.cross_entropy(z, local))
        start += z.shape[1]
    return torch.stack(losses).mean()


def test_adding_the_sums_is_right_only_when_the_maxima_agree(capsys):
    nb15.check_merged_logsumexp(merged_by_adding_the_sums)
    out = capsys.readouterr().out
    assert "✗ one part far above the other" in out


# The table that tests/test_exercise_checks.py runs through every self-check's shared behaviours.
EXERCISES = [
    Exercise(nb15.check_merged_logsumexp, merged_logsumexp, merged_by_adding_the_sums,
             "common reference", case_count=4),
    Exercise(nb15.check_sharded_cross_entropy, sharded_cross_entropy, mean_of_slice_cross_entropies,
             "only normalises over that slice", case_count=3),
]
