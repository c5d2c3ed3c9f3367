"""Notebook 07's exercise answers, which test_exercise_checks.py runs through every self-check's shared
behaviours, and what its self-checks say about particular mistakes."""
import pytest
import torch
import torch.nn.functional as F

from exercise_table import Exercise
from selfcheck_output import assert_all_passed
from helpers.exercises import nb07


def balanced_weights(target, num_classes):
    counts = torch.bincount(target, minlength=num_classes).float()
    return 1 / counts.clamp(min=1)


def frequency_weights(target, num_classes):
    return torch.bincount(target, minlength=num_classes).float()


def cross_entropy_channels_last(scores, target):
    return F.cross_entropy(scores.movedim(-1, 1), target)


def channels_last_by_reshape(scores, target):
    return F.cross_entropy(scores.reshape(scores.shape[0], scores.shape[-1], *scores.shape[1:-1]), target)


def cross_entropy_ignore_index(logits, target, ignore_index):
    kept = target != ignore_index
    picked = F.log_softmax(logits, dim=1).gather(1, target.masked_fill(~kept, 0).unsqueeze(1)).squeeze(1)
    total = (-picked).masked_fill(~kept, 0.0).sum()
    count = kept.sum()
    mean = total / count.clamp(min=1)
    return torch.where(count > 0, mean, torch.full_like(mean, float("nan")))


def ignore_index_by_multiplying(logits, target, ignore_index):
    """The snippet the exercise asks to repair: right values on ordinary batches, nan where torch has none."""
    kept = target != ignore_index
    picked = F.log_softmax(logits, dim=1).gather(1, target.masked_fill(~kept, 0).unsqueeze(1)).squeeze(1)
    return (-picked * kept).sum() / kept.sum()


def test_frequency_weights_pass_only_the_balanced_batch(capsys):
    nb07.check_balanced_weights(frequency_weights)
    out = capsys.readouterr().out
    assert "  ✓ a balanced batch, 5 items per class" in out, out
    assert "  ✗ 90 items of class 0, 10 of class 1" in out, out


def test_any_multiple_of_the_balanced_weights_passes(capsys):
    nb07.check_balanced_weights(lambda target, c: 7.5 * balanced_weights(target, c))
    assert_all_passed(capsys.readouterr().out, cases=4)


def test_reshape_is_caught_even_where_every_shape_fits(capsys):
    nb07.check_cross_entropy_channels_last(channels_last_by_reshape)
    out = capsys.readouterr().out
    assert "  ✗ (N, H, W, C) = (1, 6, 6, 6)" in out, out
    assert "  ✓ one position per item, (N, C) = (5, 7)" in out, out


def test_the_snippet_to_repair_fails_on_the_gradient_and_the_minus_inf(capsys):
    nb07.check_cross_entropy_ignore_index(ignore_index_by_multiplying)
    out = capsys.readouterr().out
    assert "  ✓ 3 of 10 targets are −100" in out, out
    assert "  ✗ two ignored items have a −inf logit for class 0: returned" in out, out
    assert "  ✗ every target ignored: a nan mean, and a zero gradient: value right, but the gradient" in out, out


def test_the_repaired_answer_has_torchs_zero_gradient_on_an_all_padding_batch():
    logits = torch.randn(4, 3, requires_grad=True)
    loss = cross_entropy_ignore_index(logits, torch.full((4,), -100), -100)
    loss.backward()
    assert torch.isnan(loss) and (logits.grad == 0).all()


# The table that tests/test_exercise_checks.py runs through every self-check's shared behaviours.
EXERCISES = [
    Exercise(nb07.check_balanced_weights, balanced_weights, frequency_weights,
             "the same total weight", case_count=4, wrong_passes_some_cases=True),
    Exercise(nb07.check_cross_entropy_channels_last, cross_entropy_channels_last, channels_last_by_reshape,
             "has to move as an axis", case_count=4, wrong_passes_some_cases=True),
    Exercise(nb07.check_cross_entropy_ignore_index, cross_entropy_ignore_index, ignore_index_by_multiplying,
             "never let the division see a zero count", case_count=5, wrong_passes_some_cases=True),
]
