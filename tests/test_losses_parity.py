"""helpers.losses equals torch.nn.functional on valid input: values and gradients, every reduction and option.

Also checks the contract around that: the public names and signatures, that the helpers are built from tensor
primitives (no call to torch's own losses or softmax), and that every docstring has an example and names its notebook.
"""
import ast
import inspect
import pathlib

import pytest
import torch
import torch.nn.functional as F

from conftest import (CLASS_LAYOUTS, REDUCTIONS, TORCH_TWINS, assert_matches_torch, class_indices, class_probabilities,
                      class_weights, logits, probabilities)
from helpers import losses

HELPERS = pathlib.Path(losses.__file__).parent.parent  # helpers/


# ----------------------------------------------------------------------------------------------------------------
# Activations
# ----------------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("shape", [(), (7,), (4, 5), (2, 3, 4)])
@pytest.mark.parametrize("name", ["sigmoid", "log_sigmoid"])
def test_elementwise_activation_matches_torch(name, shape, dtype):
    assert_matches_torch(name, logits(shape, dtype, scale=5.0))


@pytest.mark.parametrize("shape, dim", [((7,), 0), ((4, 5), 1), ((4, 5), 0), ((2, 3, 4), 1), ((2, 3, 4), -1)])
@pytest.mark.parametrize("name", ["softmax", "log_softmax", "logsumexp"])
def test_activation_along_a_dimension_matches_torch(name, shape, dim, dtype):
    assert_matches_torch(name, logits(shape, dtype, scale=5.0), dim=dim)


LARGE_LOGITS = torch.tensor([[1e4, -1e4, 0.0, 3.0],
                             [-1e4, -1e4, -1e4, -1e4 + 2],
                             [1e4, 1e4 - 3, -2.0, 1e4 - 0.5]], dtype=torch.float32)


@pytest.mark.parametrize("name", ["sigmoid", "log_sigmoid", "softmax", "log_softmax", "logsumexp"])
def test_activations_on_logits_of_1e4_in_float32_are_finite_and_match_torch(name):
    kwargs = {} if name in ("sigmoid", "log_sigmoid") else {"dim": 1}
    # Compared with torch in float64: torch's float32 logsumexp gradient exp(x − lse) is off by ~3e−4 relative here,
    # because lse ≈ 1e4 is rounded to a multiple of ulp(1e4) ≈ 1e−3 before the subtraction.
    ours, _ = assert_matches_torch(name, LARGE_LOGITS, reference_dtype=torch.float64, **kwargs)
    assert torch.isfinite(ours).all(), f"{name} of ±1e4 logits is not finite: {ours}"


def test_log_softmax_keeps_the_small_log_probability_of_a_dominant_logit():
    # log softmax([0, 10])_1 = −log(1 + e^{−10}) ≈ −4.54e−5. Adding log Σ to the max before subtracting it from x
    # rounds that to a multiple of ulp(m): exact only when computed as (x − m) − log Σ exp(x − m), as torch does.
    for x in (torch.tensor([0.0, 10.0]), torch.tensor([1e4 - 10, 1e4])):
        assert_matches_torch("log_softmax", x, dim=0)


# ----------------------------------------------------------------------------------------------------------------
# Regression: SSE and MSE
# ----------------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("shape", [(), (8,), (4, 3), (2, 3, 4)])
def test_mse_loss_matches_torch(shape, dtype, reduction):
    assert_matches_torch("mse_loss", logits(shape, dtype, seed=1), logits(shape, dtype, seed=2),
                         reduction=reduction, grad_wrt=(0, 1))


@pytest.mark.parametrize("shape", [(), (8,), (4, 3)])
def test_sse_matches_torch_mse_loss_with_sum(shape, dtype):
    assert_matches_torch("sse", logits(shape, dtype, seed=1), logits(shape, dtype, seed=2), grad_wrt=(0, 1))


# ----------------------------------------------------------------------------------------------------------------
# Binary cross-entropy on probabilities
# ----------------------------------------------------------------------------------------------------------------

BCE_SHAPE = (6, 4)
# weight broadcasts to the input: one per element, one per column, one per row, a single number.
BCE_WEIGHT_SHAPES = {"no weight": None, "(N, C)": (6, 4), "(C,)": (4,), "(N, 1)": (6, 1), "()": ()}


