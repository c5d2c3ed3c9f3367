"""Notebook 05's exercise answers, which test_exercise_checks.py runs through every self-check's shared
behaviours, and what its self-checks say about particular mistakes."""
import torch
import torch.nn.functional as F

from exercise_table import Exercise
from helpers.exercises import nb05
from selfcheck_output import assert_failed_with_hint


def stable_softmax(z):
    e = torch.exp(z - z.amax(dim=-1, keepdim=True))
    return e / e.sum(dim=-1, keepdim=True)


def softmax_jacobian(z):
    q = stable_softmax(z)
    return torch.diag(q) - torch.outer(q, q)


def jacobian_without_the_off_diagonal_terms(z):
    """Only ∂q_i/∂z_i = q_i(1 − q_i): forgets that every probability shares the denominator."""
    q = stable_softmax(z)
    return torch.diag(q * (1 - q))


def jacobian_with_a_naive_softmax(z):
    e = torch.exp(z)
    q = e / e.sum()
    return torch.diag(q) - torch.outer(q, q)


def softmax_regression_grad_w(W, b, X, y):
    q = stable_softmax(X @ W.T + b)
    p = F.one_hot(y, W.shape[0]).to(q.dtype)
    return (q - p).T @ X / len(y)


def softmax_regression_grad_w_summed(W, b, X, y):
    return softmax_regression_grad_w(W, b, X, y) * len(y)


def softmax_regression_grad_w_transposed(W, b, X, y):
    return softmax_regression_grad_w(W, b, X, y).T


def test_a_diagonal_jacobian_fails_and_breaks_shift_invariance(capsys):
    nb05.check_softmax_jacobian(jacobian_without_the_off_diagonal_terms)
    out = capsys.readouterr().out
    assert_failed_with_hint(out, "the quotient rule", failure="J times the all-ones vector is 0")


def test_a_naive_softmax_inside_the_jacobian_fails_only_on_large_logits(capsys):
    nb05.check_softmax_jacobian(jacobian_with_a_naive_softmax)
    out = capsys.readouterr().out
    assert "4/5 checks passed" in out, out
    assert_failed_with_hint(out, failure="large logits")


def test_a_summed_gradient_passes_one_item_and_fails_the_batch(capsys):
    nb05.check_softmax_regression_grad(softmax_regression_grad_w_summed)
    out = capsys.readouterr().out
    assert "✓ one item (N = 1)" in out, out
    assert_failed_with_hint(out, "a mean over the N items", failure="a batch of N = 8")


def test_a_transposed_gradient_gets_a_shape_message(capsys):
    nb05.check_softmax_regression_grad(softmax_regression_grad_w_transposed)
    assert "returned shape (3, 4), expected (4, 3)" in capsys.readouterr().out


# The table that tests/test_exercise_checks.py runs through every self-check's shared behaviours.
EXERCISES = [
    Exercise(nb05.check_softmax_jacobian, softmax_jacobian, jacobian_without_the_off_diagonal_terms,
             "the quotient rule gives both", case_count=5),
    Exercise(nb05.check_softmax_regression_grad, softmax_regression_grad_w, softmax_regression_grad_w_summed,
             "a mean over the N items", case_count=5, wrong_passes_some_cases=True),
]
