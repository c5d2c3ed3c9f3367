"""Notebook 07's exercise answers, which test_exercise_checks.py runs through every self-check's shared
behaviours, and what its self-checks say about particular mistakes."""
import pytest
import torch
import torch.nn.functional as F

from exercise_table import Exercise
from helpers.exercises import nb07


def weighted_mean_cross_entropy(logits, target, weight):
    log_probs = F.log_softmax(logits, dim=1)
    w = weight[target]
    picked = log_probs.gather(1, target.unsqueeze(1)).squeeze(1)
    return -(w * picked).sum() / w.sum()


def weighted_mean_over_n(logits, target, weight):
    return -(weight[target] * F.log_softmax(logits, dim=1).gather(1, target.unsqueeze(1)).squeeze(1)).mean()


def label_smoothed_targets(target, num_classes, epsilon):
    return (1 - epsilon) * F.one_hot(target, num_classes).float() + epsilon / num_classes


def smoothing_without_the_uniform_part(target, num_classes, epsilon):
    return (1 - epsilon) * F.one_hot(target, num_classes).float()


def cross_entropy_ignore_index(logits, target, ignore_index):
    kept = target != ignore_index
    picked = F.log_softmax(logits, dim=1).gather(1, target.masked_fill(~kept, 0).unsqueeze(1)).squeeze(1)
    return -(picked * kept).sum() / kept.sum()


def mean_over_all_items(logits, target, ignore_index):
    kept = target != ignore_index
    picked = F.log_softmax(logits, dim=1).gather(1, target.masked_fill(~kept, 0).unsqueeze(1)).squeeze(1)
    return -(picked * kept).sum() / target.numel()


@pytest.mark.parametrize("check, wrong, line", [
    # dividing by N is right only for equal weights
    (nb07.check_weighted_mean_cross_entropy, weighted_mean_over_n, "  ✓ equal weights [1, 1] give the plain mean"),
    (nb07.check_label_smoothed_targets, smoothing_without_the_uniform_part,
     "  ✓ ε = 0 gives the plain one-hot rows"),
    (nb07.check_cross_entropy_ignore_index, mean_over_all_items, "  ✗ 3 of 10 targets are −100"),
], ids=["weighted_mean_over_n", "smoothing_without_the_uniform_part", "mean_over_all_items"])
def test_wrong_answer_is_marked_on_the_telling_case(capsys, check, wrong, line):
    check(wrong)
    assert line in capsys.readouterr().out


def test_reference_answers_match_torch():
    logits = torch.tensor([[1.0, 2.0], [1.0, 3.0], [1.0, 3.0]])
    target = torch.tensor([0, 1, 1])
    torch.testing.assert_close(weighted_mean_cross_entropy(logits, target, torch.tensor([1.0, 2.0])),
                               torch.tensor(0.3642), atol=5e-5, rtol=0)
    torch.testing.assert_close(F.cross_entropy(logits, label_smoothed_targets(target, 2, 0.1)),
                               F.cross_entropy(logits, target, label_smoothing=0.1))


# The table that tests/test_exercise_checks.py runs through every self-check's shared behaviours.
EXERCISES = [
    Exercise(nb07.check_weighted_mean_cross_entropy, weighted_mean_cross_entropy,
             weighted_mean_over_n,
             "not by N", case_count=4, wrong_passes_some_cases=True),
    Exercise(nb07.check_label_smoothed_targets, label_smoothed_targets,
             smoothing_without_the_uniform_part,
             "add epsilon / num_classes", case_count=5, wrong_passes_some_cases=True),
    Exercise(nb07.check_cross_entropy_ignore_index, cross_entropy_ignore_index,
             mean_over_all_items,
             "divide the sum by kept.sum()", case_count=4, wrong_passes_some_cases=True),
]
