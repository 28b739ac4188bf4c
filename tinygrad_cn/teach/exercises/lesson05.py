"""Exercises for tutorial 05: activations and vanishing gradients (NNDL table 5.1, eqs. 5.80, 5.81)."""
import numpy as np

from ...core import ops
from ...core.tensor import Tensor
from .base import Exercise, close, fmt, need, register

_OPS = {"logistic": ops.sigmoid, "tanh": ops.tanh, "relu": ops.relu}


def check_derivatives(ns):
    f = need(ns, "derivatives")
    z = np.array([-3.0, -0.5, 0.0, 0.7, 2.5])
    got = f(z.copy())
    if not isinstance(got, dict):
        return ["derivatives 应当返回字典 {'logistic': ..., 'tanh': ..., 'relu': ...}，"
                f"你返回了 {type(got).__name__}。"]
    for name, op in _OPS.items():
        t = Tensor(z, requires_grad=True)
        op(t).sum().backward()
        want = t.grad.numpy()
        if name not in got:
            return [f"字典里缺 '{name}'。"]
        g = np.asarray(got[name], dtype=float)
        if close(g, want):
            continue
        if name == "relu" and close(np.delete(g, 2), np.delete(want, 2)):
            return [f"relu′(0)：你给了 {fmt(g[2])}，引擎的约定是 relu′(0) = 0（z > 0 才是 1）。"]
        if name == "tanh" and close(g, 1 - np.tanh(z)):
            return ["tanh′(z) = 1 − tanh²(z)：你少了平方。"]
        if name == "logistic" and close(g, 1 / (1 + np.exp(-z))):
            return ["这是 σ(z) 本身；σ′(z) = σ(z)(1 − σ(z))。"]
        return [f"{name}′ 在 z = {fmt(z)} 处应为 {fmt(want)}，你的是 {fmt(g)}。"]
    return []


def check_chain(ns):
    f = need(ns, "chain_grad")
    rng = np.random.default_rng(10)
    for scale in (1.0, 4.0):
        ws, bs = list(rng.normal(0, scale, 10)), list(rng.normal(0, 0.5, 10))
        x = Tensor(0.3, requires_grad=True)
        a = x
        for w, b in zip(ws, bs):
            a = ops.sigmoid(w * a + b)
        a.backward()
        want = x.grad.item()
        got = f(list(ws), list(bs), 0.3)
        if close(got, want, 1e-7):
            continue
        a_val, no_w = 0.3, 1.0
        for w, b in zip(ws, bs):
            a_val = 1 / (1 + np.exp(-(w * a_val + b)))
            no_w *= a_val * (1 - a_val)
        if close(got, no_w, 1e-7):
            return ["每层的局部导数是 ∂a⁽ˡ⁾/∂a⁽ˡ⁻¹⁾ = w_l · σ′(z⁽ˡ⁾)：你少乘了权重 w_l（公式 5.80 里的 W）。"]
        return [f"10 层的链（权重标准差 {scale:g}）：∂a⁽ᴸ⁾/∂x 应为 {fmt(want)}，你的是 {fmt(got)}。"]
    return []


register(
    Exercise("05.1", 1, "σ、tanh、relu 的导数（表 5.1）", check_derivatives, (
        "表 5.1 用函数值本身写导数：σ′ = σ(1 − σ)，tanh′ = 1 − tanh²。",
        "relu′(z) 是 z > 0 时 1、否则 0——注意 0 处取 0，用 z > 0 而不是 z >= 0。",
        "s = 1/(1 + np.exp(-z)); t = np.tanh(z); {'logistic': s*(1-s), 'tanh': 1-t*t, 'relu': (z > 0).astype(float)}")),
    Exercise("05.2", 2, "梯度穿过 10 层：连乘", check_chain, (
        "一边前馈一边累乘：先算这一层的 a⁽ˡ⁾，再乘上这一层的局部导数。",
        "z⁽ˡ⁾ = w_l a⁽ˡ⁻¹⁾ + b_l，所以 ∂a⁽ˡ⁾/∂a⁽ˡ⁻¹⁾ = σ′(z⁽ˡ⁾) · w_l = a⁽ˡ⁾(1 − a⁽ˡ⁾) · w_l。",
        "for w, b in zip(ws, bs): a = σ(w*a + b); grad *= w * a * (1 - a)")),
)
