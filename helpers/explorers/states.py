"""The numbers behind each slider explorer: pure functions of the slider values, with no widgets and no figures.

Each function returns a frozen dataclass whose ``readout`` is the text the explorer prints under its sliders. A
notebook's check cell, the unit tests and the browser test all ask these functions for the numbers, so the three
can never disagree. Values are computed in float64 with ``helpers.losses``, except in ``float_precision_state``,
whose whole point is the dtype.
"""
import math
from dataclasses import dataclass
from functools import lru_cache

import torch

from helpers import losses

# Five labelled points, the running example of notebooks/02_binary_cross_entropy_from_likelihood.ipynb. They are
# not separable (x = −0.5 has label 1, x = 0.3 label 0), so the likelihood has a finite maximum.
LOGISTIC_X = (-1.5, -0.5, 0.3, 1.2, 2.0)
LOGISTIC_Y = (0.0, 1.0, 0.0, 1.0, 1.0)

# Eight measurements for the Gaussian explorer of notebooks/01_learning_as_optimisation_and_mse.ipynb: drawn from
# N(2, 0.8²) with a generator seeded 7 and rounded to two decimals, so that a reader can redo the sums.
GAUSSIAN_SAMPLE = tuple(round(v, 2) for v in
                        (2 + 0.8 * torch.randn(8, generator=torch.Generator().manual_seed(7))).tolist())

# The fixed examples of the weights & smoothing explorer (notebooks/08_cross_entropy_options_and_pitfalls.ipynb).
BINARY_EXAMPLE = (-0.5, 1.0)                 # logit z, label y
MULTICLASS_EXAMPLE = ((1.0, 2.0, -0.5), 0)  # logits, target class: the model leans to the wrong class 1


def _f64(values):
    return torch.as_tensor(values, dtype=torch.float64)


def _vector(values, fmt="{:7.4f}"):
    return "[" + " ".join(fmt.format(v).replace("-", "−") for v in values) + "]"


def _num(value, fmt):
    """Format with a real minus sign, and without a "−0.0000" for values that round to zero."""
    text = format(value, fmt)
    if float(text) == 0.0:
        text = text.replace("-", "")
    return text.replace("-", "−")


def nonfinite_values(state):
    """The float fields of a state (scalars or tuples of them) that are nan or ±inf, as {name: value}."""
    bad = {}
    for name, value in vars(state).items():
        items = value if isinstance(value, tuple) else (value,)
        for item in items:
            if isinstance(item, float) and not math.isfinite(item):
                bad[name] = value
    return bad


# ----------------------------------------------------------------------------------------------------------------
# 1 · Sigmoid & BCE
# ----------------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SigmoidBCEState:
    z: float
    y: int
    probability: float
    loss: float
    gradient: float

    @property
    def readout(self):
        term = "−log σ(z)" if self.y == 1 else "−log(1 − σ(z))"
        return (f"σ({_num(self.z, '.2f')}) = {_num(self.probability, '.4f')}\n"
                f"y = {self.y}: loss = {term} = {_num(self.loss, '.4f')}\n"
                f"gradient ∂loss/∂z = σ(z) − y = {_num(self.gradient, '+.4f')}")


def sigmoid_bce_state(z, y):
    """σ(z), the binary cross-entropy of label ``y`` and its gradient σ(z) − y, at one logit ``z``.

    >>> print(sigmoid_bce_state(2.0, 1).readout)
    σ(2.00) = 0.8808
    y = 1: loss = −log σ(z) = 0.1269
    gradient ∂loss/∂z = σ(z) − y = −0.1192

    Taught in notebooks/02_binary_cross_entropy_from_likelihood.ipynb.
    """
    z_t, y_t = _f64(float(z)), _f64(float(y))
    probability = losses.sigmoid(z_t).item()
    loss = losses.binary_cross_entropy_with_logits(z_t, y_t).item()
    return SigmoidBCEState(float(z), int(y), probability, loss, probability - int(y))


# ----------------------------------------------------------------------------------------------------------------
# 2 · Likelihood surface of a one-feature logistic model
# ----------------------------------------------------------------------------------------------------------------