def bce_weight(key, dtype):
    shape = BCE_WEIGHT_SHAPES[key]
    return None if shape is None else probabilities(shape, dtype, low=0.1, high=3.0, seed=5)


@pytest.mark.parametrize("weight", BCE_WEIGHT_SHAPES)
@pytest.mark.parametrize("target_kind", ["hard", "soft"])
def test_binary_cross_entropy_matches_torch(weight, target_kind, dtype, reduction):
    p = probabilities(BCE_SHAPE, dtype, low=0.01, high=0.99, seed=1)
    y = probabilities(BCE_SHAPE, dtype, seed=2)
    if target_kind == "hard":
        y = y.round()
    assert_matches_torch("binary_cross_entropy", p, y, weight=bce_weight(weight, dtype), reduction=reduction,
                         grad_wrt=(0, 1))


@pytest.mark.parametrize("shape", [(), (5,), (2, 3, 4)])
def test_binary_cross_entropy_other_shapes_match_torch(shape, dtype, reduction):
    p = probabilities(shape, dtype, low=0.01, high=0.99, seed=1)
    assert_matches_torch("binary_cross_entropy", p, probabilities(shape, dtype, seed=2), reduction=reduction,
                         grad_wrt=(0, 1))


def test_binary_cross_entropy_mean_with_weight_is_the_mean_of_weighted_losses(dtype):
    p, y = probabilities((6, 4), dtype, 0.05, 0.95, seed=1), probabilities((6, 4), dtype, seed=2).round()
    w = bce_weight("(C,)", dtype)
    elementwise = -(y * torch.log(p) + (1 - y) * torch.log(1 - p))
    ours, _ = assert_matches_torch("binary_cross_entropy", p, y, weight=w)
    torch.testing.assert_close(ours, (w * elementwise).mean())  # not Σ w·ℓ / Σ w


@pytest.mark.parametrize("p_value", [0.0, 1.0])
@pytest.mark.parametrize("weight", ["no weight", "(N, C)"])
def test_binary_cross_entropy_clamps_each_log_at_minus_100(p_value, weight, dtype, reduction):
    # p = 0 or 1 exactly, against targets 0, 1 and in between: log 0 is clamped to −100, so the loss is 100·y (or
    # 100·(1 − y)) instead of inf, and the input gradient (p − y)/max(p(1 − p), 1e−12) is finite.
    p = torch.full(BCE_SHAPE, p_value, dtype=dtype)
    y = torch.tensor([0.0, 1.0, 0.3, 0.5], dtype=dtype).expand(BCE_SHAPE).contiguous()
    ours, _ = assert_matches_torch("binary_cross_entropy", p, y, weight=bce_weight(weight, dtype),
                                   reduction=reduction, grad_wrt=(0, 1))
    assert torch.isfinite(ours).all()


def test_binary_cross_entropy_at_the_clamp_costs_exactly_100(dtype):
    p = torch.tensor([0.0, 1.0, 0.0, 1.0], dtype=dtype)
    y = torch.tensor([1.0, 0.0, 0.0, 1.0], dtype=dtype)
    ours, _ = assert_matches_torch("binary_cross_entropy", p, y, reduction="none")
    torch.testing.assert_close(ours, torch.tensor([100.0, 100.0, 0.0, 0.0], dtype=dtype))


# ----------------------------------------------------------------------------------------------------------------
# Binary cross-entropy on logits
# ----------------------------------------------------------------------------------------------------------------

# pos_weight broadcasts from the last dimension: one per label (C,), a single one (1,), or one per element.
POS_WEIGHT_SHAPES = {"no pos_weight": None, "(C,)": (4,), "(1,)": (1,), "(N, C)": (6, 4)}


def pos_weight(key, dtype):
    shape = POS_WEIGHT_SHAPES[key]
    return None if shape is None else probabilities(shape, dtype, low=0.2, high=5.0, seed=6)


