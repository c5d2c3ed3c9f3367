"""The explorers' pure functions: their numbers equal PyTorch's, and their readouts say what the sliders show."""
import inspect
import math

import pytest
import torch
import torch.nn.functional as F

from helpers.explorers import catalogue, states
from helpers.explorers import loss_zoo as states_loss_zoo


f64 = dict(dtype=torch.float64)


@pytest.mark.parametrize("z", [-10.0, -3.0, 0.0, 2.0, 10.0])
@pytest.mark.parametrize("y", [0, 1])
def test_sigmoid_bce_state_matches_torch_value_and_gradient(z, y):
    state = states.sigmoid_bce_state(z, y)
    z_leaf = torch.tensor(z, **f64, requires_grad=True)
    loss = F.binary_cross_entropy_with_logits(z_leaf, torch.tensor(float(y), **f64))
    loss.backward()
    assert state.probability == pytest.approx(torch.sigmoid(torch.tensor(z, **f64)).item(), rel=1e-12)
    assert state.loss == pytest.approx(loss.item(), rel=1e-12, abs=1e-15)
    assert state.gradient == pytest.approx(z_leaf.grad.item(), rel=1e-12, abs=1e-15)


def test_sigmoid_bce_readout_is_the_issue_example():
    assert states.sigmoid_bce_state(2.0, 1).readout.splitlines()[:2] == [
        "σ(2.00) = 0.8808", "y = 1: loss = −log σ(z) = 0.1269"]


def test_likelihood_state_nll_is_the_sum_of_bce_terms():
    state = states.likelihood_state(1.5, -0.2)
    x, y = torch.tensor(states.LOGISTIC_X, **f64), torch.tensor(states.LOGISTIC_Y, **f64)
    expected = F.binary_cross_entropy_with_logits(1.5 * x - 0.2, y, reduction="sum")
    assert state.nll == pytest.approx(expected.item(), rel=1e-12)
    assert state.probabilities == pytest.approx(torch.sigmoid(1.5 * x - 0.2).tolist(), rel=1e-12)


def test_logistic_mle_is_a_stationary_point_and_lower_than_its_neighbours():
    w, b, nll = states.logistic_mle()
    w_leaf = torch.tensor(w, **f64, requires_grad=True)
    b_leaf = torch.tensor(b, **f64, requires_grad=True)
    states.logistic_nll(w_leaf, b_leaf).backward()
    assert abs(w_leaf.grad) < 1e-10 and abs(b_leaf.grad) < 1e-10
    for dw, db in [(0.01, 0), (-0.01, 0), (0, 0.01), (0, -0.01)]:
        assert states.logistic_nll(w + dw, b + db).item() > nll


@pytest.mark.parametrize("mu, sigma", [(1.5, 1.0), (-1.0, 0.1), (5.0, 3.0)])
def test_gaussian_state_matches_torch_distributions(mu, sigma):
    state = states.gaussian_state(mu, sigma)
    sample = torch.tensor(states.GAUSSIAN_SAMPLE, **f64)
    expected = torch.distributions.Normal(torch.tensor(mu, **f64), torch.tensor(sigma, **f64)).log_prob(sample).sum()
    assert state.log_likelihood == pytest.approx(expected.item(), rel=1e-12)
    assert state.sse == pytest.approx(((sample - mu) ** 2).sum().item(), rel=1e-12)
    assert state.best_mu == pytest.approx(sample.mean().item(), rel=1e-12)
    assert state.best_sigma == pytest.approx(sample.std(unbiased=False).item(), rel=1e-12)


def test_gaussian_readout_gives_the_best_s_from_the_sse_at_the_mean():
    state = states.gaussian_state(1.5, 1.0)
    sample = torch.tensor(states.GAUSSIAN_SAMPLE, **f64)
    assert state.best_sse == pytest.approx(((sample - sample.mean()) ** 2).sum().item(), rel=1e-12)
    assert state.best_sigma == pytest.approx(math.sqrt(state.best_sse / state.n), rel=1e-12)
    assert state.sse != pytest.approx(state.best_sse)        # away from the mean the two SSEs differ
    assert f"SSE(ȳ) = {state.best_sse:.4f}" in state.readout
    assert f"ŝ = √(SSE(ȳ)/N) = {state.best_sigma:.4f}" in state.readout
    assert "σ" not in state.readout                          # σ is the sigmoid; the noise s.d. is s


