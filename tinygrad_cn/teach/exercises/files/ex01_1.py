"""练习 01.1 ★ 手算 σ(wx + b) 的梯度（教程 01；NNDL §5.4，公式 5.64–5.68）

f(x; w, b) = σ(wx + b)。沿计算图从 f 走到 w（和 b）的路径，把局部导数乘起来，
写出 ∂f/∂w 和 ∂f/∂b 的公式，再用 NumPy（或 math）算出来——不用引擎。检查会在几组 (x, w, b) 上和引擎的 backward() 比较。
"""
import numpy as np


def sigmoid_grads(x, w, b):
    """返回 (∂f/∂w, ∂f/∂b)，两个 Python 浮点数。"""
    # >>>
    s = 1.0 / (1.0 + np.exp(-(w * x + b)))
    ds = s * (1.0 - s)
    return ds * x, ds
    # <<<
