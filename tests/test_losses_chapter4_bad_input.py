"""Bad input to chapter 4's losses raises a clear ValueError or TypeError from the helper itself, never a silent
broadcast, a nan or an error from deep inside torch."""
import pytest
import torch

from helpers import losses
from test_losses_bad_input import assert_raises_clearly, case

column = torch.randn(4, 1)         # a model's (N, 1) output
flat = torch.randn(4)              # (N,) targets
table = torch.randn(4, 3)
bits = torch.tensor([[0.0, 1.0, 1.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [1.0, 1.0, 0.0]])
log_q = torch.log_softmax(torch.randn(4, 3), dim=1)
p = torch.softmax(torch.randn(4, 3), dim=1)
counts = torch.tensor([0.0, 2.0, 1.0, 5.0])

ELEMENTWISE = {"l1_loss": losses.l1_loss, "smooth_l1_loss": losses.smooth_l1_loss, "huber_loss": losses.huber_loss,
               "poisson_nll_loss": losses.poisson_nll_loss,
               "gaussian_nll_loss": lambda x, y, **kw: losses.gaussian_nll_loss(x, y, torch.ones(4, 1), **kw),
               "kl_div": losses.kl_div, "sigmoid_focal_loss": losses.sigmoid_focal_loss}


def every_loss(make_call, error, match):
    return [case(name, make_call(fn), error, match) for name, fn in ELEMENTWISE.items()]


MISTAKES = [
    # (N, 1) against (N,): torch would broadcast to (N, N) and average every prediction against every target.
    *every_loss(lambda f: lambda: f(column, flat.abs().round()), ValueError,
                r"same shape; got input \(4, 1\) and target \(4,\)\. PyTorch would broadcast them to \(4, 4\)"),
    *every_loss(lambda f: lambda: f(table, table[:, :2].abs()), ValueError, r"same shape.*do not broadcast"),
    *every_loss(lambda f: lambda: f(torch.tensor([1, 2, 3, 4]), counts), TypeError,
                r"must be a floating-point tensor.*got dtype torch\.int64"),
    *[case(f"{name}: unknown reduction", (lambda f: lambda: f(flat, flat.abs(), reduction="average"))(fn),
           ValueError, r"reduction must be one of .*got 'average'") for name, fn in ELEMENTWISE.items()],
    case("l1_loss: a list target", lambda: losses.l1_loss(flat, [1.0, 2.0, 3.0, 4.0]), TypeError,
         r"target must be a torch\.Tensor; got list"),
    case("smooth_l1_loss: beta < 0", lambda: losses.smooth_l1_loss(flat, flat, beta=-0.5), ValueError,
         r"beta ≥ 0.*got -0\.5"),
    case("smooth_l1_loss: beta nan", lambda: losses.smooth_l1_loss(flat, flat, beta=float("nan")), ValueError,
         r"beta ≥ 0.*got nan"),
    case("huber_loss: delta = 0", lambda: losses.huber_loss(flat, flat, delta=0.0), ValueError,
         r"delta > 0.*got 0\.0"),
    case("huber_loss: delta < 0", lambda: losses.huber_loss(flat, flat, delta=-1.0), ValueError,
         r"delta > 0.*got -1\.0"),
    case("gaussian_nll_loss: a negative variance", lambda: losses.gaussian_nll_loss(table, table, -table.abs()),
         ValueError, r"var ≥ 0 everywhere \(a variance s²; make it positive with softplus"),
    case("gaussian_nll_loss: a negative float variance", lambda: losses.gaussian_nll_loss(table, table, -1.0),
         ValueError, r"var ≥ 0 \(a variance s², not a standard deviation s\); got -1\.0"),
    case("gaussian_nll_loss: var of another shape", lambda: losses.gaussian_nll_loss(table, table, torch.ones(3)),
         ValueError, r"var of the input's shape \(4, 3\).*of shape \(4,\) or with one dimension of size 1 such as "
                     r"\(4, 1\).*got var of shape \(3,\)"),
    case("gaussian_nll_loss: var with two mismatched dimensions",
         lambda: losses.gaussian_nll_loss(torch.randn(2, 3, 4), torch.randn(2, 3, 4), torch.ones(2, 1, 1)),
         ValueError, r"got var of shape \(2, 1, 1\)"),
    case("gaussian_nll_loss: integer var", lambda: losses.gaussian_nll_loss(table, table, torch.ones(4, 3).long()),
         TypeError, r"var must be a floating-point tensor"),
    case("gaussian_nll_loss: unknown reduction", lambda: losses.gaussian_nll_loss(table, table, 1.0, reduction="avg"),
         ValueError, r"reduction must be one of"),
    case("poisson_nll_loss: negative counts", lambda: losses.poisson_nll_loss(flat, -counts - 1), ValueError,
         r"counts ≥ 0 as target; got a minimum of -6"),
    case("poisson_nll_loss: a negative rate without log_input",
         lambda: losses.poisson_nll_loss(flat.abs() - 5, counts, log_input=False), ValueError,
         r"with log_input=False the input is the rate λ and must be ≥ 0"),
    case("kl_div: batchmean is accepted, 'batch_mean' is not", lambda: losses.kl_div(log_q, p, reduction="batch_mean"),
         ValueError, r"'none', 'batchmean', 'sum' or 'mean'; got 'batch_mean'"),
    case("kl_div: a log-probability target without log_target", lambda: losses.kl_div(log_q, p.log()), ValueError,
         r"probabilities p ≥ 0 when log_target=False.*pass log_target=True"),
    case("kl_div: an integer target", lambda: losses.kl_div(log_q, torch.zeros(4, 3, dtype=torch.long)), TypeError,
         r"target must be a floating-point tensor"),
    case("sigmoid_focal_loss: gamma < 0", lambda: losses.sigmoid_focal_loss(table, bits, gamma=-1.0), ValueError,
         r"gamma ≥ 0.*got -1\.0"),
    case("sigmoid_focal_loss: integer targets", lambda: losses.sigmoid_focal_loss(table, bits.long()), TypeError,
         r"floating-point targets.*got dtype torch\.int64"),
    case("sigmoid_focal_loss: targets outside [0, 1]", lambda: losses.sigmoid_focal_loss(table, 2 * bits), ValueError,
         r"target must hold targets in \[0, 1\]"),
]


@pytest.mark.parametrize("call, error, match", MISTAKES)
def test_chapter4_mistakes(call, error, match):
    assert_raises_clearly(call, error, match)


@pytest.mark.parametrize("name", ["l1_loss", "smooth_l1_loss", "huber_loss"])
def test_torch_would_broadcast_silently_where_we_raise(name):
    # The reason for the shape check: torch only warns, and returns a number over the wrong (4, 4) pairs.
    import warnings
    import torch.nn.functional as F
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        theirs = getattr(F, name)(column, flat)
    expected = getattr(losses, name)(column.expand(4, 4), flat.expand(4, 4))
    torch.testing.assert_close(theirs, expected)
