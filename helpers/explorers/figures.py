"""What each slider explorer draws: a matplotlib figure built once, whose moving parts ``update(state)`` repositions.

Drawing the axes, the static curves and the contour plot once and then only moving points, bars and lines keeps a
slider step (state + redraw + PNG) well under 50 ms here (``make bench`` measures it). Figures are plain
``matplotlib.figure.Figure`` objects rendered by Agg, the renderer behind the inline backend, so they never pop up
as a second, stale plot in the notebook. ``png(caption=...)`` also draws the readout under the plot: that image is
what a reader sees on a page that cannot run the sliders (GitHub, nbviewer).
"""
import io
import math

import matplotlib
import numpy
import PIL.Image
import torch
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from helpers import losses
from helpers.explorers import states
from helpers.plotting import LOSSBOOK_STYLE, finish

BLUE, ORANGE, GREEN, RED, GREY = "tab:blue", "tab:orange", "tab:green", "tab:red", "0.6"


def figure_style(big):
    """rcParams for an explorer: the lossbook look, with projector-sized text and lines when ``big``."""
    return {**LOSSBOOK_STYLE, "font.size": 17 if big else 10, "lines.linewidth": 3 if big else 1.8,
            "lines.markersize": 13 if big else 8, "legend.fontsize": 14 if big else 9}


class ExplorerFigure:
    """Base class: a fixed-size figure with ``ncols`` axes; subclasses draw in ``build`` and move in ``update``.

    Artists registered with ``moving`` are left out of the full draw; each frame pastes the saved background and
    draws only them (blitting). A subclass that changes something in the background, such as an axis limit, calls
    ``redraw_background``; ``set_ylim`` does so only when the limits really change.
    """
    ncols = 2
    size = (9.0, 3.2)

    def __init__(self, big=False):
        self.big = big
        self.style = figure_style(big)
        self._moving, self._background = [], None
        scale = 1.45 if big else 1.0
        with matplotlib.rc_context(self.style):
            self.fig = Figure(figsize=(self.size[0] * scale, self.size[1] * scale), dpi=96 if big else 80)
            FigureCanvasAgg(self.fig)
            self.axes = list(self.fig.subplots(1, self.ncols, squeeze=False)[0])
            self.build()
            self.fig.tight_layout()

    def build(self):
        raise NotImplementedError

    def update(self, state):
        raise NotImplementedError

    def moving(self, artist):
        """Register an artist that ``update`` changes; returns it."""
        artist.set_animated(True)
        self._moving.append(artist)
        return artist

    def _moving_bars(self, bars):
        for bar in bars:
            self.moving(bar)
        return bars

    def redraw_background(self):
        self._background = None

    def set_ylim(self, ax, low, high):
        if ax.get_ylim() != (low, high):
            ax.set_ylim(low, high)
            self.redraw_background()

    def png(self, caption=None):
        """The figure as PNG bytes; with ``caption``, the readout text is drawn under it (the static view)."""
        with matplotlib.rc_context(self.style):
            if caption is None:
                return self._blit_png()
            return self._static_png(caption)

    def _blit_png(self):
        canvas = self.fig.canvas
        if self._background is None:
            canvas.draw()
            self._background = canvas.copy_from_bbox(self.fig.bbox)
        else:
            canvas.restore_region(self._background)
        for artist in self._moving:
            self.fig.draw_artist(artist)
        buffer = io.BytesIO()
        PIL.Image.fromarray(numpy.asarray(canvas.buffer_rgba())).save(buffer, format="png", compress_level=1)
        return buffer.getvalue()

    def _static_png(self, caption):
        for artist in self._moving:
            artist.set_animated(False)
        text = self.fig.text(0.01, -0.02, caption, family="monospace", va="top", ha="left",
                             fontsize=self.style["font.size"])
        buffer = io.BytesIO()
        try:
            self.fig.savefig(buffer, format="png", dpi=self.fig.dpi, bbox_inches="tight", pad_inches=0.15)
        finally:
            text.remove()
            for artist in self._moving:
                artist.set_animated(True)
            self.redraw_background()
        return buffer.getvalue()


