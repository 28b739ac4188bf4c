"""练习 08.1 ★★ 共享权重的梯度 = 各层拷贝的梯度之和（教程 08 第 2 节；RHW 1986 图 5）

递归网络 y(t+1) = tanh(W y(t))（t = 0 … T−1），误差 E = ½‖y(T) − d‖²。把它按时间展开成 T 层的分层网络，
每层用一份**自己的**拷贝 W_t（数值都等于 W，但是 T 个不同的张量）。

写 copy_grads(W, y0, d, T)：搭出这个 T 层网络，反向传播一次，返回长度 T 的列表
[∂E/∂W_0, …, ∂E/∂W_{T−1}]（NumPy 数组，第 t 个是第 t 层那份拷贝的梯度）。
检查会把它们相加，和引擎对**同一个** W 用 T 次（扇出）算出的 ∂E/∂W 比较。
"""
import tinygrad_cn as tg


def copy_grads(W, y0, d, T):
    # >>>
    Ws = [tg.Tensor(W, requires_grad=True) for _ in range(T)]
    # <<<
    y = tg.Tensor(y0)
    for Wt in Ws:
        y = tg.tanh(Wt @ y)
    E = 0.5 * ((y - tg.Tensor(d)) ** 2).sum()
    E.backward()
    # >>>
    return [Wt.grad.numpy() for Wt in Ws]
    # <<<
