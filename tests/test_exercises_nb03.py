"""Notebook 03's exercise answers, which test_exercise_checks.py runs through every self-check's shared
behaviours, and what its self-checks say about particular mistakes."""
import torch

from exercise_table import Exercise
from helpers.exercises import nb03
from selfcheck_output import assert_failed_with_hint, assert_reported_not_raised


def stable_bce_with_logits(z, y):
    log_sigmoid = torch.clamp(z, max=0) - torch.log1p(torch.exp(-z.abs()))
    return (1 - y) * z - log_sigmoid


def naive_bce_with_logits(z, y):
    p = torch.sigmoid(z)
    return -(y * torch.log(p) + (1 - y) * torch.log(1 - p))


def bce_with_logits_grad(z, y):
    return (torch.sigmoid(z) - y) / z.numel()


def bce_with_logits_grad_without_the_mean(z, y):
    return torch.sigmoid(z) - y


def clamped_bce(p, y):
    return -(y * torch.log(p).clamp(min=-100) + (1 - y) * torch.log(1 - p).clamp(min=-100))


def clamped_after_multiplying(p, y):
    return -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).clamp(max=100)


def test_stable_bce_naive_fails_on_extreme_logits(capsys):
    nb03.check_stable_bce_with_logits(naive_bce_with_logits)
    out = capsys.readouterr().out
    assert "✓ moderate logits" in out, out
    assert "✗ large positive logits" in out and "✗ large negative logits" in out, out


def test_stable_bce_wrong_sign_fails(capsys):
    nb03.check_stable_bce_with_logits(lambda z, y: -stable_bce_with_logits(z, y))
    assert_failed_with_hint(capsys.readouterr().out, failure="moderate logits")


def test_grad_without_the_mean_fails(capsys):
    nb03.check_bce_with_logits_grad(bce_with_logits_grad_without_the_mean)
    out = capsys.readouterr().out
    assert "✓ a single logit" in out, out  # N = 1: the mean changes nothing
    assert "✗ four logits: the mean divides by 4" in out, out


def test_clamping_after_multiplying_gives_nan(capsys):
    nb03.check_clamped_bce(clamped_after_multiplying)
    assert_failed_with_hint(capsys.readouterr().out, failure="cost 0, not nan")


def test_unclamped_bce_fails(capsys):
    nb03.check_clamped_bce(lambda p, y: -(y * torch.log(p) + (1 - y) * torch.log(1 - p)))
    assert_failed_with_hint(capsys.readouterr().out, failure="p = 0 with y = 1 costs 100")


def test_a_torch_error_is_reported_not_raised(capsys):
    nb03.check_clamped_bce(lambda p, y: p.view(7, -1))
    assert_reported_not_raised(capsys.readouterr().out, "RuntimeError")


# The table that tests/test_exercise_checks.py runs through every self-check's shared behaviours.
EXERCISES = [
    Exercise(nb03.check_stable_bce_with_logits, stable_bce_with_logits, naive_bce_with_logits,
             "never form σ(z) and take its log", wrong_passes_some_cases=True),
    Exercise(nb03.check_bce_with_logits_grad, bce_with_logits_grad,
             bce_with_logits_grad_without_the_mean,
             "divides the total by z.numel()", wrong_passes_some_cases=True),
    Exercise(nb03.check_clamped_bce, clamped_bce, clamped_after_multiplying,
             "clamp each log before multiplying", wrong_passes_some_cases=True),
]
