"""Exercises for tutorial 04: backprop by hand (NNDL algorithm 5.1, eqs. 5.26–5.57)."""
import numpy as np

from ...core import ops
from ...core.tensor import Tensor
from .base import Exercise, close, fmt, need, register


def check_output_delta(ns):
    f = need(ns, "output_delta")
    rng = np.random.default_rng(41)
    z = Tensor(rng.normal(0, 1.5, 4), requires_grad=True)
    y = np.array([0.0, 1.0, 1.0, 0.0])
    a = ops.sigmoid(z)
    (0.5 * ((a - y) ** 2).sum()).backward()
    av, want = a.numpy(), z.grad.numpy()
    got = np.asarray(f(av.copy(), y.copy()), dtype=float)
    if close(got, want):
        return []
    if close(got, av - y):
        return ["少乘了 σ′(z) = a(1 − a)：δ⁽ᴸ⁾ 是对净输入 z 的导数，不是对 a 的导数（公式 5.45）。"]
    if close(got, -want):
        return ["符号反了：∂E/∂a = a − y（不是 y − a）。"]
    if close(got, (av - y) * av):
        return ["σ′(z) = a(1 − a)，你只乘了 a。"]
    return [f"a = {fmt(av)}，y = {fmt(y)} 时 δ⁽ᴸ⁾ 应为 {fmt(want)}，你的是 {fmt(got)}。"]


def _net(rng, sizes):
    Ws = [rng.normal(0, 1.0, (m, n)) for n, m in zip(sizes[:-1], sizes[1:])]
    bs = [rng.normal(0, 0.5, m) for m in sizes[1:]]
    return Ws, bs, rng.normal(0, 1, sizes[0]), rng.uniform(0, 1, sizes[-1])


def _engine(Ws, bs, x, y):
    tW = [Tensor(W, requires_grad=True) for W in Ws]
    tb = [Tensor(b, requires_grad=True) for b in bs]
    a = Tensor(x)
    for W, b in zip(tW, tb):
        a = ops.sigmoid(W @ a + b)
    (0.5 * ((a - y) ** 2).sum()).backward()
    return [W.grad.numpy() for W in tW], [b.grad.numpy() for b in tb]


def _without_fprime(Ws, bs, x, y):
    """Algorithm 5.1 with σ′ left out of the recursion (5.49): the commonest slip."""
    acts = [x]
    for W, b in zip(Ws, bs):
        acts.append(1 / (1 + np.exp(-(W @ acts[-1] + b))))
    delta = (acts[-1] - y) * acts[-1] * (1 - acts[-1])
    dWs = [None] * len(Ws)
    for l in reversed(range(len(Ws))):
        dWs[l] = np.outer(delta, acts[l])
        delta = Ws[l].T @ delta
    return dWs


def check_backprop(ns):
    f = need(ns, "backprop")
    rng = np.random.default_rng(5)
    for sizes in ([3, 4, 2], [4, 5, 3, 2]):
        Ws, bs, x, y = _net(rng, sizes)
        want_W, want_b = _engine(Ws, bs, x, y)
        got = f([W.copy() for W in Ws], [b.copy() for b in bs], x.copy(), y.copy())
        try:
            got_W, got_b = got
        except (TypeError, ValueError):
            return ["backprop 应当返回 (dWs, dbs) 两个列表。"]
        L = len(Ws)
        if len(got_W) != L or len(got_b) != L:
            return [f"{L} 层的网络要 {L} 个 ∂E/∂W 和 {L} 个 ∂E/∂b，你返回了 {len(got_W)} 个和 {len(got_b)} 个。"]
        for l in reversed(range(L)):                       # from the output back: the first wrong layer
            gW, gb = np.asarray(got_W[l], dtype=float), np.asarray(got_b[l], dtype=float)
            name = f"第 {l + 1} 层（W⁽{l + 1}⁾ 形状 {Ws[l].shape}）"
            if gW.shape != Ws[l].shape:
                hint = "：是不是把 δ⁽ˡ⁾ (a⁽ˡ⁻¹⁾)ᵀ 写反成了 a δᵀ？" if gW.shape == Ws[l].shape[::-1] else ""
                return [f"{name}的 ∂E/∂W 形状是 {gW.shape}，应当与 W 相同{hint}"]
            if not close(gW, want_W[l]) or not close(gb, want_b[l]):
                which = "∂E/∂W（公式 5.56）" if not close(gW, want_W[l]) else "∂E/∂b（公式 5.57）"
                msg = f"{sizes} 的网络：从输出层往回数，第一个不对的是{name}的 {which}。"
                if l < L - 1 and close(gW, _without_fprime(Ws, bs, x, y)[l]):
                    msg += "误差项往回传时少乘了 σ′(z⁽ˡ⁾) = a⁽ˡ⁾(1 − a⁽ˡ⁾)（公式 5.49）。"
                elif l == L - 1:
                    msg += "输出层 δ⁽ᴸ⁾ = (a⁽ᴸ⁾ − y) ⊙ a⁽ᴸ⁾(1 − a⁽ᴸ⁾) 对吗？"
                else:
                    msg += f"上一层都对，问题在这一层的 δ⁽{l + 1}⁾ 的递推 (5.49)：δ⁽ˡ⁾ = σ′(z⁽ˡ⁾) ⊙ (W⁽ˡ⁺¹⁾)ᵀ δ⁽ˡ⁺¹⁾。"
                return [msg]
    return []


register(
    Exercise("04.1", 1, "输出层的误差项 δ⁽ᴸ⁾", check_output_delta, (
        "δ⁽ᴸ⁾ = ∂E/∂z⁽ᴸ⁾ = ∂E/∂a · ∂a/∂z，逐元素相乘。",
        "∂E/∂a = a − y；∂a/∂z = σ′(z) = a(1 − a)。",
        "return (a - y) * a * (1 - a)")),
    Exercise("04.2", 2, "算法 5.1：一个样本的反向传播", check_backprop, (
        "前馈时把每层的 a⁽ˡ⁾ 存进一个列表，a⁽⁰⁾ = x；反向时从最后一层往前循环。",
        "δ 往回传要乘两样东西：(W⁽ˡ⁺¹⁾)ᵀ 和 σ′(z⁽ˡ⁾) = a⁽ˡ⁾(1 − a⁽ˡ⁾)。∂E/∂W⁽ˡ⁾ 是外积 np.outer(δ⁽ˡ⁾, a⁽ˡ⁻¹⁾)。",
        "for l in reversed(range(L)): dWs[l] = np.outer(delta, acts[l]); dbs[l] = delta; "
        "delta = acts[l] * (1 - acts[l]) * (Ws[l].T @ delta)")),
)
