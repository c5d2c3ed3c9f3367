"""How much memory a step needs beyond what it is given: the peak bytes of the tensors it creates.

Python's tracemalloc does not see torch's allocations, and a process's resident memory (RSS) depends on when the
C allocator hands freed memory back to the system, so neither is an exact count of what a loss layer holds. Here
every operation torch runs inside the step, forward and backward, passes through a ``TorchDispatchMode``: each
new tensor storage an operation returns is counted once (views and in-place results share a storage and add
nothing), and it is uncounted as soon as the last tensor using it is freed. The largest running total is the
step's peak. The count is exact and the same on every run and every machine (scratch memory inside a single
kernel, e.g. a matrix product's packing buffers, is not a tensor and is not counted); bench/linear_cross_entropy.py
cross-checks it against the RSS high-water mark of a fresh process.

Taught in notebooks/15_memory_and_precision_of_the_loss_layer.ipynb.
"""
import torch
from torch.multiprocessing.reductions import StorageWeakRef
from torch.utils._python_dispatch import TorchDispatchMode

MiB = 2 ** 20


def _tensors(value):
    """The tensors in an operation's (nested) arguments or results."""
    if isinstance(value, torch.Tensor):
        yield value
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _tensors(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _tensors(item)


class TensorMemoryTracker(TorchDispatchMode):
    """Counts the bytes of tensor storages created inside ``with TensorMemoryTracker() as tracker:``.

    ``tracker.peak`` is the largest number of those bytes alive at once, ``tracker.live`` those alive now.
    """

    @classmethod
    def _should_skip_dynamo(cls):
        # Nothing here is compiled. Returning True (torch's default) would wrap __torch_dispatch__ in a Dynamo
        # guard whose first call imports torch._dynamo, which takes seconds.
        return False

    def __init__(self):
        super().__init__()
        self._alive = {}  # storage address -> (weak reference, bytes)
        self.live = 0
        self.peak = 0

    def sweep(self):
        """Uncount the storages that have been freed since the last operation."""
        for address, (ref, nbytes) in list(self._alive.items()):
            if ref.expired():
                del self._alive[address]
                self.live -= nbytes

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        self.sweep()
        out = func(*args, **(kwargs or {}))
        # Again after the operation: a storage freed while it ran must not hide a new one at the same address.
        self.sweep()
        existing = {t.untyped_storage().data_ptr() for t in _tensors((args, kwargs))}
        for tensor in _tensors(out):
            storage = tensor.untyped_storage()
            address = storage.data_ptr()
            if storage.nbytes() and address not in existing and address not in self._alive:
                self._alive[address] = (StorageWeakRef(storage), storage.nbytes())
                self.live += storage.nbytes()
        self.peak = max(self.peak, self.live)
        return out


def extra_peak_bytes(step, gradients_of=()):
    """Peak bytes of the tensors ``step()`` creates, minus the bytes of the ``.grad`` of ``gradients_of``.

    For a loss layer's forward + backward, that is the memory it needs beyond its inputs, its parameters and
    their gradients. Set those ``.grad`` to None before calling, so that the step creates them.
    """
    with TensorMemoryTracker() as tracker:
        step()
    gradient_bytes = sum(t.grad.untyped_storage().nbytes() for t in gradients_of if t.grad is not None)
    return tracker.peak - gradient_bytes