def logistic_nll(w, b, x=LOGISTIC_X, y=LOGISTIC_Y):
    """NLL(w, b) = −Σᵢ log P(yᵢ | xᵢ) with the model's q = P(y = 1 | x) = σ(w·x + b); ``w`` and ``b`` may be tensors
    of a common shape."""
    w, b = _f64(w), _f64(b)
    logits = w[..., None] * _f64(x) + b[..., None]
    return losses.binary_cross_entropy_with_logits(logits, _f64(y).expand_as(logits), reduction="none").sum(-1)


@lru_cache(maxsize=8)
def logistic_mle(x=LOGISTIC_X, y=LOGISTIC_Y):
    """The (w, b) that maximise the likelihood, by Newton's method (the NLL is convex): returns (w, b, NLL)."""
    xs, ys = _f64(x), _f64(y)
    design = torch.stack([xs, torch.ones_like(xs)], dim=1)
    theta = torch.zeros(2, dtype=torch.float64)
    for _ in range(50):
        p = losses.sigmoid(design @ theta)
        gradient = design.T @ (p - ys)
        hessian = design.T @ (design * (p * (1 - p))[:, None])
        theta = theta - torch.linalg.solve(hessian, gradient)
    w, b = theta.tolist()
    return w, b, logistic_nll(w, b, x, y).item()


@dataclass(frozen=True)
class LikelihoodState:
    w: float
    b: float
    probabilities: tuple
    nll: float
    best_w: float
    best_b: float
    best_nll: float

    @property
    def readout(self):
        return (f"w = {_num(self.w, '.2f')}, b = {_num(self.b, '.2f')}: "
                f"P(y = 1 | x) = {_vector(self.probabilities, '{:.3f}')}\n"
                f"NLL(w, b) = −Σ log P(yᵢ | xᵢ) = {_num(self.nll, '.4f')}\n"
                f"minimum NLL = {_num(self.best_nll, '.4f')} at w = {_num(self.best_w, '.2f')}, "
                f"b = {_num(self.best_b, '.2f')}")


def likelihood_state(w, b, x=LOGISTIC_X, y=LOGISTIC_Y):
    """The fitted probabilities σ(w·xᵢ + b), the NLL at (w, b), and the maximum-likelihood (w, b) for comparison.

    >>> print(likelihood_state(1.5, -0.2).readout)
    w = 1.50, b = −0.20: P(y = 1 | x) = [0.079 0.279 0.562 0.832 0.943]
    NLL(w, b) = −Σ log P(yᵢ | xᵢ) = 2.4286
    minimum NLL = 2.3518 at w = 1.32, b = 0.23

    Taught in notebooks/02_binary_cross_entropy_from_likelihood.ipynb.
    """
    probabilities = losses.sigmoid(float(w) * _f64(x) + float(b))
    best_w, best_b, best_nll = logistic_mle(tuple(x), tuple(y))
    return LikelihoodState(float(w), float(b), tuple(probabilities.tolist()), logistic_nll(w, b, x, y).item(),
                           best_w, best_b, best_nll)


# ----------------------------------------------------------------------------------------------------------------
# 3 · Gaussian maximum likelihood
# ----------------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class GaussianState:
    """``sigma`` is the noise standard deviation, written s in the notebooks (σ is the sigmoid there)."""
    mu: float
    sigma: float
    n: int
    sse: float
    log_likelihood: float
    best_mu: float
    best_sigma: float
    best_sse: float

    @property
    def readout(self):
        return (f"μ = {_num(self.mu, '.2f')}, s = {_num(self.sigma, '.2f')}, N = {self.n} measurements yᵢ\n"
                f"SSE(μ) = Σ(yᵢ − μ)² = {_num(self.sse, '.4f')}\n"
                f"log-likelihood = −N·log(s√(2π)) − SSE(μ)/(2s²) = {_num(self.log_likelihood, '.4f')}\n"
                f"maximum: μ = ȳ = {_num(self.best_mu, '.4f')} for every s, where SSE(ȳ) = "
                f"{_num(self.best_sse, '.4f')};\n"
                f"over s too, at ŝ = √(SSE(ȳ)/N) = {_num(self.best_sigma, '.4f')}")


