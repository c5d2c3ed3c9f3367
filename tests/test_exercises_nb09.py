"""Notebook 09's exercise answers, which test_exercise_checks.py runs through every self-check's shared
behaviours, and what its self-checks say about particular mistakes."""
import heapq
import itertools
import math

import torch
import torch.nn.functional as F

from exercise_table import Exercise
from helpers.exercises import nb09


def huffman_lengths(p):
    heap = [(prob, [symbol]) for symbol, prob in enumerate(p)]
    heapq.heapify(heap)
    lengths = [0] * len(p)
    while len(heap) > 1:
        prob_a, group_a = heapq.heappop(heap)
        prob_b, group_b = heapq.heappop(heap)
        for symbol in group_a + group_b:
            lengths[symbol] += 1
        heapq.heappush(heap, (prob_a + prob_b, group_a + group_b))
    return lengths


def block_code_rate(p, block_length):
    blocks = [math.prod(combo) for combo in itertools.product(p.tolist(), repeat=block_length)]
    average = sum(prob * length for prob, length in zip(blocks, huffman_lengths(blocks)))
    return torch.tensor(average / block_length, dtype=torch.float64)


def entropy_as_the_rate(p, block_length):
    return -torch.xlogy(p, p).sum() / math.log(2)


def forward_kl_gaussian_fit(weights, means, stds):
    mean = (weights * means).sum()
    variance = (weights * (stds ** 2 + (means - mean) ** 2)).sum()
    return torch.stack([mean, variance.sqrt()])


def fit_without_the_spread_of_the_modes(weights, means, stds):
    return torch.stack([(weights * means).sum(), (weights * stds ** 2).sum().sqrt()])


def corpus_perplexity(batches, ignore_index):
    total = sum(F.cross_entropy(logits, target, ignore_index=ignore_index, reduction="sum")
                for logits, target in batches)
    tokens = sum((target != ignore_index).sum() for _, target in batches)
    return (total / tokens).exp()


def mean_of_the_batch_perplexities(batches, ignore_index):
    return torch.stack([F.cross_entropy(logits, target, ignore_index=ignore_index).exp()
                        for logits, target in batches]).mean()


def exp_of_the_mean_of_the_batch_means(batches, ignore_index):
    return torch.stack([F.cross_entropy(logits, target, ignore_index=ignore_index)
                        for logits, target in batches]).mean().exp()


def padding_counted_as_tokens(batches, ignore_index):
    total = sum(F.cross_entropy(logits, target, ignore_index=ignore_index, reduction="sum")
                for logits, target in batches)
    return (total / sum(len(target) for _, target in batches)).exp()


def test_the_entropy_is_the_rate_only_for_powers_of_a_half(capsys):
    nb09.check_block_code_rate(entropy_as_the_rate)
    out = capsys.readouterr().out
    assert "  ✓ [1/2, 1/4, 1/8, 1/8] in blocks of 2" in out, out
    assert "  ✗ [0.9, 0.1], one symbol at a time: returned" in out, out


def test_block_rates_lie_between_the_entropy_and_the_entropy_plus_one_over_k():
    p = torch.tensor([0.9, 0.1], dtype=torch.float64)
    entropy = -torch.xlogy(p, p).sum() / math.log(2)
    for k in range(1, 7):
        rate = block_code_rate(p, k)
        assert entropy <= rate < entropy + 1 / k


def test_the_fit_without_the_spread_of_the_modes_passes_one_component_only(capsys):
    nb09.check_forward_kl_gaussian_fit(fit_without_the_spread_of_the_modes)
    out = capsys.readouterr().out
    assert "  ✓ one component: q is p itself" in out, out
    assert "  ✗ two equal modes at ±2 with s = 0.5" in out, out


def test_the_moment_fit_minimises_the_forward_kl_on_a_grid():
    weights, means, stds = torch.tensor([0.3, 0.7]), torch.tensor([-1.0, 3.0]), torch.tensor([0.6, 0.4])
    x = torch.linspace(-8, 10, 4001, dtype=torch.float64)
    p = sum(w * torch.distributions.Normal(m, s).log_prob(x).exp() for w, m, s in zip(weights, means, stds))
    mu, s = forward_kl_gaussian_fit(weights.double(), means.double(), stds.double())

    def cross_entropy(mu, s):
        return -torch.trapezoid(p * torch.distributions.Normal(mu, s).log_prob(x), x)

    best = cross_entropy(mu, s)
    for d_mu, d_s in [(0.05, 0), (-0.05, 0), (0, 0.05), (0, -0.05)]:
        assert cross_entropy(mu + d_mu, s + d_s) > best


def test_the_predicted_corpus_perplexity_is_not_either_average():
    batches = nb09._two_batches_of_the_prediction()
    expected = math.exp((2 * math.log(100) + 8 * math.log(2)) / 10)
    assert abs(corpus_perplexity(batches, -100).item() - expected) < 1e-4
    assert abs(mean_of_the_batch_perplexities(batches, -100).item() - 51) < 1e-3
    assert abs(exp_of_the_mean_of_the_batch_means(batches, -100).item() - math.sqrt(200)) < 1e-3


def test_each_way_of_averaging_the_batches_wrongly_is_caught(capsys):
    for wrong in (exp_of_the_mean_of_the_batch_means, padding_counted_as_tokens):
        nb09.check_corpus_perplexity(wrong)
        out = capsys.readouterr().out
        assert "  ✓ one batch, a model that knows nothing" in out, out
        assert "  ✗ the prediction: 2 real tokens at perplexity 100, then 8 at perplexity 2: returned" in out, out
        assert "  ✗ three batches with 4, 0 and 6 real tokens" in out, out


# The table that tests/test_exercise_checks.py runs through every self-check's shared behaviours.
EXERCISES = [
    Exercise(nb09.check_block_code_rate, block_code_rate, entropy_as_the_rate,
             "a whole number of bits", case_count=5, wrong_passes_some_cases=True),
    Exercise(nb09.check_forward_kl_gaussian_fit, forward_kl_gaussian_fit, fit_without_the_spread_of_the_modes,
             "how far the modes lie from each other", case_count=4, wrong_passes_some_cases=True),
    Exercise(nb09.check_corpus_perplexity, corpus_perplexity, mean_of_the_batch_perplexities,
             "whichever batch it sits in", case_count=5, wrong_passes_some_cases=True),
]
