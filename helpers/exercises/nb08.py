"""Self-checks for the exercises of notebooks/08_entropy_cross_entropy_and_kl.ipynb.

Each ``check_*`` runs the reader's function on a few cases through ``helpers.selfcheck.run_checks`` and prints
one ✓/✗ line per case; it never raises. Distributions lie along the last dimension; some cases hold zero
probabilities, where the convention 0·log 0 = 0 applies.
"""
import math

import torch
import torch.nn.functional as F

from helpers.selfcheck import Case, run_checks


def _distributions(n, n_classes, seed):
    generator = torch.Generator().manual_seed(seed)
    return torch.softmax(2 * torch.randn(n, n_classes, generator=generator), dim=-1)


def _entropy_bits_reference(p):
    return torch.special.entr(p).sum(-1) / math.log(2)


def check_entropy_bits(your_fn):
    """Check ``your_fn(p)``: the entropy in bits of the distributions along p's last dimension."""
    batch = _distributions(4, 6, seed=81)
    cases = [
        Case("a fair coin carries 1 bit", (torch.tensor([0.5, 0.5]),), expected=torch.tensor(1.0)),
        Case("a fair die carries log2 6 ≈ 2.585 bits", (torch.full((6,), 1 / 6),), expected=torch.tensor(math.log2(6))),
        Case("[1/2, 1/4, 1/8, 1/8] needs 1.75 bits", (torch.tensor([0.5, 0.25, 0.125, 0.125]),),
             expected=torch.tensor(1.75)),
        Case("a certain outcome [0, 1, 0] carries 0 bits (0·log 0 = 0, not nan)", (torch.tensor([0.0, 1.0, 0.0]),),
             expected=torch.tensor(0.0)),
        Case("a (4, 6) batch gives one entropy per row, shape (4,)", (batch,), reference=_entropy_bits_reference),
    ]
    run_checks("entropy_bits(p)", your_fn, cases,
               hint="H(p) = −Σ p·log2 p over the last dimension (.sum(dim=-1)); torch.xlogy(p, p) is p·log p "
                    "with 0 where p = 0, and dividing by math.log(2) turns nats into bits.")


def _kl_reference(p, q):
    return F.kl_div(q.log(), p, reduction="none").sum(-1)


def check_kl_divergence(your_fn):
    """Check ``your_fn(p, q)``: KL(p‖q) = Σ p·(log p − log q) in nats along the last dimension."""
    p, q = _distributions(5, 4, seed=82), _distributions(5, 4, seed=83)
    coin, fair = torch.tensor([0.9, 0.1]), torch.tensor([0.5, 0.5])
    cases = [
        Case("KL(p‖p) = 0", (p, p.clone()), expected=torch.zeros(5), rtol=0.0, atol=1e-6),
        Case("KL([0.9, 0.1] ‖ [0.5, 0.5])", (coin, fair), reference=_kl_reference),
        Case("KL([0.5, 0.5] ‖ [0.9, 0.1]): the order matters", (fair, coin), reference=_kl_reference),
        Case("a zero in p contributes nothing: KL([½, ½, 0] ‖ [¼, ¼, ½]) = log 2",
             (torch.tensor([0.5, 0.5, 0.0]), torch.tensor([0.25, 0.25, 0.5])), expected=torch.tensor(math.log(2))),
        Case("a (5, 4) batch gives one KL per row, shape (5,)", (p, q), reference=_kl_reference),
    ]
    run_checks("kl_divergence(p, q)", your_fn, cases,
               hint="KL(p‖q) = Σ p·(log p − log q) over the last dimension; torch.xlogy(p, p) − torch.xlogy(p, q) "
                    "gives 0 where p = 0. The first argument is the one that weights the sum.")


def _cross_entropy_reference(p, q):
    return -torch.xlogy(p, q).sum(-1)


def check_cross_entropy_from_probabilities(your_fn):
    """Check ``your_fn(p, q)``: the cross-entropy H(p, q) = −Σ p·log q in nats along the last dimension."""
    p, q = _distributions(5, 4, seed=84), _distributions(5, 4, seed=85)
    one_hot = F.one_hot(torch.tensor([2, 0, 1, 3, 3]), 4).float()
    cases = [
        Case("a one-hot p picks −log q of its class", (one_hot, q), expected=-q.log().gather(1, torch.tensor(
            [[2], [0], [1], [3], [3]])).squeeze(1)),
        Case("a uniform q over 4 classes costs log 4 whatever p is", (p, torch.full((5, 4), 0.25)),
             expected=torch.full((5,), math.log(4))),
        Case("H(p, p) is the entropy H(p)", (p, p.clone()), expected=torch.special.entr(p).sum(-1)),
        Case("q = 0 where p = 0 is fine: H([1, 0], [1, 0]) = 0", (torch.tensor([1.0, 0.0]), torch.tensor([1.0, 0.0])),
             expected=torch.tensor(0.0)),
        Case("a (5, 4) batch gives one value per row, shape (5,)", (p, q), reference=_cross_entropy_reference),
    ]
    run_checks("cross_entropy_from_probabilities(p, q)", your_fn, cases,
               hint="H(p, q) = −Σ p·log q over the last dimension (.sum(dim=-1)); torch.xlogy(p, q) is p·log q "
                    "with 0 wherever p = 0, even where q = 0 too (plain p * q.log() gives 0·(−inf) = nan).")
