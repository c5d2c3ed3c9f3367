"""Self-checks for the exercises of notebooks/11_training_with_minibatch_sgd.ipynb.

Each ``check_*`` runs the reader's function on a few cases against PyTorch, prints one ✓/✗ line per case and
never raises (see ``helpers.selfcheck``).
"""
import torch
import torch.nn.functional as F

from helpers.selfcheck import Case, random_logits, run_checks

__all__ = ["check_frequency_baseline_loss", "check_accumulated_loss"]


def _loss_of_predicting_the_frequencies(labels, n_classes):
    frequencies = torch.bincount(labels, minlength=n_classes).double() / len(labels)
    logits = torch.log(frequencies).expand(len(labels), n_classes)
    return F.cross_entropy(logits, labels)


def check_frequency_baseline_loss(your_fn):
    """Exercise 1: ``your_fn(labels, n_classes)`` returns the mean cross-entropy on ``labels`` of a model that ignores
    its input and predicts the class frequencies of ``labels`` (a float64 scalar).

    Compared with ``F.cross_entropy`` of the logits log(frequency), which is that model.
    """
    cases = [
        Case("ten balanced classes: ln 10", (torch.arange(10).repeat(3), 10),
             reference=_loss_of_predicting_the_frequencies),
        Case("two classes, 90 % / 10 %", (torch.tensor([0] * 9 + [1]), 2), reference=_loss_of_predicting_the_frequencies),
        Case("one class only: nothing to learn, loss 0", (torch.zeros(5, dtype=torch.long), 3),
             reference=_loss_of_predicting_the_frequencies),
        Case("four classes, one of them absent", (torch.tensor([0, 0, 1, 3, 3, 3, 3, 1]), 4),
             reference=_loss_of_predicting_the_frequencies),
    ]
    run_checks("frequency_baseline_loss(labels, n_classes)", your_fn, cases,
               hint="the model gives every item the same distribution q, the class frequencies; an item of class c "
                    "costs −log q_c, and how many items cost that? A class that never occurs contributes nothing "
                    "(and must not produce a nan). Return a float64 tensor.")


def _one_big_batch(z_a, target_a, z_b, target_b):
    return F.cross_entropy(torch.cat([z_a, z_b]), torch.cat([target_a, target_b]), ignore_index=-100)


def _micro_batches(seed, size_a, size_b, ignored_a=(), ignored_b=()):
    z = random_logits(size_a + size_b, 4, seed=seed).double()
    target = torch.randint(0, 4, (size_a + size_b,), generator=torch.Generator().manual_seed(seed + 1))
    target_a, target_b = target[:size_a].clone(), target[size_a:].clone()
    target_a[list(ignored_a)] = -100
    target_b[list(ignored_b)] = -100
    return z[:size_a], target_a, z[size_a:], target_b


def check_accumulated_loss(your_fn):
    """Exercise 2: ``your_fn(z_a, target_a, z_b, target_b)`` combines two micro-batches (targets may hold −100,
    ``ignore_index``) into one scalar whose value and gradients equal those of the loss of one big batch.

    Compared with ``F.cross_entropy(torch.cat(...), torch.cat(...), ignore_index=-100)``, value and both gradients.
    """
    cases = [
        Case("two micro-batches of 4, nothing ignored", _micro_batches(30, 4, 4), reference=_one_big_batch,
             grad_of=(0, 2)),
        Case("micro-batches of 4 and 4, three items of the second ignored", _micro_batches(31, 4, 4, (), (0, 2, 3)),
             reference=_one_big_batch, grad_of=(0, 2)),
        Case("micro-batches of 6 and 2, one ignored in each", _micro_batches(32, 6, 2, (5,), (0,)),
             reference=_one_big_batch, grad_of=(0, 2)),
        Case("every item of the second micro-batch ignored", _micro_batches(33, 3, 3, (), (0, 1, 2)),
             reference=_one_big_batch, grad_of=(0, 2)),
    ]
    run_checks("accumulated_loss(z_a, target_a, z_b, target_b)", your_fn, cases,
               hint="a mean of two means gives the items of a micro-batch with few counted items more weight than "
                    "one big batch does. What does the big batch's mean divide by, and which items does that "
                    "count? (A micro-batch with nothing counted has a mean of 0/0.)")
