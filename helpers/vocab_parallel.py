"""Cross-entropy with the vocabulary sharded over processes, as in Megatron-LM's vocab-parallel cross-entropy.

Each of P processes holds a slice of the output weight, rows [start, start + V/P), and computes only its slice of
the logits, z_p = hidden @ weight_p.T. The loss ℓ_i = log Σ_c exp(z_ic) − z_{i,y_i} then needs three all-reduces of
N numbers each, never the logits themselves:
    m_i = max over processes of max_c z_ic             (all-reduce MAX)
    S_i = Σ over processes of Σ_c exp(z_ic − m_i)      (all-reduce SUM)
    z_{i,y_i} = Σ over processes of the target logit if the target is in the slice, else 0   (all-reduce SUM)
and ℓ_i = m_i + log S_i − z_{i,y_i}. The backward pass is local too: the slice's logit gradient is
(exp(z_p − m) / S − onehot_p(y)) / N, which gives the slice's weight gradient directly; the hidden states'
gradient is the sum over processes of (that) @ weight_p, one more all-reduce of N×d numbers.

``run_vocab_parallel(hidden, weight, target, world_size)`` starts ``world_size`` processes on this machine (gloo
backend over TCP on 127.0.0.1, a free port) that each run ``worker``, and returns the loss, the hidden gradient and
the weight gradient assembled from the slices. Across machines the same ``worker`` runs unchanged: start one
process per device with ``torchrun``, which sets RANK, WORLD_SIZE, MASTER_ADDR and MASTER_PORT, and initialise with
``init_method="env://"`` (and the nccl backend on GPUs).

Taught in notebooks/15_memory_and_precision_of_the_loss_layer.ipynb.
"""
import contextlib
import datetime
import io
import multiprocessing
import os
import queue
import socket
import time

import torch
import torch.distributed as dist


class VocabParallelCrossEntropy(torch.autograd.Function):
    """Mean cross-entropy of hidden @ weight_slice.T against targets, the vocabulary split over the process group."""

    @staticmethod
    def forward(ctx, hidden, weight_slice, target, vocab_start):
        logits = hidden @ weight_slice.T                                    # (N, V/P): this process's slice
        row_max = logits.amax(1)
        dist.all_reduce(row_max, op=dist.ReduceOp.MAX)                      # 1: the global max of every row
        exp_shifted = torch.exp(logits - row_max[:, None])
        sum_exp = exp_shifted.sum(1)
        dist.all_reduce(sum_exp, op=dist.ReduceOp.SUM)                      # 2: the global Σ exp(z − m)
        local_target = target - vocab_start
        in_slice = (local_target >= 0) & (local_target < logits.shape[1])
        safe = local_target.clamp(0, logits.shape[1] - 1)
        target_logit = torch.where(in_slice, logits.gather(1, safe[:, None]).squeeze(1), 0.0)
        dist.all_reduce(target_logit, op=dist.ReduceOp.SUM)                 # 3: the target logit, from its owner
        loss = (row_max + torch.log(sum_exp) - target_logit).mean()
        ctx.save_for_backward(hidden, weight_slice, exp_shifted, sum_exp, safe, in_slice)
        return loss

    @staticmethod
    def backward(ctx, grad_output):
        hidden, weight_slice, exp_shifted, sum_exp, safe, in_slice = ctx.saved_tensors
        n_rows = hidden.shape[0]
        grad_logits = exp_shifted / sum_exp[:, None]
        grad_logits.scatter_add_(1, safe[:, None], -in_slice.to(grad_logits.dtype)[:, None])
        grad_logits *= grad_output / n_rows
        grad_hidden = grad_logits @ weight_slice
        dist.all_reduce(grad_hidden, op=dist.ReduceOp.SUM)                  # every slice contributes to hidden
        return grad_hidden, grad_logits.T @ hidden, None, None


