"""练习 05.2 ★★ 梯度穿过很多层：连乘（教程 05 第 2 节；NNDL 公式 5.80、5.81）

一串每层只有一个 logistic 神经元的网络：a⁽⁰⁾ = x，a⁽ˡ⁾ = σ(w_l a⁽ˡ⁻¹⁾ + b_l)，l = 1 … L。
写 chain_grad(ws, bs, x)：返回 ∂a⁽ᴸ⁾/∂x（一个浮点数），只用 NumPy。
链式法则：每经过一层乘一次这一层的局部导数。检查会在 10 层的链上和引擎比较——
顺便看看：σ′ ≤ 1/4，权重不大时这个数有多小？
"""
import numpy as np


def chain_grad(ws, bs, x):
    # >>>
    a, grad = x, 1.0
    for w, b in zip(ws, bs):
        a = 1 / (1 + np.exp(-(w * a + b)))
        grad *= w * a * (1 - a)           # ∂a⁽ˡ⁾/∂a⁽ˡ⁻¹⁾ = w_l σ′(z⁽ˡ⁾)
    return grad
    # <<<
