"""练习 05.1 ★ 三个激活函数的导数（教程 05；NNDL 表 5.1）

写 derivatives(z)：z 是 NumPy 数组，返回字典 {"logistic": σ′(z), "tanh": tanh′(z), "relu": relu′(z)}，
每项是和 z 同形状的数组，用表 5.1 的公式（用函数值本身表示导数）。
relu 在 0 处没有导数：按引擎的约定 relu′(0) = 0。检查会和引擎逐点比较。
"""
import numpy as np


def derivatives(z):
    # >>>
    s = 1 / (1 + np.exp(-z))
    t = np.tanh(z)
    return {"logistic": s * (1 - s), "tanh": 1 - t * t, "relu": (z > 0).astype(float)}
    # <<<