def test_gaussian_sample_is_the_seeded_draw_it_claims_to_be():
    draw = 2 + 0.8 * torch.randn(8, generator=torch.Generator().manual_seed(7))
    assert states.GAUSSIAN_SAMPLE == tuple(round(v, 2) for v in draw.tolist())


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("z", [-120.0, -20.0, 0.0, 16.0, 20.0, 120.0])
@pytest.mark.parametrize("y", [0, 1])
def test_float_precision_forms_are_the_torch_losses(dtype, z, y):
    state = states.float_precision_state(z, y, dtype)
    torch_dtype = states.DTYPES[dtype]
    zt, yt = torch.tensor(z, dtype=torch_dtype), torch.tensor(float(y), dtype=torch_dtype)
    assert state.clamped == pytest.approx(F.binary_cross_entropy(torch.sigmoid(zt), yt).item(), rel=1e-6, abs=1e-30)
    assert state.stable == pytest.approx(F.binary_cross_entropy_with_logits(zt, yt).item(), rel=1e-6, abs=1e-30)
    assert state.exact == pytest.approx(F.softplus(-zt.double() if y else zt.double()).item(), rel=1e-12)


def test_float_precision_breaks_where_the_notebook_says():
    assert math.isinf(states.float_precision_state(17.0, 0, "float32").naive)
    assert math.isfinite(states.float_precision_state(16.0, 0, "float32").naive)
    assert math.isfinite(states.float_precision_state(36.0, 0, "float64").naive)
    assert math.isinf(states.float_precision_state(37.0, 0, "float64").naive)
    assert math.isnan(states.float_precision_state(20.0, 1, "float32").naive)
    readout = states.float_precision_state(110.0, 0, "float32").readout
    assert "BCELoss (log ≥ −100)  = 100          ✗ 9.1% off" in readout
    assert "BCEWithLogitsLoss     = 110          ✓" in readout


@pytest.mark.parametrize("temperature", [0.1, 1.0, 5.0])
@pytest.mark.parametrize("target", [0, 3])
def test_softmax_state_matches_torch(temperature, target):
    logits = (2.0, 1.0, 0.1, -1.5)
    state = states.softmax_state(logits, temperature, 3.5, target)
    z = torch.tensor(logits, **f64, requires_grad=True)   # the logits the learner drags
    scaled = (z + 3.5) / temperature
    loss = F.cross_entropy(scaled[None], torch.tensor([target]))
    loss.backward()
    assert state.probabilities == pytest.approx(torch.softmax(scaled.detach(), 0).tolist(), rel=1e-12, abs=1e-300)
    assert state.loss == pytest.approx(loss.item(), rel=1e-12)
    assert state.gradient == pytest.approx(z.grad.tolist(), rel=1e-10, abs=1e-15)


def test_softmax_gradient_is_q_minus_p_over_the_temperature():
    at_one = states.softmax_state((2.0, 1.0, 0.1, -1.5), 1.0, 0.0, 2)
    at_quarter = states.softmax_state((2.0, 1.0, 0.1, -1.5), 0.25, 0.0, 2)
    target = [0.0, 0.0, 1.0, 0.0]
    assert at_one.gradient == pytest.approx([q - p for q, p in zip(at_one.probabilities, target)], rel=1e-12)
    assert at_quarter.gradient == pytest.approx([(q - p) / 0.25 for q, p in zip(at_quarter.probabilities, target)],
                                                rel=1e-12)
    assert "∂CE/∂z = (q − p)/T" in at_quarter.readout and "H(p, q) = −log q2" in at_quarter.readout


def test_softmax_explorer_starts_at_the_notebooks_example_logits():
    default = inspect.signature(catalogue.softmax_explorer).parameters["logits"].default
    assert default == (2.0, 1.0, 0.1, -1.5)


def test_softmax_shift_changes_no_probability():
    base = states.softmax_state((2.0, 1.0, 0.1, -1.5), 0.5, 0.0, 1)
    for shift in (-20.0, 7.5, 20.0):
        shifted = states.softmax_state((2.0, 1.0, 0.1, -1.5), 0.5, shift, 1)
        assert shifted.probabilities == pytest.approx(base.probabilities, rel=1e-12)
        assert shifted.loss == pytest.approx(base.loss, rel=1e-12)


@pytest.mark.parametrize("pos_weight, class_weight, smoothing", [(3.0, 2.0, 0.1), (0.0, 0.0, 0.0), (10.0, 5.0, 1.0)])
def test_weights_state_matches_torch(pos_weight, class_weight, smoothing):
    state = states.weights_state(pos_weight, class_weight, smoothing)
    z = torch.tensor(states.BINARY_EXAMPLE[0], **f64, requires_grad=True)
    binary = F.binary_cross_entropy_with_logits(z, torch.tensor(states.BINARY_EXAMPLE[1], **f64),
                                                pos_weight=torch.tensor(pos_weight, **f64))
    binary.backward()
    logits, target = states.MULTICLASS_EXAMPLE
    scores = torch.tensor([logits], **f64, requires_grad=True)
    weight = torch.tensor([class_weight, 1.0, 1.0], **f64)
    loss = F.cross_entropy(scores, torch.tensor([target]), weight=weight, label_smoothing=smoothing, reduction="none")
    loss.sum().backward()
    assert (state.binary_loss, state.binary_gradient) == pytest.approx((binary.item(), z.grad.item()), rel=1e-12)
    assert state.loss == pytest.approx(loss.item(), rel=1e-12, abs=1e-15)
    assert state.gradient == pytest.approx(scores.grad[0].tolist(), rel=1e-10, abs=1e-15)
    assert sum(state.smoothed_target) == pytest.approx(1.0)