def gaussian_log_likelihood(mu, sigma, sample=GAUSSIAN_SAMPLE):
    """log Π N(yᵢ; μ, s²) = −N·log(s√(2π)) − Σ(yᵢ − μ)²/(2s²), with s = ``sigma``; ``mu`` may be a tensor of
    candidate means."""
    xs = _f64(sample)
    sse = ((xs - _f64(mu)[..., None]) ** 2).sum(-1)
    return -len(sample) * math.log(sigma * math.sqrt(2 * math.pi)) - sse / (2 * sigma ** 2)


def gaussian_state(mu, sigma, sample=GAUSSIAN_SAMPLE):
    """The SSE and Gaussian log-likelihood of the measurements ``sample`` at (μ, s), and where the likelihood
    peaks: at μ = the sample mean ȳ for every s, and, over s too, at ŝ = √(SSE(ȳ)/N), the SSE at the mean.

    >>> print(gaussian_state(2.0, 0.8).readout)
    μ = 2.00, s = 0.80, N = 8 measurements yᵢ
    SSE(μ) = Σ(yᵢ − μ)² = 5.1804
    log-likelihood = −N·log(s√(2π)) − SSE(μ)/(2s²) = −9.6135
    maximum: μ = ȳ = 2.2150 for every s, where SSE(ȳ) = 4.8106;
    over s too, at ŝ = √(SSE(ȳ)/N) = 0.7755

    Taught in notebooks/01_learning_as_optimisation_and_mse.ipynb.
    """
    xs = _f64(sample)
    sse = ((xs - float(mu)) ** 2).sum().item()
    best_mu = xs.mean().item()
    best_sse = ((xs - best_mu) ** 2).sum().item()
    best_sigma = math.sqrt(best_sse / len(sample))
    log_likelihood = gaussian_log_likelihood(float(mu), float(sigma), sample).item()
    return GaussianState(float(mu), float(sigma), len(sample), sse, log_likelihood, best_mu, best_sigma, best_sse)


# ----------------------------------------------------------------------------------------------------------------
# 4 · Float precision: three ways to compute BCE from a logit
# ----------------------------------------------------------------------------------------------------------------

DTYPES = {"float32": torch.float32, "float64": torch.float64}


def naive_bce(z, y):
    """−[y·log σ(z) + (1 − y)·log(1 − σ(z))] with σ(z) = 1/(1 + e^{−z}), exactly as written: this one breaks."""
    sigma = 1 / (1 + torch.exp(-z))
    return -(y * torch.log(sigma) + (1 - y) * torch.log(1 - sigma))


def clamped_bce(z, y):
    """``nn.BCELoss`` on σ(z): each log is clamped at −100, so the loss is finite but can be wrong."""
    return losses.binary_cross_entropy(losses.sigmoid(z), y, reduction="none")


def stable_bce(z, y):
    """``nn.BCEWithLogitsLoss``: max(z, 0) − z·y + log(1 + e^{−|z|}), never forming σ(z)."""
    return losses.binary_cross_entropy_with_logits(z, y, reduction="none")


def exact_bce(z, y):
    """The reference: softplus in float64 with log1p, accurate for every z the explorer offers (|z| ≤ 120)."""
    signed = z if y == 0 else -z
    return max(signed, 0.0) + math.log1p(math.exp(-abs(signed)))


FORMS = {"naive: σ, then log": naive_bce, "BCELoss (log ≥ −100)": clamped_bce, "BCEWithLogitsLoss": stable_bce}


def _verdict(value, exact, dtype):
    """✓ within 0.1% (plus the dtype's rounding of numbers near 1, so a loss of 1e−9 stored as 0 passes), else ✗."""
    if math.isnan(value):
        return "✗ nan: 0 · log 0"
    if math.isinf(value):
        return "✗ inf: log 0, σ(z) rounded to 0 or 1"
    if abs(value - exact) <= 1e-3 * abs(exact) + 2 * torch.finfo(DTYPES[dtype]).eps:
        return "✓"
    percent = 100 * abs(value - exact) / abs(exact)
    return f"✗ {percent:.0f}% off" if percent >= 10 else f"✗ {percent:.2g}% off"