@pytest.mark.parametrize("pos_weight_key", POS_WEIGHT_SHAPES)
@pytest.mark.parametrize("weight", ["no weight", "(N, C)", "(C,)", "(N, 1)"])
def test_binary_cross_entropy_with_logits_matches_torch(pos_weight_key, weight, dtype, reduction):
    x = logits(BCE_SHAPE, dtype, seed=1)
    y = probabilities(BCE_SHAPE, dtype, seed=2)
    assert_matches_torch("binary_cross_entropy_with_logits", x, y, weight=bce_weight(weight, dtype),
                         pos_weight=pos_weight(pos_weight_key, dtype), reduction=reduction, grad_wrt=(0, 1))


@pytest.mark.parametrize("shape", [(5,), (2, 3, 4)])
def test_pos_weight_broadcasts_from_the_last_dimension(shape, dtype, reduction):
    x, y = logits(shape, dtype, seed=1), probabilities(shape, dtype, seed=2).round()
    pw = probabilities(shape[-1:], dtype, low=0.2, high=5.0, seed=6)
    assert_matches_torch("binary_cross_entropy_with_logits", x, y, pos_weight=pw, reduction=reduction,
                         grad_wrt=(0, 1))


def test_binary_cross_entropy_with_logits_of_a_0_dim_input_matches_torch(dtype, reduction):
    assert_matches_torch("binary_cross_entropy_with_logits", torch.tensor(1.5, dtype=dtype),
                         torch.tensor(0.0, dtype=dtype), reduction=reduction, grad_wrt=(0, 1))


@pytest.mark.parametrize("pos_weight_key", ["no pos_weight", "(C,)"])
def test_binary_cross_entropy_with_logits_of_1e4_in_float32_is_finite_and_matches_torch(pos_weight_key, reduction):
    x = torch.tensor([1e4, -1e4, 1e4, -1e4]).repeat(6, 1)
    y = torch.tensor([0.0, 1.0, 0.5, 0.0]).repeat(6, 1)
    ours, _ = assert_matches_torch("binary_cross_entropy_with_logits", x, y, reduction=reduction,
                                   pos_weight=pos_weight(pos_weight_key, torch.float32), grad_wrt=(0, 1))
    assert torch.isfinite(ours).all()


# ----------------------------------------------------------------------------------------------------------------
# NLL loss
# ----------------------------------------------------------------------------------------------------------------

def with_int64_target(name):
    torch_fn = TORCH_TWINS[name][1]
    return lambda input, target, **kwargs: torch_fn(input, target.long(), **kwargs)


def class_problem(layout, dtype, ignored_fraction=0.3, ignore_index=-100, target_dtype=torch.long, seed=0):
    """Log-probabilities (or logits) and class-index targets for a layout of CLASS_LAYOUTS."""
    input_shape, target_shape = CLASS_LAYOUTS[layout]
    n_classes = input_shape[1 if len(input_shape) > 1 else 0]
    x = logits(input_shape, dtype, seed=seed)
    t = class_indices(target_shape, n_classes, seed=seed + 1, ignore_index=ignore_index,
                      ignored_fraction=ignored_fraction, dtype=target_dtype)
    return x, t, n_classes


@pytest.mark.parametrize("weighted", [False, True], ids=["no weight", "weight"])
@pytest.mark.parametrize("layout", CLASS_LAYOUTS)
def test_nll_loss_matches_torch(layout, weighted, dtype, reduction):
    x, t, n_classes = class_problem(layout, dtype)
    log_p = torch.log_softmax(x, dim=1 if x.dim() > 1 else 0)
    weight = class_weights(n_classes, dtype) if weighted else None
    assert_matches_torch("nll_loss", log_p, t, weight=weight, reduction=reduction)


def test_weighted_mean_divides_by_the_weights_of_the_kept_targets(dtype):
    # Σ_i −w_{t_i}·x[i, t_i] / Σ_i w_{t_i}, both sums over items whose target is not ignore_index.
    log_p = torch.log_softmax(logits((6, 4), dtype), dim=1)
    t = torch.tensor([0, 3, -100, 1, 3, -100])
    w = class_weights(4, dtype)
    kept = t != -100
    picked = log_p[kept.nonzero().squeeze(1), t[kept]]
    expected = (-w[t[kept]] * picked).sum() / w[t[kept]].sum()
    for name in ("nll_loss", "cross_entropy"):
        x = log_p if name == "nll_loss" else log_p + 1.0  # cross_entropy takes logits; shift-invariant
        ours, _ = assert_matches_torch(name, x, t, weight=w)
        torch.testing.assert_close(ours, expected)


