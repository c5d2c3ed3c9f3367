"""The loss layer at a 128k vocabulary: naive F.cross_entropy(hidden @ weight.T) vs the chunked linear_cross_entropy.

Memory is the extra peak of one forward + backward beyond the inputs, the parameters and their gradients, counted
two ways: exactly, as the peak bytes of the tensors the step creates (helpers.peak_memory, the same count the
notebook prints), and as the growth of the resident memory (RSS) high-water mark of a fresh process per variant.
The RSS child warms the libraries up on a tiny problem, resets the kernel's high-water mark (/proc/self/clear_refs),
and runs with a fixed glibc mmap threshold, so that every large freed block leaves RSS instead of being kept in the
heap; what RSS adds beyond the tensor count is allocator and BLAS scratch memory. Time is the median of
alternating runs, so both variants see the same machine load.
"""
import os
import subprocess
import sys

import torch
import torch.nn.functional as F

from helpers.losses import linear_cross_entropy
from helpers.peak_memory import MiB, extra_peak_bytes
from helpers.timing import alternating_medians

MEMORY_TARGET = 10   # the chunked layer needs at least 10× less extra memory ...
TIME_TARGET = 1.3    # ... in at most 1.3× the time of the naive one


def make_problem(n, d, vocab, seed=0):
    generator = torch.Generator().manual_seed(seed)
    hidden = torch.randn(n, d, generator=generator).requires_grad_()
    weight = (torch.randn(vocab, d, generator=generator) / d ** 0.5).requires_grad_()
    target = torch.randint(0, vocab, (n,), generator=generator)
    return hidden, weight, target


def steps(hidden, weight, target, chunk):
    """One forward + backward of each variant, starting with no gradients."""
    def naive():
        hidden.grad = weight.grad = None
        F.cross_entropy(hidden @ weight.T, target).backward()

    def chunked():
        hidden.grad = weight.grad = None
        linear_cross_entropy(hidden, weight, target, chunk_size=chunk).backward()
    return {"naive": naive, "chunked": chunked}


def _status(field):
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    raise RuntimeError(f"no {field} in /proc/self/status")


def rss_child(variant, n, d, vocab, chunk):
    """Run in a fresh process: print the RSS high-water mark's growth during one step, minus the gradients."""
    small = make_problem(8, d, 64)
    steps(*small, chunk=4)[variant]()                     # load and initialise the libraries on a tiny problem
    hidden, weight, target = make_problem(n, d, vocab)
    step = steps(hidden, weight, target, chunk)[variant]
    with open("/proc/self/clear_refs", "w") as clear_refs:
        clear_refs.write("5")                             # reset the high-water mark to the current RSS
    before = _status("VmRSS")
    step()
    gradients = (hidden.numel() + weight.numel()) * hidden.element_size()
    print(_status("VmHWM") - before - gradients)


def rss_extra_bytes(variant, n, d, vocab, chunk):
    """The RSS measurement of rss_child, or None where the kernel offers no resettable high-water mark (not Linux)."""
    if not os.access("/proc/self/clear_refs", os.W_OK):
        return None
    env = dict(os.environ, MALLOC_MMAP_THRESHOLD_=str(1 << 17), OMP_NUM_THREADS=str(torch.get_num_threads()))
    result = subprocess.run([sys.executable, "-m", "bench.linear_cross_entropy", variant, str(n), str(d), str(vocab),
                             str(chunk)], capture_output=True, text=True, env=env)
    return int(result.stdout.split()[-1]) if result.returncode == 0 else None


def _mib(value):
    return "     n/a" if value is None else f"{value / MiB:8.1f}"


def linear_cross_entropy_at_128k(n=1024, d=64, vocab=131_072, chunk=128, repeat=3):
    hidden, weight, target = make_problem(n, d, vocab)
    variants = steps(hidden, weight, target, chunk)
    print(f"linear + cross-entropy, N = {n:,} rows, d = {d}, V = {vocab:,}, chunks of {chunk} rows, "
          f"forward + backward")
    exact = {name: extra_peak_bytes(step, (hidden, weight)) for name, step in variants.items()}
    rss = {name: rss_extra_bytes(name, n, d, vocab, chunk) for name in variants}
    for name in variants:
        print(f"  {name:<8} extra peak memory: tensors {_mib(exact[name])} MiB   "
              f"RSS of a fresh process {_mib(rss[name])} MiB")
    memory_ratio = exact["naive"] / exact["chunked"]
    rss_ratio = rss["naive"] / rss["chunked"] if None not in rss.values() else memory_ratio
    naive_s, chunked_s = alternating_medians(variants["naive"], variants["chunked"], repeat)
    time_ratio = chunked_s / naive_s
    rss_text = f"{rss_ratio:.1f}× (RSS)" if None not in rss.values() else "RSS n/a"
    print(f"  memory: naive / chunked = {memory_ratio:.1f}× (tensors), {rss_text}   "
          f"(target ≥ {MEMORY_TARGET}×: {'met' if min(memory_ratio, rss_ratio) >= MEMORY_TARGET else 'NOT met'})")
    print(f"  time:   naive {naive_s * 1e3:.0f} ms, chunked {chunked_s * 1e3:.0f} ms (median of {repeat}), "
          f"chunked / naive = {time_ratio:.2f}×   (target ≤ {TIME_TARGET}×: "
          f"{'met' if time_ratio <= TIME_TARGET else 'NOT met'})")
    return memory_ratio, rss_ratio, time_ratio


if __name__ == "__main__":
    torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", torch.get_num_threads())))
    rss_child(sys.argv[1], *(int(a) for a in sys.argv[2:6]))