@dataclass(frozen=True)
class FloatPrecisionState:
    z: float
    y: int
    dtype: str
    probability: float
    naive: float
    clamped: float
    stable: float
    exact: float

    @property
    def readout(self):
        rows = zip(FORMS, (self.naive, self.clamped, self.stable))
        lines = [f"z = {_num(self.z, '.2f')}, y = {self.y}, {self.dtype}: σ(z) = {self.probability:.9g}"]
        lines += [f"{name:<21} = {value + 0.0:<12.6g} {_verdict(value, self.exact, self.dtype)}"
                  for name, value in rows]
        lines.append(f"{'exact (float64 log1p)':<21} = {self.exact:.6g}")
        return "\n".join(lines).replace("-", "−")


def float_precision_state(z, y, dtype):
    """BCE of one logit ``z`` and label ``y`` computed three ways in ``dtype`` ("float32" or "float64").

    The naive form returns inf or nan where σ(z) rounds to 0 or 1 (from |z| ≈ 16.6 in float32, 36.7 in float64);
    that is what the explorer shows, so only its ``naive`` field may be non-finite.

    >>> print(float_precision_state(20.0, 0, "float32").readout)
    z = 20.00, y = 0, float32: σ(z) = 1
    naive: σ, then log    = inf          ✗ inf: log 0, σ(z) rounded to 0 or 1
    BCELoss (log ≥ −100)  = 100          ✗ 400% off
    BCEWithLogitsLoss     = 20           ✓
    exact (float64 log1p) = 20

    Taught in notebooks/03_binary_cross_entropy_with_tensors.ipynb.
    """
    z_t, y_t = torch.tensor(float(z), dtype=DTYPES[dtype]), torch.tensor(float(y), dtype=DTYPES[dtype])
    values = [form(z_t, y_t).item() for form in FORMS.values()]
    return FloatPrecisionState(float(z), int(y), dtype, losses.sigmoid(z_t).item(), *values,
                               exact_bce(float(z), int(y)))


# ----------------------------------------------------------------------------------------------------------------
# 5 · Softmax and temperature
# ----------------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SoftmaxState:
    logits: tuple
    shift: float
    temperature: float
    target: int
    probabilities: tuple
    loss: float
    gradient: tuple

    @property
    def readout(self):
        return (f"z = {_vector(self.logits, '{:.2f}')}, shift c = {_num(self.shift, '.2f')}, "
                f"T = {_num(self.temperature, '.2f')}\n"
                f"q = softmax((z + c)/T) = {_vector(self.probabilities)}\n"
                f"target p = onehot({self.target}): CE = H(p, q) = −log q{self.target} = {_num(self.loss, '.4f')}\n"
                f"gradient ∂CE/∂z = (q − p)/T = {_vector(self.gradient, '{:+.4f}')}")


def softmax_state(logits, temperature, shift, target):
    """The model's q = softmax((z + c)/T), the cross-entropy H(p, q) against the one-hot target p of class ``target``,
    and its gradient with respect to the logits z the learner drags, (q − p)/T (the chain rule through (z + c)/T).

    Adding the same c to every logit changes nothing (shift invariance); T < 1 sharpens, T > 1 flattens. The
    default logits are notebook 05's example z = [2, 1, 0.1, −1.5].

    >>> print(softmax_state((2.0, 1.0, 0.1, -1.5), 1.0, 0.0, 0).readout)
    z = [2.00 1.00 0.10 −1.50], shift c = 0.00, T = 1.00
    q = softmax((z + c)/T) = [ 0.6461  0.2377  0.0966  0.0195]
    target p = onehot(0): CE = H(p, q) = −log q0 = 0.4367
    gradient ∂CE/∂z = (q − p)/T = [−0.3539 +0.2377 +0.0966 +0.0195]

    Taught in notebooks/05_softmax_and_the_categorical_likelihood.ipynb.
    """
    scaled = (_f64(logits) + float(shift)) / float(temperature)
    probabilities = losses.softmax(scaled, dim=0)
    loss = -losses.log_softmax(scaled, dim=0)[int(target)].item()
    target_distribution = torch.nn.functional.one_hot(torch.tensor(int(target)), len(logits))
    gradient = (probabilities - target_distribution) / float(temperature)   # the chain rule through (z + c)/T
    return SoftmaxState(tuple(float(v) for v in logits), float(shift), float(temperature), int(target),
                        tuple(probabilities.tolist()), loss, tuple(gradient.tolist()))


