"""练习 07.1 ★ “超过 0.8 / 低于 0.2 就不算错”（教程 07 第 3 节；RHW 1986 图 4 的说明，读法 B）

RHW 训练家族树网络时规定：目标为 1 的输出单元只要超过 0.8、目标为 0 的只要低于 0.2，就不算误差。
教程 07 的读法 B 把它写成一个连续的误差：

    目标为 1 的单元：y < 0.8 时付 ½(y − 0.8)²，否则 0；
    目标为 0 的单元：y > 0.2 时付 ½(y − 0.2)²，否则 0。

写 margin_error(y, d)：y 是输出（NumPy 数组，值在 (0, 1)），d 是同形状的目标（0 或 1），
返回所有单元的误差之和 E（一个数）。检查会和 lessons/family_trees.py 的 error_margin 比较。
"""
import numpy as np


def margin_error(y, d):
    # >>>
    on = d > 0.5
    e = np.where(on, np.minimum(y - 0.8, 0.0), np.maximum(y - 0.2, 0.0))
    return 0.5 * float(np.sum(e * e))
    # <<<
