"""Exercises for tutorial 12: the backward that automatic differentiation writes, written by hand."""
import numpy as np

from ...core import ops
from ...core.tensor import Tensor
from ...core.transforms import grad
from .base import Exercise, close, fmt, need, register


def _loss(W, b, x, d):
    a = ops.sigmoid(W @ x + b)
    return 0.5 * ((a - d) ** 2).sum()


def check_layer(ns):
    f = need(ns, "layer_backward")
    rng = np.random.default_rng(12)
    for n_out, n_in in ((3, 2), (1, 4)):
        W, b = rng.normal(size=(n_out, n_in)), rng.normal(size=n_out)
        x, d = rng.normal(size=n_in), rng.uniform(size=n_out)
        gW, gb = grad(_loss, argnums=(0, 1))(W, b, Tensor(x), Tensor(d))
        got = f(W.copy(), b.copy(), x.copy(), d.copy())
        if not isinstance(got, tuple) or len(got) != 2:
            return ["layer_backward 应当返回两个数组 (∂L/∂W, ∂L/∂b)。"]
        dW, db = (np.asarray(g, dtype=float) for g in got)
        if dW.shape != W.shape:
            return [f"∂L/∂W 的形状应当和 W 一样是 {W.shape}，你的是 {dW.shape}：δ xᵀ 是 δ 在前（np.outer(delta, x)）。"]
        if close(db, gb.data) and close(dW, gW.data):
            continue
        z = W @ x + b
        a = 1 / (1 + np.exp(-z))
        if close(db, a - d):
            return ["∂L/∂b 少乘了 σ′(z) = σ(z)(1 − σ(z))：δ = (a − d) ⊙ σ′(z)（公式 5.50 那一步）。"]
        if close(db, gb.data):
            return [f"∂L/∂b 对了，∂L/∂W 不对：应为 δ xᵀ = {fmt(gW.data)}，你的是 {fmt(dW)}。"]
        return [f"∂L/∂b 应为 {fmt(gb.data)}（引擎 tg.grad 算的），你的是 {fmt(db)}。"]
    return []


register(
    Exercise("12.1", 2, "亲手写出一层 logistic 单元的反向传播（tg.jit 会写出的那几行）", check_layer, (
        "先算前向：z = W x + b，a = σ(z)；L = ½‖a − d‖²。",
        "误差项 δ = ∂L/∂z = (a − d) ⊙ a ⊙ (1 − a)；∂L/∂b = δ。",
        "∂L/∂W = δ xᵀ，也就是 np.outer(delta, x)。")),
)
