"""helpers.losses.linear_cross_entropy equals F.cross_entropy(hidden @ weight.T, target, ...) without the logits.

Values and gradients w.r.t. hidden and weight for every reduction, option, chunk size and dtype; clear errors for
bad input, raised inside helpers; float64 gradcheck; and the memory it promises (one chunk of logits, counted by
helpers.peak_memory).
"""
import pathlib

import pytest
import torch
import torch.nn.functional as F

from conftest import REDUCTIONS, tolerance, value_and_grads
from helpers import losses
from helpers.peak_memory import TensorMemoryTracker, extra_peak_bytes

HELPERS = pathlib.Path(losses.__file__).parent.parent  # helpers/
N, D, V = 11, 4, 7


def problem(dtype=torch.float64, n=N, d=D, vocab=V, ignored=(2, 5), ignore_index=-100, seed=0, scale=2.0):
    generator = torch.Generator().manual_seed(seed)
    hidden = (torch.randn(n, d, generator=generator, dtype=torch.float64) * scale).to(dtype)
    weight = torch.randn(vocab, d, generator=generator, dtype=torch.float64).to(dtype)
    target = torch.randint(0, vocab, (n,), generator=generator)
    target[[i for i in ignored if i < n]] = ignore_index
    return hidden, weight, target


def assert_matches_torch(hidden, weight, target, wrt=(True, True), **kwargs):
    args, grad_wrt = (hidden, weight, target), tuple(i for i, flag in enumerate(wrt) if flag)
    ours = value_and_grads(losses.linear_cross_entropy, args, kwargs, grad_wrt)
    options = {k: v for k, v in kwargs.items() if k != "chunk_size"}
    theirs = value_and_grads(lambda h, w, t: F.cross_entropy(h @ w.T, t, **options), args, {}, grad_wrt)
    tol = tolerance(hidden.dtype)
    torch.testing.assert_close(ours[0], theirs[0], equal_nan=True, **tol)
    for mine, reference in zip(ours[1], theirs[1]):
        torch.testing.assert_close(mine, reference, **tol)
    return ours[0]


# ----------------------------------------------------------------------------------------------------------------
# Parity with F.cross_entropy(hidden @ weight.T, ...)
# ----------------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", [torch.float32, torch.float64], ids=["float32", "float64"])
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("label_smoothing", [0.0, 0.1, 1.0])
@pytest.mark.parametrize("chunk_size", [None, 1, 3, 11, 100])
def test_matches_cross_entropy_of_the_full_logits(dtype, reduction, label_smoothing, chunk_size):
    assert_matches_torch(*problem(dtype), reduction=reduction, label_smoothing=label_smoothing, chunk_size=chunk_size)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("wrt", [(True, False), (False, True)], ids=["hidden only", "weight only"])
def test_gradient_of_only_one_argument(wrt, reduction):
    assert_matches_torch(*problem(), wrt=wrt, reduction=reduction, chunk_size=4)


@pytest.mark.parametrize("ignore_index", [0, -1, 255])
def test_any_ignore_index_and_uint8_targets(ignore_index):
    hidden, weight, target = problem(vocab=300, ignore_index=ignore_index)
    target = target.clamp(min=0)
    target[[1, 4]] = ignore_index
    assert_matches_torch(hidden, weight, target, ignore_index=ignore_index, chunk_size=4)
    small = target.clamp(max=255).to(torch.uint8)
    assert_matches_torch(hidden, weight, small, ignore_index=ignore_index, chunk_size=4)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_every_row_ignored_gives_nan_mean_zero_sum_and_zero_gradients(reduction):
    hidden, weight, target = problem(ignored=range(N))
    out = assert_matches_torch(hidden, weight, target, reduction=reduction, chunk_size=3)
    assert torch.isnan(out) if reduction == "mean" else (out == 0).all()


