"""The gradient-descent explorer: plain gradient descent on the loss surface of a two-parameter logistic model.

The model is q(y = 1 | x) = σ(w·x + b) on the five labelled points of
notebooks/02_binary_cross_entropy_from_likelihood.ipynb, and the loss is the mean over them of either BCE or the
squared error through the sigmoid, (σ(w·x + b) − y)². Both gradients are written out by hand (derived in
notebooks/10_gradients_of_the_losses.ipynb) and computed with NumPy in float64, so that two hundred steps and a
redraw stay far below the explorer budget of 50 ms; tests/test_explorer_states.py checks them against autograd.

- ``descend(loss, learning_rate, steps)``: the iterates and the loss at each one.
- ``gradient_descent_state(log10_learning_rate, steps, loss)``: what the explorer shows, with a ``readout``.
- ``GradientDescentFigure``: the path on the contours (left) and the loss per step (right).
"""
import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from matplotlib.ticker import FormatStrFormatter, LogLocator, NullFormatter

from helpers.explorers import states
from helpers.explorers.figures import BLUE, GREY, ORANGE, RED, ExplorerFigure, nice_ceiling
from helpers.plotting import finish

X = np.array(states.LOGISTIC_X)
Y = np.array(states.LOGISTIC_Y)
START = (-4.0, 4.0)          # a confidently wrong start: σ(w·x + b) decreases in x, while the labels increase
LOSSES = ("BCE", "MSE")      # MSE here is the squared error of the probability σ(w·x + b), not of the logit
W_RANGE, B_RANGE = (-8.0, 8.0), (-8.0, 8.0)


def _sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))   # = 1/(1 + e^(−z)), without overflow for large |z|


def loss_and_gradient(loss, w, b, x=X, y=Y):
    """The mean loss over the points at (w, b) and its gradient (∂L/∂w, ∂L/∂b); w and b may be arrays.

    BCE:  L = mean[softplus(z) − y·z],  ∂L/∂z = (σ(z) − y)/N.
    MSE:  L = mean[(σ(z) − y)²],        ∂L/∂z = 2(σ(z) − y)·σ(z)(1 − σ(z))/N.
    Then ∂L/∂w = Σ ∂L/∂z · x and ∂L/∂b = Σ ∂L/∂z, with z = w·x + b.
    """
    w, b = np.asarray(w, dtype=float)[..., None], np.asarray(b, dtype=float)[..., None]
    z = w * x + b
    q = _sigmoid(z)   # the model's probability of y = 1
    if loss == "BCE":
        value = np.mean(np.logaddexp(0.0, z) - y * z, axis=-1)
        dz = (q - y) / len(x)
    elif loss == "MSE":
        value = np.mean((q - y) ** 2, axis=-1)
        dz = 2 * (q - y) * q * (1 - q) / len(x)
    else:
        raise ValueError(f"loss must be one of {LOSSES}, got {loss!r}")
    return value, (dz * x).sum(axis=-1), dz.sum(axis=-1)


def descend(loss, learning_rate, steps, start=START, x=X, y=Y):
    """``steps`` steps of (w, b) ← (w, b) − learning_rate·∇L from ``start``: arrays w, b, loss of length steps + 1."""
    w, b = np.empty(steps + 1), np.empty(steps + 1)
    values = np.empty(steps + 1)
    w[0], b[0] = start
    for t in range(steps + 1):
        values[t], grad_w, grad_b = loss_and_gradient(loss, w[t], b[t], x, y)
        if t < steps:
            w[t + 1] = w[t] - learning_rate * grad_w
            b[t + 1] = b[t] - learning_rate * grad_b
    return w, b, values


@lru_cache(maxsize=4)
def grid(loss, size=121):
    """The loss on a size × size grid over W_RANGE × B_RANGE: (w values, b values, loss[w, b])."""
    w = np.linspace(*W_RANGE, size)
    b = np.linspace(*B_RANGE, size)
    values, _, _ = loss_and_gradient(loss, w[:, None], b[None, :])
    return w, b, values


@lru_cache(maxsize=4)
def minimum(loss):
    """The lowest (w, b, loss) in the plotted box: the best grid point, polished by 2000 small gradient steps.

    BCE is convex with one minimum; the MSE surface is not convex, and this is the lowest point found from the
    best grid point.
    """
    w, b, values = grid(loss)
    i, j = np.unravel_index(np.argmin(values), values.shape)
    path_w, path_b, path_loss = descend(loss, 2.0, 2000, start=(w[i], b[j]))
    return float(path_w[-1]), float(path_b[-1]), float(path_loss[-1])


