"""练习 02.2 ★★ 反向模式：一遍扫描得到雅可比矩阵的一行（教程 02；NNDL 公式 5.75–5.79）

反向模式（tg.vjp）从输出的一个余切向量 u 出发，一遍扫描得到 uᵀ J。取 u = e_i，得到 J 的第 i 行。

写 jacobian_by_rows(f, x)：用 tg.vjp 一行一行拼出整个 J（形状 m × n），只用反向扫描，而且正好 m 遍。
（tg.vjp(f, x) 返回 (输出, 函数)；那个函数吃一个余切向量，返回一个元组，每个输入一项。）
"""
import numpy as np

import tinygrad_cn as tg


def jacobian_by_rows(f, x):
    """x：长度 n 的 NumPy 数组；返回 m × n 的 NumPy 数组。"""
    # >>>
    out, pullback = tg.vjp(f, x)
    rows = []
    for i in range(out.size):
        e = np.zeros(out.size)
        e[i] = 1.0
        (row,) = pullback(e)                    # one reverse sweep: e_iᵀ J
        rows.append(row.numpy())
    return np.stack(rows, axis=0)
    # <<<