def test_large_logits_in_float32_are_finite_and_match_float64():
    hidden, weight, target = problem(torch.float32, scale=300.0)  # logits in the thousands
    loss = losses.linear_cross_entropy(hidden, weight, target, chunk_size=4)
    reference = F.cross_entropy(hidden.double() @ weight.double().T, target)
    assert torch.isfinite(loss)
    torch.testing.assert_close(loss.double(), reference, rtol=1e-5, atol=1e-3)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_infinite_logits_give_torchs_values(reduction):
    # Logits [±inf, 1, 1]: a +inf logit makes its row nan in torch (inf − inf), a −inf one costs inf only as target.
    inf = float("inf")
    hidden = torch.ones(4, 2)
    weight = torch.tensor([[inf, 0.0], [0.0, 1.0], [1.0, 0.0]])
    for w in (weight, -weight):
        for target in (torch.tensor([0, 1, 2, 1]), torch.tensor([1, 2, 1, 2])):
            ours = losses.linear_cross_entropy(hidden, w, target, reduction=reduction, chunk_size=3)
            theirs = F.cross_entropy(hidden @ w.T, target, reduction=reduction)
            torch.testing.assert_close(ours, theirs, equal_nan=True)


def test_non_contiguous_inputs():
    hidden, weight, target = problem(d=8)
    assert_matches_torch(hidden[:, ::2], weight.T.contiguous().T[:, 1::2], target, chunk_size=5)


def test_empty_batch_matches_torch():
    for reduction in REDUCTIONS:
        hidden, weight, target = torch.zeros(0, D), torch.randn(V, D), torch.zeros(0, dtype=torch.long)
        torch.testing.assert_close(losses.linear_cross_entropy(hidden, weight, target, reduction=reduction),
                                   F.cross_entropy(hidden @ weight.T, target, reduction=reduction), equal_nan=True)


def test_without_autograd_it_only_computes_the_value():
    hidden, weight, target = problem()
    with torch.no_grad():
        torch.testing.assert_close(losses.linear_cross_entropy(hidden.requires_grad_(), weight, target, chunk_size=2),
                                   F.cross_entropy(hidden @ weight.T, target))


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_backward_through_a_retained_graph_gives_the_same_gradient_again(reduction):
    # "mean"/"sum" compute the gradients during the forward pass and hand them out once; a second backward
    # recomputes them.
    hidden, weight, target = problem()
    hidden.requires_grad_()
    loss = losses.linear_cross_entropy(hidden, weight, target, reduction=reduction, chunk_size=4).sum()
    loss.backward(retain_graph=True)
    first = hidden.grad.clone()
    loss.backward(retain_graph=True)
    loss.backward()
    torch.testing.assert_close(hidden.grad, 3 * first)
    reference = hidden.detach().clone().requires_grad_()
    F.cross_entropy(reference @ weight.T, target, reduction=reduction).sum().backward()
    torch.testing.assert_close(first, reference.grad)


# ----------------------------------------------------------------------------------------------------------------
# gradcheck in float64
# ----------------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("label_smoothing", [0.0, 0.3])
def test_gradcheck(reduction, label_smoothing):
    hidden, weight, target = problem(n=5, d=3, vocab=4, ignored=(2,))
    fn = lambda h, w: losses.linear_cross_entropy(h, w, target, reduction=reduction, label_smoothing=label_smoothing,
                                                  chunk_size=2)
    # The first backward hands out the gradients computed in the forward pass, a later one recomputes them: the
    # two orders of floating-point operations differ by a few ulps, hence nondet_tol.
    assert torch.autograd.gradcheck(fn, (hidden.requires_grad_(), weight.requires_grad_()), eps=1e-6, atol=1e-6,
                                    rtol=1e-4, nondet_tol=1e-12)


# ----------------------------------------------------------------------------------------------------------------
# Bad input: one clear error from inside helpers
# ----------------------------------------------------------------------------------------------------------------

h, w, t = problem(torch.float32)

