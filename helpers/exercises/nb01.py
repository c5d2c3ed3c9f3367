"""Self-checks for the exercises of notebooks/01_learning_as_optimisation_and_mse.ipynb.

Each ``check_*`` runs the reader's function on a few cases through ``helpers.selfcheck.run_checks`` and prints
one ✓/✗ line per case; it never raises. A failed case says what was expected and what arrived; the hint gives a
direction, never the code.
"""
import torch

from helpers.selfcheck import Case, run_checks

# Nine measurements with one gross outlier (12.0): their median is 2.63, their mean 3.30.
MEDIAN_SAMPLE = (1.88, 2.63, 2.76, 1.11, 3.35, 1.28, 1.72, 2.99, 12.0)
CONSTANT_GRID = torch.linspace(0.0, 10.0, 1001, dtype=torch.float64)   # candidate constants, step 0.01


def _regression_pair(*shape, seed):
    generator = torch.Generator().manual_seed(seed)
    return torch.randn(*shape, generator=generator), torch.randn(*shape, generator=generator)


# ---------------------------------------------------------------------------------------------------------------
# Exercise 1 · the Laplace negative log-likelihood, and the constant that minimises it
# ---------------------------------------------------------------------------------------------------------------

def _laplace_nll_reference(prediction, target, scale):
    return -torch.distributions.Laplace(prediction, scale).log_prob(target).sum()


def best_constant(nll, target, scale, grid=CONSTANT_GRID):
    """The constant prediction c on ``grid`` that minimises ``nll(c, …, c; target, scale)``."""
    values = torch.stack([nll(torch.full_like(target, c.item()), target, scale) for c in grid])
    return grid[values.argmin()]


def check_laplace_nll(your_laplace_nll):
    """Check ``your_laplace_nll(prediction, target, scale)``: the summed NLL of targets yᵢ ~ Laplace(ŷᵢ, a),
    values and gradients against ``torch.distributions.Laplace``; then minimise it over a constant prediction
    and expect the median of ``MEDIAN_SAMPLE``."""
    a, b = _regression_pair(8, seed=11)
    c, d = _regression_pair(2, 5, seed=12)
    sample = torch.tensor(MEDIAN_SAMPLE, dtype=torch.float64)

    def run(task, *args):
        return your_laplace_nll(*args) if task == "value" else best_constant(your_laplace_nll, *args)

    def reference(task, *args):
        return _laplace_nll_reference(*args)

    cases = [
        Case("scale a = 1 on 8 values", ("value", a, b, 1.0), reference=reference, grad_of=(1,)),
        Case("scale a = 0.5 on 8 values", ("value", a, b, 0.5), reference=reference, grad_of=(1,)),
        Case("scale a = 2 on a (2, 5) batch", ("value", c, d, 2.0), reference=reference, grad_of=(1,)),
        Case("a perfect prediction with a = 2 still has a nonzero NLL", ("value", a, a.clone(), 2.0),
             reference=reference),
        Case("the best constant for 9 measurements with an outlier is their median 2.63 (the mean is 3.30)",
             ("best constant", sample, 1.0), expected=torch.tensor(2.63, dtype=torch.float64), rtol=0,
             atol=0.006),
    ]
    run_checks("laplace_nll(prediction, target, scale)", run, cases,
               hint="a ✗ line shows your value next to the expected one. Minus the log of one Laplace density "
                    "has two parts: one from the normalising factor, which depends on the scale only, and one "
                    "from the exponent; the NLL sums both over every target. If only the perfect-prediction "
                    "case fails, the first part is missing or wrong; if the best constant comes out as the "
                    "mean, your loss still treats the errors the Gaussian way.")


# ---------------------------------------------------------------------------------------------------------------
# Exercise 2 · repair a training loop that silently learns the wrong line
# ---------------------------------------------------------------------------------------------------------------

