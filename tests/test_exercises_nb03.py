"""Notebook 03's exercise answers, which test_exercise_checks.py runs through every self-check's shared
behaviours, and what its self-checks say about particular mistakes."""
import pytest
import torch

from exercise_table import Exercise
from helpers.exercises import nb03
from selfcheck_output import assert_all_passed, assert_failed_with_hint, assert_reported_not_raised


def stable_bce_with_logits(z, y):
    log_sigmoid = torch.clamp(z, max=0) - torch.log1p(torch.exp(-z.abs()))
    return (1 - y) * z - log_sigmoid


def naive_bce_with_logits(z, y):
    p = torch.sigmoid(z)
    return -(y * torch.log(p) + (1 - y) * torch.log(1 - p))


def bce_right_at_the_kink(z, y):
    # max(z, 0) = (z + |z|)/2 uses the same kink as log1p(e^{−|z|}): both take abs's slope 0 at z = 0
    return (z + z.abs()) / 2 - z * y + torch.log1p(torch.exp(-z.abs()))


def bce_right_at_the_kink_by_branches(z, y):
    # another right answer: two smooth branches, each fed only the logits it is used for
    positive = z > 0
    z_pos, z_neg = torch.where(positive, z, 0.0), torch.where(positive, 0.0, z)
    return torch.where(positive, z_pos + torch.log1p(torch.exp(-z_pos)), torch.log1p(torch.exp(z_neg))) - z * y


def section_4_form(z, y):
    return stable_bce_with_logits(z, y)


def exercise_1_form(z, y):
    return torch.clamp(z, min=0) - z * y + torch.log1p(torch.exp(-z.abs()))


def clamped_bce(p, y):
    return -(y * torch.log(p).clamp(min=-100) + (1 - y) * torch.log(1 - p).clamp(min=-100))


def clamped_after_multiplying(p, y):
    loss = -(y * torch.log(p) + (1 - y) * torch.log(1 - p))
    return loss.clamp(max=100)


def test_stable_bce_naive_fails_on_extreme_logits(capsys):
    nb03.check_stable_bce_with_logits(naive_bce_with_logits)
    out = capsys.readouterr().out
    assert "✓ moderate logits" in out, out
    assert "✗ large positive logits" in out and "✗ large negative logits" in out, out


def test_stable_bce_wrong_sign_fails(capsys):
    nb03.check_stable_bce_with_logits(lambda z, y: -stable_bce_with_logits(z, y))
    assert_failed_with_hint(capsys.readouterr().out, failure="moderate logits")


def test_exercise_1_form_passes_exercise_1(capsys):
    nb03.check_stable_bce_with_logits(exercise_1_form)
    assert_all_passed(capsys.readouterr().out, 6)


# At z = 0 (labels 0 and 1) autograd gives −y through section 4's form and 1 − y through Exercise 1's; σ(0) − y is right.
@pytest.mark.parametrize("form, autograd_at_zero", [(section_4_form, [0.0, -1.0]), (exercise_1_form, [1.0, 0.0])])
def test_the_kink_check_reports_the_gradient_autograd_gives_at_zero(capsys, form, autograd_at_zero):
    nb03.check_bce_with_logits_right_at_the_kink(form)
    out = capsys.readouterr().out
    assert "✓ moderate logits" in out and "✓ logits ±20 and ±1e4, both labels" in out, out
    kink = next(line for line in out.splitlines() if "z = 0 with y = 0 and y = 1: the kink" in line)
    assert "✗" in kink and "gradient of argument 0 differs" in kink, kink
    assert f"got tensor of shape (2,): {torch.tensor(autograd_at_zero)}" in kink, kink


def test_torch_maximum_also_passes_the_kink_check(capsys):
    # torch.maximum splits the gradient at a tie (½ to each argument), so max(z, 0) gets slope ½ at z = 0; the
    # solution cell mentions it, and the hint must not claim that max passes slope 1
    nb03.check_bce_with_logits_right_at_the_kink(
        lambda z, y: torch.maximum(z, torch.zeros_like(z)) - z * y + torch.log1p(torch.exp(-z.abs())))
    assert_all_passed(capsys.readouterr().out, 5)


def test_two_branches_also_pass_the_kink_check(capsys):
    nb03.check_bce_with_logits_right_at_the_kink(bce_right_at_the_kink_by_branches)
    assert_all_passed(capsys.readouterr().out, 5)


def test_the_naive_form_fails_the_kink_check_on_large_logits(capsys):
    nb03.check_bce_with_logits_right_at_the_kink(naive_bce_with_logits)
    assert_failed_with_hint(capsys.readouterr().out, failure="logits ±20 and ±1e4")


def test_clamping_after_multiplying_gets_100_right_but_gives_nan(capsys):
    nb03.check_clamped_bce(clamped_after_multiplying)
    out = capsys.readouterr().out
    assert "✓ q = 0 with y = 1 costs 100, not inf" in out, out   # the shortcut looks right at first sight
    assert_failed_with_hint(out, failure="cost 0, not nan")


def test_unclamped_bce_fails(capsys):
    nb03.check_clamped_bce(lambda p, y: -(y * torch.log(p) + (1 - y) * torch.log(1 - p)))
    assert_failed_with_hint(capsys.readouterr().out, failure="q = 0 with y = 1 costs 100")


def test_a_torch_error_is_reported_not_raised(capsys):
    nb03.check_clamped_bce(lambda p, y: p.view(7, -1))
    assert_reported_not_raised(capsys.readouterr().out, "RuntimeError")


# The table that tests/test_exercise_checks.py runs through every self-check's shared behaviours.
EXERCISES = [
    Exercise(nb03.check_stable_bce_with_logits, exercise_1_form, naive_bce_with_logits,
             "only an exponential whose exponent can never be positive", case_count=6, wrong_passes_some_cases=True),
    Exercise(nb03.check_bce_with_logits_right_at_the_kink, bce_right_at_the_kink, section_4_form,
             "one fixed slope at each kink", case_count=5, wrong_passes_some_cases=True),
    Exercise(nb03.check_clamped_bce, clamped_bce, clamped_after_multiplying,
             "must already be finite when it is multiplied by 0", case_count=6, wrong_passes_some_cases=True),
]