def nice_ceiling(value):
    """The smallest of 1, 1.5, 2, 3, 4, 5, 6, 8 times a power of ten that is ≥ ``value`` (> 0): axis limits that
    change only now and then as a slider moves, so that most frames can reuse the background."""
    power = 10.0 ** math.floor(math.log10(value))
    return next(m * power for m in (1, 1.5, 2, 3, 4, 5, 6, 8, 10) if m * power >= value * (1 - 1e-12))


def _f64(values):
    return torch.as_tensor(values, dtype=torch.float64)


# ----------------------------------------------------------------------------------------------------------------

class SigmoidBCEFigure(ExplorerFigure):
    """Left: σ(z) with the current point. Right: the BCE curves for y = 0 and y = 1, the point on the curve of the
    current label, and the tangent whose slope is the gradient σ(z) − y."""
    Z = torch.linspace(-10, 10, 401, dtype=torch.float64)

    def build(self):
        ax_sigmoid, ax_loss = self.axes
        ax_sigmoid.plot(self.Z, losses.sigmoid(self.Z), color=BLUE, label="σ(z)")
        self.sigmoid_point = self.moving(ax_sigmoid.plot([], [], "o", color=ORANGE, label="current z")[0])
        finish(ax_sigmoid, "σ(z) = P(y = 1 | z)", "logit z", "probability", legend=False)
        ax_sigmoid.legend(loc="upper left")

        self.curves = {}
        for label, color in ((0, GREEN), (1, BLUE)):
            target = torch.full_like(self.Z, float(label))
            loss = losses.binary_cross_entropy_with_logits(self.Z, target, reduction="none")
            self.curves[label] = self.moving(ax_loss.plot(self.Z, loss, color=color, label=f"y = {label}")[0])
        # Red, thick and drawn over the curves, so the tangent stays visible where the slope is almost flat.
        self.tangent = self.moving(ax_loss.plot([], [], "--", color=RED, linewidth=2 * self.style["lines.linewidth"],
                                                zorder=5, label="tangent, slope σ(z) − y")[0])
        self.slope_text = self.moving(ax_loss.text(0, 0, "", color=RED, ha="center", va="bottom", zorder=6,
                                                   fontsize=self.style["legend.fontsize"]))
        self.loss_point = self.moving(ax_loss.plot([], [], "o", color=ORANGE, zorder=6)[0])
        ax_loss.set_ylim(-0.5, 10.5)
        finish(ax_loss, "BCE loss and its slope", "logit z", "loss", legend=False)
        ax_loss.legend(loc="upper center")

    def update(self, state):
        self.sigmoid_point.set_data([state.z], [state.probability])
        for label, curve in self.curves.items():
            curve.set_alpha(1.0 if label == state.y else 0.3)
        self.loss_point.set_data([state.z], [state.loss])
        dz = torch.tensor([-3.0, 3.0], dtype=torch.float64)
        self.tangent.set_data(state.z + dz, state.loss + state.gradient * dz)
        # Above the whole tangent segment, kept inside the axes.
        self.slope_text.set_position((min(max(state.z, -8.5), 8.5),
                                      min(state.loss + 3.0 * abs(state.gradient) + 0.4, 9.6)))
        self.slope_text.set_text(f"slope {state.gradient:+.2f}".replace("-", "−"))


class LikelihoodFigure(ExplorerFigure):
    """Left: the five labelled points and the fitted curve σ(w·x + b). Right: contours of NLL(w, b), the current
    (w, b) and the maximum-likelihood point."""
    X = torch.linspace(-3, 3.5, 131, dtype=torch.float64)
    W_RANGE, B_RANGE = (-4.0, 8.0), (-5.0, 5.0)

    def build(self):
        ax_fit, ax_surface = self.axes
        best_w, best_b, best_nll = states.logistic_mle()
        ax_fit.plot(states.LOGISTIC_X, states.LOGISTIC_Y, "o", color="black", label="data (x, y)")
        ax_fit.plot(self.X, losses.sigmoid(best_w * self.X + best_b), ":", color=GREY, label="maximum likelihood")
        self.curve = self.moving(ax_fit.plot([], [], color=BLUE, label="σ(w·x + b)")[0])
        ax_fit.set_ylim(-0.05, 1.05)
        finish(ax_fit, "the model over the data", "x", "P(y = 1 | x)", legend=False)
        ax_fit.legend(loc="center right")

        w = torch.linspace(*self.W_RANGE, 97, dtype=torch.float64)
        b = torch.linspace(*self.B_RANGE, 81, dtype=torch.float64)
        grid_w, grid_b = torch.meshgrid(w, b, indexing="ij")
        excess = states.logistic_nll(grid_w, grid_b) - best_nll
        levels = [0.1, 0.3, 1, 2, 4, 8, 16, 32]
        contours = ax_surface.contour(grid_w, grid_b, excess, levels=levels, cmap="viridis")
        ax_surface.clabel(contours, fontsize=self.style["font.size"] * 0.7, fmt="%g")
        ax_surface.plot([best_w], [best_b], "*", color="black", label="minimum")
        self.point = self.moving(ax_surface.plot([], [], "o", color=ORANGE, label="current (w, b)")[0])
        finish(ax_surface, "NLL(w, b) − minimum", "w", "b", legend=False)
        ax_surface.legend(loc="lower right")

    def update(self, state):
        self.curve.set_data(self.X, losses.sigmoid(state.w * self.X + state.b))
        self.point.set_data([state.w], [state.b])


