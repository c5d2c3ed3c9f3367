"""helpers.report.check_close passes exactly when torch.testing.assert_close does, and says what it compared."""
import pytest
import torch

from helpers.report import check_close

NAN, INF = float("nan"), float("inf")


def torch_verdict(actual, expected, **tolerances):
    try:
        torch.testing.assert_close(torch.as_tensor(actual), torch.as_tensor(expected), equal_nan=True,
                                   check_dtype=False, **tolerances)
        return True
    except AssertionError:
        return False


def our_verdict(actual, expected, **tolerances):
    try:
        check_close("pair", actual, expected, **tolerances)
        return True
    except AssertionError:
        return False


PAIRS = [
    (torch.tensor([1.0, 2.0]), torch.tensor([1.0, 2.0 + 2e-6])),          # within float32's rtol
    (torch.tensor([1.0, 2.0]), torch.tensor([1.0, 2.0 + 3e-5])),          # outside it
    (torch.tensor([1e-6, 0.0]), torch.tensor([5e-6, 9e-6])),              # within atol
    (torch.tensor([1.0, NAN]), torch.tensor([1.0, NAN])),                 # nan equals nan
    (torch.tensor([INF, -INF]), torch.tensor([INF, -INF])),
    (torch.tensor([INF]), torch.tensor([-INF])),
    (torch.tensor([1.0, 2.0]), torch.tensor([1.0, 2.0], dtype=torch.float64) + 1e-7),  # float32 vs float64
    (torch.tensor([1.0, 2.0], dtype=torch.float64), torch.tensor([1.0, 2.0], dtype=torch.float64) + 3e-7),
    (torch.tensor([0.1], dtype=torch.bfloat16), torch.tensor([0.1001])),
    (torch.tensor([1.0, 2.0]), torch.tensor([1.0])),                      # shapes differ: never broadcast
    (torch.tensor([[1.0, 2.0]]), torch.tensor([1.0, 2.0])),
    (torch.tensor([1, 2]), torch.tensor([1, 2])),                         # integers: exact
    (torch.tensor([1, 2]), torch.tensor([1, 3])),
    (3, torch.tensor(3.0)),
]


@pytest.mark.parametrize("actual, expected", PAIRS)
def test_check_close_agrees_with_torch_testing(actual, expected, capsys):
    assert our_verdict(actual, expected) == torch_verdict(actual, expected)
    printed = capsys.readouterr().out
    assert printed == ("✓ pair: match\n" if torch_verdict(actual, expected) else "")


@pytest.mark.parametrize("rtol, atol", [(0.0, 0.0), (1e-3, 0.0), (0.0, 1e-2)])
def test_explicit_tolerances_agree_with_torch_testing(rtol, atol):
    for actual, expected in PAIRS:
        assert our_verdict(actual, expected, rtol=rtol, atol=atol) == \
            torch_verdict(actual, expected, rtol=rtol, atol=atol), (actual, expected)


def test_a_mismatch_raises_with_the_label_and_torchs_explanation():
    with pytest.raises(AssertionError, match=r"✗ the gradient\nTensor-likes are not close!"):
        check_close("the gradient", torch.tensor([1.0, 2.0]), torch.tensor([1.0, 2.5]))