def test_readouts_use_a_real_minus_sign_and_no_negative_zero():
    readout = states.softmax_state((0.0, 0.0, 0.0, 0.0), 1.0, -0.0, 0).readout
    assert "-" not in readout and "−0.00" not in readout


# ---- gradient descent on a two-parameter logistic model (notebooks/10_gradients_of_the_losses.ipynb) ----------

def _autograd_loss_and_gradient(loss, w, b):
    from helpers.explorers import gradient_descent
    w_leaf = torch.tensor(w, **f64, requires_grad=True)
    b_leaf = torch.tensor(b, **f64, requires_grad=True)
    x, y = torch.tensor(gradient_descent.X, **f64), torch.tensor(gradient_descent.Y, **f64)
    z = w_leaf * x + b_leaf
    value = (F.binary_cross_entropy_with_logits(z, y) if loss == "BCE" else F.mse_loss(torch.sigmoid(z), y))
    value.backward()
    return value.item(), w_leaf.grad.item(), b_leaf.grad.item()


@pytest.mark.parametrize("loss", ["BCE", "MSE"])
@pytest.mark.parametrize("w, b", [(-4.0, 4.0), (1.3, 0.2), (0.0, 0.0), (-60.0, 40.0), (8.0, -8.0)])
def test_gradient_descent_loss_and_gradient_match_autograd(loss, w, b):
    from helpers.explorers import gradient_descent
    ours = gradient_descent.loss_and_gradient(loss, w, b)
    assert tuple(float(v) for v in ours) == pytest.approx(_autograd_loss_and_gradient(loss, w, b),
                                                          rel=1e-10, abs=1e-15)


@pytest.mark.parametrize("loss", ["BCE", "MSE"])
def test_gradient_descent_path_is_torch_sgd(loss):
    """The explorer's iterates are what torch.optim.SGD does with autograd's gradient."""
    from helpers.explorers import gradient_descent
    state = gradient_descent.gradient_descent_state(0.5, 30, loss)
    params = torch.tensor(gradient_descent.START, **f64, requires_grad=True)
    optimiser = torch.optim.SGD([params], lr=10 ** 0.5)
    x, y = torch.tensor(gradient_descent.X, **f64), torch.tensor(gradient_descent.Y, **f64)
    for step in range(31):
        z = params[0] * x + params[1]
        value = (F.binary_cross_entropy_with_logits(z, y) if loss == "BCE" else F.mse_loss(torch.sigmoid(z), y))
        assert state.path_loss[step] == pytest.approx(value.item(), rel=1e-9)
        assert (state.path_w[step], state.path_b[step]) == pytest.approx(params.tolist(), rel=1e-9, abs=1e-12)
        optimiser.zero_grad()
        value.backward()
        optimiser.step()


def test_gradient_descent_shows_crawling_divergence_and_the_mse_plateau():
    from helpers.explorers import gradient_descent
    state = gradient_descent.gradient_descent_state
    best = gradient_descent.minimum("BCE")[2]
    assert state(0.0, 100, "BCE").final[2] == pytest.approx(best, abs=1e-4)          # lr 1 converges
    assert state(-2.0, 200, "BCE").final[2] > 2 * best                                # lr 0.01 crawls
    too_fast = state(2.0, 200, "BCE")
    assert too_fast.rises > 20 and too_fast.final[2] > too_fast.path_loss[0]          # lr 100 makes it worse
    plateau = state(0.0, 200, "MSE")                                                  # stuck near 0.4 ...
    assert abs(plateau.final[2] - plateau.path_loss[100]) < 0.01 and plateau.final[2] > 2 * plateau.best_loss
    assert state(1.0, 200, "MSE").final[2] == pytest.approx(plateau.best_loss, abs=1e-3)   # ... which lr 10 leaves


def test_gradient_descent_minimum_is_stationary_and_bce_minimum_is_the_mle():
    from helpers.explorers import gradient_descent
    for loss in gradient_descent.LOSSES:
        w, b, _ = gradient_descent.minimum(loss)
        _, grad_w, grad_b = gradient_descent.loss_and_gradient(loss, w, b)
        assert abs(grad_w) < 1e-6 and abs(grad_b) < 1e-6
    w, b, nll = states.logistic_mle()
    assert gradient_descent.minimum("BCE") == pytest.approx((w, b, nll / len(states.LOGISTIC_X)), rel=1e-6)


