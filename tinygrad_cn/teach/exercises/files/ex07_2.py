"""练习 07.2 ★★ RHW 的 0.2% 权重衰减，和动量一起（教程 07 第 4 节；RHW 1986 图 4 的说明、公式 (7)）

RHW“在每次权重变化后将每个权重减少 0.2%”：先按公式 (7) 走一步，再整体乘 (1 − 0.002)：

    Δw(t) = −ε ∂E/∂w(t) + α Δw(t−1),    w ← (1 − 0.002)(w + Δw(t)),    Δw(0) = 0

写 rhw_run(w0, grads, eps, alpha)：从 w0 出发，依次用 grads 里的每个梯度更新一次，返回最后的 w。
检查会和教程用的 tg.optim.SGD(lr=ε, momentum=α) 加 lessons/family_trees.py 的 rhw_decay 比较。
（注意：衰减不进入动量——Δw 里只有数据的梯度。）
"""
import numpy as np


def rhw_run(w0, grads, eps, alpha):
    w = np.array(w0, dtype=float)
    delta = np.zeros_like(w)
    for g in grads:
        # >>>
        delta = -eps * g + alpha * delta
        w = (1 - 0.002) * (w + delta)
        # <<<
    return w