@dataclass(frozen=True)
class GradientDescentState:
    loss: str
    learning_rate: float
    steps: int
    path_w: tuple
    path_b: tuple
    path_loss: tuple
    rises: int                 # steps after which the loss was higher than before them
    best_w: float
    best_b: float
    best_loss: float

    @property
    def final(self):
        return self.path_w[-1], self.path_b[-1], self.path_loss[-1]

    @property
    def readout(self):
        w, b, value = self.final
        name = "mean BCE" if self.loss == "BCE" else "mean (σ(w·x + b) − y)²"
        outside = "" if (W_RANGE[0] <= w <= W_RANGE[1] and B_RANGE[0] <= b <= B_RANGE[1]) else " (off the plot)"
        return (f"{name}, learning rate {_g(self.learning_rate)}, {self.steps} steps from (w, b) = "
                f"({states._num(START[0], '.2f')}, {states._num(START[1], '.2f')})\n"
                f"final w = {states._num(w, '.2f')}, b = {states._num(b, '.2f')}{outside}: loss = "
                f"{states._num(value, '.4f')} (start {states._num(self.path_loss[0], '.4f')})\n"
                f"loss went up on {self.rises} of {self.steps} steps; lowest loss "
                f"{states._num(self.best_loss, '.4f')} at w = {states._num(self.best_w, '.2f')}, "
                f"b = {states._num(self.best_b, '.2f')}")


def _g(value):
    return f"{value:.3g}"


def gradient_descent_state(log10_learning_rate, steps, loss):
    """Run gradient descent with learning rate 10^``log10_learning_rate`` for ``steps`` steps on ``loss``.

    >>> print(gradient_descent_state(0.0, 100, "BCE").readout)
    mean BCE, learning rate 1, 100 steps from (w, b) = (−4.00, 4.00)
    final w = 1.32, b = 0.23: loss = 0.4704 (start 3.6102)
    loss went up on 0 of 100 steps; lowest loss 0.4704 at w = 1.32, b = 0.23

    Taught in notebooks/10_gradients_of_the_losses.ipynb.
    """
    learning_rate = 10.0 ** float(log10_learning_rate)
    steps = int(round(steps))
    w, b, values = descend(loss, learning_rate, steps)
    rises = int(np.sum(np.diff(values) > 1e-12))
    best_w, best_b, best_loss = minimum(loss)
    return GradientDescentState(loss, learning_rate, steps, tuple(w.tolist()), tuple(b.tolist()),
                                tuple(values.tolist()), rises, best_w, best_b, best_loss)


class GradientDescentFigure(ExplorerFigure):
    """Left: contours of the chosen loss over (w, b), the minimum, and the path of the iterates. Right: the loss
    after each step, on a logarithmic axis, with the minimum as a dotted line."""
    LEVELS = {"BCE": [0.5, 0.6, 0.8, 1, 1.5, 2, 3, 4, 6], "MSE": [0.17, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6]}
    size = (9.0, 3.3)

    def build(self):
        ax_surface, ax_loss = self.axes
        self.layers = {}
        for loss in LOSSES:
            w, b, values = grid(loss)
            contours = ax_surface.contour(w, b, values.T, levels=self.LEVELS[loss], cmap="viridis")
            labels = ax_surface.clabel(contours, fontsize=self.style["font.size"] * 0.7, fmt="%g")
            best_w, best_b, _ = minimum(loss)
            star = ax_surface.plot([best_w], [best_b], "*", color="black", markersize=12,
                                   label="lowest loss")[0]
            floor = ax_loss.axhline(minimum(loss)[2], color=GREY, linestyle=":", label="lowest loss")
            self.layers[loss] = [contours, *labels, star, floor]
        start = ax_surface.plot([START[0]], [START[1]], "s", color=GREY, label="start")[0]
        self.path = self.moving(ax_surface.plot([], [], "-", color=ORANGE, linewidth=1.2, label="iterates")[0])
        self.dots = self.moving(ax_surface.plot([], [], ".", color=ORANGE, markersize=4)[0])
        self.end = self.moving(ax_surface.plot([], [], "o", color=RED, label="last (w, b)")[0])
        ax_surface.set_xlim(*W_RANGE)
        ax_surface.set_ylim(*B_RANGE)
        finish(ax_surface, "the path of (w, b) on the loss contours", "w", "b", legend=False)
        ax_surface.legend(loc="lower left", handles=[self.layers["BCE"][-2], start, self.end])

        self.curve = self.moving(ax_loss.plot([], [], color=BLUE, label="loss")[0])
        ax_loss.set_yscale("log")
        ax_loss.yaxis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))
        ax_loss.yaxis.set_major_formatter(FormatStrFormatter("%g"))
        ax_loss.yaxis.set_minor_formatter(NullFormatter())
        finish(ax_loss, "loss after each step", "step", "mean loss (log scale)", legend=False)
        ax_loss.legend(loc="upper right", handles=[self.curve, self.layers["BCE"][-1]])
        self.ax_loss = ax_loss
        self.shown = None

    def update(self, state):
        if state.loss != self.shown:
            for loss, artists in self.layers.items():
                for artist in artists:
                    artist.set_visible(loss == state.loss)
            self.shown = state.loss
            self.redraw_background()
        self.path.set_data(state.path_w, state.path_b)
        self.dots.set_data(state.path_w, state.path_b)
        self.end.set_data([state.path_w[-1]], [state.path_b[-1]])
        steps = np.arange(len(state.path_loss))
        self.curve.set_data(steps, state.path_loss)
        last = nice_ceiling(max(10, state.steps))
        if self.ax_loss.get_xlim() != (0, last):
            self.ax_loss.set_xlim(0, last)
            self.redraw_background()
        low = 10 ** math.floor(math.log10(min(min(state.path_loss), state.best_loss) * 0.9))
        self.set_ylim(self.ax_loss, low, nice_ceiling(max(state.path_loss) * 1.1))
