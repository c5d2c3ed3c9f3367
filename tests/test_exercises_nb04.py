"""Notebook 04's exercise answers, which test_exercise_checks.py runs through every self-check's shared
behaviours, and what its self-checks say about particular mistakes."""
import pytest
import torch
import torch.nn.functional as F

from exercise_table import Exercise
from helpers.exercises import nb04
from selfcheck_output import assert_failed_with_hint


def pos_weight_from_labels(labels):
    positives = labels.sum(dim=0)
    return (labels.shape[0] - positives) / positives


def pos_weight_inverted(labels):
    return 1 / pos_weight_from_labels(labels)


def pos_weight_summed_over_the_wrong_dimension(labels):
    return (labels.shape[1] - labels.sum(1)) / labels.sum(1)


def weighted_bce(p, y, weight):
    return (-weight * (y * torch.log(p) + (1 - y) * torch.log(1 - p))).mean()


def weighted_bce_divided_by_weights(p, y, weight):
    loss = -weight * (y * torch.log(p) + (1 - y) * torch.log(1 - p))
    return loss.sum() / weight.expand_as(loss).sum()


def bce_with_logits_pos_weight(x, y, pos_weight):
    return -(pos_weight * y * F.logsigmoid(x) + (1 - y) * F.logsigmoid(-x)).mean()


def bce_with_logits_pos_weight_unstable(x, y, pos_weight):
    p = torch.sigmoid(x)
    return -(pos_weight * y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean()


@pytest.mark.parametrize("wrong", [pos_weight_inverted, pos_weight_summed_over_the_wrong_dimension])
def test_wrong_pos_weight_fails_the_hand_counted_matrix(capsys, wrong):
    nb04.check_pos_weight_from_labels(wrong)
    assert_failed_with_hint(capsys.readouterr().out, failure="counted by hand")


def test_weighted_bce_dividing_by_the_weights_fails(capsys):
    nb04.check_weighted_bce(weighted_bce_divided_by_weights)
    out = capsys.readouterr().out
    assert "✓ weights of ones give the plain mean" in out, out
    assert "✗ zero weights still count in the mean's denominator" in out, out


def test_pos_weight_loss_unstable_fails_on_extreme_logits(capsys):
    nb04.check_bce_with_logits_pos_weight(bce_with_logits_pos_weight_unstable)
    out = capsys.readouterr().out
    assert "✓ the worked table with pos_weight = [3]" in out and "✓ pos_weight = 1 is the plain loss" in out, out
    assert_failed_with_hint(out, failure="extreme logits")


def test_pos_weight_on_the_negative_term_fails(capsys):
    nb04.check_bce_with_logits_pos_weight(
        lambda x, y, pw: -(y * F.logsigmoid(x) + pw * (1 - y) * F.logsigmoid(-x)).mean())
    assert_failed_with_hint(capsys.readouterr().out, failure="the worked table")


# The table that tests/test_exercise_checks.py runs through every self-check's shared behaviours.
EXERCISES = [
    Exercise(nb04.check_pos_weight_from_labels, pos_weight_from_labels, pos_weight_inverted,
             "return negatives / positives", wrong_passes_some_cases=True),
    Exercise(nb04.check_weighted_bce, weighted_bce, weighted_bce_divided_by_weights,
             "not by the sum of the weights", wrong_passes_some_cases=True),
    Exercise(nb04.check_bce_with_logits_pos_weight, bce_with_logits_pos_weight,
             bce_with_logits_pos_weight_unstable,
             "never torch.log(torch.sigmoid(x))", wrong_passes_some_cases=True),
]