@pytest.mark.parametrize("name", ["nll_loss", "cross_entropy"])
@pytest.mark.parametrize("layout", CLASS_LAYOUTS)
def test_uint8_targets_match_torch(name, layout, reduction):
    # torch accepts uint8 targets only for (C,) and (N, C) inputs; for K-dim ones it wants int64, so its reference
    # gets the same targets as int64.
    x, t, _ = class_problem(layout, torch.float64, ignored_fraction=0.0, target_dtype=torch.uint8)
    assert_matches_torch(name, x, t, reduction=reduction, reference=with_int64_target(name))


@pytest.mark.parametrize("ignore_index", [1, -1, 7], ids=["a real class", "-1", "beyond C"])
@pytest.mark.parametrize("name", ["nll_loss", "cross_entropy"])
def test_any_ignore_index_is_left_out(name, ignore_index, reduction):
    x, t, _ = class_problem("(N, C, d1)", torch.float64, ignored_fraction=0.3, ignore_index=ignore_index)
    assert (t == ignore_index).any()
    assert_matches_torch(name, x, t, ignore_index=ignore_index, weight=class_weights(5), reduction=reduction)


def test_uint8_target_with_ignore_index_255_matches_torch(reduction):
    # The segmentation convention: 255 marks pixels without a label.
    x, t, _ = class_problem("(N, C, d1, d2)", torch.float64, ignored_fraction=0.3, ignore_index=255,
                            target_dtype=torch.uint8)
    assert_matches_torch("cross_entropy", x, t, ignore_index=255, reduction=reduction,
                         reference=with_int64_target("cross_entropy"))


@pytest.mark.parametrize("name, options", [
    ("nll_loss", {}), ("nll_loss", {"weight": True}),
    ("cross_entropy", {}), ("cross_entropy", {"weight": True}), ("cross_entropy", {"label_smoothing": 0.2}),
    ("cross_entropy", {"weight": True, "label_smoothing": 0.2}),
], ids=lambda v: v if isinstance(v, str) else "+".join(v) or "plain")
@pytest.mark.parametrize("layout", ["unbatched (C,)", "(N, C)", "(N, C, d1, d2)"])
def test_every_target_ignored_gives_nan_mean_zero_sum_and_zero_gradients(name, options, layout, dtype, reduction):
    x, t, n_classes = class_problem(layout, dtype, ignored_fraction=1.0)
    kwargs = dict(options, weight=class_weights(n_classes, dtype) if options.get("weight") else None)
    ours, _ = assert_matches_torch(name, x, t, reduction=reduction, **kwargs)
    if reduction == "mean":
        assert torch.isnan(ours), f"mean over no items should be nan, got {ours}"
    else:
        assert (ours == 0).all(), f"{reduction} over no items should be 0, got {ours}"
    # torch's gradient is zero (not nan) even for the nan mean; assert_matches_torch compared it, this says it plainly.
    x = x.clone().requires_grad_()
    getattr(losses, name)(x, t, reduction=reduction, **kwargs).sum().backward()
    assert (x.grad == 0).all(), f"gradient with every target ignored should be 0, got {x.grad}"


# ----------------------------------------------------------------------------------------------------------------
# Cross-entropy with class-index targets
# ----------------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("label_smoothing", [0.0, 0.15, 1.0])
@pytest.mark.parametrize("weighted", [False, True], ids=["no weight", "weight"])
@pytest.mark.parametrize("layout", CLASS_LAYOUTS)
def test_cross_entropy_with_class_indices_matches_torch(layout, weighted, label_smoothing, dtype, reduction):
    x, t, n_classes = class_problem(layout, dtype)  # about 30% of targets are ignore_index = −100
    weight = class_weights(n_classes, dtype) if weighted else None
    assert_matches_torch("cross_entropy", x, t, weight=weight, label_smoothing=label_smoothing, reduction=reduction)


