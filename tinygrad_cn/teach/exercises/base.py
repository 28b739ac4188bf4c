"""What an exercise is, and how a learner's file is checked.

An exercise is a reference solution ``files/exNN_K.py`` (its docstring is the task, in Chinese)
and a check. The stub a learner edits is that file with every block between a ``# >>>`` line and
a ``# <<<`` line replaced by ``raise NotImplementedError``. ``check`` runs the learner's file,
hands its names to the exercise's check, and returns what the check found wrong (Chinese
sentences naming the mistake); an empty list means it passed.
"""
import contextlib
import re
import runpy
import traceback
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ...core.errors import GradientCheckError
from ...core.numerical import check_grad
from ...core.primitive import PRIMITIVES, Primitive

__all__ = ["Exercise", "Missing", "register", "EXERCISES", "need", "close", "fmt", "run_check", "STARS",
           "learner_primitive", "grad_check_feedback"]

FILES = Path(__file__).resolve().parent / "files"
STARS = {1: "★", 2: "★★", 3: "★★★"}
_BLOCK = re.compile(r"^(?P<indent>[ \t]*)# >>>.*?\n.*?^[ \t]*# <<<[^\n]*\n", re.M | re.S)
EXERCISES = {}


class Missing(Exception):
    """The learner's file lacks a name the exercise asks for (the message says which, in Chinese)."""


@dataclass(frozen=True)
class Exercise:
    """``id`` "01.1": lesson 01, exercise 1; ``stars`` 1–3; ``check(ns)`` returns the problems
    (Chinese) found in the learner's names ``ns``; ``hints`` from gentle to explicit."""
    id: str
    stars: int
    title: str
    check: object
    hints: tuple

    @property
    def lesson(self):
        return self.id.split(".")[0]

    @property
    def filename(self):
        return "ex" + self.id.replace(".", "_") + ".py"

    @property
    def path(self):
        return FILES / self.filename

    def solution(self):
        """The reference solution, without the block markers."""
        text = self.path.read_text(encoding="utf-8")
        return "".join(line for line in text.splitlines(keepends=True) if not re.match(r"\s*# (>>>|<<<)", line))

    def stub(self):
        """The file the learner edits: each marked block becomes a line that raises."""
        text = self.path.read_text(encoding="utf-8")
        return _BLOCK.sub(lambda m: f"{m['indent']}# ✎ 在这里写你的代码（然后删掉下一行）\n"
                                    f"{m['indent']}raise NotImplementedError(\"练习 {self.id}：还没写\")\n", text)

    def task(self):
        """The task: the solution file's docstring."""
        m = re.match(r'\s*"""(.*?)"""', self.path.read_text(encoding="utf-8"), re.S)
        return m.group(1).strip() if m else self.title


def register(*exercises):
    for ex in exercises:
        if ex.id in EXERCISES:
            raise ValueError(f"exercise {ex.id} registered twice")
        EXERCISES[ex.id] = ex


def need(ns, name):
    """The function ``name`` from the learner's file, or Missing saying to define it."""
    f = ns.get(name)
    if not callable(f):
        raise Missing(f"文件里找不到函数 {name}：请保留 def {name}(...) 这一行，只改函数体。")
    return f


def fmt(x):
    """A number or an array as the feedback prints it."""
    a = np.asarray(x, dtype=float)
    if a.ndim == 0:
        return f"{float(a) + 0.0:.6g}"
    return np.array2string(a + 0.0, precision=5, suppress_small=True, separator=", ")


def close(got, want, tol=1e-8):
    """Same shape and |got − want| ≤ tol + tol·|want| everywhere (False for a non-number)."""
    try:
        g = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return False
    w = np.asarray(want, dtype=float)
    return g.shape == w.shape and bool(np.all(np.abs(g - w) <= tol + tol * np.abs(w)))


def _learner_traceback(exc, path):
    """The traceback lines that point into the learner's file, then the error itself."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if Path(f.filename).resolve() == path]
    where = "".join(traceback.format_list(frames[-3:]))
    return where + "".join(traceback.format_exception_only(type(exc), exc)).rstrip()


def run_check(ex, path):
    """Run the learner's file ``path`` and the check of ``ex``; the problems found ([] = passed)."""
    path = Path(path).resolve()
    try:
        ns = runpy.run_path(str(path), run_name="tinygrad_cn_exercise")
        return list(ex.check(ns))
    except Missing as e:
        return [str(e)]
    except NotImplementedError as e:
        return [f"还没写完：{e}。把 ✎ 下面那行 raise NotImplementedError 换成你的代码。"]
    except Exception as e:             # the learner's code failed: show where, in their file
        return [f"你的代码运行时出错了（{type(e).__name__}）：\n{_learner_traceback(e, path)}"]


@contextlib.contextmanager
def learner_primitive(name, forward, vjp, jvp):
    """A Primitive built from the learner's rules, taken out of the table again afterwards."""
    prim = Primitive(name, forward, vjp=(vjp,), jvp=(jvp,))
    try:
        yield prim
    finally:
        PRIMITIVES.pop(name, None)


def grad_check_feedback(f, x, hint):
    """Run ``check_grad(f, x, order=2)``; [] if it agrees, else what it blames, in Chinese, with
    ``hint`` (the derivative to write) and the report."""
    try:
        check_grad(f, x, order=2)
    except GradientCheckError as e:
        c = e.report.culprit
        rules = " 和 ".join(c.rules) if c is not None and c.rules else ""
        if c is None:
            head = "check_grad 不同意，但没有指认出节点（规则在图外丢了梯度？）。"
        elif e.report.failures[0].order == 2:
            head = (f"一阶导数对了，但 check_grad 在二阶指认 {c.node} 的 {rules} 规则不能再求导——"
                    "规则里是不是用了 .data 或 NumPy？请只用张量运算。")
        else:
            mode = "反向模式（vjp）" if "vjp" in c.rules else "前向模式（jvp）"
            head = f"check_grad 指认节点 {c.node} 的 {rules} 规则错了：{mode}与中心差分对不上。{hint}"
        return [head, "check_grad 的报告：\n" + str(e)]
    return []
