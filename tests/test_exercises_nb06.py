"""Notebook 06's exercise answers, which test_exercise_checks.py runs through every self-check's shared
behaviours, and what its self-checks say about particular mistakes."""
import math

import pytest
import torch

from exercise_table import Exercise
from helpers.exercises import nb06
from selfcheck_output import assert_failed_with_hint


def inf_gap(dtype):
    info = torch.finfo(dtype)
    # q rounds to 0 below half the smallest subnormal, tiny · eps; in logs, because 2^-1075 is 0 even in float64
    return torch.tensor(-(math.log(info.tiny) + math.log(info.eps) - math.log(2.0)), dtype=torch.float64)


def inf_gap_without_rounding(dtype):
    info = torch.finfo(dtype)
    return torch.tensor(-(math.log(info.tiny) + math.log(info.eps)), dtype=torch.float64)


def inf_gap_at_the_normal_limit(dtype):
    return -math.log(torch.finfo(dtype).tiny)


def repaired_cross_entropy(logits, targets):
    log_q = torch.log_softmax(logits, dim=1)
    return -log_q[torch.arange(len(targets)), targets].mean()


def cross_entropy_normalised_over_the_batch(logits, targets):
    log_q = torch.log_softmax(logits, dim=0)
    return -log_q[torch.arange(len(targets)), targets].mean()


def cross_entropy_picking_every_target_for_every_item(logits, targets):
    log_q = torch.log_softmax(logits, dim=1)
    return -log_q[:, targets].mean()


def cross_entropy_as_found(logits, targets):
    log_q = torch.log_softmax(logits, dim=0)
    return -log_q[:, targets].mean()


@pytest.mark.parametrize("dtype, gap", [(torch.float32, 103.97), (torch.float16, 17.33), (torch.bfloat16, 92.88),
                                        (torch.float64, 745.13)])
def test_the_measured_gap_is_where_the_rounded_probability_becomes_zero(dtype, gap):
    measured = nb06.measured_inf_gap(dtype).item()
    assert measured == pytest.approx(gap, abs=0.3)
    assert not math.isinf(torch.log(torch.softmax(torch.tensor([0.0, measured - 0.4]).to(dtype), 0))[0].item())


def test_forgetting_the_rounding_fails_every_dtype(capsys):
    nb06.check_inf_gap(inf_gap_without_rounding)
    out = capsys.readouterr().out
    assert "0/4 checks passed" in out, out
    assert "when is 0 the nearest" in out, out


def test_a_float_prediction_is_accepted_and_the_normal_limit_fails(capsys):
    nb06.check_inf_gap(inf_gap_at_the_normal_limit)
    out = capsys.readouterr().out
    assert "✗ float32: the measured gap is 103.975: returned tensor of shape (): 87.33" in out, out


@pytest.mark.parametrize("wrong", [cross_entropy_normalised_over_the_batch,
                                   cross_entropy_picking_every_target_for_every_item, cross_entropy_as_found])
def test_each_silent_bug_fails_the_square_batch(capsys, wrong):
    nb06.check_repaired_cross_entropy(wrong)
    assert_failed_with_hint(capsys.readouterr().out, "two silent bugs", failure="a square (5, 5) batch")


def test_the_snippet_as_found_runs_without_error_on_every_case(capsys):
    nb06.check_repaired_cross_entropy(cross_entropy_as_found)
    out = capsys.readouterr().out
    assert "raised" not in out, out


# The table that tests/test_exercise_checks.py runs through every self-check's shared behaviours.
EXERCISES = [
    Exercise(nb06.check_inf_gap, inf_gap, inf_gap_without_rounding, "when is 0 the nearest", case_count=4),
    Exercise(nb06.check_repaired_cross_entropy, repaired_cross_entropy,
             cross_entropy_picking_every_target_for_every_item,
             "two silent bugs", case_count=5, wrong_passes_some_cases=True),
]
