"""helpers.vocab_parallel: the vocabulary split over real processes (torch.distributed, gloo) gives the single-process
cross-entropy, its hidden gradient and its weight gradient."""
import time

import pytest
import torch
import torch.nn.functional as F

from helpers import vocab_parallel
from helpers.vocab_parallel import free_port, run_vocab_parallel, vocab_slice


def problem(n=12, d=6, vocab=101, dtype=torch.float64, seed=0):
    generator = torch.Generator().manual_seed(seed)
    hidden = torch.randn(n, d, generator=generator, dtype=torch.float64).to(dtype)
    weight = torch.randn(vocab, d, generator=generator, dtype=torch.float64).to(dtype)
    target = torch.randint(0, vocab, (n,), generator=generator)
    return hidden, weight, target


def single_process(hidden, weight, target):
    h, w = hidden.clone().requires_grad_(), weight.clone().requires_grad_()
    loss = F.cross_entropy(h @ w.T, target)
    loss.backward()
    return loss.detach(), h.grad, w.grad


@pytest.mark.parametrize("world_size", [1, 2, 3])
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64], ids=["float32", "float64"])
def test_sharded_loss_and_gradients_equal_the_single_process_ones(world_size, dtype):
    hidden, weight, target = problem(dtype=dtype)
    target[0], target[1] = 0, weight.shape[0] - 1     # targets at both ends of the vocabulary
    ours = run_vocab_parallel(hidden, weight, target, world_size=world_size)
    for mine, reference in zip(ours, single_process(hidden, weight, target)):
        torch.testing.assert_close(mine, reference)


def test_large_logits_stay_finite():
    hidden, weight, target = problem()
    ours = run_vocab_parallel(hidden * 300, weight, target, world_size=2)
    assert torch.isfinite(ours[0])
    for mine, reference in zip(ours, single_process(hidden * 300, weight, target)):
        torch.testing.assert_close(mine, reference)


def test_slices_cover_the_vocabulary_once():
    for vocab, world_size in [(101, 2), (101, 3), (4, 4), (131_072, 8)]:
        slices = [vocab_slice(vocab, rank, world_size) for rank in range(world_size)]
        assert slices[0][0] == 0 and slices[-1][1] == vocab
        assert all(a[1] == b[0] for a, b in zip(slices, slices[1:]))
        sizes = [stop - start for start, stop in slices]
        assert max(sizes) - min(sizes) <= 1


def test_free_port_is_a_valid_port():
    assert 1024 <= free_port() <= 65535


def test_a_failing_worker_raises_in_the_caller():
    hidden, weight, target = problem()
    with pytest.raises(RuntimeError, match="a vocab-parallel worker failed"):
        run_vocab_parallel(hidden, weight[:, :3], target, world_size=2)   # d does not match


def test_one_failing_rank_stops_the_run_at_once(monkeypatch):
    # Rank 0 would wait in its first all-reduce for the gloo timeout (a minute); the caller must not.
    real_worker = vocab_parallel.worker

    def rank_1_fails(rank, *args):
        if rank == 1:
            raise ValueError("rank 1 gives up")
        return real_worker(rank, *args)

    monkeypatch.setattr(vocab_parallel, "worker", rank_1_fails)   # the forked children inherit the patch
    start = time.monotonic()
    with pytest.raises(RuntimeError, match="rank 1 gives up"):
        run_vocab_parallel(*problem(), world_size=2)
    assert time.monotonic() - start < 20


def test_a_crashed_worker_is_reported(monkeypatch):
    monkeypatch.setattr(vocab_parallel, "worker", lambda *args: vocab_parallel.os._exit(3))
    with pytest.raises(RuntimeError, match="exit code 3"):
        run_vocab_parallel(*problem(), world_size=2)
