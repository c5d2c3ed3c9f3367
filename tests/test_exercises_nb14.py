"""Notebook 14's exercise answers, which test_exercise_checks.py runs through every self-check's shared
behaviours, and what its self-checks say about particular mistakes."""
import torch
import torch.nn.functional as F

from exercise_table import Exercise
from helpers.exercises import nb14


def micro_batch_loss(logits, target, tokens_in_accumulated_batch):
    summed = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), target.reshape(-1), reduction="sum")
    return summed / tokens_in_accumulated_batch


def mean_of_micro_batch_means(logits, target, tokens_in_accumulated_batch):
    # The 2024 bug: each micro-batch's own per-token mean, divided by the number of micro-batches (here as if two).
    return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), target.reshape(-1)) / 2


def distillation_loss(student_logits, teacher_logits, temperature):
    log_q = torch.log_softmax(student_logits / temperature, dim=-1)
    log_p = torch.log_softmax(teacher_logits / temperature, dim=-1)
    return temperature ** 2 * (log_p.exp() * (log_p - log_q)).sum(-1).mean()


def distillation_without_t_squared(student_logits, teacher_logits, temperature):
    return distillation_loss(student_logits, teacher_logits, temperature) / temperature ** 2


def clip_loss(image_embeddings, text_embeddings, temperature):
    image = F.normalize(image_embeddings, dim=1)
    text = F.normalize(text_embeddings, dim=1)
    similarity = image @ text.T / temperature
    labels = torch.arange(len(image))
    return (F.cross_entropy(similarity, labels) + F.cross_entropy(similarity.T, labels)) / 2


def clip_loss_one_direction(image_embeddings, text_embeddings, temperature):
    image = F.normalize(image_embeddings, dim=1)
    text = F.normalize(text_embeddings, dim=1)
    return F.cross_entropy(image @ text.T / temperature, torch.arange(len(image)))


def test_mean_of_means_passes_only_where_it_happens_to_agree(capsys):
    nb14.check_micro_batch_loss(mean_of_micro_batch_means)
    out = capsys.readouterr().out
    assert "✗ a micro-batch with 3 of 24 real tokens" in out


def test_one_direction_of_clip_passes_only_the_symmetric_case(capsys):
    nb14.check_clip_loss(clip_loss_one_direction)
    out = capsys.readouterr().out
    assert "✓ images equal to texts" in out
    assert "✗ 8 pairs of 5-dim embeddings" in out


def test_distillation_without_t_squared_is_right_only_at_t_1(capsys):
    nb14.check_distillation_loss(distillation_without_t_squared)
    out = capsys.readouterr().out
    assert "✓ a (6, 10) batch at T = 1.0" in out
    assert "✗ a (6, 10) batch at T = 4.0" in out


# The table that tests/test_exercise_checks.py runs through every self-check's shared behaviours.
EXERCISES = [
    Exercise(nb14.check_micro_batch_loss, micro_batch_loss, mean_of_micro_batch_means,
             "every real token weighs the same", case_count=4, wrong_passes_some_cases=False),
    Exercise(nb14.check_distillation_loss, distillation_loss, distillation_without_t_squared,
             "off by a factor that grows with T", case_count=5, wrong_passes_some_cases=True),
    Exercise(nb14.check_clip_loss, clip_loss, clip_loss_one_direction,
             "one direction is missing", case_count=4, wrong_passes_some_cases=True),
]