class GaussianFigure(ExplorerFigure):
    """Left: the density N(μ, s²) over the measurements yᵢ, each one's density as a stem. Right: the
    log-likelihood and the SSE as functions of μ at the current s; they peak and bottom out at the same μ, the
    sample mean."""
    X = torch.linspace(-1.0, 5.5, 261, dtype=torch.float64)
    MU = torch.linspace(-1.0, 5.0, 241, dtype=torch.float64)

    def build(self):
        ax_density, ax_likelihood = self.axes
        sample = _f64(states.GAUSSIAN_SAMPLE)
        self.density = self.moving(ax_density.plot([], [], color=BLUE, label="N(y; μ, s²)")[0])
        self.stems = self.moving(ax_density.vlines(sample, 0, 0, color=ORANGE, label="density at each point"))
        ax_density.plot(sample, torch.zeros_like(sample), "|", color="black", markersize=14, label="sample")
        ax_density.set_xlim(self.X[0].item(), self.X[-1].item())
        finish(ax_density, "the model density over the data", "measurement y", "density", legend=False)
        ax_density.legend(loc="upper right")

        self.log_likelihood = self.moving(ax_likelihood.plot([], [], color=BLUE, label="log-likelihood")[0])
        self.likelihood_point = self.moving(ax_likelihood.plot([], [], "o", color=BLUE)[0])
        finish(ax_likelihood, "log-likelihood and SSE over μ", "μ", "log-likelihood", legend=False)
        ax_sse = ax_likelihood.twinx()
        sse = ((sample - self.MU[:, None]) ** 2).sum(dim=1)
        ax_sse.plot(self.MU, sse, "--", color=GREEN, label="SSE (right axis)")
        self.sse_point = self.moving(ax_sse.plot([], [], "o", color=GREEN)[0])
        ax_sse.set_ylabel("SSE (dashed)", color=GREEN)
        ax_sse.tick_params(axis="y", colors=GREEN)
        ax_sse.grid(False)
        ax_likelihood.yaxis.label.set_color(BLUE)
        ax_likelihood.tick_params(axis="y", colors=BLUE)
        ax_likelihood.axvline(sample.mean().item(), color=GREY, linestyle=":")
        # Half-way up, where both curves are far from the line (they touch it only at their extremes).
        ax_likelihood.text(sample.mean().item(), 0.5, "sample mean ", transform=ax_likelihood.get_xaxis_transform(),
                           rotation=90, ha="right", va="center", color="0.4", fontsize=self.style["legend.fontsize"])
        self.ax_likelihood = ax_likelihood

    def update(self, state):
        sample = _f64(states.GAUSSIAN_SAMPLE)
        normal = torch.distributions.Normal(state.mu, state.sigma)
        self.density.set_data(self.X, normal.log_prob(self.X).exp())
        heights = normal.log_prob(sample).exp()
        self.stems.set_segments([[(x, 0.0), (x, p)] for x, p in zip(sample.tolist(), heights.tolist())])
        top = nice_ceiling(1.5 / (state.sigma * math.sqrt(2 * math.pi)))
        self.set_ylim(self.axes[0], -0.04 * top, top)
        curve = states.gaussian_log_likelihood(self.MU, state.sigma)
        self.log_likelihood.set_data(self.MU, curve)
        self.likelihood_point.set_data([state.mu], [state.log_likelihood])
        self.sse_point.set_data([state.mu], [state.sse])
        high = curve.max().item()
        depth = nice_ceiling(high - curve.min().item())
        top = math.ceil(high / (depth / 10)) * depth / 10
        self.set_ylim(self.ax_likelihood, top - 1.05 * depth, top + 0.05 * depth)


