"""One row of the exercise table: a notebook's self-check with a right and a realistically wrong answer.

Each tests/test_exercises_nbNN.py defines ``EXERCISES``, a list of these rows for its notebook;
tests/test_exercise_checks.py runs every row through the behaviours every self-check shares.
"""
from dataclasses import dataclass
from typing import Callable


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