def test_gradient_descent_thresholds_that_notebook_10_gives_a_lecturer():
    """The 'things to try' of notebook 10: where BCE starts to zig-zag and to leave the plot, and which rates get
    MSE across its shelf in 100 and in 200 steps."""
    from helpers.explorers import gradient_descent
    state = gradient_descent.gradient_descent_state
    on_plot = lambda s: "off the plot" not in s.readout                                       # noqa: E731
    assert state(1.0, 100, "BCE").rises == 0
    assert all(state(r, 100, "BCE").rises >= 40 and on_plot(state(r, 100, "BCE")) for r in (1.2, 1.3, 1.4))
    assert not on_plot(state(1.45, 100, "BCE")) and not on_plot(state(2.0, 100, "BCE"))
    floor = gradient_descent.minimum("MSE")[2]
    stuck = [state(0.3, 200, "MSE"), state(0.5, 100, "MSE")]
    across = [state(0.4, 200, "MSE"), state(0.7, 100, "MSE")]
    assert all(s.final[0] < 0 and s.final[2] > 0.35 for s in stuck)
    assert all(s.final[0] > 0 and s.final[2] < floor + 0.01 for s in across)


def test_gradient_descent_rejects_an_unknown_loss():
    from helpers.explorers import gradient_descent
    with pytest.raises(ValueError, match="loss must be one of"):
        gradient_descent.loss_and_gradient("hinge", 0.0, 0.0)


# ---- the loss zoo (notebooks/12_the_likelihood_recipe_beyond_gaussians.ipynb) ------------------------------------

def _torch_zoo(u, width, gamma):
    """Every loss of the zoo and its derivative, by torch.nn.functional and autograd (focal: torchvision's formula)."""
    def value_and_grad(fn):
        leaf = torch.tensor(u, **f64, requires_grad=True)
        value = fn(leaf)
        value.backward()
        return value.item(), leaf.grad.item()

    zero, one = torch.tensor(0.0, **f64), torch.tensor(1.0, **f64)

    def focal(z):
        q = torch.sigmoid(z)
        return F.binary_cross_entropy_with_logits(z, one) * (1 - q) ** gamma   # y = 1, so q_t = q; no α

    return {"MSE": value_and_grad(lambda r: F.mse_loss(r, zero)), "L1": value_and_grad(lambda r: F.l1_loss(r, zero)),
            "Huber": value_and_grad(lambda r: F.huber_loss(r, zero, delta=width)),
            "SmoothL1": value_and_grad(lambda r: F.smooth_l1_loss(r, zero, beta=width)),
            "log-cosh": value_and_grad(lambda r: torch.log(torch.cosh(r))),
            "BCE": value_and_grad(lambda z: F.binary_cross_entropy_with_logits(z, one)),
            "focal": value_and_grad(focal)}


@pytest.mark.parametrize("u", [-5.0, -1.0, -0.3, 0.0, 0.7, 2.0, 5.0])
@pytest.mark.parametrize("width, gamma", [(0.1, 0.0), (1.0, 2.0), (3.0, 5.0), (2.0, 0.5)])
def test_loss_zoo_state_matches_torch_values_and_gradients(u, width, gamma):
    state = states_loss_zoo.loss_zoo_state(u, width, gamma)
    expected = _torch_zoo(u, width, gamma)
    for name in states_loss_zoo.REGRESSION_LOSSES:
        assert state.loss[name] == pytest.approx(expected[name][0], rel=1e-12, abs=1e-15), name
        assert state.gradient[name] == pytest.approx(expected[name][1], rel=1e-12, abs=1e-15), name
    assert (state.bce, state.bce_gradient) == pytest.approx(expected["BCE"], rel=1e-12, abs=1e-15)
    assert (state.focal, state.focal_gradient) == pytest.approx(expected["focal"], rel=1e-10, abs=1e-15)


def test_loss_zoo_shows_bounded_gradients_and_focal_fading():
    far = states_loss_zoo.loss_zoo_state(5.0, 1.0, 2.0)
    assert far.gradient["MSE"] == pytest.approx(10.0)
    assert far.gradient["Huber"] == pytest.approx(1.0) and far.gradient["SmoothL1"] == pytest.approx(1.0)
    assert abs(far.gradient["log-cosh"]) < 1 and far.gradient["L1"] == 1.0
    huber_wide = states_loss_zoo.loss_zoo_state(5.0, 3.0, 2.0)
    assert huber_wide.gradient["Huber"] == pytest.approx(3.0) and huber_wide.gradient["SmoothL1"] == pytest.approx(1.0)
    assert far.focal / far.bce == pytest.approx((1 - far.probability) ** 2, rel=1e-9)
    assert "focal/BCE = (1 − q)^γ = " in far.readout
