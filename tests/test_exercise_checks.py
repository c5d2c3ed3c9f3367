"""What every exercise self-check of notebooks 01–08 must do, tested on one table of all the exercises.

The reference solution passes every case, a realistic wrong solution gets ✗ lines and the hint, the untouched stub
is "not implemented yet", and a function that raises or returns a non-tensor is reported, never raised. The answers
live with each notebook's own tests, in tests/test_exercises_nbNN.py.
"""
from dataclasses import dataclass
from typing import Callable

import pytest

import test_exercises_nb01 as nb01_answers
import test_exercises_nb02 as nb02_answers
import test_exercises_nb03 as nb03_answers
import test_exercises_nb04 as nb04_answers
import test_exercises_nb05 as nb05_answers
import test_exercises_nb06 as nb06_answers
import test_exercises_nb07 as nb07_answers
import test_exercises_nb08 as nb08_answers
from helpers.exercises import nb01, nb02, nb03, nb04, nb05, nb06, nb07, nb08
from selfcheck_output import (assert_all_passed, assert_failed_with_hint, assert_not_implemented,
                              assert_reported_not_raised)


@dataclass(frozen=True)
class Exercise:
    """One exercise's self-check, a right and a realistically wrong answer, a fragment of the check's hint and,
    where pinned, its number of cases."""
    check: Callable
    reference: Callable
    wrong: Callable
    hint_fragment: str
    case_count: int | None = None
    wrong_passes_some_cases: bool = False

    @property
    def id(self):
        return f"{self.check.__module__.rsplit('.', 1)[-1]}.{self.check.__name__}"


EXERCISES = [
    Exercise(nb01.check_mse, nb01_answers.mse, nb01_answers.mse_that_always_averages,
             "'sum' adds them all", case_count=6, wrong_passes_some_cases=True),
    Exercise(nb01.check_gaussian_nll, nb01_answers.gaussian_nll, nb01_answers.gaussian_nll_without_constant,
             "n/2 · log(2πσ²)", case_count=4),
    Exercise(nb01.check_safe_mse, nb01_answers.safe_mse, nb01_answers.broadcasting_mse,
             "raise ValueError", case_count=6, wrong_passes_some_cases=True),

    Exercise(nb02.check_bernoulli_log_likelihood, nb02_answers.bernoulli_log_likelihood,
             nb02_answers.log_of_the_product,
             "underflows to 0", case_count=5, wrong_passes_some_cases=True),
    Exercise(nb02.check_bce, nb02_answers.bce, nb02_answers.bce_without_the_minus_sign,
             "the minus sign", case_count=5),
    Exercise(nb02.check_bce_grad, nb02_answers.bce_grad, nb02_answers.bce_grad_with_the_wrong_sign,
             "σ(z) − y", case_count=4),

    Exercise(nb03.check_stable_bce_with_logits, nb03_answers.stable_bce_with_logits, nb03_answers.naive_bce_with_logits,
             "never form σ(z) and take its log", wrong_passes_some_cases=True),
    Exercise(nb03.check_bce_with_logits_grad, nb03_answers.bce_with_logits_grad,
             nb03_answers.bce_with_logits_grad_without_the_mean,
             "divides the total by z.numel()", wrong_passes_some_cases=True),
    Exercise(nb03.check_clamped_bce, nb03_answers.clamped_bce, nb03_answers.clamped_after_multiplying,
             "clamp each log before multiplying", wrong_passes_some_cases=True),

    Exercise(nb04.check_pos_weight_from_labels, nb04_answers.pos_weight_from_labels, nb04_answers.pos_weight_inverted,
             "return negatives / positives", wrong_passes_some_cases=True),
    Exercise(nb04.check_weighted_bce, nb04_answers.weighted_bce, nb04_answers.weighted_bce_divided_by_weights,
             "not by the sum of the weights", wrong_passes_some_cases=True),
    Exercise(nb04.check_bce_with_logits_pos_weight, nb04_answers.bce_with_logits_pos_weight,
             nb04_answers.bce_with_logits_pos_weight_unstable,
             "never torch.log(torch.sigmoid(x))", wrong_passes_some_cases=True),

    Exercise(nb05.check_stable_softmax, nb05_answers.stable_softmax, nb05_answers.naive_softmax,
             "subtract each row's maximum first", wrong_passes_some_cases=True),
    Exercise(nb05.check_softmax_with_temperature, nb05_answers.softmax_with_temperature,
             nb05_answers.naive_softmax_with_temperature,
             "then take a stable softmax", wrong_passes_some_cases=True),
    Exercise(nb05.check_categorical_nll, nb05_answers.categorical_nll, nb05_answers.summed_categorical_nll,
             ".mean() over the items", wrong_passes_some_cases=True),

    Exercise(nb06.check_logsumexp, nb06_answers.logsumexp, nb06_answers.naive_logsumexp,
             "Factoring out exp(m)", wrong_passes_some_cases=True),
    Exercise(nb06.check_log_softmax, nb06_answers.log_softmax, nb06_answers.log_of_softmax,
             "Never take torch.log(softmax(z))", wrong_passes_some_cases=True),
    Exercise(nb06.check_cross_entropy, nb06_answers.cross_entropy, nb06_answers.cross_entropy_via_log_of_softmax,
             "as z - logsumexp(z), stably", wrong_passes_some_cases=True),

    Exercise(nb07.check_weighted_mean_cross_entropy, nb07_answers.weighted_mean_cross_entropy,
             nb07_answers.weighted_mean_over_n,
             "not by N", case_count=4, wrong_passes_some_cases=True),
    Exercise(nb07.check_label_smoothed_targets, nb07_answers.label_smoothed_targets,
             nb07_answers.smoothing_without_the_uniform_part,
             "add epsilon / num_classes", case_count=5, wrong_passes_some_cases=True),
    Exercise(nb07.check_cross_entropy_ignore_index, nb07_answers.cross_entropy_ignore_index,
             nb07_answers.mean_over_all_items,
             "divide the sum by kept.sum()", case_count=4, wrong_passes_some_cases=True),

    Exercise(nb08.check_entropy_bits, nb08_answers.entropy_bits, nb08_answers.entropy_bits_without_zero_handling,
             "torch.xlogy(p, p)", case_count=5, wrong_passes_some_cases=True),
    Exercise(nb08.check_kl_divergence, nb08_answers.kl_divergence, nb08_answers.kl_divergence_reversed,
             "The first argument is the one that weights the sum.", case_count=5, wrong_passes_some_cases=True),
    Exercise(nb08.check_cross_entropy_from_probabilities, nb08_answers.cross_entropy_from_probabilities,
             nb08_answers.cross_entropy_without_zero_handling,
             "0·(−inf) = nan", case_count=5, wrong_passes_some_cases=True),
]

