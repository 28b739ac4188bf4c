"""练习 09.2 ★★★ 高斯输入的不动点（教程 09 第 2、3 节；报告公式 (2.10)、(2.11)）

输入 u ~ N(μ, σ²) 时，信息最大化规则的不动点是 α* = 1.7488/σ、β* = −α*μ（教程 09 第 2 节）。
这回不去解方程，而是像第 3 节那样做梯度上升，让规则自己找到它。

写 infomax_fit(u)：u 是一批输入（一维 NumPy 数组）；从 α = 1、β = 0 出发，反复用练习 09.1 的规则
（在这批 u 上取平均）做 α ← α + lr·∂H/∂α、β ← β + lr·∂H/∂β，直到收敛；返回 (alpha, beta) 两个数。
检查会用引擎的 tg.nn.AdaptiveLogistic.infomax_grad 看你返回的点上两个导数是不是都 ≈ 0，再和 1.7488/σ 比较。
"""
import numpy as np


def infomax_fit(u, lr=0.1, steps=5000):
    alpha, beta = 1.0, 0.0
    for _ in range(steps):
        # >>>
        y = 1.0 / (1.0 + np.exp(-(alpha * u + beta)))
        dalpha = np.mean(1.0 / alpha + u * (1.0 - 2.0 * y))
        dbeta = np.mean(1.0 - 2.0 * y)
        alpha, beta = alpha + lr * dalpha, beta + lr * dbeta
        # <<<
    return alpha, beta
