"""Notebook 11's exercise answers, which test_exercise_checks.py runs through every self-check's shared
behaviours, and what its self-checks say about particular mistakes."""
import math

import torch
import torch.nn.functional as F

from exercise_table import Exercise
from helpers.exercises import nb11
from selfcheck_output import assert_all_passed, assert_failed_with_hint


def frequency_baseline_loss(labels, n_classes):
    frequencies = torch.bincount(labels, minlength=n_classes).double() / len(labels)
    present = frequencies > 0
    return -(frequencies[present] * torch.log(frequencies[present])).sum()


def log_of_the_number_of_classes(labels, n_classes):
    return torch.tensor(math.log(n_classes), dtype=torch.float64)


def entropy_with_nan_for_absent_classes(labels, n_classes):
    frequencies = torch.bincount(labels, minlength=n_classes).double() / len(labels)
    return -(frequencies * torch.log(frequencies)).sum()


def accumulated_loss(z_a, target_a, z_b, target_b):
    total = (F.cross_entropy(z_a, target_a, reduction="sum", ignore_index=-100)
             + F.cross_entropy(z_b, target_b, reduction="sum", ignore_index=-100))
    return total / ((target_a != -100).sum() + (target_b != -100).sum())


def mean_of_means(z_a, target_a, z_b, target_b):
    return (F.cross_entropy(z_a, target_a, ignore_index=-100) + F.cross_entropy(z_b, target_b, ignore_index=-100)) / 2


def divided_by_every_item(z_a, target_a, z_b, target_b):
    total = (F.cross_entropy(z_a, target_a, reduction="sum", ignore_index=-100)
             + F.cross_entropy(z_b, target_b, reduction="sum", ignore_index=-100))
    return total / (len(target_a) + len(target_b))


def test_log_c_passes_only_balanced_classes(capsys):
    nb11.check_frequency_baseline_loss(log_of_the_number_of_classes)
    out = capsys.readouterr().out
    assert "✓ ten balanced classes" in out, out
    assert_failed_with_hint(out, hint="class frequencies", failure="90 % / 10 %")


def test_nan_for_an_absent_class_is_caught(capsys):
    nb11.check_frequency_baseline_loss(entropy_with_nan_for_absent_classes)
    assert_failed_with_hint(capsys.readouterr().out, failure="one of them absent")


def test_mean_of_means_passes_only_without_ignored_items(capsys):
    nb11.check_accumulated_loss(mean_of_means)
    out = capsys.readouterr().out
    assert "✓ two micro-batches of 4, nothing ignored" in out, out
    assert_failed_with_hint(out, hint="which items does that count", failure="three items of the second ignored")
    assert "✗ every item of the second micro-batch ignored" in out, out


def test_dividing_by_every_item_fails(capsys):
    nb11.check_accumulated_loss(divided_by_every_item)
    out = capsys.readouterr().out
    assert "✓ two micro-batches of 4, nothing ignored" in out, out
    assert_failed_with_hint(out, failure="three items of the second ignored")


def test_references_pass(capsys):
    nb11.check_frequency_baseline_loss(frequency_baseline_loss)
    assert_all_passed(capsys.readouterr().out, cases=4)
    nb11.check_accumulated_loss(accumulated_loss)
    assert_all_passed(capsys.readouterr().out, cases=4)


# The table that tests/test_exercise_checks.py runs through every self-check's shared behaviours.
EXERCISES = [
    Exercise(nb11.check_frequency_baseline_loss, frequency_baseline_loss, log_of_the_number_of_classes,
             "class frequencies", case_count=4, wrong_passes_some_cases=True),
    Exercise(nb11.check_accumulated_loss, accumulated_loss, mean_of_means, "which items does that count", case_count=4,
             wrong_passes_some_cases=True),
]