@pytest.mark.parametrize("n_classes", [1, 4])
def test_label_smoothing_gradient_vanishes_where_softmax_equals_the_smoothed_target(n_classes, reduction):
    # In float64, at logits log q with q = (1 − ε)·onehot(t) + ε/C, the gradient softmax − q is 0 up to ~1e−17 (for
    # C = 1 it is 0 everywhere). Any float32 constant in the backward pass shows up here as an error of ~1e−9.
    eps, t = 0.1, torch.tensor([0, n_classes - 1, 0])
    q = (1 - eps) * torch.nn.functional.one_hot(t, n_classes).double() + eps / n_classes
    assert_matches_torch("cross_entropy", q.log(), t, label_smoothing=eps, reduction=reduction)


@pytest.mark.parametrize("name", ["nll_loss", "cross_entropy"])
def test_an_unbatched_input_accepts_a_target_of_shape_1(name, reduction):
    # torch's forward accepts target (1,) for input (C,), but its backward fails with "size mismatch"; the
    # reference is therefore torch with the equivalent 0-dim target.
    torch_fn = TORCH_TWINS[name][1]
    assert_matches_torch(name, logits((5,)), torch.tensor([3]), reduction=reduction,
                         reference=lambda input, target, **kwargs: torch_fn(input, target.reshape(()), **kwargs))


@pytest.mark.parametrize("name", ["cross_entropy", "nll_loss"])
def test_an_ignored_item_may_have_minus_inf_logits(name, reduction):
    # Masked vocabularies put −inf in some logits; an item that is ignored contributes 0 whatever its logits.
    x = logits((3, 4))
    x[0, 0] = -float("inf")       # the ignored item, −inf at class 0
    x[1] = -float("inf")          # the ignored item, every logit −inf
    t = torch.tensor([-100, -100, 2])
    ours, _ = assert_matches_torch(name, x, t, reduction=reduction)
    assert not torch.isnan(ours).any()


@pytest.mark.parametrize("label_smoothing", [0.0, 0.1])
def test_cross_entropy_of_logits_of_1e4_in_float32_is_finite_and_matches_torch(label_smoothing, reduction):
    t = torch.tensor([0, 3, 2])
    ours, _ = assert_matches_torch("cross_entropy", LARGE_LOGITS, t, label_smoothing=label_smoothing,
                                   reduction=reduction)
    assert torch.isfinite(ours).all()


def test_cross_entropy_of_a_confident_right_answer_keeps_its_small_loss():
    # −log p for p = 1/(1 + e^{−10}) is 4.54e−5, with class indices or the same target as probabilities.
    x = torch.tensor([[1e4, 1e4 - 10]])
    assert_matches_torch("cross_entropy", x, torch.tensor([0]))
    assert_matches_torch("cross_entropy", x, torch.tensor([[1.0, 0.0]]), grad_wrt=(0, 1))


# ----------------------------------------------------------------------------------------------------------------
# Cross-entropy with probability targets
# ----------------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("label_smoothing", [0.0, 0.15])
@pytest.mark.parametrize("weighted", [False, True], ids=["no weight", "weight"])
@pytest.mark.parametrize("layout", CLASS_LAYOUTS)
def test_cross_entropy_with_probability_targets_matches_torch(layout, weighted, label_smoothing, dtype, reduction):
    input_shape, _ = CLASS_LAYOUTS[layout]
    cdim = 1 if len(input_shape) > 1 else 0
    x = logits(input_shape, dtype, seed=1)
    q = class_probabilities(input_shape, cdim, dtype, seed=2)
    weight = class_weights(input_shape[cdim], dtype) if weighted else None
    assert_matches_torch("cross_entropy", x, q, weight=weight, label_smoothing=label_smoothing,
                         reduction=reduction, grad_wrt=(0, 1))


def test_probability_target_mean_divides_by_the_number_of_items_even_with_weights(dtype):
    x = logits((2, 4, 3), dtype, seed=1)
    q = class_probabilities((2, 4, 3), 1, dtype, seed=2)
    w = class_weights(4, dtype)
    ours_mean, _ = assert_matches_torch("cross_entropy", x, q, weight=w)
    ours_sum, _ = assert_matches_torch("cross_entropy", x, q, weight=w, reduction="sum")
    torch.testing.assert_close(ours_mean, ours_sum / 6)  # N·d1 = 2·3 items, not Σ w


