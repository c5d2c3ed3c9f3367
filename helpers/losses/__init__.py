"""Every loss in lossbook, built from tensor primitives, with exactly ``torch.nn.functional``'s semantics.

Read this package as a short, annotated ``torch/nn/functional.py``: each function gives its formula, the shapes it
accepts and a tiny example, and names the notebook that teaches it. Nothing here calls torch's losses, softmax,
log_softmax, logsigmoid or softplus; building them is the lesson. For valid input the values and gradients
equal torch's (tests/test_losses_parity.py, test_losses_chapter4_parity.py and test_linear_cross_entropy.py check
this); for invalid input we raise a ``TypeError``, ``ValueError`` or ``IndexError`` that says what was expected
and what arrived (see ``helpers.validation``).

Shapes: N is the batch size, C the number of classes, d1..dk optional extra positions (pixels, tokens).
"""
from helpers.losses.activations import log_sigmoid, log_softmax, logsumexp, sigmoid, softmax
from helpers.losses.regression import mse_loss, sse
from helpers.losses.binary import binary_cross_entropy, binary_cross_entropy_with_logits
from helpers.losses.multiclass import cross_entropy, nll_loss
from helpers.losses.robust_regression import huber_loss, l1_loss, smooth_l1_loss
from helpers.losses.likelihoods import gaussian_nll_loss, poisson_nll_loss
from helpers.losses.divergences import kl_div
from helpers.losses.focal import sigmoid_focal_loss
from helpers.losses.linear_cross_entropy import linear_cross_entropy

__all__ = [
    "sigmoid", "log_sigmoid", "softmax", "log_softmax", "logsumexp",
    "sse", "mse_loss",
    "binary_cross_entropy", "binary_cross_entropy_with_logits",
    "nll_loss", "cross_entropy",
    "l1_loss", "smooth_l1_loss", "huber_loss", "gaussian_nll_loss", "poisson_nll_loss", "kl_div",
    "sigmoid_focal_loss",
    "linear_cross_entropy",
]

