"""Self-checks for the exercises of notebooks/15_memory_and_precision_of_the_loss_layer.ipynb.

Each ``check_*`` runs the reader's function on a few cases through ``helpers.selfcheck.run_checks`` and prints
one ✓/✗ line per case; it never raises. A failed case says what was expected and what arrived; the hint gives a
direction, never the code.
"""
import torch
import torch.nn.functional as F

from helpers.selfcheck import Case, random_logits, run_checks


def _partial(z):
    """(max, Σ exp(z − max)) of each row: what one chunk or one process knows about its part of the logits."""
    m = z.amax(1)
    return m, torch.exp(z - m[:, None]).sum(1)


def _merged_reference(max_a, sum_a, max_b, sum_b):
    m = torch.maximum(max_a, max_b)
    return m + torch.log(sum_a * torch.exp(max_a - m) + sum_b * torch.exp(max_b - m))


def check_merged_logsumexp(your_fn):
    """Check ``your_fn(max_a, sum_a, max_b, sum_b)``: log Σ exp over the union of two parts of every row, given each
    part's row maxima and its Σ exp(z − max)."""
    cases = []
    for label, a, b in [
            ("two halves of a (4, 10) batch of logits", random_logits(4, 5, seed=1), random_logits(4, 5, seed=2)),
            ("parts of different widths, 3 and 7 classes", random_logits(4, 3, seed=3), random_logits(4, 7, seed=4)),
            ("one part far above the other (maxima 1000 apart)", random_logits(3, 4, seed=5) + 1000.0,
             random_logits(3, 4, seed=6)),
            ("logits of 1e4 in both parts (exp(max) would overflow)", random_logits(3, 4, seed=7) + 1e4,
             random_logits(3, 4, seed=8) + 1e4 - 3.0)]:
        whole = torch.logsumexp(torch.cat([a, b], dim=1), dim=1)
        cases.append(Case(label, (*_partial(a), *_partial(b)), expected=whole, rtol=1e-5, atol=1e-5))
    run_checks("merged_logsumexp(max_a, sum_a, max_b, sum_b)", your_fn, cases,
               hint="a ✗ line gives the log-sum-exp of the whole row and yours. Each part's sum was taken after "
                    "subtracting that part's own maximum, so two sums measured against different maxima cannot "
                    "simply be added. Right when both parts share a maximum, wrong otherwise? Bring both to a "
                    "common reference first, and choose one that cannot overflow.")


def _sharded_reference(logit_slices, target):
    return F.cross_entropy(torch.cat(logit_slices, dim=1), target)


def check_sharded_cross_entropy(your_fn):
    """Check ``your_fn(logit_slices, target)``: the mean cross-entropy of the logits whose columns are split into the
    list ``logit_slices`` (each (N, V_p), in vocabulary order), without concatenating them."""
    cases = []
    for label, widths, seed, scale in [("two slices of 6 classes each, 8 rows", (6, 6), 1, 2.0),
                                       ("three uneven slices (2, 5, 4 classes)", (2, 5, 4), 2, 2.0),
                                       ("four slices, logits of about 1e3", (3, 3, 3, 3), 3, 1e3)]:
        slices = [random_logits(8, w, seed=seed + 10 * k, scale=scale) for k, w in enumerate(widths)]
        target = torch.randint(0, sum(widths), (8,), generator=torch.Generator().manual_seed(seed))
        cases.append(Case(label, (slices, target), reference=_sharded_reference, rtol=1e-5, atol=1e-5))
    run_checks("sharded_cross_entropy(logit_slices, target)", your_fn, cases,
               hint="a ✗ line gives the cross-entropy of the whole vocabulary and yours. A slice's own softmax "
                    "only normalises over that slice: each slice may see only its part of every row, so what are "
                    "the three per-row numbers the slices must combine, and how does a target index find the "
                    "slice that holds its logit?")
