"""Self-checks for the exercises of notebooks/14_cross_entropy_for_language_models.ipynb.

Each ``check_*`` runs the reader's function on a few cases through ``helpers.selfcheck.run_checks`` and prints
one ✓/✗ line per case; it never raises. A failed case says what was expected and what arrived; the hint gives a
direction, never the code.
"""
import torch
import torch.nn.functional as F

from helpers.selfcheck import Case, random_logits, run_checks


def _padded_micro_batch(batch, length, vocab, real_tokens, seed):
    """(B, T, V) logits and (B, T) targets with ``real_tokens`` real targets, the rest -100 (padding)."""
    generator = torch.Generator().manual_seed(seed)
    logits = random_logits(batch, length, vocab, seed=seed)
    target = torch.randint(0, vocab, (batch, length), generator=generator)
    order = torch.randperm(batch * length, generator=generator)
    target.view(-1)[order[real_tokens:]] = -100
    return logits, target


def _micro_batch_loss_reference(logits, target, tokens_in_accumulated_batch):
    summed = F.cross_entropy(logits.transpose(1, 2), target, ignore_index=-100, reduction="sum")
    return summed / tokens_in_accumulated_batch


def check_micro_batch_loss(your_fn):
    """Check ``your_fn(logits, target, tokens_in_accumulated_batch)``: the loss of one micro-batch such that the
    gradients accumulated over all micro-batches equal those of the per-token mean over the whole batch."""
    cases = []
    for label, batch, length, real, total, seed in [
            ("a micro-batch with 14 of 24 real tokens, 40 in the accumulated batch", 3, 8, 14, 40, 1),
            ("a micro-batch with 3 of 24 real tokens, 40 in the accumulated batch", 3, 8, 3, 40, 2),
            ("a micro-batch with every token real, 24 of 24, 24 in all (the only micro-batch)", 3, 8, 24, 24, 3),
            ("a micro-batch with 5 of 12 real tokens, 100 in the accumulated batch", 2, 6, 5, 100, 4)]:
        logits, target = _padded_micro_batch(batch, length, 11, real, seed)
        cases.append(Case(label, (logits, target, total), reference=_micro_batch_loss_reference, grad_of=(0,)))
    run_checks("micro_batch_loss(logits, target, tokens_in_accumulated_batch)", your_fn, cases,
               hint="a ✗ line gives the loss this micro-batch should contribute and yours. Your version is right "
                    "only when every micro-batch holds the same number of real tokens. In the per-token mean over "
                    "the accumulated batch every real token weighs the same, whichever micro-batch it sits in: how "
                    "much should a micro-batch with few real tokens count?")


def _distillation_reference(student_logits, teacher_logits, temperature):
    log_q = F.log_softmax(student_logits / temperature, dim=-1)
    log_p = F.log_softmax(teacher_logits / temperature, dim=-1)
    kl = F.kl_div(log_q, log_p, reduction="batchmean", log_target=True)
    return kl * temperature ** 2


def check_distillation_loss(your_fn):
    """Check ``your_fn(student_logits, teacher_logits, temperature)``: Hinton's soft-target loss, the batch mean of
    T²·KL(softmax(teacher/T) ‖ softmax(student/T)), differentiable w.r.t. the student's logits."""
    student, teacher = random_logits(6, 10, seed=5), random_logits(6, 10, seed=6, scale=4.0)
    cases = [Case(f"a (6, 10) batch at T = {t}", (student, teacher, t), reference=_distillation_reference,
                  grad_of=(0,), rtol=1e-4, atol=1e-6) for t in (1.0, 2.0, 4.0)]
    cases.append(Case("a student equal to its teacher costs 0, at T = 3", (teacher, teacher, 3.0),
                      expected=torch.tensor(0.0), rtol=0.0, atol=1e-6))
    cases.append(Case("logits of 1e4 at T = 2 stay finite", (student * 5e3, teacher * 2.5e3, 2.0),
                      reference=_distillation_reference, rtol=1e-4, atol=1e-2))
    run_checks("distillation_loss(student_logits, teacher_logits, temperature)", your_fn, cases,
               hint="a ✗ line gives the expected loss and yours. If you are right at T = 1 and off by a factor "
                    "that grows with T, think about how the gradient of the softened KL shrinks as T grows, and "
                    "what undoes it. If the order of the two distributions is swapped, the teacher's distribution "
                    "is the one the expectation is taken over. Check too that the mean is over the rows, not "
                    "over every entry.")


def _clip_reference(image_embeddings, text_embeddings, temperature):
    image = image_embeddings / image_embeddings.norm(dim=1, keepdim=True)
    text = text_embeddings / text_embeddings.norm(dim=1, keepdim=True)
    similarity = image @ text.T / temperature
    labels = torch.arange(len(image))
    return (F.cross_entropy(similarity, labels) + F.cross_entropy(similarity.T, labels)) / 2


def check_clip_loss(your_fn):
    """Check ``your_fn(image_embeddings, text_embeddings, temperature)``: CLIP's symmetric InfoNCE loss of B
    paired embeddings (row i of each is a pair), after normalising every embedding to length 1."""
    image, text = random_logits(8, 5, seed=7), random_logits(8, 5, seed=8)
    symmetric = random_logits(4, 4, seed=9)
    cases = [
        Case("8 pairs of 5-dim embeddings, temperature 0.07", (image, text, 0.07), reference=_clip_reference,
             grad_of=(0, 1), rtol=1e-4, atol=1e-5),
        Case("the same at temperature 1", (image, text, 1.0), reference=_clip_reference, grad_of=(0, 1),
             rtol=1e-4, atol=1e-5),
        Case("embeddings of different lengths: only directions count", (image * 10, text * 0.1, 0.5),
             reference=_clip_reference, rtol=1e-4, atol=1e-5),
        Case("images equal to texts (a symmetric similarity matrix)", (symmetric, symmetric, 0.1),
             reference=_clip_reference, rtol=1e-4, atol=1e-5),
    ]
    run_checks("clip_loss(image_embeddings, text_embeddings, temperature)", your_fn, cases,
               hint="a ✗ line gives the expected loss and yours. Right only when images equal texts? Then one "
                    "direction is missing: every image must pick its text among all texts, and every text its "
                    "image among all images. Wrong when the embeddings are rescaled? The similarity is a cosine.")
