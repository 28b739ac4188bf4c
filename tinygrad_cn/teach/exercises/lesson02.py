"""Exercises for tutorial 02: forward vs reverse mode (NNDL eqs. 5.69–5.79)."""
import numpy as np

from ...core import ops
from ...core.sweeps import count_sweeps
from ...core.transforms import jacobian
from .base import Exercise, close, fmt, need, register


def _wide(x):        # R³ → R²
    return ops.stack([x[0] * x[1] + ops.sin(x[2]), ops.exp(x[0]) * x[2]])


def _square(x):      # R² → R², not symmetric: a transposed J is wrong
    return ops.stack([x[0] * x[0] * x[1], ops.sin(x[0]) + 3 * x[1]])


CASES = [(_wide, np.array([0.5, -1.0, 2.0])), (_square, np.array([1.5, -0.7]))]


def _check_jacobian(ns, name, mode):
    fn = need(ns, name)
    other = "forward" if mode == "reverse" else "reverse"
    words = {"forward": "前向扫描（jvp）", "reverse": "反向扫描（vjp）"}
    for f, x in CASES:
        want = jacobian(f, x).numpy()
        m, n = want.shape
        with count_sweeps() as c:
            got = fn(f, x.copy())
        arr = np.asarray(got, dtype=float)
        if not close(arr, want):
            if arr.shape == want.T.shape and close(arr, want.T):
                return [f"{name} 返回的是 Jᵀ（形状 {arr.shape}），应当是 J（m × n = {m} × {n}）："
                        f"{'第 j 列' if mode == 'forward' else '第 i 行'}放错成了"
                        f"{'第 j 行' if mode == 'forward' else '第 i 列'}。"]
            return [f"对 {m} × {n} 的例子，J 应为\n{fmt(want)}\n你的是\n{fmt(arr)}"]
        wanted = n if mode == "forward" else m
        used, extra = getattr(c, mode), getattr(c, other)
        if extra:
            return [f"数值对了，但用了 {extra} 遍{words[other]}：这道题只许用{words[mode]}。"]
        if used != wanted:
            return [f"数值对了，但用了 {used} 遍{words[mode]}；{'n' if mode == 'forward' else 'm'} = {wanted}，"
                    f"{'一遍得到一列' if mode == 'forward' else '一遍得到一行'}，正好 {wanted} 遍就够。"]
    return []


def check_columns(ns):
    return _check_jacobian(ns, "jacobian_by_columns", "forward")


def check_rows(ns):
    return _check_jacobian(ns, "jacobian_by_rows", "reverse")


register(
    Exercise("02.1", 1, "前向模式：一遍一列，n 遍拼出 J", check_columns, (
        "tg.jvp(f, [x], [v]) 返回 (f(x), J v)。v 取第 j 个单位向量 e_j。",
        "循环 j = 0 … n−1，每次得到 J 的一列；最后按列拼起来：np.stack(columns, axis=1)。",
        "e = np.zeros(n); e[j] = 1; _, t = tg.jvp(f, [x], [e]); columns.append(t.numpy())")),
    Exercise("02.2", 2, "反向模式：一遍一行，m 遍拼出 J", check_rows, (
        "tg.vjp(f, x) 只做一次前向计算，返回 (输出, pullback)；每调用一次 pullback(u) 就是一遍反向扫描。",
        "m = 输出的长度 out.size；u 取第 i 个单位向量，pullback(u) 返回一个元组，第 0 项就是 J 的第 i 行。",
        "out, pb = tg.vjp(f, x); rows = [pb(e_i)[0].numpy() for each i]; np.stack(rows, axis=0)")),
)
