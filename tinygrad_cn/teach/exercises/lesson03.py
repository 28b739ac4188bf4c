"""Exercises for tutorial 03: numerical, symbolic and automatic differentiation (NNDL eqs. 5.58,
5.59; check_grad)."""
import math

import numpy as np

from ...core import ops
from .base import Exercise, close, fmt, grad_check_feedback, learner_primitive, need, register


def check_central(ns):
    d = need(ns, "central_difference")
    cube, dx = (lambda x: x ** 3), 1e-2
    got = d(cube, 1.0, dx)
    want = 3 + dx * dx                                   # ((1+h)³ − (1−h)³)/2h = 3 + h² exactly
    if not close(got, want, 1e-9):
        if close(got, 3 + 3 * dx + dx * dx, 1e-9):
            return ["这是前向差分 (5.58)：(f(x + Δx) − f(x))/Δx，误差 O(Δx)。"
                    "中心差分 (5.59) 用 x + Δx 和 x − Δx 两侧。"]
        if close(got, 2 * want, 1e-9):
            return ["差了一倍：两侧的点相距 2Δx，分母应当是 2Δx。"]
        if close(got, 3 - 3 * dx + dx * dx, 1e-9):
            return ["这是后向差分 (f(x) − f(x − Δx))/Δx。中心差分 (5.59) 用两侧：(f(x + Δx) − f(x − Δx))/(2Δx)。"]
        return [f"f(x) = x³、x = 1、Δx = 0.01：中心差分应为 {fmt(want)}（= 3 + Δx²），你的是 {fmt(got)}。"]
    got = d(math.exp, 0.5, 1e-4)
    if not close(got, math.exp(0.5), 1e-8):
        return [f"f = exp、x = 0.5：应约为 {fmt(math.exp(0.5))}，你的是 {fmt(got)}。"]
    return []


def check_a_sin_a(ns):
    vjp, jvp = need(ns, "a_sin_a_vjp"), need(ns, "a_sin_a_jvp")
    with learner_primitive("your_a_sin_a", lambda a: a * np.sin(a), vjp, jvp) as f:
        return grad_check_feedback(lambda x: ops.tanh(f(x * 2)).sum(), np.array([0.3, 1.0, 2.0]),
                                   "乘积法则：(a·sin a)′ = sin a + a·cos a。")


def check_best_dx(ns):
    got = need(ns, "best_dx")()
    try:
        h = float(got)
    except (TypeError, ValueError):
        return [f"best_dx 应当返回一个数，你返回了 {got!r}。"]
    eps = np.finfo(float).eps
    best = (3 * eps / math.cos(1.0)) ** (1 / 3)          # d/dh (h²|f‴|/6 + ε|f|/h) = 0, |f‴| = |f| ≈ cos 1, sin 1
    if 0.2 * best <= h <= 5 * best:
        return []
    if 1e-9 <= h <= 1e-7:
        return [f"Δx = {fmt(h)} 是前向差分的最优步长（≈ √ε）。中心差分的截断误差是 O(Δx²)，"
                "最优步长 ∝ ε^(1/3)，要大得多。"]
    side = "太小：舍入误差 ε|f|/Δx 占了上风" if h < best else "太大：截断误差 |f‴|Δx²/6 占了上风"
    return [f"Δx = {fmt(h)} {side}。令两项之和对 Δx 的导数为 0 试试。"]


register(
    Exercise("03.1", 1, "中心差分 (5.59)", check_central, (
        "中心差分在 x 的两侧各取一个点。",
        "两个点 x + Δx 和 x − Δx 相距 2Δx。",
        "return (f(x + dx) - f(x - dx)) / (2 * dx)")),
    Exercise("03.2", 2, "a·sin a 的 vjp、jvp 规则，过 check_grad", check_a_sin_a, (
        "f′(a) 用乘积法则：(u·v)′ = u′v + uv′。",
        "f′(a) = sin a + a·cos a；vjp 返回 g·f′(a)，jvp 返回 f′(a)·t。",
        "return g * (tg.sin(a) + a * tg.cos(a))；jvp 把 g 换成 t。")),
    Exercise("03.3", 2, "中心差分的最佳步长", check_best_dx, (
        "总误差 E(Δx) ≈ |f‴|Δx²/6 + ε|f|/Δx：一项随 Δx 增大，一项随 Δx 减小。",
        "令 E′(Δx) = 0：Δx³ = 3ε|f|/|f‴|。对 sin 在 x = 1，|f| 和 |f‴| 都不到 1。",
        "量一量：dxs = np.logspace(-10, -1, 91)，对每个 Δx 算 |中心差分 − cos 1|，取最小的那个。")),
)
