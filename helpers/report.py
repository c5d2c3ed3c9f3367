"""How notebooks report what they verified: one "✓" line per check, and warnings printed where nbval sees them.

A failed check raises ``AssertionError`` with torch's explanation, so a broken notebook cannot print a ✓.
"""
import contextlib
import warnings

import torch


def check_close(label, actual, expected, rtol=None, atol=None):
    """Print "✓ label: match" once ``torch.testing.assert_close(actual, expected)`` passes (dtype-aware tolerances).

    The line does not say whether the match was bit-for-bit: that can differ between CPUs, and nbval compares it.

    >>> check_close("1 + 1", torch.tensor(2.0), torch.tensor(2.0))
    ✓ 1 + 1: match
    """
    actual, expected = torch.as_tensor(actual), torch.as_tensor(expected)
    torch.testing.assert_close(actual, expected, rtol=rtol, atol=atol, equal_nan=True,
                               check_dtype=False, msg=lambda m: f"✗ {label}\n{m}")
    print(f"✓ {label}: match")


def check_grad(label, ours, reference):
    """Karpathy's ``cmp``: compare a hand-computed gradient with the ``.grad`` that autograd stored on ``reference``."""
    check_close(f"{label} matches autograd", ours, reference.grad)


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