# ----------------------------------------------------------------------------------------------------------------
# 6 · pos_weight, class weights and label smoothing on one example
# ----------------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class WeightsState:
    pos_weight: float
    class_weight: float
    smoothing: float
    binary_loss: float
    binary_gradient: float
    smoothed_target: tuple
    probabilities: tuple
    loss: float
    gradient: tuple

    @property
    def readout(self):
        z, y = BINARY_EXAMPLE
        logits, target = MULTICLASS_EXAMPLE
        return (f"binary: z = {_num(z, '.2f')}, y = {y:.0f}, pos_weight = {_num(self.pos_weight, '.2f')}: "
                f"loss = {_num(self.binary_loss, '.4f')}, ∂loss/∂z = {_num(self.binary_gradient, '+.4f')}\n"
                f"3 classes: z = {_vector(logits, '{:.2f}')}, target {target}, "
                f"weight[{target}] = {_num(self.class_weight, '.2f')}, ε = {_num(self.smoothing, '.2f')}\n"
                f"smoothed target p = {_vector(self.smoothed_target)}, model q = {_vector(self.probabilities)}\n"
                f"loss = {_num(self.loss, '.4f')}, ∂loss/∂z = {_vector(self.gradient, '{:+.4f}')}")


def weights_state(pos_weight, class_weight, smoothing):
    """One binary example under ``pos_weight`` and one 3-class example under a class weight and label smoothing.

    Both losses are per example (``reduction="none"``). With ``"mean"`` over this single example the class weight
    cancels only at ε = 0 (the mean is w·ℓ / w); with smoothing the other classes keep their weight 1 in the
    numerator, so dividing by the target's weight does not cancel it. The target p is PyTorch's smoothed one-hot,
    q = softmax(z) the model's distribution.

    >>> print(weights_state(3.0, 2.0, 0.1).readout)
    binary: z = −0.50, y = 1, pos_weight = 3.00: loss = 2.9222, ∂loss/∂z = −1.8674
    3 classes: z = [1.00 2.00 −0.50], target 0, weight[0] = 2.00, ε = 0.10
    smoothed target p = [ 0.9333  0.0333  0.0333], model q = [ 0.2537  0.6897  0.0566]
    loss = 2.6683, ∂loss/∂z = [−1.3761 +1.3000 +0.0761]

    Taught in notebooks/08_cross_entropy_options_and_pitfalls.ipynb.
    """
    z = _f64(BINARY_EXAMPLE[0]).requires_grad_(True)
    binary = losses.binary_cross_entropy_with_logits(z, _f64(BINARY_EXAMPLE[1]), pos_weight=_f64(float(pos_weight)))
    (binary_gradient,) = torch.autograd.grad(binary, z)

    logits, target = MULTICLASS_EXAMPLE
    scores = _f64(logits).requires_grad_(True)
    weight = torch.ones(len(logits), dtype=torch.float64)
    weight[target] = float(class_weight)
    loss = losses.cross_entropy(scores[None], torch.tensor([target]), weight=weight, reduction="none",
                                label_smoothing=float(smoothing))[0]
    (gradient,) = torch.autograd.grad(loss, scores)
    k = len(logits)
    smoothed = torch.full((k,), float(smoothing) / k, dtype=torch.float64)
    smoothed[target] += 1 - float(smoothing)
    return WeightsState(float(pos_weight), float(class_weight), float(smoothing), binary.item(),
                        binary_gradient.item(), tuple(smoothed.tolist()),
                        tuple(losses.softmax(scores.detach(), dim=0).tolist()), loss.item(), tuple(gradient.tolist()))
