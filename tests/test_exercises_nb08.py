"""Notebook 08's exercise answers, which test_exercise_checks.py runs through every self-check's shared
behaviours, and what its self-checks say about particular mistakes."""
import torch
import torch.nn.functional as F

from exercise_table import Exercise
from helpers.exercises import nb08


def smoothed_loss_floor(num_classes, epsilon):
    target = torch.full((num_classes,), epsilon / num_classes, dtype=torch.float64)
    target[0] += 1 - epsilon
    return -torch.xlogy(target, target).sum()


def floor_smoothing_over_the_other_classes(num_classes, epsilon):
    """The other convention (ε spread over the C − 1 wrong classes only), which is not PyTorch's."""
    target = torch.full((num_classes,), epsilon / (num_classes - 1), dtype=torch.float64)
    target[0] = 1 - epsilon
    return -torch.xlogy(target, target).sum()


def smoothed_cross_entropy_ignore_index(logits, target, epsilon, ignore_index):
    kept = target != ignore_index
    num_classes = logits.shape[1]
    smoothed = (1 - epsilon) * F.one_hot(target[kept], num_classes).to(logits.dtype) + epsilon / num_classes
    item_losses = -(smoothed * F.log_softmax(logits[kept], dim=1)).sum(dim=1)
    return item_losses.sum() / kept.sum().clamp(min=1) + (0.0 if kept.any() else float("nan"))


def smoothed_mean_over_every_item(logits, target, epsilon, ignore_index):
    kept = target != ignore_index
    num_classes = logits.shape[1]
    smoothed = (1 - epsilon) * F.one_hot(target.masked_fill(~kept, 0), num_classes).to(logits.dtype) \
        + epsilon / num_classes
    item_losses = -(smoothed * F.log_softmax(logits, dim=1)).sum(dim=1)
    return item_losses.masked_fill(~kept, 0.0).mean()


def test_the_other_smoothing_convention_passes_only_without_smoothing(capsys):
    nb08.check_smoothed_loss_floor(floor_smoothing_over_the_other_classes)
    out = capsys.readouterr().out
    assert "  ✓ ε = 0: no smoothing" in out, out
    assert "  ✗ ε = 1: the target is uniform over C = 4: returned" in out, out


def test_the_floor_is_what_training_reaches():
    logits = torch.zeros(1, 4, requires_grad=True)
    optimiser = torch.optim.SGD([logits], lr=2.0)
    for _ in range(2000):
        optimiser.zero_grad()
        F.cross_entropy(logits, torch.tensor([2]), label_smoothing=0.2).backward()
        optimiser.step()
    reached = F.cross_entropy(logits, torch.tensor([2]), label_smoothing=0.2)
    torch.testing.assert_close(reached.double(), smoothed_loss_floor(4, 0.2), rtol=1e-5, atol=1e-6)


def test_dividing_by_every_item_passes_only_without_padding(capsys):
    nb08.check_smoothed_cross_entropy_ignore_index(smoothed_mean_over_every_item)
    out = capsys.readouterr().out
    assert "  ✓ nothing ignored, ε = 0.1" in out, out
    assert "  ✗ 3 of 9 targets are −100, ε = 0.1" in out, out


# The table that tests/test_exercise_checks.py runs through every self-check's shared behaviours.
EXERCISES = [
    Exercise(nb08.check_smoothed_loss_floor, smoothed_loss_floor, floor_smoothing_over_the_other_classes,
             "the true one included", case_count=5, wrong_passes_some_cases=True),
    Exercise(nb08.check_smoothed_cross_entropy_ignore_index, smoothed_cross_entropy_ignore_index,
             smoothed_mean_over_every_item, "leave the sum and the count", case_count=5,
             wrong_passes_some_cases=True),
]
