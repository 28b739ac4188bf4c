"""练习 06.1 ★ 镜像对称的数据集（教程 06 第 1 节；RHW 1986 图 1）

6 位的二进制输入共 2⁶ = 64 个。一个输入“镜像对称”，当且仅当第 i 位等于第 5 − i 位（i = 0, 1, 2）。
写 mirror_dataset()：返回 (X, d)——X 是 64 × 6 的数组（每行一个输入，元素 0 或 1，64 行各不相同），
d 是长度 64 的数组，对称的行为 1、否则为 0。先想一想：64 个里有几个是对称的？
"""
import itertools

import numpy as np


def mirror_dataset():
    # >>>
    X = np.array(list(itertools.product([0.0, 1.0], repeat=6)))
    d = np.array([float(all(x[i] == x[5 - i] for i in range(3))) for x in X])
    return X, d
    # <<<
