"""练习 02.1 ★ 前向模式：一遍扫描得到雅可比矩阵的一列（教程 02；NNDL 公式 5.69–5.74）

f: Rⁿ → Rᵐ。前向模式（tg.jvp）从输入的一个切向量 v 出发，一遍扫描得到 J v。
取 v = e_j（第 j 个分量为 1，其余为 0），J e_j 就是 J 的第 j 列。

写 jacobian_by_columns(f, x)：用 tg.jvp 一列一列拼出整个 J（形状 m × n），
只用前向扫描，而且正好 n 遍。检查会用 tg.count_sweeps() 数你用了几遍。
"""
import numpy as np

import tinygrad_cn as tg


def jacobian_by_columns(f, x):
    """x：长度 n 的 NumPy 数组；返回 m × n 的 NumPy 数组。"""
    # >>>
    columns = []
    for j in range(len(x)):
        e = np.zeros(len(x))
        e[j] = 1.0
        _, tangent = tg.jvp(f, [x], [e])        # one forward sweep: J e_j
        columns.append(tangent.numpy())
    return np.stack(columns, axis=1)
    # <<<