class FloatPrecisionFigure(ExplorerFigure):
    """The three ways of computing BCE over z ∈ [−120, 120] in the chosen dtype, with the float64 truth dashed.
    Where a line stops, that form returned inf or nan; the clamped form flattens at 100."""
    ncols = 1
    size = (9.0, 3.4)
    Z = torch.linspace(-120, 120, 961, dtype=torch.float64)
    COLORS = (RED, ORANGE, BLUE)

    def build(self):
        ax = self.axes[0]
        self.curves, self.points = [], []
        for name, color in zip(states.FORMS, self.COLORS):
            self.curves.append(ax.plot([], [], color=color, label=name)[0])
        # Where it is finite the naive form equals the others, so it is drawn as a wide pale band under them: the
        # band shows around the thin lines and ends where the naive form turns inf or nan.
        self.curves[0].set(linewidth=4 * self.style["lines.linewidth"], alpha=0.35, zorder=1,
                           solid_capstyle="butt")
        self.exact, = ax.plot([], [], "--", color="black", linewidth=1, label="exact")
        self.marker = self.moving(ax.axvline(0, color=GREY, linewidth=1))
        for color in self.COLORS:
            self.points.append(self.moving(ax.plot([], [], "o", color=color)[0]))
        self.broken = self.moving(ax.text(0.5, 0.97, "", transform=ax.transAxes, ha="center", va="top", color=RED))
        ax.set_xlim(-125, 125)
        ax.set_ylim(-5, 135)
        finish(ax, "BCE of one logit, three ways", "logit z", "loss", legend=False)
        ax.legend(loc="center left")
        self._cache, self._shown = {}, None

    def _curves(self, y, dtype):
        if (y, dtype) not in self._cache:
            z = self.Z.to(states.DTYPES[dtype])
            target = torch.full_like(z, float(y))
            self._cache[y, dtype] = [form(z, target).double() for form in states.FORMS.values()]
        return self._cache[y, dtype]

    def update(self, state):
        if self._shown != (state.y, state.dtype):
            self._shown = (state.y, state.dtype)
            for curve, values in zip(self.curves, self._curves(state.y, state.dtype)):
                curve.set_data(self.Z, values)
            self.exact.set_data(self.Z, self._exact_curve(state.y))
            self.redraw_background()
        for point, value in zip(self.points, (state.naive, state.clamped, state.stable)):
            point.set_data([state.z], [value] if math.isfinite(value) else [])
        self.marker.set_xdata([state.z, state.z])
        self.broken.set_text("" if math.isfinite(state.naive) else f"naive form at z = {state.z:.1f}: {state.naive}")

    def _exact_curve(self, y):
        key = ("exact", y)
        if key not in self._cache:
            self._cache[key] = [states.exact_bce(z, y) for z in self.Z.tolist()]
        return self._cache[key]


