"""What every exercise self-check must do, tested on one table of all the exercises of every notebook.

The reference solution passes every case, a realistic wrong solution gets ✗ lines and the hint, the untouched stub
is "not implemented yet", and a function that raises or returns a non-tensor is reported, never raised. Each
notebook's rows (``EXERCISES``) and its answers live in tests/test_exercises_nbNN.py, which this file collects.
"""
import importlib
from pathlib import Path

import pytest

from selfcheck_output import (assert_all_passed, assert_failed_with_hint, assert_not_implemented,
                              assert_reported_not_raised)

TESTS = Path(__file__).resolve().parent
HELPERS_EXERCISES = TESTS.parent / "helpers" / "exercises"
NOTEBOOK_NUMBERS = sorted(path.stem for path in HELPERS_EXERCISES.glob("nb[0-9][0-9].py"))

EXERCISES = [exercise for number in NOTEBOOK_NUMBERS
             for exercise in importlib.import_module(f"test_exercises_{number}").EXERCISES]

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
    notebooks = [importlib.import_module(f"helpers.exercises.{number}") for number in NOTEBOOK_NUMBERS]
    every_check = {getattr(nb, name) for nb in notebooks for name in dir(nb) if name.startswith("check_")}
    assert {exercise.check for exercise in EXERCISES} == every_check
