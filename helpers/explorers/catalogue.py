"""The eight explorers: which controls each one has, which state function it calls, which figure it draws.

Each factory takes the starting values of its controls and ``big`` (projector layout; by default on when
LOSSBOOK_BIG=1, which ``make present`` sets). The last expression of a notebook cell displays it.
"""
from helpers.explorers import figures, gradient_descent, loss_zoo, states
from helpers.explorers.widget import Explorer, big_by_default, slider, toggle


def _resolve(big):
    return big_by_default() if big is None else big


def sigmoid_bce_explorer(z=2.0, y=1, big=None):
    """A logit slider and a label toggle: σ(z), the BCE loss and its gradient σ(z) − y on the curves for y = 0, 1.

    Taught in notebooks/02_binary_cross_entropy_from_likelihood.ipynb.
    """
    big = _resolve(big)
    controls = {"z": slider("logit z", z, -10, 10, 0.25, big), "y": toggle("label y", [0, 1], y, big)}
    return Explorer("sigmoid-bce", "Sigmoid & BCE: drag the logit, flip the label", controls,
                    states.sigmoid_bce_state, figures.SigmoidBCEFigure(big))


def likelihood_explorer(w=1.5, b=-0.2, big=None):
    """w and b sliders for a one-feature logistic model on five points: the fit, the NLL and its contour plot.

    Taught in notebooks/02_binary_cross_entropy_from_likelihood.ipynb.
    """
    big = _resolve(big)
    controls = {"w": slider("slope w", w, *figures.LikelihoodFigure.W_RANGE, 0.05, big),
                "b": slider("intercept b", b, *figures.LikelihoodFigure.B_RANGE, 0.05, big)}
    return Explorer("likelihood", "The likelihood surface: move (w, b) towards the minimum", controls,
                    states.likelihood_state, figures.LikelihoodFigure(big))


def gaussian_explorer(mu=1.5, sigma=1.0, big=None):
    """μ and s (the noise standard deviation) sliders over eight measurements: the density, the log-likelihood,
    and the SSE beside it.

    Taught in notebooks/01_learning_as_optimisation_and_mse.ipynb.
    """
    big = _resolve(big)
    controls = {"mu": slider("mean μ", mu, -1.0, 5.0, 0.05, big),
                "sigma": slider("noise s.d. s", sigma, 0.1, 3.0, 0.05, big)}
    return Explorer("gaussian", "Gaussian maximum likelihood: the best μ does not depend on s", controls,
                    states.gaussian_state, figures.GaussianFigure(big))


def float_precision_explorer(z=20.0, y=0, dtype="float32", big=None):
    """A logit slider, a label and a dtype: naive BCE(σ(z)), the clamped BCELoss and BCEWithLogitsLoss side by side.

    Taught in notebooks/03_binary_cross_entropy_with_tensors.ipynb.
    """
    big = _resolve(big)
    controls = {"z": slider("logit z", z, -120, 120, 0.5, big), "y": toggle("label y", [0, 1], y, big),
                "dtype": toggle("dtype", list(states.DTYPES), dtype, big)}
    return Explorer("float-precision", "Float precision: where does each form of BCE break?", controls,
                    states.float_precision_state, figures.FloatPrecisionFigure(big))


def softmax_explorer(logits=(2.0, 1.0, 0.1, -1.5), temperature=1.0, shift=0.0, target=0, big=None):
    """One slider per logit, a temperature, a shift added to every logit and a target class: the model's
    q = softmax((z + c)/T), the cross-entropy H(p, q) against the one-hot target p, and its gradient (q − p)/T.
    The default logits are the notebook's example z = [2, 1, 0.1, −1.5].

    Taught in notebooks/05_softmax_and_the_categorical_likelihood.ipynb.
    """
    big = _resolve(big)
    names = [f"z{k}" for k in range(len(logits))]
    controls = {name: slider(f"logit z{k}", value, -5, 5, 0.1, big)
                for k, (name, value) in enumerate(zip(names, logits))}
    controls["temperature"] = slider("temperature T", temperature, 0.1, 5.0, 0.05, big)
    controls["shift"] = slider("shift all by c", shift, -20, 20, 0.5, big)
    controls["target"] = toggle("target class", list(range(len(logits))), target, big)

    def compute(temperature, shift, target, **logit_values):
        return states.softmax_state(tuple(logit_values[name] for name in names), temperature, shift, target)

    return Explorer("softmax", "Softmax & temperature: shift every logit, nothing changes", controls, compute,
                    figures.SoftmaxFigure(len(logits), big))


def weights_explorer(pos_weight=3.0, class_weight=2.0, smoothing=0.1, big=None):
    """pos_weight, the target class's weight and label smoothing, applied to one binary and one 3-class example.

    Taught in notebooks/08_cross_entropy_options_and_pitfalls.ipynb.
    """
    big = _resolve(big)
    controls = {"pos_weight": slider("pos_weight", pos_weight, 0, 10, 0.1, big),
                "class_weight": slider("weight of class 0", class_weight, 0, 5, 0.1, big),
                "smoothing": slider("smoothing ε", smoothing, 0, 1, 0.01, big)}
    return Explorer("weights", "Weights & label smoothing on one example", controls, states.weights_state,
                    figures.WeightsFigure(big))


def gradient_descent_explorer(log10_learning_rate=0.0, steps=100, loss="BCE", big=None):
    """A learning-rate slider (as log₁₀), a number of steps and a loss (BCE or MSE through the sigmoid): gradient
    descent for a two-parameter logistic model, its path on the loss contours and the loss per step.

    Taught in notebooks/10_gradients_of_the_losses.ipynb.
    """
    big = _resolve(big)
    controls = {"log10_learning_rate": slider("log₁₀ learning rate", log10_learning_rate, -2.0, 2.0, 0.05, big),
                "steps": slider("steps", steps, 0, 200, 1, big),
                "loss": toggle("loss", list(gradient_descent.LOSSES), loss, big)}
    return Explorer("gradient-descent", "Gradient descent: too slow, just right, too fast; BCE against MSE",
                    controls, gradient_descent.gradient_descent_state, gradient_descent.GradientDescentFigure(big))


def loss_zoo_explorer(u=1.5, width=2.0, gamma=2.0, big=None):
    """One value u (a residual r for the regression losses, the logit z of a positive example for BCE and focal
    loss), δ = β for Huber and SmoothL1, and focal loss's γ: every loss of the zoo with its gradient.

    Taught in notebooks/12_the_likelihood_recipe_beyond_gaussians.ipynb.
    """
    big = _resolve(big)
    controls = {"u": slider("residual r = logit z", u, -5.0, 5.0, 0.1, big),
                "width": slider("δ = β", width, 0.1, 3.0, 0.1, big),
                "gamma": slider("focal γ", gamma, 0.0, 5.0, 0.1, big)}
    return Explorer("loss-zoo", "The loss zoo: bounded gradients, and focal loss fading on easy examples", controls,
                    loss_zoo.loss_zoo_state, loss_zoo.LossZooFigure(big))


EXPLORERS = {
    "sigmoid-bce": sigmoid_bce_explorer, "likelihood": likelihood_explorer, "gaussian": gaussian_explorer,
    "float-precision": float_precision_explorer, "softmax": softmax_explorer, "weights": weights_explorer,
    "loss-zoo": loss_zoo_explorer,
    "gradient-descent": gradient_descent_explorer,
}
