"""Exercises that check themselves (练习): ``python -m tinygrad_cn.exercises`` (``cli``).

Each exercise is graded ★ / ★★ / ★★★ and belongs to a lesson (its id "04.2" is lesson 04, exercise
2). ``base`` says what an exercise is and how a learner's file is checked; ``lessonNN`` holds the
checks of lesson NN; ``files/`` the reference solutions, from which the stubs are made.
"""
from . import (  # noqa: F401  (they register)
    lesson01,
    lesson02,
    lesson03,
    lesson04,
    lesson05,
    lesson06,
    lesson07,
    lesson08,
    lesson09,
    lesson10,
    lesson11,
    lesson12,
    lesson13,
    lesson14,
)
from .base import EXERCISES, Exercise, run_check

__all__ = ["EXERCISES", "Exercise", "run_check", "find"]


def find(spec):
    """The exercise with id ``spec`` ("01.1"; "1.1" and "01_1" work too). KeyError lists them."""
    key = str(spec).replace("_", ".").strip()
    if "." in key:
        lesson, k = key.split(".", 1)
        key = f"{lesson.zfill(2)}.{k}" if lesson.isdigit() else key
    if key in EXERCISES:
        return EXERCISES[key]
    raise KeyError(f"no exercise {spec!r}; the exercises are {', '.join(EXERCISES)} "
                   "(python -m tinygrad_cn.exercises list)")
