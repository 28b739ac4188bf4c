"""Predict, then run (先想一想): a cell that asks the learner for a number or a choice before it
runs, then says how close the guess was to what the cell computed.

In a tutorial (percent format) such a cell is written

    # %% [predict] tol=0.01
    # 先想一想：x = 2 时 ∂f/∂w 是多少？
    g = sigmoid_example(2.0, 0.0, 0.0)
    g.f.backward()
    answer = g.w.grad.item()

Its leading comment lines are the question; its code computes the answer into ``answer`` (another
name with ``answer=NAME``), so the prose never has to state it. Options on the marker line:
``tol=`` (absolute tolerance for "很接近"; default 1e-3·max(1, |answer|)) and ``choices=a|b|c``
(then the answer is one of those words). Run as a plain script or in Jupyter it is ordinary code.
"""
import math
from dataclasses import dataclass
from fractions import Fraction

__all__ = ["Prediction", "spec", "question", "parse_guess", "judge", "truth", "fmt"]

_MINUS = str.maketrans({"−": "-", "－": "-", "＋": "+", "．": ".", "／": "/", "，": ",", " ": ""})


@dataclass(frozen=True)
class Prediction:
    """What a predict cell asks: the name its code sets, the tolerance, the choices (or None)."""
    answer: str = "answer"
    tol: float | None = None
    choices: tuple | None = None


def spec(options):
    """The Prediction that a cell's marker options ({"tol": "0.01", "choices": "a|b"}) describe.
    Raises ValueError naming a bad option."""
    unknown = set(options) - {"answer", "tol", "choices"}
    if unknown:
        raise ValueError(f"predict cell: unknown option(s) {sorted(unknown)}; use answer=, tol=, choices=a|b")
    tol = options.get("tol")
    if tol is not None:
        try:
            tol = float(tol)
        except ValueError:
            raise ValueError(f"predict cell: tol={tol!r} is not a number") from None
        if not tol > 0:
            raise ValueError(f"predict cell: tol must be positive, got {tol}")
    choices = options.get("choices")
    choices = tuple(c for c in choices.split("|") if c) if choices else None
    return Prediction(options.get("answer", "answer"), tol, choices)


def question(source):
    """The question: the cell's leading comment lines without their ``# ``."""
    lines = []
    for line in source.split("\n"):
        if not line.startswith("#"):
            break
        lines.append(line[2:] if line.startswith("# ") else line[1:])
    return "\n".join(lines).strip()


def parse_guess(text, pred):
    """The learner's typed guess: a number (``0.25``, ``-1/4``, ``1e-3``, ``−0.25``) or, with
    choices, one of them (by its word or its number 1, 2, ...). None if it cannot be read."""
    text = text.strip()
    if pred.choices:
        for k, c in enumerate(pred.choices, start=1):
            if text.lower() == c.lower() or text == str(k):
                return c
        return None
    t = text.translate(_MINUS)
    try:
        return float(Fraction(t)) if "/" in t else float(t)
    except (ValueError, ZeroDivisionError):
        return None


def truth(value, pred):
    """The value a predict cell computed, checked: a finite number, or one of the choices.
    Raises ValueError saying what the cell must set."""
    if pred.choices:
        if value not in pred.choices:
            raise ValueError(f"predict cell: {pred.answer} = {value!r} is not one of the choices {pred.choices}")
        return value
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"predict cell: {pred.answer} must be a number, got {value!r}") from None
    if not math.isfinite(number):
        raise ValueError(f"predict cell: {pred.answer} = {number} is not finite")
    return number


def fmt(x):
    """A number as the feedback writes it (6 significant digits, no −0)."""
    return f"{x + 0.0:.6g}"


def judge(guess, value, pred):
    """(verdict, line): verdict is "close" (很接近), "near" (差一点) or "far" (再想想); the line
    says it in Chinese with the true value. A number is close within the tolerance, near within
    max(3·tol, 20 % of |value|) and of the same sign; a choice is close or far."""
    if pred.choices:
        if guess == value:
            return "close", f"✓ 对了！答案就是「{value}」。"
        return "far", f"✗ 再想想：答案是「{value}」，你选了「{guess}」。"
    tol = pred.tol if pred.tol is not None else 1e-3 * max(1.0, abs(value))
    err = abs(guess - value)
    if err <= tol:
        return "close", f"✓ 很接近！你的预测 {fmt(guess)}，真值 {fmt(value)}。"
    same_sign = (guess > 0) == (value > 0) or abs(value) <= tol
    if same_sign and err <= max(3 * tol, 0.2 * abs(value)):
        return "near", f"≈ 差一点：你的预测 {fmt(guess)}，真值 {fmt(value)}（差 {fmt(err)}）。"
    hint = "，符号反了" if not same_sign and abs(guess) > tol else ""
    return "far", f"✗ 再想想：你的预测 {fmt(guess)}，真值 {fmt(value)}{hint}。"

