"""The self-checks of notebooks/08_entropy_cross_entropy_and_kl.ipynb: a right answer passes every case, a wrong one
gets ✗ lines and the hint, and the untouched stub is reported as "not implemented yet"."""
import math

import torch

from helpers.exercises import nb08


def _stub(*args):
    raise NotImplementedError


def entropy_bits(p):
    return -torch.xlogy(p, p).sum(-1) / math.log(2)


def entropy_bits_without_zero_handling(p):
    return -(p * torch.log2(p)).sum(-1)


def kl_divergence(p, q):
    return (torch.xlogy(p, p) - torch.xlogy(p, q)).sum(-1)


def kl_divergence_reversed(p, q):
    return kl_divergence(q, p)


def cross_entropy_from_probabilities(p, q):
    return -torch.xlogy(p, q).sum(-1)


def cross_entropy_without_zero_handling(p, q):
    return -(p * q.log()).sum(-1)


def _assert_all_pass(out, n_cases):
    assert "✗" not in out
    assert out.count("  ✓ ") == n_cases
    assert f"All {n_cases} checks passed." in out


def _assert_fails_with_hint(out, hint_fragment):
    assert "  ✗ " in out
    assert "checks passed. Hint:" in out
    assert hint_fragment in out
    assert "All " not in out


def test_entropy_bits_check(capsys):
    nb08.check_entropy_bits(entropy_bits)
    _assert_all_pass(capsys.readouterr().out, 5)

    nb08.check_entropy_bits(entropy_bits_without_zero_handling)
    out = capsys.readouterr().out
    _assert_fails_with_hint(out, "torch.xlogy(p, p)")
    assert "  ✗ a certain outcome [0, 1, 0] carries 0 bits" in out
    assert "  ✓ a fair coin carries 1 bit" in out

    nb08.check_entropy_bits(lambda p: -torch.xlogy(p, p).sum(-1))  # nats, not bits
    _assert_fails_with_hint(capsys.readouterr().out, "math.log(2)")

    nb08.check_entropy_bits(_stub)
    assert "not implemented yet" in capsys.readouterr().out


def test_kl_divergence_check(capsys):
    nb08.check_kl_divergence(kl_divergence)
    _assert_all_pass(capsys.readouterr().out, 5)

    nb08.check_kl_divergence(kl_divergence_reversed)
    out = capsys.readouterr().out
    _assert_fails_with_hint(out, "The first argument is the one that weights the sum.")
    assert "  ✓ KL(p‖p) = 0" in out
    assert "  ✗ KL([0.9, 0.1] ‖ [0.5, 0.5])" in out

    nb08.check_kl_divergence(_stub)
    assert "not implemented yet" in capsys.readouterr().out


def test_cross_entropy_from_probabilities_check(capsys):
    nb08.check_cross_entropy_from_probabilities(cross_entropy_from_probabilities)
    _assert_all_pass(capsys.readouterr().out, 5)

    nb08.check_cross_entropy_from_probabilities(cross_entropy_without_zero_handling)
    out = capsys.readouterr().out
    _assert_fails_with_hint(out, "0·(−inf) = nan")
    assert "  ✗ q = 0 where p = 0 is fine" in out

    nb08.check_cross_entropy_from_probabilities(_stub)
    assert "not implemented yet" in capsys.readouterr().out


def test_reference_answers_satisfy_ce_equals_entropy_plus_kl():
    generator = torch.Generator().manual_seed(0)
    p = torch.softmax(torch.randn(50, 6, generator=generator), -1)
    q = torch.softmax(torch.randn(50, 6, generator=generator), -1)
    torch.testing.assert_close(cross_entropy_from_probabilities(p, q),
                               entropy_bits(p) * math.log(2) + kl_divergence(p, q))
    assert (kl_divergence(p, q) >= 0).all()
