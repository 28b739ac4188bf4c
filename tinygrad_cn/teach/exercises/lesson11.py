"""Exercises for tutorial 11: difference target propagation's correction (Lee et al. 2015; (T3))."""
import numpy as np

from ...nn.target_prop import dtp_targets, forward_np, g_np, init_params
from .base import Exercise, close, fmt, need, register


def check_targets(ns):
    f = need(ns, "propagate_targets")
    P = init_params(11, sizes=(2, 5, 5, 5, 2))
    rng = np.random.default_rng(11)
    X, yb = rng.normal(0, 1, (6, 2)), rng.integers(0, 2, 6)
    hs = forward_np(P, X)
    L = len(hs) - 1
    want, _, _ = dtp_targets(P, hs, yb, eta_hat=0.1)
    g = lambda i, h: g_np(P, i, h)                            # noqa: E731
    got = f([h.copy() for h in hs], want[L].copy(), g)
    if not isinstance(got, dict) or set(got) != set(want):
        keys = sorted(got) if isinstance(got, dict) else type(got).__name__
        return [f"应当返回键为 {sorted(want)} 的字典，你的是 {keys}。"]
    if all(close(got[i], want[i]) for i in want):
        return []
    plain = {L: want[L]}
    for i in range(L, 1, -1):
        plain[i - 1] = g(i, plain[i])
    if all(close(got[i], plain[i]) for i in want):
        return ["这是普通的目标传播 ĥ_{i−1} = gᵢ(ĥᵢ)，没有差分修正：学到的 gᵢ 不是精确的逆，"
                "即使 ĥ_L = h_L，gᵢ(hᵢ) 也不等于 h_{i−1}。要加上 h_{i−1} − gᵢ(hᵢ)。"]
    if close(got[L - 1], hs[L - 1] - g(L, want[L]) + g(L, hs[L])):
        return ["差分的符号反了：是 gᵢ(ĥᵢ) − gᵢ(hᵢ)（目标的像减去当前值的像），不是反过来。"]
    bad = max(i for i in want if not close(got[i], want[i]))
    return [f"ĥ_{bad} 应为\n{fmt(want[bad])}\n你的是\n{fmt(got[bad])}\n"
            "ĥ_L 原样放进去；往下每层 ĥ_{i−1} = h_{i−1} + gᵢ(ĥᵢ) − gᵢ(hᵢ)，用的是上一层刚算好的目标。"]


register(
    Exercise("11.1", 1, "DTP 的差分修正 (T3)", check_targets, (
        "从顶层往下：i = L, L − 1, …, 2，每次由 ĥᵢ 算出 ĥ_{i−1}。",
        "差分修正：ĥ_{i−1} = h_{i−1} + gᵢ(ĥᵢ) − gᵢ(hᵢ)；逆映射写作 g(i, h)。",
        "targets[i - 1] = hs[i - 1] + g(i, targets[i]) - g(i, hs[i])")),
)