# ----------------------------------------------------------------------------------------------------------------
# The contract around the values: names, signatures, built from primitives, documented
# ----------------------------------------------------------------------------------------------------------------

SIGNATURES = {
    "sigmoid": "(x)",
    "log_sigmoid": "(x)",
    "softmax": "(x, dim)",
    "log_softmax": "(x, dim)",
    "logsumexp": "(x, dim)",
    "sse": "(input, target)",
    "mse_loss": "(input, target, reduction='mean')",
    "binary_cross_entropy": "(input, target, weight=None, reduction='mean')",
    "binary_cross_entropy_with_logits": "(input, target, weight=None, reduction='mean', pos_weight=None)",
    "nll_loss": "(input, target, weight=None, ignore_index=-100, reduction='mean')",
    "cross_entropy": "(input, target, weight=None, ignore_index=-100, reduction='mean', label_smoothing=0.0)",
    "l1_loss": "(input, target, reduction='mean')",
    "smooth_l1_loss": "(input, target, reduction='mean', beta=1.0)",
    "huber_loss": "(input, target, reduction='mean', delta=1.0)",
    "gaussian_nll_loss": "(input, target, var, full=False, eps=1e-06, reduction='mean')",
    "poisson_nll_loss": "(input, target, log_input=True, full=False, eps=1e-08, reduction='mean')",
    "kl_div": "(input, target, reduction='mean', log_target=False)",
    "sigmoid_focal_loss": "(inputs, targets, alpha=0.25, gamma=2.0, reduction='none')",
    "linear_cross_entropy": "(hidden, weight, target, ignore_index=-100, reduction='mean', label_smoothing=0.0, "
                            "chunk_size=None)",
}


def test_the_public_names_are_exactly_the_contracts():
    assert sorted(losses.__all__) == sorted(SIGNATURES)


@pytest.mark.parametrize("name", SIGNATURES)
def test_signature_starts_with_the_contracts_parameters(name):
    # Other code calls these by position and keyword; an extra trailing parameter with a default is allowed.
    parameters = list(inspect.signature(getattr(losses, name)).parameters.values())
    expected = list(inspect.signature(eval(f"lambda {SIGNATURES[name][1:-1]}: None")).parameters.values())
    assert [str(p) for p in parameters[:len(expected)]] == [str(p) for p in expected], \
        f"{name}{inspect.signature(getattr(losses, name))} should start with {name}{SIGNATURES[name]}"
    extra = parameters[len(expected):]
    assert all(p.default is not inspect.Parameter.empty for p in extra), f"{name}: extra parameters need defaults"


NOTEBOOKS = ["00_start_here", "01_learning_as_optimisation_and_mse", "02_binary_cross_entropy_from_likelihood",
             "03_binary_cross_entropy_with_tensors", "04_binary_cross_entropy_in_pytorch",
             "05_softmax_and_the_categorical_likelihood", "06_cross_entropy_with_tensors",
             "07_cross_entropy_in_pytorch", "08_cross_entropy_options_and_pitfalls",
             "09_entropy_cross_entropy_and_kl"]
NOTEBOOKS += ["12_the_likelihood_recipe_beyond_gaussians", "13_calibration_imbalance_and_noisy_labels"]
NOTEBOOKS += ["15_memory_and_precision_of_the_loss_layer"]


@pytest.mark.parametrize("name", SIGNATURES)
def test_docstring_names_its_notebook_and_has_an_example(name):
    doc = inspect.getdoc(getattr(losses, name)) or ""
    assert "Taught in notebooks/" in doc, f"{name}'s docstring should say 'Taught in notebooks/NN_....ipynb'"
    assert ">>>" in doc, f"{name}'s docstring should have an example (>>>)"
    cited = doc.split("Taught in ", 1)[1]
    assert any(f"notebooks/{nb}.ipynb" in cited for nb in NOTEBOOKS), f"{name} cites no known notebook: {cited!r}"


