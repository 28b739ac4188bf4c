"""Exercises for tutorial 06: RHW 1986's mirror symmetry (fig. 1, eqs. (1)–(7))."""
import itertools

import numpy as np

from ...core import ops
from ...core.tensor import Tensor
from ...nn.module import Parameter
from ...nn.optim import SGD
from .base import Exercise, close, fmt, need, register

PATTERNS = np.array(list(itertools.product([0.0, 1.0], repeat=6)))
SYMMETRIC = np.array([float(np.array_equal(x, x[::-1])) for x in PATTERNS])


def check_dataset(ns):
    got = need(ns, "mirror_dataset")()
    try:
        X, d = (np.asarray(a, dtype=float) for a in got)
    except (TypeError, ValueError):
        return ["mirror_dataset 应当返回 (X, d) 两个数组。"]
    if X.shape != (64, 6) or d.shape != (64,):
        return [f"X 应为 64 × 6、d 长度 64；你的是 {X.shape} 和 {d.shape}。"]
    if not np.all((X == 0) | (X == 1)) or len({tuple(r) for r in X}) != 64:
        return ["X 的 64 行应当正好是全部 64 个 0/1 组合，各不相同。"]
    want = np.array([float(np.array_equal(x, x[::-1])) for x in X])
    if np.array_equal(d, want):
        return []
    wrong = int(np.sum(d != want))
    return [f"d 里有 {wrong} 个标错了；对称的应当正好 {int(want.sum())} 个（前 3 位决定后 3 位：2³ = 8），"
            f"你标了 {int(d.sum())} 个。对称是第 i 位等于第 5 − i 位。"]


def check_momentum(ns):
    f = need(ns, "momentum_run")
    rng = np.random.default_rng(6)
    w0 = rng.normal(0, 0.3, (2, 3))
    grads = [rng.normal(0, 1, (2, 3)) for _ in range(4)]
    p = Parameter(w0.copy())
    opt = SGD([p], lr=0.1, momentum=0.9)
    for g in grads:
        p.grad = Tensor(g)
        opt.step()
    want = p.numpy()
    got = np.asarray(f(w0.copy(), [g.copy() for g in grads], 0.1, 0.9), dtype=float)
    if close(got, want):
        return []
    if close(got, w0 - 0.1 * sum(grads)):
        return ["结果和没有动量（α = 0）一样：Δw(t) 要加上 α Δw(t−1)，需要把上一次的 Δw 存下来。"]
    if close(got - w0, -(want - w0)):
        return ["方向反了：沿梯度的反方向走，Δw = −ε ∂E/∂w + …"]
    return [f"ε = 0.1、α = 0.9、4 步之后 w 应为\n{fmt(want)}\n你的是\n{fmt(got)}"]


def check_weights(ns):
    got = need(ns, "mirror_weights")()
    try:
        W1, b1, W2, b2 = (np.asarray(a, dtype=float) for a in got)
    except (TypeError, ValueError):
        return ["mirror_weights 应当返回 (W1, b1, W2, b2)。"]
    shapes = [W1.shape, b1.shape, W2.shape, b2.shape]
    if shapes != [(2, 6), (2,), (1, 2), (1,)]:
        return [f"形状应为 (2, 6)、(2,)、(1, 2)、(1,)，你的是 {', '.join(map(str, shapes))}。"]
    h = ops.sigmoid(Tensor(PATTERNS) @ Tensor(W1).T + Tensor(b1))
    y = ops.sigmoid(h @ Tensor(W2).T + Tensor(b2)).numpy()[:, 0]
    E = 0.5 * float(np.sum((y - SYMMETRIC) ** 2))            # RHW eq. (3), summed over the 64 cases
    wrong = np.abs(y - SYMMETRIC) >= 0.5
    if not wrong.any():
        return []
    if np.all(y < 0.5):
        return [f"网络对所有 64 个输入都说“不对称”（E = {E:.3g}）——这正是教程 06 第 4 节里卡住的网络。"
                "对称时两个隐藏单元都不亮，输出偏置要为正。"]
    if np.all(y > 0.5):
        return [f"网络对所有输入都说“对称”（E = {E:.3g}）：不对称时至少一个隐藏单元要亮，"
                "隐藏到输出的权重要为负且足够大。"]
    k = int(np.argmax(wrong))
    bits = "".join(str(int(v)) for v in PATTERNS[k])
    return [f"{int(wrong.sum())} 个输入分错了（E = {E:.3g}），例如 {bits}：输出 {y[k]:.3f}。"
            "检查镜像：W1 第一行的第 i 个权重应当是第 5 − i 个的相反数。"]


register(
    Exercise("06.1", 1, "镜像对称的 64 个输入", check_dataset, (
        "itertools.product([0, 1], repeat=6) 给出全部 64 个组合。",
        "对称：x[0] == x[5]、x[1] == x[4]、x[2] == x[3]，也就是 x 等于 x[::-1]。",
        "X = np.array(list(itertools.product([0., 1.], repeat=6)))；"
        "d = np.array([float(np.array_equal(x, x[::-1])) for x in X])")),
    Exercise("06.2", 2, "RHW 公式 (7)：带动量的更新", check_momentum, (
        "要记住上一次的 Δw：循环外先设 delta = 0。",
        "每一步：delta = −ε g + α delta，然后 w = w + delta。",
        "delta = np.zeros_like(w); for g in grads: delta = -eps * g + alpha * delta; w = w + delta")),
    Exercise("06.3", 3, "亲手造出图 1 的解", check_weights, (
        "u = x₀ + 2x₁ + 4x₂ − 4x₃ − 2x₄ − x₅ 只在对称时为 0；不对称时 |u| ≥ 1。",
        "两个隐藏单元一个看 u > 0、一个看 u < 0：W1 的两行是 ±k·(1, 2, 4, −4, −2, −1)，偏置 −k/2，k 取 10 左右。",
        "输出：y = σ(−20 h₁ − 20 h₂ + 5)。对称时 h ≈ 0，y ≈ σ(5)；不对称时某个 h ≈ 1，y ≈ σ(−15)。")),
)
