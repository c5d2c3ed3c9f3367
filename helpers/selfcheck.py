"""The machinery behind every exercise's self-check: run the reader's function on a few cases, print ✓/✗.

A self-check never raises: a reader's bug is reported as a ✗ line with a hint, and a function whose body still
raises ``NotImplementedError`` is reported as "not implemented yet". The chapter-specific checks that use this
live in ``helpers.exercises``.
"""
from dataclasses import dataclass, field

import torch

from helpers.report import show_warnings

NOT_IMPLEMENTED = "not implemented"


@dataclass
class Case:
    """One call of the reader's function.

    ``expected`` is the right answer (a tensor or number), or ``raises`` is the exception type the call must
    raise. ``grad_of`` names the positional arguments (by index) whose gradients must also match those of
    ``reference`` when ``reference`` is given.
    """
    label: str
    args: tuple
    kwargs: dict = field(default_factory=dict)
    expected: object = None
    raises: type = None
    reference: object = None
    grad_of: tuple = ()
    rtol: float = None
    atol: float = None


def random_logits(*shape, seed, scale=2.0):
    """Seeded normal logits for a check's cases: the same numbers on every machine and every run."""
    generator = torch.Generator().manual_seed(seed)
    return torch.randn(*shape, generator=generator) * scale


def _fresh(args, grad_of):
    out = []
    for i, a in enumerate(args):
        if isinstance(a, torch.Tensor):
            a = a.detach().clone()
            if i in grad_of:
                a.requires_grad_(True)
        out.append(a)
    return out


def _describe(value):
    if isinstance(value, torch.Tensor):
        return f"tensor of shape {tuple(value.shape)}: {value.detach()}" if value.numel() <= 8 else \
            f"tensor of shape {tuple(value.shape)}"
    return repr(value)


def _run_case(fn, case):
    """Returns None if the case passes, else a one-line reason."""
    args = _fresh(case.args, case.grad_of)
    if case.raises is not None:
        try:
            fn(*args, **case.kwargs)
        except case.raises:
            return None
        except NotImplementedError:
            raise
        except Exception as e:  # noqa: BLE001 - any other exception is the reader's bug to report
            return f"raised {type(e).__name__} ({e}), expected {case.raises.__name__}"
        return f"returned normally, expected it to raise {case.raises.__name__}"

    result = fn(*args, **case.kwargs)
    expected = case.expected
    if case.reference is not None:
        ref_args = _fresh(case.args, case.grad_of)
        expected = case.reference(*ref_args, **case.kwargs)
    if not isinstance(result, torch.Tensor):
        return f"returned {type(result).__name__}, expected a tensor"
    expected = torch.as_tensor(expected, dtype=result.dtype) if not isinstance(expected, torch.Tensor) else expected
    if result.shape != expected.shape:
        return f"returned shape {tuple(result.shape)}, expected {tuple(expected.shape)}"
    try:
        torch.testing.assert_close(result.detach(), expected.detach().to(result.dtype), rtol=case.rtol,
                                   atol=case.atol, equal_nan=True)
    except AssertionError:
        return f"returned {_describe(result)}, expected {_describe(expected)}"
    if case.grad_of:
        if not result.requires_grad:
            return "the value is right, but no gradient can flow back: build the result with torch operations " \
                   "on the inputs (no .detach(), .item() or NumPy)"
        result.sum().backward()
        expected.sum().backward()
        for i in case.grad_of:
            mine, theirs = args[i].grad, ref_args[i].grad
            if mine is None:
                return f"no gradient reached argument {i}: build the result from it with torch operations"
            try:
                torch.testing.assert_close(mine, theirs, rtol=case.rtol, atol=case.atol, equal_nan=True)
            except AssertionError:
                return f"value right, but the gradient of argument {i} differs: got {_describe(mine)}, " \
                       f"expected {_describe(theirs)}"
    return None


def run_checks(title, fn, cases, hint):
    """Run ``fn`` on every case and print one ✓/✗ line each, then a summary. Never raises.

    Returns nothing, so the call's value does not clutter the notebook.
    """
    print(f"Checking {title}:")
    passed = 0
    for case in cases:
        with show_warnings():  # the reader's warnings appear on stdout, not as stderr noise
            try:
                reason = _run_case(fn, case)
            except NotImplementedError:
                reason = NOT_IMPLEMENTED
            except Exception as e:  # noqa: BLE001 - report the reader's exception instead of stopping the notebook
                reason = f"raised {type(e).__name__}: {e}"
        if reason is NOT_IMPLEMENTED:
            print("  ✗ not implemented yet: replace the `raise NotImplementedError` line with your code.")
            return
        if reason is None:
            passed += 1
            print(f"  ✓ {case.label}")
        else:
            print(f"  ✗ {case.label}: {reason}")
    if passed == len(cases):
        print(f"All {len(cases)} checks passed.")
    else:
        print(f"{passed}/{len(cases)} checks passed. Hint: {hint}")
