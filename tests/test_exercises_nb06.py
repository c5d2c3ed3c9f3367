"""Notebook 06's exercise answers, which test_exercise_checks.py runs through every self-check's shared
behaviours, and what its self-checks say about particular mistakes."""
import torch

from exercise_table import Exercise
from helpers.exercises import nb06


def logsumexp(z, dim):
    m = z.amax(dim=dim, keepdim=True)
    return (m + torch.log(torch.exp(z - m).sum(dim=dim, keepdim=True))).squeeze(dim)


def naive_logsumexp(z, dim):
    return torch.log(torch.exp(z).sum(dim=dim))


def log_softmax(z, dim):
    return z - logsumexp(z, dim).unsqueeze(dim)


def log_of_softmax(z, dim):
    return torch.log(torch.softmax(z, dim=dim))


def cross_entropy(logits, target):
    logp = log_softmax(logits, 1)
    return -logp[torch.arange(len(target)), target].mean()


def cross_entropy_via_log_of_softmax(logits, target):
    logp = log_of_softmax(logits, 1)
    return -logp[torch.arange(len(target)), target].mean()


def test_logsumexp_that_keeps_the_dimension_gets_a_shape_message(capsys):
    nb06.check_logsumexp(lambda z, dim: logsumexp(z, dim).unsqueeze(dim))
    out = capsys.readouterr().out
    assert "returned shape (4, 1), expected (4,)" in out


def test_cross_entropy_summed_instead_of_averaged_fails(capsys):
    nb06.check_cross_entropy(lambda logits, target: cross_entropy(logits, target) * len(target))
    out = capsys.readouterr().out
    assert "✗ an (8, 5) batch" in out
    assert "✓ one item, shape (1, 4)" in out


# The table that tests/test_exercise_checks.py runs through every self-check's shared behaviours.
EXERCISES = [
    Exercise(nb06.check_logsumexp, logsumexp, naive_logsumexp,
             "Factoring out exp(m)", wrong_passes_some_cases=True),
    Exercise(nb06.check_log_softmax, log_softmax, log_of_softmax,
             "Never take torch.log(softmax(z))", wrong_passes_some_cases=True),
    Exercise(nb06.check_cross_entropy, cross_entropy, cross_entropy_via_log_of_softmax,
             "as z - logsumexp(z), stably", wrong_passes_some_cases=True),
]
