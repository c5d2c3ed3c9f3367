"""Self-checks for the exercises of notebooks/09_entropy_cross_entropy_and_kl.ipynb.

Each ``check_*`` runs the reader's function on a few cases through ``helpers.selfcheck.run_checks`` and prints
one ✓/✗ line per case; it never raises. A failed case says what was expected and what arrived; the hint gives a
direction, never the code.
"""
import heapq
import itertools
import math

import torch

from helpers.selfcheck import Case, random_logits, run_checks


def _huffman_lengths(probabilities):
    """Word lengths of a Huffman code: merge the two least probable groups until one is left; every merge adds
    one bit to the words of both groups."""
    lengths = [0] * len(probabilities)
    heap = [(p, i, [i]) for i, p in enumerate(probabilities)]
    heapq.heapify(heap)
    tiebreak = itertools.count(len(probabilities))
    while len(heap) > 1:
        p_a, _, group_a = heapq.heappop(heap)
        p_b, _, group_b = heapq.heappop(heap)
        for symbol in group_a + group_b:
            lengths[symbol] += 1
        heapq.heappush(heap, (p_a + p_b, next(tiebreak), group_a + group_b))
    return lengths


def _block_rate_reference(p, block_length):
    blocks = [math.prod(combo) for combo in itertools.product(p.tolist(), repeat=block_length)]
    lengths = _huffman_lengths(blocks)
    return torch.tensor(sum(q * n for q, n in zip(blocks, lengths)) / block_length, dtype=torch.float64)


def check_block_code_rate(your_fn):
    """Check ``your_fn(p, block_length)``: the average number of bits per symbol of the best prefix code (a
    Huffman code) for blocks of ``block_length`` independent symbols drawn from ``p``, as a 0-dim tensor."""
    skewed = torch.tensor([0.9, 0.1], dtype=torch.float64)
    die = torch.full((6,), 1 / 6, dtype=torch.float64)
    dyadic = torch.tensor([0.5, 0.25, 0.125, 0.125], dtype=torch.float64)
    cases = [Case(label, (p, k), expected=_block_rate_reference(p, k), rtol=1e-6, atol=1e-9)
             for label, p, k in [("[0.9, 0.1], one symbol at a time", skewed, 1),
                                 ("[0.9, 0.1] in blocks of 2", skewed, 2),
                                 ("[0.9, 0.1] in blocks of 4", skewed, 4),
                                 ("a fair die in blocks of 2 rolls", die, 2),
                                 ("[1/2, 1/4, 1/8, 1/8] in blocks of 2", dyadic, 2)]]
    run_checks("block_code_rate(p, block_length)", your_fn, cases,
               hint="a ✗ line gives the best code's bits per symbol and yours. A real code word is a whole number "
                    "of bits, so a code only reaches the entropy when every probability is a power of ½; for the "
                    "others the rate stays above it and approaches it as the blocks grow. The symbols of a block "
                    "are independent, so what is the probability of a whole block? Build the code for blocks, "
                    "then share its average length among the symbols of a block.")


def _moment_fit_reference(weights, means, stds):
    mean = (weights * means).sum()
    second_moment = (weights * (stds ** 2 + means ** 2)).sum()
    return torch.stack([mean, (second_moment - mean ** 2).sqrt()])


