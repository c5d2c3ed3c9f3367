"""Self-checks for the exercises of notebooks/05_softmax_and_the_categorical_likelihood.ipynb.

Each ``check_*`` runs the reader's function on a few cases through ``helpers.selfcheck.run_checks`` and prints
one ✓/✗ line per case; it never raises. A failed case shows what was expected and what arrived; the hint gives a
direction to think in, never the code.
"""
import torch
import torch.nn.functional as F

from helpers.selfcheck import Case, random_logits, run_checks

__all__ = ["check_softmax_jacobian", "check_softmax_regression_grad"]

NOTEBOOK_LOGITS = (2.0, 1.0, 0.1, -1.5)


def _jacobian_reference(z, times_ones=False):
    jacobian = torch.autograd.functional.jacobian(lambda v: torch.softmax(v, dim=0), z)
    return jacobian @ torch.ones_like(z) if times_ones else jacobian


def check_softmax_jacobian(your_fn):
    """Exercise 1: ``your_fn(z)`` returns the C × C matrix J[i, j] = ∂q_i/∂z_j of q = softmax(z), for a vector z.

    Compared with autograd's Jacobian; one case multiplies the reader's matrix by the all-ones vector, which must
    give 0 (shift invariance).
    """
    def call(z, times_ones=False):
        jacobian = your_fn(z)
        return jacobian @ torch.ones_like(z) if times_ones and isinstance(jacobian, torch.Tensor) else jacobian

    f64 = {"dtype": torch.float64}
    cases = [
        Case("two equal logits z = [0, 0]", (torch.zeros(2, **f64),), reference=_jacobian_reference),
        Case("the notebook's z = [2, 1, 0.1, -1.5]", (torch.tensor(NOTEBOOK_LOGITS, **f64),),
             reference=_jacobian_reference),
        Case("six random logits", (random_logits(6, seed=11).double(),), reference=_jacobian_reference),
        Case("large logits [1000, 999, 0]: finite", (torch.tensor([1000.0, 999.0, 0.0], **f64),),
             reference=_jacobian_reference),
        Case("J times the all-ones vector is 0: shifting every logit changes nothing",
             (torch.tensor(NOTEBOOK_LOGITS, **f64),), {"times_ones": True}, expected=torch.zeros(4, **f64),
             atol=1e-12, rtol=0),
    ]
    run_checks("softmax_jacobian(z)", call, cases,
               hint="treat a diagonal entry (how q_i answers its own logit) and an off-diagonal one (how it answers "
                    "another class's logit) separately; the quotient rule gives both, and both can be written with "
                    "the probabilities q alone. Compute q with a softmax that cannot overflow.")


def _grad_w_reference(W, b, X, y):
    W = W.detach().clone().requires_grad_(True)
    loss = F.cross_entropy(X @ W.T + b, y)
    return torch.autograd.grad(loss, W)[0]


def _problem(n, d, c, seed, scale=1.0):
    generator = torch.Generator().manual_seed(seed)
    W = torch.randn(c, d, generator=generator, dtype=torch.float64) * scale
    b = torch.randn(c, generator=generator, dtype=torch.float64)
    X = torch.randn(n, d, generator=generator, dtype=torch.float64)
    y = torch.randint(0, c, (n,), generator=generator)
    return W, b, X, y


def check_softmax_regression_grad(your_fn):
    """Exercise 2: ``your_fn(W, b, X, y)`` returns ∂L/∂W, shape (C, D), for L the mean cross-entropy of the
    softmax-regression model q = softmax(X Wᵀ + b) with class indices y. Compared with autograd."""
    W, b, X, y = _problem(1, 3, 4, seed=1)
    confident_W = torch.tensor([[20.0, 0.0], [0.0, 0.0], [-20.0, 0.0]], dtype=torch.float64)
    cases = [
        Case("one item (N = 1), 3 features, 4 classes", (W, b, X, y), reference=_grad_w_reference),
        Case("a batch of N = 8 items: the mean over them", _problem(8, 3, 4, seed=2), reference=_grad_w_reference),
        Case("N = 5, D = 2, C = 3 (W is not square)", _problem(5, 2, 3, seed=3), reference=_grad_w_reference),
        Case("an item already classified with q_y ≈ 1: a gradient of almost 0",
             (confident_W, torch.zeros(3, dtype=torch.float64), torch.tensor([[1.0, 1.0]], dtype=torch.float64),
              torch.tensor([0])), reference=_grad_w_reference, atol=1e-12, rtol=0),
        Case("large weights (logits in the hundreds): finite", _problem(6, 3, 4, seed=4, scale=100.0),
             reference=_grad_w_reference),
    ]
    run_checks("softmax_regression_grad_W(W, b, X, y)", your_fn, cases,
               hint="start from section 6: you already know the loss's gradient with respect to each item's logits. "
                    "Logit c of item i depends on row c of W only, through that item's features. Chain the two, "
                    "keep the shape (C, D), and remember that the loss is a mean over the N items.")
