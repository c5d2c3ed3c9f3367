"""The loss zoo explorer: five regression losses of one residual, and BCE against focal loss of one logit.

One slider u is both the residual r = prediction − target of the regression losses and the logit z of a positive
example (label y = 1) for the classification ones; a second slider sets Huber's δ and SmoothL1's β (the same
number), a third focal loss's γ. Each loss comes with its gradient, so the reader sees which ones stay bounded
(L1, Huber, SmoothL1, log-cosh) and how focal loss fades on examples that are already right.

The state (``loss_zoo_state``) is pure, computed with ``helpers.losses`` in float64; the figure
(``LossZooFigure``) is drawn once and moves only the δ- and γ-dependent curves and the current points.

Taught in notebooks/12_the_likelihood_recipe_beyond_gaussians.ipynb.
"""
from dataclasses import dataclass

import torch

from helpers import losses
from helpers.explorers.figures import BLUE, GREEN, GREY, ORANGE, RED, ExplorerFigure
from helpers.explorers.states import _num
from helpers.plotting import finish

REGRESSION_LOSSES = ("MSE", "L1", "Huber", "SmoothL1", "log-cosh")
PURPLE = "tab:purple"
COLOURS = {"MSE": BLUE, "L1": ORANGE, "Huber": GREEN, "SmoothL1": RED, "log-cosh": PURPLE}


def _f64(values):
    return torch.as_tensor(values, dtype=torch.float64)


def log_cosh(r):
    """log cosh r, elementwise, as |r| + log(1 + e^{−2|r|}) − log 2 so that cosh never overflows. Gradient: tanh r.

    >>> log_cosh(torch.tensor([0.0, 1000.0], dtype=torch.float64))
    tensor([  0.0000, 999.3069], dtype=torch.float64)
    """
    size = r.abs()
    return size + torch.log1p(torch.exp(-2 * size)) - torch.log(torch.tensor(2.0, dtype=r.dtype))


def regression_losses(r, width):
    """{name: elementwise loss} of residuals ``r`` (target 0), with δ = β = ``width``."""
    zero = torch.zeros_like(r)
    return {"MSE": losses.mse_loss(r, zero, reduction="none"), "L1": losses.l1_loss(r, zero, reduction="none"),
            "Huber": losses.huber_loss(r, zero, reduction="none", delta=width),
            "SmoothL1": losses.smooth_l1_loss(r, zero, reduction="none", beta=width), "log-cosh": log_cosh(r)}


def classification_losses(z, gamma):
    """(BCE, focal loss) of logits ``z`` for label y = 1, focal loss without α weighting (α < 0)."""
    one = torch.ones_like(z)
    return (losses.binary_cross_entropy_with_logits(z, one, reduction="none"),
            losses.sigmoid_focal_loss(z, one, alpha=-1.0, gamma=gamma))


def with_gradients(fn, u):
    """Values of fn(u) (a tensor or a dict/tuple of tensors) and the derivative of each with respect to u."""
    leaf = _f64(u).detach().clone().requires_grad_(True)
    out = fn(leaf)
    items = out.items() if isinstance(out, dict) else enumerate(out)
    values, grads = {}, {}
    for key, value in items:
        (grad,) = torch.autograd.grad(value.sum(), leaf, retain_graph=True)
        values[key], grads[key] = value.detach(), grad
    return values, grads


@dataclass(frozen=True)
class LossZooState:
    u: float
    width: float
    gamma: float
    loss: dict          # {name: loss at r = u} for the five regression losses
    gradient: dict      # {name: d loss / d r at r = u}
    bce: float
    bce_gradient: float
    focal: float
    focal_gradient: float
    probability: float  # q = σ(z), the model's probability of the true label

    @property
    def readout(self):
        def entry(name):
            return f"{name} {_num(self.loss[name], '.4f')} ({_num(self.gradient[name], '+.4f')})"
        return (f"residual r = {_num(self.u, '.2f')}, δ = β = {_num(self.width, '.2f')}: loss (gradient ∂/∂r)\n"
                f"  {entry('MSE')}   {entry('L1')}   {entry('log-cosh')}\n"
                f"  {entry('Huber')}   {entry('SmoothL1')}\n"
                f"logit z = {_num(self.u, '.2f')}, label y = 1, q = σ(z) = {_num(self.probability, '.4f')}, "
                f"γ = {_num(self.gamma, '.2f')}: loss (gradient ∂/∂z)\n"
                f"  BCE {_num(self.bce, '.4f')} ({_num(self.bce_gradient, '+.4f')})   "
                f"focal {_num(self.focal, '.4f')} ({_num(self.focal_gradient, '+.4f')})   "
                f"focal/BCE = (1 − q)^γ = {_num(self.focal / self.bce if self.bce > 0 else 0.0, '.4f')}")


def loss_zoo_state(u, width, gamma):
    """Every loss of the zoo and its derivative at residual r = ``u`` and at logit z = ``u`` (label 1).

    >>> print(loss_zoo_state(2.0, 1.0, 2.0).readout)
    residual r = 2.00, δ = β = 1.00: loss (gradient ∂/∂r)
      MSE 4.0000 (+4.0000)   L1 2.0000 (+1.0000)   log-cosh 1.3250 (+0.9640)
      Huber 1.5000 (+1.0000)   SmoothL1 1.5000 (+1.0000)
    logit z = 2.00, label y = 1, q = σ(z) = 0.8808, γ = 2.00: loss (gradient ∂/∂z)
      BCE 0.1269 (−0.1192)   focal 0.0018 (−0.0049)   focal/BCE = (1 − q)^γ = 0.0142

    Taught in notebooks/12_the_likelihood_recipe_beyond_gaussians.ipynb.
    """
    u, width, gamma = float(u), float(width), float(gamma)
    values, grads = with_gradients(lambda r: regression_losses(r, width), u)
    binary, binary_grads = with_gradients(lambda z: classification_losses(z, gamma), u)  # keys 0: BCE, 1: focal
    return LossZooState(u, width, gamma, {k: v.item() for k, v in values.items()},
                        {k: g.item() for k, g in grads.items()}, binary[0].item(), binary_grads[0].item(),
                        binary[1].item(), binary_grads[1].item(), losses.sigmoid(_f64(u)).item())


