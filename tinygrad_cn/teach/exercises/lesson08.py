"""Exercises for tutorial 08: a recurrent net is a layered net with shared weights (RHW 1986 fig. 5)."""
import numpy as np

from ...core import ops
from ...core.tensor import Tensor
from .base import Exercise, close, fmt, need, register


def _unrolled(Ws, y0, d):
    y = Tensor(y0)
    for Wt in Ws:
        y = ops.tanh(Wt @ y)
    E = 0.5 * ((y - Tensor(d)) ** 2).sum()
    E.backward()


def check_copies(ns):
    f = need(ns, "copy_grads")
    rng = np.random.default_rng(8)
    T, W, y0, d = 4, rng.normal(0, 0.6, (3, 3)), rng.normal(0, 1, 3), rng.uniform(-0.5, 0.5, 3)
    shared = Tensor(W, requires_grad=True)
    _unrolled([shared] * T, y0, d)                 # one W used T times: the engine adds at the fan-out
    copies = [Tensor(W, requires_grad=True) for _ in range(T)]
    _unrolled(copies, y0, d)
    want, total = [c.grad.numpy() for c in copies], shared.grad.numpy()
    got = f(W.copy(), y0.copy(), d.copy(), T)
    try:
        got = [np.asarray(g, dtype=float) for g in got]
    except (TypeError, ValueError):
        return ["copy_grads 应当返回 T 个数组的列表。"]
    if len(got) != T:
        return [f"T = {T}：应当返回 {T} 份拷贝的梯度，你返回了 {len(got)} 个。"]
    if close(got, want):
        return []
    if all(close(g, total) for g in got):
        return ["每一份都等于总和 ∂E/∂W：你的 T 层用的是同一个张量（扇出），引擎已经在扇出处把 T 份加起来了。"
                "每层要一份自己的拷贝：T 个不同的 tg.Tensor(W, requires_grad=True)。"]
    if close(got[::-1], want):
        return ["顺序反了：列表的第 t 个应当是第 t 层（离输入第 t 近）那份拷贝的梯度。"]
    return [f"T 份拷贝的梯度之和应当等于共享 W 的 ∂E/∂W =\n{fmt(total)}\n你的和是\n{fmt(sum(got))}"]


register(
    Exercise("08.1", 2, "共享权重的梯度 = 各层拷贝的梯度之和", check_copies, (
        "“拷贝”要是不同的张量：同一个 Tensor 用 T 次就是扇出，梯度会在它身上加起来。",
        "用列表推导式造 T 个 tg.Tensor(W, requires_grad=True)；backward() 之后每份的 .grad 就是那一层的梯度。",
        "Ws = [tg.Tensor(W, requires_grad=True) for _ in range(T)]；return [Wt.grad.numpy() for Wt in Ws]")),
)
