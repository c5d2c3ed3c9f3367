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


def _worker_loss_reference(logits, target, tokens_in_global_batch, world_size):
    summed = F.cross_entropy(logits.transpose(1, 2), target, ignore_index=-100, reduction="sum")
    return summed * world_size / tokens_in_global_batch


def check_worker_micro_batch_loss(your_fn):
    """Check ``your_fn(logits, target, tokens_in_global_batch, world_size)``: the loss one worker calls backward on
    for one micro-batch, such that the gradients accumulated over its micro-batches and then averaged over the
    ``world_size`` workers (as DistributedDataParallel does) equal those of the per-token mean over the global
    batch."""
    cases = []
    for label, batch, length, real, total, workers, seed in [
            ("one worker: 14 of 24 tokens real, 40 in the global batch", 3, 8, 14, 40, 1, 1),
            ("2 workers: 14 of 24 tokens real, 80 in the global batch", 3, 8, 14, 80, 2, 1),
            ("4 workers: 3 of 24 tokens real, 90 in the global batch", 3, 8, 3, 90, 4, 2),
            ("8 workers: every token real, 12 of 12, 96 in the global batch", 2, 6, 12, 96, 8, 3)]:
        logits, target = _padded_micro_batch(batch, length, 11, real, seed)
        cases.append(Case(label, (logits, target, total, workers), reference=_worker_loss_reference,
                          grad_of=(0,)))
    run_checks("worker_micro_batch_loss(logits, target, tokens_in_global_batch, world_size)", your_fn, cases,
               hint="a ✗ line gives the loss this micro-batch should contribute and yours. Right with one worker "
                    "and off by a constant factor with several? Think about what the all-reduce does to the "
                    "workers' gradients after adding them up, and what each worker's loss must carry so that "
                    "the result is still the per-token mean. Wrong with one worker too? Every real token of the "
                    "global batch weighs the same, whichever micro-batch and worker it sits on.")


def _masked_distillation_reference(student_logits, teacher_logits, target, temperature):
    log_q = F.log_softmax(student_logits / temperature, dim=-1)
    log_p = F.log_softmax(teacher_logits / temperature, dim=-1)
    kl_per_token = (log_p.exp() * (log_p - log_q)).sum(-1)
    real = target != -100
    return temperature ** 2 * kl_per_token[real].sum() / real.sum()


def check_masked_distillation_loss(your_fn):
    """Check ``your_fn(student_logits, teacher_logits, target, temperature)`` on (B, T, V) logits: Hinton's
    soft-target loss T²·KL(softmax(teacher/T) ‖ softmax(student/T)), averaged over the real tokens only (target
    -100 marks padding)."""
    student, teacher = random_logits(2, 8, 10, seed=5), random_logits(2, 8, 10, seed=6, scale=4.0)
    _, no_padding = _padded_micro_batch(2, 8, 10, 16, seed=7)
    _, padded = _padded_micro_batch(2, 8, 10, 5, seed=8)
    cases = [
        Case("(2, 8, 10) logits, no padding, temperature 1", (student, teacher, no_padding, 1.0),
             reference=_masked_distillation_reference, grad_of=(0,), rtol=1e-4, atol=1e-6),
        Case("the same at temperature 4", (student, teacher, no_padding, 4.0),
             reference=_masked_distillation_reference, grad_of=(0,), rtol=1e-4, atol=1e-6),
        Case("5 real tokens of 16, temperature 2", (student, teacher, padded, 2.0),
             reference=_masked_distillation_reference, grad_of=(0,), rtol=1e-4, atol=1e-6),
        Case("a student equal to its teacher costs 0, temperature 3", (teacher, teacher, padded, 3.0),
             expected=torch.tensor(0.0), rtol=0.0, atol=1e-6),
        Case("logits of 1e4, 5 real tokens, temperature 2", (student * 5e3, teacher * 2.5e3, padded, 2.0),
             reference=_masked_distillation_reference, rtol=1e-4, atol=1e-2),
    ]
    run_checks("distillation_loss(student_logits, teacher_logits, target, temperature)", your_fn, cases,
               hint="a ✗ line gives the expected loss and yours. Off by the sequence length even without padding? "
                    "Look up what reduction='batchmean' divides by when the input has three dimensions. Right "
                    "without padding but not with it? The padded positions still have logits, and their KL "
                    "counts unless you leave it out, in the sum and in the count. Off by a factor that grows "
                    "with the temperature? The T² is still needed.")


def _clip_reference(image_embeddings, text_embeddings, photo_ids, temperature):
    image = image_embeddings / image_embeddings.norm(dim=1, keepdim=True)
    text = text_embeddings / text_embeddings.norm(dim=1, keepdim=True)
    similarity = image @ text.T / temperature
    matches = (photo_ids[:, None] == photo_ids[None, :]).to(similarity.dtype)
    soft_targets = matches / matches.sum(1, keepdim=True)
    return (F.cross_entropy(similarity, soft_targets) + F.cross_entropy(similarity.T, soft_targets)) / 2


def check_clip_loss_with_repeats(your_fn):
    """Check ``your_fn(image_embeddings, text_embeddings, photo_ids, temperature)``: CLIP's symmetric loss in
    which every image and text of pairs with the same photo id match, each row's target spread evenly over its
    matches."""
    image, text = random_logits(8, 5, seed=7), random_logits(8, 5, seed=8)
    cases = [
        Case("8 different photos, temperature 0.07 (CLIP's usual loss)", (image, text, torch.arange(8), 0.07),
             reference=_clip_reference, grad_of=(0, 1), rtol=1e-4, atol=1e-5),
        Case("photos 0, 1, 0, 2, 3, 1, 4, 0 (three repeats), temperature 0.5",
             (image, text, torch.tensor([0, 1, 0, 2, 3, 1, 4, 0]), 0.5),
             reference=_clip_reference, grad_of=(0, 1), rtol=1e-4, atol=1e-5),
        Case("two captions per photo, temperature 0.1", (image, text, torch.arange(8) // 2, 0.1),
             reference=_clip_reference, grad_of=(0, 1), rtol=1e-4, atol=1e-5),
        Case("all 8 pairs from one photo: every row's target is uniform",
             (image, text, torch.zeros(8, dtype=torch.long), 1.0), reference=_clip_reference, grad_of=(0, 1),
             rtol=1e-4, atol=1e-5),
    ]
    run_checks("clip_loss(image_embeddings, text_embeddings, photo_ids, temperature)", your_fn, cases,
               hint="a ✗ line gives the expected loss and yours. Right when every photo is different but not "
                    "with repeats? Then a text that matches is still being scored as a wrong answer: how should a "
                    "row's target share its probability among all the texts of its photo (notebook 08's soft "
                    "targets)? Right in one direction only? Every text must also find the images of its photo.")