every_exercise = pytest.mark.parametrize("exercise", EXERCISES, ids=[exercise.id for exercise in EXERCISES])


def stub(*args, **kwargs):
    raise NotImplementedError


def crashes(*args, **kwargs):
    raise TypeError("boom")


def returns_a_string(*args, **kwargs):
    return "not a tensor"


@every_exercise
def test_reference_solution_passes_every_case(capsys, exercise):
    exercise.check(exercise.reference)
    assert_all_passed(capsys.readouterr().out, exercise.case_count)


@every_exercise
def test_wrong_solution_gets_crosses_and_the_hint(capsys, exercise):
    exercise.check(exercise.wrong)
    out = capsys.readouterr().out
    assert_failed_with_hint(out, exercise.hint_fragment)
    if exercise.wrong_passes_some_cases:
        assert "  ✓ " in out, out


@every_exercise
def test_stub_is_not_implemented_yet(capsys, exercise):
    exercise.check(stub)
    assert_not_implemented(capsys.readouterr().out)


@every_exercise
def test_a_crashing_solution_is_reported_not_raised(capsys, exercise):
    exercise.check(crashes)
    assert_reported_not_raised(capsys.readouterr().out, "TypeError")


@every_exercise
def test_a_non_tensor_result_is_reported_not_raised(capsys, exercise):
    exercise.check(returns_a_string)
    assert_failed_with_hint(capsys.readouterr().out, exercise.hint_fragment, failure="expected a tensor")


def test_the_table_lists_every_check_of_every_notebook():
    notebooks = [nb01, nb02, nb03, nb04, nb05, nb06, nb07, nb08]
    every_check = {getattr(nb, name) for nb in notebooks for name in dir(nb) if name.startswith("check_")}
    assert {exercise.check for exercise in EXERCISES} == every_check