def _line_data(n, slope, intercept, noise, seed):
    generator = torch.Generator().manual_seed(seed)
    x = torch.rand(n, generator=generator) * 2 - 1
    y = slope * x + intercept + noise * torch.randn(n, generator=generator)
    return x, y


def _least_squares(x, y):
    design = torch.stack([x, torch.ones_like(x)], dim=1).double()
    return torch.linalg.lstsq(design, y.double().unsqueeze(1)).solution.squeeze(1).float()


def check_fit_line(your_fit_line):
    """Check ``your_fit_line(x, y)`` → ``tensor([w, b])``: gradient descent on the MSE must reach the
    least-squares line, to 1e-3, on three data sets with 1-D inputs ``x`` of shape (N,) and targets (N,)."""
    data = [("20 points around y = 2x + 1", _line_data(20, 2.0, 1.0, 0.5, seed=21)),
            ("30 points around y = −x + 3", _line_data(30, -1.0, 3.0, 0.3, seed=22)),
            ("12 points exactly on y = 0.5x − 2", _line_data(12, 0.5, -2.0, 0.0, seed=23))]
    cases = [Case(f"{label}: the least-squares (w, b)", (x, y), expected=_least_squares(x, y), rtol=0, atol=1e-3)
             for label, (x, y) in data]
    run_checks("fit_line(x, y)", your_fit_line, cases,
               hint="a ✗ line shows the (w, b) you fitted next to the least-squares one. Compare them with the "
                    "line the broken training of section 5 learned: the same symptom has the same kind of cause. "
                    "Print the shapes of the two tensors that meet inside the loss.")


# ---------------------------------------------------------------------------------------------------------------
# Exercise 3 · what the broadcast (N, N) "MSE" really computes
# ---------------------------------------------------------------------------------------------------------------

def _statistics(values):
    values = values.double()
    return values.mean(), values.var(unbiased=False)


def _broadcast_mse(prediction, target):
    """What ``F.mse_loss(prediction, target.unsqueeze(1))`` returns: the mean of all N² squares (ŷⱼ − yᵢ)²."""
    prediction, target = prediction.double(), target.double()
    return ((prediction[None, :] - target[:, None]) ** 2).mean()


def check_broadcast_mse(your_broadcast_mse):
    """Check ``your_broadcast_mse(mean_prediction, var_prediction, mean_target, var_target)``: the value of the
    broadcast loss mean over all (i, j) of (ŷⱼ − yᵢ)², from the four statistics alone (variances divide by N)."""
    cases = []
    for label, seed, n, shift in [("20 predictions and targets", 31, 20, 0.0),
                                  ("50 predictions, off by +1.5 on average", 32, 50, 1.5),
                                  ("three values: ŷ = [1, 2, 3], y = [2, 2, 5]", None, 3, 0.0)]:
        if seed is None:
            prediction, target = torch.tensor([1.0, 2.0, 3.0]), torch.tensor([2.0, 2.0, 5.0])
        else:
            prediction, target = _regression_pair(n, seed=seed)
            prediction = prediction + shift
        cases.append(Case(label, (*_statistics(prediction), *_statistics(target)),
                          expected=_broadcast_mse(prediction, target)))
    _, target = _regression_pair(20, seed=33)
    flat = torch.full_like(target, target.mean().item())
    cases.append(Case("every prediction equal to the mean target (the line the broken training learns)",
                      (*_statistics(flat), *_statistics(target)), expected=_broadcast_mse(flat, target)))
    run_checks("broadcast_mse(mean_prediction, var_prediction, mean_target, var_target)", your_broadcast_mse,
               cases,
               hint="a ✗ line shows your value next to the mean of all N² squares. Each pair (i, j) counts once: "
                    "split every difference ŷⱼ − yᵢ into the deviations of ŷⱼ and yᵢ from their own means plus "
                    "the gap between the means, and average the square over i and j independently. A sum of "
                    "deviations from a mean is zero. If only the flat-line case passes, one spread is missing.")
