"""Notebook 01's exercise answers, which test_exercise_checks.py runs through every self-check's shared
behaviours, and what its self-checks say about particular mistakes."""
import math
import warnings

import torch
from torch import nn

from exercise_table import Exercise
from helpers.exercises import nb01
from selfcheck_output import assert_all_passed, assert_failed_with_hint


def laplace_nll(prediction, target, scale):
    return target.numel() * math.log(2 * scale) + (target - prediction).abs().sum() / scale


def laplace_nll_without_the_normaliser(prediction, target, scale):
    return (target - prediction).abs().sum() / scale


def gaussian_nll_in_place_of_laplace(prediction, target, scale):
    return target.numel() / 2 * math.log(2 * math.pi * scale ** 2) + ((target - prediction) ** 2).sum() / (2 * scale ** 2)


def _fit(x, y, broken):
    inputs = x.unsqueeze(1)                              # (N, 1): nn.Linear wants one row per sample
    model = nn.Linear(1, 1)
    nn.init.zeros_(model.weight)
    nn.init.zeros_(model.bias)
    optimiser = torch.optim.SGD(model.parameters(), lr=0.5)
    for _ in range(200):
        prediction = model(inputs) if broken else model(inputs).squeeze(1)
        loss = ((prediction - y) ** 2).mean()
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
    return torch.stack([model.weight[0, 0], model.bias[0]]).detach()


def fit_line(x, y):
    return _fit(x, y, broken=False)


def fit_line_as_given(x, y):
    """The snippet of the exercise, unrepaired: the (N, 1) prediction broadcasts against the (N,) target."""
    return _fit(x, y, broken=True)


def broadcast_mse(mean_prediction, var_prediction, mean_target, var_target):
    return (mean_prediction - mean_target) ** 2 + var_prediction + var_target


def broadcast_mse_without_the_prediction_spread(mean_prediction, var_prediction, mean_target, var_target):
    return (mean_prediction - mean_target) ** 2 + var_target


def test_the_median_case_catches_a_gaussian_nll(capsys):
    nb01.check_laplace_nll(gaussian_nll_in_place_of_laplace)
    out = capsys.readouterr().out
    median_line = next(line for line in out.splitlines() if "best constant" in line)
    assert median_line.startswith("  ✗ ") and "expected tensor of shape (): 2.63" in median_line, out
    assert "returned tensor of shape (): 3.3" in median_line, out     # the minimiser it found is the mean
    assert_failed_with_hint(out, "the Gaussian way")


def test_a_missing_normaliser_fails_only_where_it_shows(capsys):
    nb01.check_laplace_nll(laplace_nll_without_the_normaliser)
    out = capsys.readouterr().out
    assert "  ✓ the best constant for 9 measurements" in out, out     # the constant does not move the minimum
    assert "  ✗ a perfect prediction with a = 2 still has a nonzero NLL" in out, out


def test_the_best_constant_of_the_reference_is_the_median():
    sample = torch.tensor(nb01.MEDIAN_SAMPLE, dtype=torch.float64)
    assert nb01.best_constant(laplace_nll, sample, 1.0).item() == torch.median(sample).item() == 2.63
    assert round(sample.mean().item(), 2) == 3.30


def test_the_unrepaired_snippet_learns_a_flat_line_at_the_mean(capsys):
    nb01.check_fit_line(fit_line_as_given)
    out = capsys.readouterr().out
    assert out.count("  ✗ ") == 3, out
    x, y = nb01._line_data(20, 2.0, 1.0, 0.5, seed=21)
    w, b = fit_line_as_given(x, y)
    assert abs(w.item()) < 1e-3 and abs(b.item() - y.mean().item()) < 1e-3


def test_the_spread_of_the_predictions_matters_except_for_a_flat_line(capsys):
    nb01.check_broadcast_mse(broadcast_mse_without_the_prediction_spread)
    out = capsys.readouterr().out
    assert "  ✓ every prediction equal to the mean target" in out, out
    assert "  ✗ 20 predictions and targets" in out, out


def test_the_broadcast_identity_matches_torch():
    prediction, target = torch.randn(40, dtype=torch.float64), torch.randn(40, dtype=torch.float64)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")          # torch warns about the broadcast; the value is what we compare
        torch_value = nn.functional.mse_loss(prediction, target.unsqueeze(1))
    stats = (prediction.mean(), prediction.var(unbiased=False), target.mean(), target.var(unbiased=False))
    assert torch.allclose(broadcast_mse(*stats), torch_value)


def test_reference_answers_pass(capsys):
    for check, answer in [(nb01.check_laplace_nll, laplace_nll), (nb01.check_fit_line, fit_line),
                          (nb01.check_broadcast_mse, broadcast_mse)]:
        check(answer)
        assert_all_passed(capsys.readouterr().out)


# The table that tests/test_exercise_checks.py runs through every self-check's shared behaviours.
EXERCISES = [
    Exercise(nb01.check_laplace_nll, laplace_nll, gaussian_nll_in_place_of_laplace,
             "the Gaussian way", case_count=5, wrong_passes_some_cases=False),
    Exercise(nb01.check_fit_line, fit_line, fit_line_as_given,
             "the same kind of cause", case_count=3),
    Exercise(nb01.check_broadcast_mse, broadcast_mse, broadcast_mse_without_the_prediction_spread,
             "one spread is missing", case_count=4, wrong_passes_some_cases=True),
]
