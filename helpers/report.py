"""How notebooks report what they verified: one "✓" line per check, and warnings printed where nbval sees them.

A failed check raises ``AssertionError`` with torch's explanation, so a broken notebook cannot print a ✓.
"""
import contextlib
import warnings

import torch


# torch.testing.assert_close's default (rtol, atol) per dtype; a pair of dtypes takes the larger of each.
DEFAULT_TOLERANCES = {torch.float16: (1e-3, 1e-5), torch.bfloat16: (1.6e-2, 1e-5), torch.float32: (1.3e-6, 1e-5),
                      torch.float64: (1e-7, 1e-7)}


def check_close(label, actual, expected, rtol=None, atol=None):
    """Print "✓ label: match" once ``torch.testing.assert_close(actual, expected)`` passes (dtype-aware tolerances).

    The line does not say whether the match was bit-for-bit: that can differ between CPUs, and nbval compares it.
    Matching tensors are recognised with ``torch.isclose`` and the same tolerances; only a mismatch calls
    ``torch.testing.assert_close``, for its explanation (its first call costs about a second of imports).

    >>> check_close("1 + 1", torch.tensor(2.0), torch.tensor(2.0))
    ✓ 1 + 1: match
    """
    actual, expected = torch.as_tensor(actual), torch.as_tensor(expected)
    if not _obviously_close(actual, expected, rtol, atol):
        torch.testing.assert_close(actual, expected, rtol=rtol, atol=atol, equal_nan=True,
                                   check_dtype=False, msg=lambda m: f"✗ {label}\n{m}")
    print(f"✓ {label}: match")


def _obviously_close(actual, expected, rtol, atol):
    """True when torch.testing.assert_close(..., equal_nan=True, check_dtype=False) would surely pass."""
    if actual.shape != expected.shape or actual.layout != torch.strided or expected.layout != torch.strided \
            or not (actual.is_floating_point() and expected.is_floating_point()):
        return False
    if (rtol is None) != (atol is None):
        return False  # torch.testing explains that both or neither must be given
    if rtol is None:
        pairs = [DEFAULT_TOLERANCES.get(t.dtype) for t in (actual, expected)]
        if None in pairs:
            return False
        rtol, atol = max(p[0] for p in pairs), max(p[1] for p in pairs)
    common = torch.promote_types(actual.dtype, expected.dtype)
    return bool(torch.isclose(actual.detach().to(common), expected.detach().to(common), rtol=rtol, atol=atol,
                              equal_nan=True).all())


def check_grad(label, ours, reference):
    """``check_close`` of a hand-computed gradient and the ``.grad`` that autograd stored on ``reference``.

    ``cmp`` below is Karpathy's fuller comparison (exact, close and the max difference on one line).
    """
    check_close(f"{label} matches autograd", ours, reference.grad)


def cmp(label, ours, autograd):
    """Karpathy's one-line comparison of a hand-derived tensor with autograd's: exact, close, and the max difference.

    ``close`` is ``torch.allclose`` with its default tolerances (rtol 1e-5, atol 1e-8); a tensor that is not close
    raises ``AssertionError``, so a notebook never stores a failed comparison. ``exact`` and the difference report
    rounding, which can differ in the last bit between CPUs. Taught in notebooks/10_gradients_of_the_losses.ipynb.

    >>> cmp("dL/dz", torch.tensor([0.5, -0.25]), torch.tensor([0.5, -0.25]))
    ✓ dL/dz                                        exact: True  | close: True | max diff: 0.0e+00
    """
    ours, autograd = torch.as_tensor(ours).detach(), torch.as_tensor(autograd).detach()
    if ours.shape != autograd.shape:
        raise AssertionError(f"✗ {label}: shape {tuple(ours.shape)}, autograd's is {tuple(autograd.shape)}")
    exact = bool(torch.equal(ours, autograd.to(ours.dtype)))
    close = bool(torch.allclose(ours, autograd.to(ours.dtype)))
    difference = (ours.double() - autograd.double()).abs().max().item() if ours.numel() else 0.0
    if not close:
        raise AssertionError(f"✗ {label}: not close to autograd's, max diff {difference:.1e}")
    print(f"✓ {label:<44} exact: {exact!s:<5} | close: {close} | max diff: {difference:.1e}")


def check_true(label, condition):
    """Print "✓ label" if ``condition`` holds, else raise AssertionError."""
    if not bool(condition):
        raise AssertionError(f"✗ {label}")
    print(f"✓ {label}")


@contextlib.contextmanager
def show_warnings():
    """Print warnings raised inside the block as "⚠ Category: message" on stdout.

    Python would write them to stderr with this machine's file paths, which differ between machines; here the
    reader sees the message and nbval can check it.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield caught
    for w in caught:
        print(f"⚠ {w.category.__name__}: {w.message}")
