"""Notebook 08's exercise answers, which test_exercise_checks.py runs through every self-check's shared
behaviours, and what its self-checks say about particular mistakes."""
import math

import pytest
import torch

from exercise_table import Exercise
from helpers.exercises import nb08
from selfcheck_output import assert_failed_with_hint


def entropy_bits(p):
    return -torch.xlogy(p, p).sum(-1) / math.log(2)


def entropy_bits_without_zero_handling(p):
    return -(p * torch.log2(p)).sum(-1)


def entropy_in_nats(p):
    return -torch.xlogy(p, p).sum(-1)


def kl_divergence(p, q):
    return (torch.xlogy(p, p) - torch.xlogy(p, q)).sum(-1)


def kl_divergence_reversed(p, q):
    return kl_divergence(q, p)


def cross_entropy_from_probabilities(p, q):
    return -torch.xlogy(p, q).sum(-1)


def cross_entropy_without_zero_handling(p, q):
    return -(p * q.log()).sum(-1)


@pytest.mark.parametrize("check, wrong, lines", [
    (nb08.check_entropy_bits, entropy_bits_without_zero_handling,
     ["  ✗ a certain outcome [0, 1, 0] carries 0 bits", "  ✓ a fair coin carries 1 bit"]),
    (nb08.check_kl_divergence, kl_divergence_reversed, ["  ✓ KL(p‖p) = 0", "  ✗ KL([0.9, 0.1] ‖ [0.5, 0.5])"]),
    (nb08.check_cross_entropy_from_probabilities, cross_entropy_without_zero_handling,
     ["  ✗ q = 0 where p = 0 is fine"]),
], ids=["entropy_bits_without_zero_handling", "kl_divergence_reversed", "cross_entropy_without_zero_handling"])
def test_wrong_answer_is_marked_on_the_telling_cases(capsys, check, wrong, lines):
    check(wrong)
    out = capsys.readouterr().out
    for line in lines:
        assert line in out


def test_entropy_in_nats_gets_the_bits_hint(capsys):
    nb08.check_entropy_bits(entropy_in_nats)
    assert_failed_with_hint(capsys.readouterr().out, "math.log(2)")


def test_reference_answers_satisfy_ce_equals_entropy_plus_kl():
    generator = torch.Generator().manual_seed(0)
    p = torch.softmax(torch.randn(50, 6, generator=generator), -1)
    q = torch.softmax(torch.randn(50, 6, generator=generator), -1)
    torch.testing.assert_close(cross_entropy_from_probabilities(p, q),
                               entropy_bits(p) * math.log(2) + kl_divergence(p, q))
    assert (kl_divergence(p, q) >= 0).all()


# The table that tests/test_exercise_checks.py runs through every self-check's shared behaviours.
EXERCISES = [
    Exercise(nb08.check_entropy_bits, entropy_bits, entropy_bits_without_zero_handling,
             "torch.xlogy(p, p)", case_count=5, wrong_passes_some_cases=True),
    Exercise(nb08.check_kl_divergence, kl_divergence, kl_divergence_reversed,
             "The first argument is the one that weights the sum.", case_count=5, wrong_passes_some_cases=True),
    Exercise(nb08.check_cross_entropy_from_probabilities, cross_entropy_from_probabilities,
             cross_entropy_without_zero_handling,
             "0·(−inf) = nan", case_count=5, wrong_passes_some_cases=True),
]