def vocab_slice(vocab, rank, world_size):
    """Rows [start, stop) of the weight owned by ``rank``: contiguous, as equal as possible."""
    bounds = [vocab * r // world_size for r in range(world_size + 1)]
    return bounds[rank], bounds[rank + 1]


def worker(rank, world_size, init_method, hidden, weight, target):
    """One process: join the group, compute the loss and gradients for its slice, return them as a dict."""
    torch.set_num_threads(1)
    dist.init_process_group("gloo", init_method=init_method, rank=rank, world_size=world_size,
                            timeout=datetime.timedelta(seconds=60))  # a lost peer fails in a minute, not 30
    try:
        start, stop = vocab_slice(weight.shape[0], rank, world_size)
        hidden = hidden.detach().clone().requires_grad_()
        weight_slice = weight[start:stop].detach().clone().requires_grad_()
        loss = VocabParallelCrossEntropy.apply(hidden, weight_slice, target, start)
        loss.backward()
        return {"rank": rank, "slice": (start, stop), "loss": loss.detach(), "grad_hidden": hidden.grad,
                "grad_weight_slice": weight_slice.grad}
    finally:
        dist.destroy_process_group()


def _child(rank, world_size, init_method, hidden, weight, target, results):
    # Silence the child at the level of file descriptors too: torch's C++ code (c10d, gloo) logs to fd 2 directly,
    # and a forked child shares the notebook's. Errors reach the caller through the queue instead.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        try:
            out = worker(rank, world_size, init_method, hidden, weight, target)
            # As NumPy arrays, pickled by value: a tensor would be sent as a handle to this process's memory.
            results.put({k: v.numpy() if isinstance(v, torch.Tensor) else v for k, v in out.items()})
        except Exception as error:  # noqa: BLE001 - hand the error to the parent, which raises it
            results.put({"rank": rank, "error": f"{type(error).__name__}: {error}"})


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _run_once(hidden, weight, target, world_size, timeout):
    """Start the processes, collect one result per rank; stop them all as soon as one fails or dies."""
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    init_method = f"tcp://127.0.0.1:{free_port()}"
    processes = [context.Process(target=_child, args=(rank, world_size, init_method, hidden, weight, target,
                                                      results)) for rank in range(world_size)]
    for process in processes:
        process.start()
    outputs, deadline, failed = [], time.monotonic() + timeout, True
    try:
        while len(outputs) < world_size:
            try:
                out = results.get(timeout=0.2)
            except queue.Empty:
                finished = {out["rank"] for out in outputs}
                dead = [rank for rank, process in enumerate(processes)
                        if rank not in finished and process.exitcode not in (None, 0)]
                if dead or time.monotonic() > deadline:
                    reason = f"exit code {processes[dead[0]].exitcode}" if dead else f"no result in {timeout} s"
                    return [{"rank": dead[0] if dead else -1, "error": f"a worker stopped: {reason}"}]
                continue
            outputs.append(out)
            if "error" in out:      # the other ranks would wait for it in a collective: do not wait for them
                return [out]
        failed = False
        return sorted(outputs, key=lambda out: out["rank"])
    finally:
        for process in processes:
            process.join(timeout=0 if failed else 5)
            if process.is_alive():
                process.kill()
                process.join()
        results.close()


def run_vocab_parallel(hidden, weight, target, world_size=2, timeout=120, attempts=3):
    """Run ``worker`` in ``world_size`` processes on this machine; return (loss, grad_hidden, grad_weight).

    The processes are forked, so they start without importing torch again; each writes nothing to the notebook.
    Every rank must return the same loss and hidden gradient (that is what the all-reduces guarantee), and the
    weight gradient is the concatenation of the slices' gradients. If another program takes the free port
    between choosing it and listening on it, the run is repeated on a new port (up to ``attempts`` times).
    """
    for attempt in range(attempts):
        outputs = _run_once(hidden, weight, target, world_size, timeout)
        errors = [out["error"] for out in outputs if "error" in out]
        if not (errors and "EADDRINUSE" in errors[0] and attempt + 1 < attempts):
            break
    if errors:
        raise RuntimeError(f"a vocab-parallel worker failed: {errors[0]}")
    outputs = [{k: torch.from_numpy(v) if hasattr(v, "dtype") else v for k, v in out.items()} for out in outputs]
    for out in outputs[1:]:
        if not (torch.equal(out["loss"], outputs[0]["loss"]) and
                torch.equal(out["grad_hidden"], outputs[0]["grad_hidden"])):
            raise RuntimeError("the ranks disagree on the loss or the hidden gradient")
    grad_weight = torch.cat([out["grad_weight_slice"] for out in outputs])
    return outputs[0]["loss"], outputs[0]["grad_hidden"], grad_weight
