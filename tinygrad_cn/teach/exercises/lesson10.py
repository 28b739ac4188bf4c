"""Exercises for tutorial 10: the drive R(s) of Bengio 2015's energy (the tutorial's (R6), (R7))."""
import numpy as np

from ...core.transforms import grad
from ...nn.energy import energy, rho_np
from .base import Exercise, close, fmt, need, register


def check_drive(ns):
    f = need(ns, "drive")
    rng = np.random.default_rng(10)
    N = 5
    A = rng.normal(0, 0.8, (N, N))
    W = np.triu(A, 1) + np.triu(A, 1).T                        # symmetric, zero diagonal
    b, s = rng.normal(0, 0.3, N), rng.uniform(-0.2, 1.2, N)
    want = s - grad(lambda v: energy(v, W, b))(s).numpy()      # (R7) with (R4): R(s) = s − ∂E/∂s
    got = f(s.copy(), W.copy(), b.copy())
    if close(got, want):
        return []
    r = rho_np(s)
    rp = 4.0 * r * (1.0 - r)
    if close(got, b + W @ r):
        return ["少乘了 ρ′(sᵢ)：Rᵢ(s) = ρ′(sᵢ)(bᵢ + Σⱼ W_ij ρ(sⱼ))，ρ′ 来自能量里 ρ(sᵢ) 对 sᵢ 的导数。"]
    if close(got, want / 4.0):
        return ["ρ′ 少了因子 4：ρ(s) = σ(4s − 2)，所以 ρ′(s) = 4ρ(s)(1 − ρ(s))。"]
    if close(got, rp * (b + W @ s)):
        return ["求和里应当是 ρ(sⱼ)，不是 sⱼ：单元之间传的是“发放率” ρ(s)。"]
    if close(got, want - s):
        return ["这是 −∂E/∂s = R(s) − s；R(s) 本身不含 −s 那一项。"]
    return [f"R(s) 应为 {fmt(want)}，你的是 {fmt(got)}（由引擎的 s − ∂E/∂s 得到）。"]


register(
    Exercise("10.1", 2, "能量的梯度：驱动项 R(s)（R7）", check_drive, (
        "E 对 sᵢ 求导：½sᵢ² 给 sᵢ；含 ρ(sᵢ) 的两项都带一个 ρ′(sᵢ)。R(s) = s − ∂E/∂s。",
        "W 对称，所以 −½Σ_{i≠j} W_ij ρ(sᵢ)ρ(sⱼ) 对 sᵢ 的导数是 −ρ′(sᵢ) Σⱼ W_ij ρ(sⱼ)（两份 ½ 合成一份）。",
        "r = rho(s)；return 4 * r * (1 - r) * (b + W @ r)")),
)
