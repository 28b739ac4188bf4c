"""练习 14.1 ★ 用 for 循环搭出 xⁿ（教程 14 第 1 节）

写 power_by_loop(x, n)：x 是一个 requires_grad 的张量，n ≥ 1 是整数；用 Python 的 for 循环一次乘一个 x，
返回 xⁿ。检查会看值、梯度 ∂xⁿ/∂x，以及计算图里是不是正好有 n − 1 个乘法节点（一次乘法一个节点）。
"""


def power_by_loop(x, n):
    # >>>
    y = x
    for _ in range(n - 1):
        y = y * x
    return y
    # <<<
