"""练习 13.1 ★ 每一步单独的梯度（教程 13 第 3 节）

同一个参数 w（一个张量，一直用它）在 xs 的每个 x 上算一次损失 L = (w · x − 1)²，backward() 一次。
写 grads_each_step(w0, xs)：返回每一步**单独**的 ∂L/∂w（一个列表，和 xs 一样长）。
框架已经写好了循环；缺的那一行是什么？
"""
import tinygrad_cn as tg


def grads_each_step(w0, xs):
    w = tg.Tensor(w0, requires_grad=True)
    grads = []
    for x in xs:
        # >>>
        w.zero_grad()                 # .grad adds up over backward() calls: clear it first
        # <<<
        loss = (w * x - 1.0) ** 2
        loss.backward()
        grads.append(w.grad.item())
    return grads
