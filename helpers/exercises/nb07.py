"""Self-checks for the exercises of notebooks/07_cross_entropy_in_pytorch.ipynb.

Each ``check_*`` runs the reader's function on a few cases through ``helpers.selfcheck.run_checks`` and prints
one ✓/✗ line per case; it never raises. The right answers come from ``torch.nn.functional.cross_entropy``, and
where an exercise is about a loss the gradients with respect to the logits are compared too. A failed case says
what was expected and what arrived; the hint gives a direction, never the code.
"""
import torch
import torch.nn.functional as F

from helpers.selfcheck import Case, random_logits, run_checks


def _targets(counts, seed):
    """Class indices with ``counts[c]`` items of class c, in a seeded random order."""
    target = torch.cat([torch.full((n,), c) for c, n in enumerate(counts)])
    return target[torch.randperm(len(target), generator=torch.Generator().manual_seed(seed))]


def _macro_average(logits, target, num_classes):
    """The mean over the classes present in the batch of each class's mean loss."""
    per_item = F.cross_entropy(logits, target, reduction="none")
    present = [c for c in range(num_classes) if (target == c).any()]
    return torch.stack([per_item[target == c].mean() for c in present]).mean()


def _loss_with_your_weights(your_fn):
    def weighted_loss(logits, target, num_classes):
        weight = your_fn(target, num_classes)
        if not isinstance(weight, torch.Tensor):
            return weight  # reported as "expected a tensor"
        return F.cross_entropy(logits, target, weight=weight.to(logits.dtype))
    return weighted_loss


def check_balanced_weights(your_fn):
    """Check ``your_fn(target, num_classes)``: class weights under which the weighted mean cross-entropy counts
    every class present in the batch equally (the mean over classes of each class's mean loss).

    Any positive multiple of the right weights is right too, so the check compares the weighted loss and its
    gradient with respect to the logits, not the weights themselves.
    """
    cases = []
    for label, counts, seed in [("90 items of class 0, 10 of class 1", (90, 10), 701),
                                ("4 classes with 30, 20, 8 and 2 items", (30, 20, 8, 2), 702),
                                ("a balanced batch, 5 items per class", (5, 5, 5), 703),
                                ("class 2 of 4 absent from the batch (counts 12, 3, 0, 5)", (12, 3, 0, 5), 704)]:
        target = _targets(counts, seed)
        logits = random_logits(len(target), len(counts), seed=seed)
        cases.append(Case(label, (logits, target, len(counts)), reference=_macro_average, grad_of=(0,), rtol=1e-5,
                          atol=1e-6))
    run_checks("balanced_weights(target, num_classes)", _loss_with_your_weights(your_fn), cases,
               hint="a ✗ line compares F.cross_entropy with your weights against the class-balanced loss. Think "
                    "of a weight as a number of copies: with your weights, how much does each class put into "
                    "the weighted sum, and how much into the denominator? For a balanced loss every class must "
                    "carry the same total weight, whatever its number of items.")


def _channels_last_reference(scores, target):
    return F.cross_entropy(scores.movedim(-1, 1), target)


def check_cross_entropy_channels_last(your_fn):
    """Check ``your_fn(scores, target)``: the mean cross-entropy of scores whose classes are on the *last*
    dimension, (N, ..., C), with targets (N, ...), value and gradient."""
    def case(label, shape, seed):
        scores = random_logits(*shape, seed=seed)
        target = torch.randint(0, shape[-1], shape[:-1], generator=torch.Generator().manual_seed(seed + 1))
        return Case(label, (scores, target), reference=_channels_last_reference, grad_of=(0,))

    cases = [case("a tagger's (N, T, C) = (2, 4, 3) scores", (2, 4, 3), 711),
             case("an image's (N, H, W, C) = (2, 3, 5, 4) scores", (2, 3, 5, 4), 712),
             case("(N, H, W, C) = (1, 6, 6, 6): every reshape fits, only one is right", (1, 6, 6, 6), 713),
             case("one position per item, (N, C) = (5, 7): nothing to move", (5, 7), 714)]
    run_checks("cross_entropy_channels_last(scores, target)", your_fn, cases,
               hint="a ✗ line compares your loss with the loss of the same scores with their class dimension "
                    "moved to position 1. A reshape keeps the numbers in memory order and only regroups them, "
                    "so it can hand each position the scores of other positions; the class axis has to move as "
                    "an axis. Where the value is right but the gradient is not, check that nothing was detached.")


def _ignore_index_reference(logits, target, ignore_index):
    return F.cross_entropy(logits, target, ignore_index=ignore_index)


def check_cross_entropy_ignore_index(your_fn):
    """Check ``your_fn(logits, target, ignore_index)``: the mean cross-entropy over the items not ignored, in value
    and in gradient, as ``F.cross_entropy(logits, target, ignore_index=ignore_index)``.

    When every item is ignored that is a nan mean with a zero gradient; an ignored item whose logit for the
    placeholder class is −inf (a masked vocabulary entry) must not turn anything into nan.
    """
    logits = random_logits(10, 4, seed=73)
    target = torch.randint(0, 4, (10,), generator=torch.Generator().manual_seed(74))
    padded = target.clone()
    padded[[2, 5, 6]] = -100
    target_with_class_0 = target.clone()
    target_with_class_0[[0, 3]] = 0
    masked_logits = logits.clone()
    masked_logits[[2, 5], 0] = float("-inf")  # ignored items whose class-0 logit is masked out
    cases = [
        Case("nothing ignored: the ordinary mean over 10 items", (logits, target, -100),
             reference=_ignore_index_reference, grad_of=(0,)),
        Case("3 of 10 targets are −100: the mean over the other 7", (logits, padded, -100),
             reference=_ignore_index_reference, grad_of=(0,)),
        Case("ignore_index = 0, a pad id that is also a class index", (logits, target_with_class_0, 0),
             reference=_ignore_index_reference, grad_of=(0,)),
        Case("two ignored items have a −inf logit for class 0", (masked_logits, padded, -100),
             reference=_ignore_index_reference, grad_of=(0,)),
        Case("every target ignored: a nan mean, and a zero gradient", (logits, torch.full((10,), -100), -100),
             reference=_ignore_index_reference, grad_of=(0,)),
    ]
    run_checks("cross_entropy_ignore_index(logits, target, ignore_index)", your_fn, cases,
               hint="a ✗ line names the case, what torch returns and what yours returned. In floating point "
                    "0 × (−inf) and 0 / 0 are nan, and autograd meets the same products and quotients again on "
                    "the way back, even for the items and the branch whose value you threw away. Choose values "
                    "rather than multiplying by a 0/1 mask, and never let the division see a zero count.")
