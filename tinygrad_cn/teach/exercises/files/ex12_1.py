"""练习 12.1 ★★ 亲手写出一层 logistic 单元的反向传播（教程 12）

tg.jit 把一层 a = σ(W x + b)、L = ½‖a − d‖² 的反向扫描写成几行 NumPy。写 layer_backward(W, b, x, d)，
用 NumPy 算出同样的 (∂L/∂W, ∂L/∂b)：W 的形状是 (n_out, n_in)，b、d 是 n_out 维，x 是 n_in 维。
检查会和引擎（tg.grad）在两组随机数据上比较。
"""
import numpy as np


def layer_backward(W, b, x, d):
    # >>>
    a = 1 / (1 + np.exp(-(W @ x + b)))
    delta = (a - d) * a * (1 - a)
    return np.outer(delta, x), delta
    # <<<
