"""Self-checks for the exercises of notebooks/05_softmax_and_the_categorical_likelihood.ipynb.

Each ``check_*`` runs the reader's function on a few cases through ``helpers.selfcheck.run_checks`` and prints
one ✓/✗ line per case; it never raises.
"""
import math

import torch
import torch.nn.functional as F

from helpers.selfcheck import Case, random_logits, run_checks


def _weights_like(z, seed):
    """Fixed random weights: softmax rows always sum to 1, so the gradient of a plain sum would always be 0."""
    generator = torch.Generator().manual_seed(seed)
    return torch.rand(z.shape, generator=generator)


def _softmax_reference(z, weights=None):
    p = torch.softmax(z, dim=-1)
    return p if weights is None else p * weights


def check_stable_softmax(your_softmax):
    """Check ``your_softmax(z)``, a softmax along the last dimension, on ordinary and extreme logits.

    The gradient case multiplies the output by fixed weights before summing: a softmax sums to 1, so the
    gradient of its plain sum is 0 whatever the function does.
    """
    def call(z, weights=None):
        p = your_softmax(z)
        return p if weights is None else p * weights

    batch = random_logits(4, 5, seed=1)
    cases = [
        Case("three logits [1, 2, 3]", (torch.tensor([1.0, 2.0, 3.0]),), reference=_softmax_reference),
        Case("a (4, 5) batch: one distribution per row", (batch,), reference=_softmax_reference),
        Case("large logits [1000, 999, 998], where exp overflows to inf",
             (torch.tensor([1000.0, 999.0, 998.0]),), reference=_softmax_reference),
        Case("logits [89, 88, 0] in float32, just past exp's overflow at ≈ 88.7",
             (torch.tensor([[89.0, 88.0, 0.0]]),), reference=_softmax_reference),
        Case("very negative logits [-1000, -1001], where every exp underflows to 0",
             (torch.tensor([-1000.0, -1001.0]),), reference=_softmax_reference),
        Case("gradient (of a weighted sum) matches torch.softmax", (batch,), {"weights": _weights_like(batch, 2)},
             reference=_softmax_reference, grad_of=(0,)),
    ]
    run_checks("softmax(z) along the last dimension", call, cases,
               hint="subtract each row's maximum first, m = z.amax(dim=-1, keepdim=True); then e = torch.exp(z - m) "
                    "and e / e.sum(dim=-1, keepdim=True). The shift changes nothing mathematically, but the "
                    "largest exp becomes exp(0) = 1.")


def _tempered_reference(z, temperature, weights=None):
    p = torch.softmax(z / temperature, dim=-1)
    return p if weights is None else p * weights


def check_softmax_with_temperature(your_softmax_with_temperature):
    """Check ``your_softmax_with_temperature(z, temperature)`` = softmax(z / T) along the last dimension."""
    def call(z, temperature, weights=None):
        p = your_softmax_with_temperature(z, temperature)
        return p if weights is None else p * weights

    z = torch.tensor([3.0, 1.0, 0.2, -1.0])
    batch = random_logits(3, 6, seed=3)
    cases = [
        Case("T = 1 is the plain softmax", (z, 1.0), reference=_tempered_reference),
        Case("T = 0.5 sharpens the distribution", (z, 0.5), reference=_tempered_reference),
        Case("T = 10 flattens it towards uniform", (z, 10.0), reference=_tempered_reference),
        Case("T = 0.01 scales the logits up to 300: still finite", (z, 0.01),
             reference=_tempered_reference),
        Case("a (3, 6) batch with T = 2", (batch, 2.0), reference=_tempered_reference),
        Case("gradient (of a weighted sum) with T = 0.5 matches torch", (batch, 0.5),
             {"weights": _weights_like(batch, 4)}, reference=_tempered_reference, grad_of=(0,)),
    ]
    run_checks("softmax_with_temperature(z, temperature)", call, cases,
               hint="divide the logits by the temperature first, s = z / temperature, then take a stable softmax of "
                    "s (subtract s.amax(dim=-1, keepdim=True) before exp). T < 1 sharpens, T > 1 flattens.")


def _categorical_nll_reference(probs, onehot):
    return -(onehot * torch.log(probs)).sum(dim=-1).mean()


def _probabilities(n, k, seed):
    return torch.softmax(random_logits(n, k, seed=seed), dim=-1)


def _onehot(labels, k):
    return F.one_hot(torch.tensor(labels), k).float()


def check_categorical_nll(your_categorical_nll):
    """Check ``your_categorical_nll(probs, onehot)`` = mean over rows of −Σ_k y_k·log p_k, gradients included."""
    batch = _probabilities(4, 3, seed=5)
    batch_labels = _onehot([2, 0, 1, 1], 3)
    two_class = torch.tensor([[0.3, 0.7], [0.9, 0.1], [0.4, 0.6]])
    two_class_labels = _onehot([1, 1, 0], 2)
    cases = [
        Case("one item, p = [0.1, 0.8, 0.1], true class 1: −ln 0.8",
             (torch.tensor([[0.1, 0.8, 0.1]]), _onehot([1], 3)), expected=torch.tensor(-math.log(0.8))),
        Case("only the true class counts: p = [0.19, 0.8, 0.01] also gives −ln 0.8",
             (torch.tensor([[0.19, 0.8, 0.01]]), _onehot([1], 3)), expected=torch.tensor(-math.log(0.8))),
        Case("a batch of 4 items: the mean over the items", (batch, batch_labels),
             reference=_categorical_nll_reference, grad_of=(0,)),
        Case("K = 2 is the binary cross-entropy of the second column", (two_class, two_class_labels),
             expected=F.binary_cross_entropy(two_class[:, 1], two_class_labels[:, 1])),
        Case("gradient with respect to the probabilities matches autograd", (two_class, two_class_labels),
             reference=_categorical_nll_reference, grad_of=(0,)),
    ]
    run_checks("categorical_nll(probs, onehot)", your_categorical_nll, cases,
               hint="per item, −Σ_k y_k·log p_k: -(onehot * torch.log(probs)).sum(dim=-1), then .mean() over the "
                    "items. Add no (1 − y_k)·log(1 − p_k) terms: that is one-vs-rest BCE, not the categorical loss.")