BAD_INPUT = [
    pytest.param(lambda: losses.linear_cross_entropy(h.view(1, N, D), w, t), ValueError, r"hidden must have shape "
                 r"\(N, d\).*reshape\(-1, 4\)", id="(B, T, d) hidden"),
    pytest.param(lambda: losses.linear_cross_entropy(h, w[0], t), ValueError, r"weight must have shape \(V, d\)",
                 id="1-D weight"),
    pytest.param(lambda: losses.linear_cross_entropy(h, w.T.contiguous(), t), ValueError, r"must share d.*weight\.T",
                 id="weight stored as (d, V)"),
    pytest.param(lambda: losses.linear_cross_entropy(h, w.double(), t), TypeError, "same dtype", id="mixed dtypes"),
    pytest.param(lambda: losses.linear_cross_entropy(h.long(), w, t), TypeError, "floating-point",
                 id="integer hidden"),
    pytest.param(lambda: losses.linear_cross_entropy(h, w, t.float()), TypeError, "class indices.*float32",
                 id="float target"),
    pytest.param(lambda: losses.linear_cross_entropy(h, w, t[:-1]), ValueError, r"shape \(N,\) = \(11,\).*\(10,\)",
                 id="too few targets"),
    pytest.param(lambda: losses.linear_cross_entropy(h, w, t.view(N, 1)), ValueError, r"got shape \(11, 1\)",
                 id="(N, 1) target"),
    pytest.param(lambda: losses.linear_cross_entropy(h, w, t.clamp(min=0) + V), IndexError,
                 r"\[0, 6\] for a weight with V = 7 rows.*got 7|got 8|got 9", id="target = V"),
    pytest.param(lambda: losses.linear_cross_entropy(h, w, t.clamp(min=0) - 1), IndexError, "got -1",
                 id="target -1"),
    pytest.param(lambda: losses.linear_cross_entropy(h, w, t, chunk_size=0), ValueError,
                 "chunk_size must be a positive number of rows; got 0", id="chunk_size 0"),
    pytest.param(lambda: losses.linear_cross_entropy(h, w, t, chunk_size=-3), ValueError, "got -3",
                 id="negative chunk_size"),
    pytest.param(lambda: losses.linear_cross_entropy(h, w, t, chunk_size=2.5), TypeError, "positive int.*float",
                 id="float chunk_size"),
    pytest.param(lambda: losses.linear_cross_entropy(h, w, t, reduction="avg"), ValueError, "reduction must be",
                 id="unknown reduction"),
    pytest.param(lambda: losses.linear_cross_entropy(h, w, t, label_smoothing=1.5), ValueError,
                 r"label_smoothing must lie in \[0, 1\]", id="label_smoothing 1.5"),
    pytest.param(lambda: losses.linear_cross_entropy(h.numpy(), w, t), TypeError, "must be a torch.Tensor",
                 id="NumPy hidden"),
]


@pytest.mark.parametrize("call, error, match", BAD_INPUT)
def test_bad_input_raises_clearly_from_inside_helpers(call, error, match):
    with pytest.raises(error, match=match) as caught:
        call()
    origin = pathlib.Path(caught.traceback[-1].path)
    assert HELPERS in origin.parents, f"{error.__name__} came from {origin}, not from helpers"


# ----------------------------------------------------------------------------------------------------------------
# Memory: one chunk of logits instead of all of them
# ----------------------------------------------------------------------------------------------------------------

def test_the_tracker_counts_new_storages_once_and_uncounts_freed_ones():
    x = torch.zeros(1000)
    with TensorMemoryTracker() as tracker:
        y = x + 1             # 4000 bytes
        view = y[:10]         # a view: nothing new
        y.add_(1)             # in place: nothing new
        z = y * 2             # 4000 more: 8000 alive
        del y, view, z        # freed
        w = torch.ones(250)   # 1000 bytes, after the sweep at this op
        tracker.sweep()
    assert tracker.peak == 8000
    assert tracker.live == 1000
    del w


def test_extra_memory_is_one_chunk_of_logits_instead_of_three_full_copies():
    n, d, vocab, chunk = 64, 8, 4096, 8
    hidden, weight, _ = problem(torch.float32, n=n, d=d, vocab=vocab)
    target = torch.randint(0, vocab, (n,), generator=torch.Generator().manual_seed(1))
    hidden.requires_grad_(), weight.requires_grad_()

    def chunked():
        losses.linear_cross_entropy(hidden, weight, target, chunk_size=chunk).backward()

    def naive():
        F.cross_entropy(hidden @ weight.T, target).backward()

    logits_bytes = n * vocab * 4
    hidden.grad = weight.grad = None
    chunked_extra = extra_peak_bytes(chunked, (hidden, weight))
    hidden.grad = weight.grad = None
    naive_extra = extra_peak_bytes(naive, (hidden, weight))
    assert logits_bytes // (n // chunk) <= chunked_extra < 1.1 * logits_bytes // (n // chunk)
    assert naive_extra >= 2 * logits_bytes


def test_any_integer_type_is_a_chunk_size():
    hidden, weight, target = problem()
    numpy_int = __import__("numpy").int64(3)
    torch.testing.assert_close(losses.linear_cross_entropy(hidden, weight, target, chunk_size=numpy_int),
                               F.cross_entropy(hidden @ weight.T, target))