class SoftmaxFigure(ExplorerFigure):
    """Three bar charts: the shifted logits, the model's probabilities q = softmax((z + c)/T) with the target class
    marked, and the gradient (q − p)/T with respect to the logits z (p the one-hot target). The gradient axis is
    linear in [−1, 1] and logarithmic beyond, because 1/T reaches 10 at the lowest temperature. Moving the shift
    slider moves the first chart and leaves the others still."""
    ncols = 3
    size = (10.0, 3.2)

    def __init__(self, n_classes=4, big=False):
        self.classes = list(range(n_classes))
        super().__init__(big)

    def build(self):
        ax_logits, ax_probs, ax_grad = self.axes
        self.logit_bars = self._moving_bars(ax_logits.bar(self.classes, [0] * len(self.classes), color=GREY))
        ax_logits.set_ylim(-26, 26)
        finish(ax_logits, "logits z + c", "class", "logit", legend=False)
        self.prob_bars = self._moving_bars(ax_probs.bar(self.classes, [0] * len(self.classes), color=BLUE))
        ax_probs.set_ylim(0, 1.05)
        finish(ax_probs, "q = softmax((z + c)/T)", "class", "probability", legend=False)
        self.grad_bars = self._moving_bars(ax_grad.bar(self.classes, [0] * len(self.classes), color=BLUE))
        ax_grad.set_yscale("symlog", linthresh=1.0)
        ax_grad.set_ylim(-10.5, 10.5)
        ax_grad.set_yticks([-10, -1, -0.5, 0, 0.5, 1, 10], ["−10", "−1", "−0.5", "0", "0.5", "1", "10"])
        ax_grad.axhline(0, color="black", linewidth=0.8)
        finish(ax_grad, "gradient (q − p)/T", "class", "∂CE/∂z", legend=False)
        for ax in self.axes:
            ax.set_xticks(self.classes)

    def update(self, state):
        shifted = [z + state.shift for z in state.logits]
        for bars, heights in ((self.logit_bars, shifted), (self.prob_bars, state.probabilities),
                              (self.grad_bars, state.gradient)):
            for k, (bar, height) in enumerate(zip(bars, heights)):
                bar.set_height(height)
                if bars is not self.logit_bars:
                    bar.set_color(ORANGE if k == state.target else BLUE)


class WeightsFigure(ExplorerFigure):
    """Left: the binary example's loss over z with and without pos_weight. Middle: the smoothed target p next to
    the model's q. Right: the gradient of the weighted, smoothed cross-entropy with respect to the logits."""
    ncols = 3
    size = (10.5, 3.2)
    Z = torch.linspace(-6, 6, 241, dtype=torch.float64)

    def build(self):
        ax_binary, ax_target, ax_grad = self.axes
        z0, y0 = states.BINARY_EXAMPLE
        target = torch.full_like(self.Z, y0)
        ax_binary.plot(self.Z, losses.binary_cross_entropy_with_logits(self.Z, target, reduction="none"), ":",
                       color=GREY, label="pos_weight = 1")
        self.binary_curve = self.moving(ax_binary.plot([], [], color=BLUE, label="current pos_weight")[0])
        self.binary_point = self.moving(ax_binary.plot([], [], "o", color=ORANGE, label=f"z = {z0}")[0])
        finish(ax_binary, f"binary, y = {y0:.0f}", "logit z", "loss", legend=False)
        ax_binary.legend(loc="upper right")

        logits, _ = states.MULTICLASS_EXAMPLE
        classes = torch.arange(len(logits), dtype=torch.float64)
        self.target_bars = self._moving_bars(ax_target.bar(classes - 0.2, [0] * len(logits), width=0.4,
                                                           color=GREEN, label="target p"))
        self.prob_bars = self._moving_bars(ax_target.bar(classes + 0.2, [0] * len(logits), width=0.4, color=BLUE,
                                                         label="model q"))
        ax_target.set_ylim(0, 1.05)
        finish(ax_target, "smoothed target p vs model q", "class", "probability", legend=False)
        ax_target.legend(loc="upper right")
        self.grad_bars = self._moving_bars(ax_grad.bar(classes, [0] * len(logits), color=BLUE))
        ax_grad.axhline(0, color="black", linewidth=0.8)
        ax_grad.set_ylim(-5.5, 5.5)
        finish(ax_grad, "∂loss/∂z, weighted and smoothed", "class", "gradient", legend=False)
        for ax in (ax_target, ax_grad):
            ax.set_xticks(classes.tolist(), [str(k) for k in range(len(logits))])

    def update(self, state):
        target = torch.full_like(self.Z, states.BINARY_EXAMPLE[1])
        curve = losses.binary_cross_entropy_with_logits(self.Z, target, reduction="none",
                                                        pos_weight=_f64(state.pos_weight))
        self.binary_curve.set_data(self.Z, curve)
        self.binary_point.set_data([states.BINARY_EXAMPLE[0]], [state.binary_loss])
        self.set_ylim(self.axes[0], -0.3, nice_ceiling(max(6.0, 1.05 * curve.max().item())))
        for bars, heights in ((self.target_bars, state.smoothed_target), (self.prob_bars, state.probabilities),
                              (self.grad_bars, state.gradient)):
            for bar, height in zip(bars, heights):
                bar.set_height(height)
