"""练习 06.2 ★★ 带动量的权重更新（教程 06 第 2 节；RHW 1986 公式 (7)）

RHW 的学习规则（原文 (9)，教程 06 记作 (7)）：

    Δw(t) = −ε ∂E/∂w(t) + α Δw(t−1),   w ← w + Δw(t),   Δw(0) = 0

写 momentum_run(w0, grads, eps, alpha)：从 w0 出发，依次用 grads 里的每一个梯度 ∂E/∂w(t)
（t = 1, 2, …，与 w0 同形状的数组）更新一次，返回最后的 w。检查会和 tg.optim.SGD(lr=ε, momentum=α) 比较。
"""
import numpy as np


def momentum_run(w0, grads, eps, alpha):
    # >>>
    w = np.array(w0, dtype=float)
    delta = np.zeros_like(w)
    for g in grads:
        delta = -eps * g + alpha * delta
        w = w + delta
    return w
    # <<<
