"""练习 13.3 ★ 值是 w²，梯度却是 w（教程 13 第 4 节）

写 half_grad_square(w)：w 是一个 requires_grad 的张量；返回一个张量 g，它的值等于 w²，
但 ∂g/∂w = w（而不是 2w）。用 detach()。
"""


def half_grad_square(w):
    # >>>
    return w * w.detach()
    # <<<