# Names that would mean a helper delegates to torch's implementation instead of building it.
FORBIDDEN = {
    "softmax", "log_softmax", "logsumexp", "sigmoid", "sigmoid_", "logsigmoid", "log_sigmoid", "softplus", "expit",
    "mse_loss", "binary_cross_entropy", "binary_cross_entropy_with_logits", "nll_loss", "cross_entropy", "kl_div",
    "functional", "special", "nn",
}
OWN_MODULES = {"analytic_grads", "validation"}  # helpers/losses/ calls its own analytic_grads.Sigmoid etc.


def forbidden_uses(path):
    """(line, code) for every attribute access or import in ``path`` that reaches a FORBIDDEN name of torch."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in FORBIDDEN:
            base = node.value
            if not (isinstance(base, ast.Name) and base.id in OWN_MODULES):
                found.append((node.lineno, ast.unparse(node)))
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "torch":
            names = {alias.name for alias in node.names} | set(node.module.split("."))
            if names & FORBIDDEN:
                found.append((node.lineno, ast.unparse(node)))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if set(alias.name.split(".")) & FORBIDDEN:
                    found.append((node.lineno, ast.unparse(node)))
    # torch.nn.functional.softmax also contains torch.nn.functional and torch.nn: report the whole chain once.
    return sorted({(line, code) for line, code in found
                   if not any(other.startswith(code + ".") for l2, other in found if l2 == line)})


BUILT_FROM_PRIMITIVES = sorted(f"losses/{path.name}" for path in (HELPERS / "losses").glob("*.py")) + ["analytic_grads.py"]


@pytest.mark.parametrize("filename", BUILT_FROM_PRIMITIVES)
def test_helpers_are_built_from_primitives_not_torch_losses(filename):
    found = forbidden_uses(HELPERS / filename)
    assert not found, (
        f"helpers/{filename} must build every loss and activation from tensor primitives (exp, log, sum, amax, "
        f"gather, ...), but it calls torch's own:\n"
        + "\n".join(f"  line {line}: {code}" for line, code in found))


def test_the_source_scan_catches_torch_calls(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("import torch\nimport torch.nn.functional as F\nfrom torch.special import expit\n"
                      "a = F.cross_entropy(x, t)\nb = torch.softmax(x, 1)\nc = x.logsumexp(0)\n"
                      "d = analytic_grads.Sigmoid.apply(x)\ne = torch.exp(x)\n")
    assert sorted({line for line, _ in forbidden_uses(sample)}) == [2, 3, 4, 5, 6]


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("name", ["binary_cross_entropy_with_logits", "cross_entropy", "binary_cross_entropy"])
def test_backward_twice_with_retain_graph_accumulates_the_same_gradient(name, reduction):
    # The hand-written backward passes reuse buffers; a second backward must not overwrite the first gradient.
    ours, theirs = TORCH_TWINS[name]
    generator = torch.Generator().manual_seed(3)
    if name == "cross_entropy":
        first, target = torch.randn(64, 5, generator=generator), torch.randint(0, 5, (64,), generator=generator)
    elif name == "binary_cross_entropy":
        first, target = torch.rand(64, generator=generator) * 0.9 + 0.05, torch.rand(64, generator=generator)
    else:
        first, target = torch.randn(64, generator=generator), torch.rand(64, generator=generator)
    leaf = first.clone().requires_grad_(True)
    loss = ours(leaf, target, reduction=reduction).sum()
    loss.backward(retain_graph=True)
    after_first = leaf.grad.clone()
    loss.backward()
    reference = first.clone().requires_grad_(True)
    theirs(reference, target, reduction=reduction).sum().backward()
    torch.testing.assert_close(after_first, reference.grad)
    torch.testing.assert_close(leaf.grad, 2 * reference.grad)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_a_zero_loss_is_plus_zero_as_in_torch(reduction):
    # A learner would see "-0.0000" printed; torch's loss of perfect confident answers is +0.
    logits, target = torch.tensor([-1e4, 1e4]), torch.tensor([0.0, 1.0])
    ours = losses.binary_cross_entropy_with_logits(logits, target, reduction=reduction)
    theirs = F.binary_cross_entropy_with_logits(logits, target, reduction=reduction)
    assert torch.equal(torch.signbit(ours), torch.signbit(theirs))