class LossZooFigure(ExplorerFigure):
    """Left pair: the regression losses of the residual and their gradients (MSE's leaves the axes: unbounded).
    Right pair: BCE and focal loss of a positive example's logit, and their gradients."""
    ncols = 4
    size = (10.5, 3.1)
    U = torch.linspace(-5, 5, 201, dtype=torch.float64)
    LIMITS = {"loss": (-0.2, 6.0), "gradient": (-3.0, 3.0), "bce": (-0.1, 5.5), "bce gradient": (-1.4, 0.1)}

    def build(self):
        ax_loss, ax_grad, ax_bce, ax_bce_grad = self.axes
        self.curves, self.grad_curves, self.points, self.grad_points = {}, {}, {}, {}
        static = regression_losses(self.U, 1.0)
        static_grads = with_gradients(lambda r: regression_losses(r, 1.0), self.U)[1]
        for name in REGRESSION_LOSSES:
            style = {"color": COLOURS[name], "label": name}
            if name in ("Huber", "SmoothL1"):
                self.curves[name] = self.moving(ax_loss.plot([], [], **style)[0])
                self.grad_curves[name] = self.moving(ax_grad.plot([], [], color=COLOURS[name])[0])
            else:
                ax_loss.plot(self.U, static[name], **style)
                ax_grad.plot(self.U, static_grads[name], color=COLOURS[name])
            self.points[name] = self.moving(ax_loss.plot([], [], "o", color=COLOURS[name])[0])
            self.grad_points[name] = self.moving(ax_grad.plot([], [], "o", color=COLOURS[name])[0])
        self.width_marks = [self.moving(ax_grad.axvline(0, color=GREY, linestyle=":")) for _ in range(2)]
        ax_loss.legend(loc="upper center", ncol=2)
        finish(ax_loss, "regression losses", "residual r", "loss", legend=False)
        finish(ax_grad, "their gradients (±δ dotted)", "residual r", "∂loss/∂r", legend=False)

        bce_values, bce_grads = with_gradients(lambda z: classification_losses(z, 0.0), self.U)
        bce, bce_grad = bce_values[0], bce_grads[0]
        ax_bce.plot(self.U, bce, color=BLUE, label="BCE")
        ax_bce_grad.plot(self.U, bce_grad, color=BLUE, label="BCE")
        self.focal_curve = self.moving(ax_bce.plot([], [], color=ORANGE, label="focal")[0])
        self.focal_grad_curve = self.moving(ax_bce_grad.plot([], [], color=ORANGE, label="focal")[0])
        self.bce_points = [self.moving(ax.plot([], [], "o", color=BLUE)[0]) for ax in (ax_bce, ax_bce_grad)]
        self.focal_points = [self.moving(ax.plot([], [], "o", color=ORANGE)[0]) for ax in (ax_bce, ax_bce_grad)]
        ax_bce.legend(loc="upper right")
        finish(ax_bce, "BCE vs focal, label y = 1", "logit z", "loss", legend=False)
        finish(ax_bce_grad, "their gradients", "logit z", "∂loss/∂z", legend=False)
        for ax, key in zip(self.axes, self.LIMITS):
            ax.set_xlim(-5, 5)
            ax.set_xticks([-4, -2, 0, 2, 4])
            ax.set_ylim(*self.LIMITS[key])
        self._shown_width = self._shown_gamma = None

    def update(self, state):
        if state.width != self._shown_width:
            curves = regression_losses(self.U, state.width)
            grads = with_gradients(lambda r: regression_losses(r, state.width), self.U)[1]
            for name in ("Huber", "SmoothL1"):
                self.curves[name].set_data(self.U, curves[name])
                self.grad_curves[name].set_data(self.U, grads[name])
            for mark, x in zip(self.width_marks, (-state.width, state.width)):
                mark.set_xdata([x, x])
            self._shown_width = state.width
        if state.gamma != self._shown_gamma:
            values, grads = with_gradients(lambda z: classification_losses(z, state.gamma), self.U)
            self.focal_curve.set_data(self.U, values[1])
            self.focal_grad_curve.set_data(self.U, grads[1])
            self._shown_gamma = state.gamma
        low, high = self.LIMITS["loss"][1], self.LIMITS["gradient"][1]
        for name in REGRESSION_LOSSES:
            # A point above the axes is drawn on the top edge, so MSE's is never lost from view.
            self.points[name].set_data([state.u], [min(state.loss[name], low)])
            self.grad_points[name].set_data([state.u], [max(min(state.gradient[name], high), -high)])
        self.bce_points[0].set_data([state.u], [min(state.bce, self.LIMITS["bce"][1])])
        self.bce_points[1].set_data([state.u], [state.bce_gradient])
        self.focal_points[0].set_data([state.u], [min(state.focal, self.LIMITS["bce"][1])])
        self.focal_points[1].set_data([state.u], [state.focal_gradient])
