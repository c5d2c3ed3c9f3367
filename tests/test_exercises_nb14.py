"""Notebook 14's exercise answers, which test_exercise_checks.py runs through every self-check's shared
behaviours, and what its self-checks say about particular mistakes."""
import torch
import torch.nn.functional as F

from exercise_table import Exercise
from helpers.exercises import nb14


def worker_micro_batch_loss(logits, target, tokens_in_global_batch, world_size):
    summed = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), target.reshape(-1), reduction="sum")
    return summed * world_size / tokens_in_global_batch


def forgets_the_worker_average(logits, target, tokens_in_global_batch, world_size):
    # Right for one process, but DistributedDataParallel divides the summed gradients by world_size.
    summed = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), target.reshape(-1), reduction="sum")
    return summed / tokens_in_global_batch


def own_mean(logits, target, tokens_in_global_batch, world_size):
    # The 2024 bug: each micro-batch's own per-token mean.
    return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), target.reshape(-1))


def masked_distillation_loss(student_logits, teacher_logits, target, temperature):
    log_q = torch.log_softmax(student_logits / temperature, dim=-1)
    log_p = torch.log_softmax(teacher_logits / temperature, dim=-1)
    kl = F.kl_div(log_q, log_p, reduction="none", log_target=True).sum(-1)
    real = target != -100
    return temperature ** 2 * (kl * real).sum() / real.sum()


def batchmean_distillation(student_logits, teacher_logits, target, temperature):
    # The snippet to repair: batchmean divides by B, and the padding counts.
    log_q = F.log_softmax(student_logits / temperature, dim=-1)
    log_p = F.log_softmax(teacher_logits / temperature, dim=-1)
    return temperature ** 2 * F.kl_div(log_q, log_p, reduction="batchmean", log_target=True)


def padding_counted(student_logits, teacher_logits, target, temperature):
    log_q = F.log_softmax(student_logits / temperature, dim=-1)
    log_p = F.log_softmax(teacher_logits / temperature, dim=-1)
    return temperature ** 2 * (log_p.exp() * (log_p - log_q)).sum(-1).mean()


def clip_loss_with_repeats(image_embeddings, text_embeddings, photo_ids, temperature):
    similarity = F.normalize(image_embeddings, dim=1) @ F.normalize(text_embeddings, dim=1).T / temperature
    loss = 0
    for scores in (similarity, similarity.T):
        log_q = F.log_softmax(scores, dim=1)
        matches = photo_ids[:, None] == photo_ids[None, :]
        loss = loss - (log_q * matches).sum(1).div(matches.sum(1)).mean() / 2
    return loss


def clip_loss_ignoring_repeats(image_embeddings, text_embeddings, photo_ids, temperature):
    similarity = F.normalize(image_embeddings, dim=1) @ F.normalize(text_embeddings, dim=1).T / temperature
    labels = torch.arange(len(similarity))
    return (F.cross_entropy(similarity, labels) + F.cross_entropy(similarity.T, labels)) / 2


def test_a_single_process_answer_passes_only_with_one_worker(capsys):
    nb14.check_worker_micro_batch_loss(forgets_the_worker_average)
    out = capsys.readouterr().out
    assert "✓ one worker" in out
    assert "✗ 4 workers" in out


def test_the_own_mean_fails_even_with_one_worker(capsys):
    nb14.check_worker_micro_batch_loss(own_mean)
    assert "✗ one worker" in capsys.readouterr().out


def test_batchmean_is_off_even_without_padding(capsys):
    nb14.check_masked_distillation_loss(batchmean_distillation)
    out = capsys.readouterr().out
    assert "✗ (2, 8, 10) logits, no padding, temperature 1" in out
    assert "✓ a student equal to its teacher" in out


def test_counting_the_padding_is_right_only_without_padding(capsys):
    nb14.check_masked_distillation_loss(padding_counted)
    out = capsys.readouterr().out
    assert "✓ (2, 8, 10) logits, no padding, temperature 1" in out
    assert "✗ 5 real tokens of 16" in out


def test_arange_targets_pass_only_with_different_photos(capsys):
    nb14.check_clip_loss_with_repeats(clip_loss_ignoring_repeats)
    out = capsys.readouterr().out
    assert "✓ 8 different photos" in out
    assert "✗ photos 0, 1, 0, 2, 3, 1, 4, 0" in out


# The table that tests/test_exercise_checks.py runs through every self-check's shared behaviours.
EXERCISES = [
    Exercise(nb14.check_worker_micro_batch_loss, worker_micro_batch_loss, forgets_the_worker_average,
             "what the all-reduce does", case_count=4, wrong_passes_some_cases=True),
    Exercise(nb14.check_masked_distillation_loss, masked_distillation_loss, batchmean_distillation,
             "what reduction='batchmean' divides by", case_count=5, wrong_passes_some_cases=True),
    Exercise(nb14.check_clip_loss_with_repeats, clip_loss_with_repeats, clip_loss_ignoring_repeats,
             "a text that matches is still being scored", case_count=4, wrong_passes_some_cases=True),
]