def check_forward_kl_gaussian_fit(your_fn):
    """Check ``your_fn(weights, means, stds)``: the mean and standard deviation (a tensor of shape (2,)) of the
    Gaussian q that minimises the forward KL(p‖q) for the Gaussian mixture p = Σ_k weights[k]·N(means[k],
    stds[k]²), found without any optimisation."""
    def case(label, weights, means, stds):
        args = tuple(torch.tensor(v, dtype=torch.float64) for v in (weights, means, stds))
        return Case(label, args, expected=_moment_fit_reference(*args), rtol=1e-6, atol=1e-9)

    cases = [case("one component: q is p itself", [1.0], [1.5], [0.7]),
             case("two equal modes at ±2 with s = 0.5", [0.5, 0.5], [-2.0, 2.0], [0.5, 0.5]),
             case("modes at −1 and 3 with weights 0.3 and 0.7", [0.3, 0.7], [-1.0, 3.0], [0.6, 0.4]),
             case("three components of different widths", [0.2, 0.5, 0.3], [-3.0, 0.0, 4.0], [1.0, 0.3, 2.0])]
    run_checks("forward_kl_gaussian_fit(weights, means, stds)", your_fn, cases,
               hint="a ✗ line gives the best (mean, standard deviation) and yours. KL(p‖q) = H(p, q) − H(p), and "
                    "only the cross-entropy depends on q. Write −log q(x) for a Gaussian q and take its "
                    "expectation under p: it depends on p only through two averages of x. The spread of the fit "
                    "must include how far the modes lie from each other, not only their own widths.")


def _corpus_perplexity_reference(batches, ignore_index):
    F = torch.nn.functional
    total = sum(F.cross_entropy(logits, target, ignore_index=ignore_index, reduction="sum")
                for logits, target in batches)
    tokens = sum((target != ignore_index).sum() for _, target in batches)
    return (total / tokens).exp()


def _two_batches_of_the_prediction():
    """2 real tokens at perplexity 100 (equal logits over 100 tokens) and 8 at perplexity 2 (two equal logits, the
    other 98 far below): the example the exercise asks to predict, exp((2 log 100 + 8 log 2) / 10) = 4.3734."""
    unsure = (torch.zeros(4, 100), torch.tensor([5, 17, -100, -100]))
    halves = torch.full((8, 100), -1e4)
    target = torch.arange(8) * 11
    halves[torch.arange(8), target] = 0.0
    halves[torch.arange(8), target + 1] = 0.0
    return [unsure, (halves, target)]


def check_corpus_perplexity(your_fn):
    """Check ``your_fn(batches, ignore_index)``: the perplexity over all real tokens of a corpus given as a list of
    ``(logits, target)`` batches, logits (N, C) and targets (N,) with padding marked by ``ignore_index``, as a 0-dim
    tensor."""
    def padded_batch(n, pads, seed, ignore_index=-100, num_classes=20):
        logits = random_logits(n, num_classes, seed=seed)
        target = torch.randint(1, num_classes, (n,), generator=torch.Generator().manual_seed(seed + 1))
        target[n - pads:] = ignore_index
        return logits, target

    confident = torch.full((6, 8), -30.0)
    confident[torch.arange(6), torch.arange(6)] = 30.0
    cases = [
        Case("one batch, a model that knows nothing: equal logits over 50 tokens",
             ([(torch.zeros(7, 50), torch.arange(7))], -100), reference=_corpus_perplexity_reference),
        Case("one batch, a model that is always right and sure of it", ([(confident, torch.arange(6))], -100),
             reference=_corpus_perplexity_reference),
        Case("the prediction: 2 real tokens at perplexity 100, then 8 at perplexity 2",
             (_two_batches_of_the_prediction(), -100), reference=_corpus_perplexity_reference),
        Case("three batches with 4, 0 and 6 real tokens (the second is all padding)",
             ([padded_batch(6, 2, 931), padded_batch(5, 5, 933), padded_batch(9, 3, 935)], -100),
             reference=_corpus_perplexity_reference),
        Case("ignore_index = 0, a pad id that is also a class index",
             ([padded_batch(7, 3, 937, ignore_index=0), padded_batch(4, 1, 939, ignore_index=0)], 0),
             reference=_corpus_perplexity_reference),
    ]
    run_checks("corpus_perplexity(batches, ignore_index)", your_fn, cases,
               hint="a ✗ line gives the corpus's perplexity and yours. A perplexity undoes the logarithm of a "
                    "mean cross-entropy per real token, and here that mean runs over the whole corpus: every real "
                    "token counts once, whichever batch it sits in, and padding never. A batch's mean, and its "
                    "perplexity, hide how many tokens stood behind them, and the exponential of an average is not "
                    "the average of the exponentials.")
