"""Notebook 10's exercise answers, which test_exercise_checks.py runs through every self-check's shared
behaviours, and what its self-checks say about particular mistakes."""
import torch
import torch.nn.functional as F

from exercise_table import Exercise
from helpers.exercises import nb10
from selfcheck_output import assert_all_passed, assert_failed_with_hint


def weighted_ce_grad(z, target, weight):
    item_weight = weight[target]
    residual = torch.softmax(z, dim=1) - F.one_hot(target, z.shape[1]).to(z.dtype)
    return item_weight[:, None] * residual / item_weight.sum()


def weighted_ce_grad_divided_by_n(z, target, weight):
    item_weight = weight[target]
    residual = torch.softmax(z, dim=1) - F.one_hot(target, z.shape[1]).to(z.dtype)
    return item_weight[:, None] * residual / len(target)


def softmax_regression_weight_grad(x, weight, bias, target):
    kept = target != -100
    q = torch.softmax(x[kept] @ weight.T + bias, dim=1)
    p = F.one_hot(target[kept], weight.shape[0]).to(x.dtype)
    return (q - p).T @ x[kept] / kept.sum()


def weight_grad_divided_by_every_item(x, weight, bias, target):
    kept = target != -100
    q = torch.softmax(x[kept] @ weight.T + bias, dim=1)
    p = F.one_hot(target[kept], weight.shape[0]).to(x.dtype)
    return (q - p).T @ x[kept] / len(target)


def test_unweighted_formula_passes_only_uniform_weights(capsys):
    nb10.check_weighted_ce_grad(lambda z, t, w: (torch.softmax(z, 1) - F.one_hot(t, z.shape[1])) / len(t))
    out = capsys.readouterr().out
    assert "✓ all weights 1" in out and "✓ all weights 2.5" in out, out
    assert_failed_with_hint(out, hint="weighted mean", failure="weights [1, 3, 0.5]")


def test_dividing_by_n_fails_the_single_item(capsys):
    nb10.check_weighted_ce_grad(weighted_ce_grad_divided_by_n)
    assert_failed_with_hint(capsys.readouterr().out, failure="a single item with weight 4")


def test_ignoring_nothing_passes_only_the_first_case(capsys):
    nb10.check_softmax_regression_weight_grad(weight_grad_divided_by_every_item)
    out = capsys.readouterr().out
    assert "✓ nothing ignored" in out, out
    assert_failed_with_hint(out, hint="neither to the sum nor to the count", failure="two of six items ignored")


def test_one_hot_of_minus_100_is_reported(capsys):
    def naive(x, weight, bias, target):
        q = torch.softmax(x @ weight.T + bias, dim=1)
        return (q - F.one_hot(target, 3)).T @ x / len(target)
    nb10.check_softmax_regression_weight_grad(naive)
    out = capsys.readouterr().out
    assert "✓ nothing ignored" in out and "raised RuntimeError" in out, out


def test_references_pass(capsys):
    nb10.check_weighted_ce_grad(weighted_ce_grad)
    assert_all_passed(capsys.readouterr().out, cases=5)
    nb10.check_softmax_regression_weight_grad(softmax_regression_weight_grad)
    assert_all_passed(capsys.readouterr().out, cases=4)


# The table that tests/test_exercise_checks.py runs through every self-check's shared behaviours.
EXERCISES = [
    Exercise(nb10.check_weighted_ce_grad, weighted_ce_grad, weighted_ce_grad_divided_by_n,
             "a weighted mean", case_count=5, wrong_passes_some_cases=True),
    Exercise(nb10.check_softmax_regression_weight_grad, softmax_regression_weight_grad,
             weight_grad_divided_by_every_item, "neither to the sum nor to the count", case_count=4,
             wrong_passes_some_cases=True),
]
