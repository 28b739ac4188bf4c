"""Exercises for tutorial 13: gradient accumulation, zero_grad, detach."""
import numpy as np

from ...core import ops
from ...core.graph import node_names, toposort
from ...core.tensor import Tensor
from .base import Exercise, close, fmt, need, register


def check_steps(ns):
    f = need(ns, "grads_each_step")
    xs = [2.0, -1.0, 0.5, 3.0]
    want = [2 * (1.5 * x - 1) * x for x in xs]                # ∂/∂w (wx − 1)² = 2(wx − 1)x at w = 1.5
    got = f(1.5, list(xs))
    if close(got, want):
        return []
    if close(got, np.cumsum(want)):
        return [f"你的结果 {fmt(got)} 是前几步梯度的累加 {fmt(np.cumsum(want))}：backward() 把梯度加进 "
                "w.grad，两次 backward() 之间要清零（w.zero_grad() 或 w.grad = None）。"]
    return [f"每一步的 ∂L/∂w 应为 {fmt(want)}，你的是 {fmt(got)}。"]


def _graphs():
    """(name, output, leaves, shared): small scalar graphs; ``shared`` when a node has two consumers."""
    x = Tensor(1.5, requires_grad=True, name="x")
    yield "sin(x)·2", ops.sin(x) * 2.0, [x], False
    x = Tensor(0.7, requires_grad=True, name="x")
    yield "x·x + x", x * x + x, [x], True
    x = Tensor(-1.2, requires_grad=True, name="x")
    a = (x * 2.0).named("a")
    yield "菱形 a = 2x, b = 3a, c = a + b", a + a * 3.0, [x], True
    w, b = Tensor(0.4, requires_grad=True, name="w"), Tensor(-0.3, requires_grad=True, name="b")
    h = ops.tanh(w * 2.0 + b).named("h")
    yield "h = tanh(2w + b), f = h·h·w", h * h * w, [w, b], True


def _consumers(out):
    count = {}
    for node in toposort([out]):
        for inp in node.inputs or ():
            if inp.requires_grad:
                count[id(inp)] = count.get(id(inp), 0) + 1
    return count


def check_gradients(ns):
    f = need(ns, "gradients")
    problems = []
    for name, out, leaves, shared in _graphs():
        names, nodes = node_names(out), toposort([out])
        got = f(out)
        if not isinstance(got, dict):
            return [f"gradients 应当返回字典 {{id(节点): 梯度}}，你返回了 {type(got).__name__}。"]
        out.backward(retain_graph=True)
        want_leaf = {id(t): t.grad.numpy() for t in leaves}
        wrong = [t for t in leaves if id(t) not in got or not close(got[id(t)], want_leaf[id(t)])]
        if not wrong:
            continue
        t = wrong[0]
        if id(t) not in got:
            return [f"图 {name}：字典里没有叶子 {names[id(t)]} 的梯度（键是 id(节点)）。"]
        msg = f"图 {name}：∂out/∂{names[id(t)]} 应为 {fmt(want_leaf[id(t)])}，你的是 {fmt(got[id(t)])}。"
        if shared:
            fan = [names[id(n)] for n in nodes if _consumers(out).get(id(n), 0) > 1]
            msg += (f"这张图里 {', '.join(fan)} 被不止一个节点用到：它的梯度是各条边贡献之和。"
                    "第二条边来的时候，要加到已有的值上（+=），不能覆盖（=）。")
        problems.append(msg)
        break
    return problems


def check_detach(ns):
    f = need(ns, "half_grad_square")
    for v in (3.0, -0.5):
        w = Tensor(v, requires_grad=True)
        g = f(w)
        if not isinstance(g, Tensor):
            return [f"half_grad_square 应当返回一个张量，你返回了 {type(g).__name__}。"]
        if not close(g.item(), v * v):
            return [f"w = {v:g} 时 g 的值应为 w² = {v * v:g}，你的是 {fmt(g.item())}。"]
        if not g.requires_grad:
            return ["g 不再连着 w（两个因子都 detach 了，或者在 no_grad 里算的）：只切断一个因子。"]
        g.backward()
        if w.grad is None or not close(w.grad.item(), v):
            got = None if w.grad is None else w.grad.item()
            if got is not None and close(got, 2 * v):
                return [f"∂g/∂w = {fmt(got)} = 2w：两个因子都连着 w。把其中一个换成 w.detach()。"]
            return [f"w = {v:g} 时 ∂g/∂w 应为 w = {v:g}，你的是 {fmt(got) if got is not None else '没有梯度'}。"]
    return []


register(
    Exercise("13.1", 1, "每一步单独的梯度：zero_grad", check_steps, (
        "连续两次 backward() 之后，w.grad 是两次的梯度之和。",
        "每次 backward() 之前把 w.grad 清掉。",
        "在循环开头写 w.zero_grad()（或 w.grad = None）。")),
    Exercise("13.2", 2, "手写反向扫描：用了两次的节点要 +=", check_gradients, (
        "一个节点的梯度是它所有消费者传回来的贡献之和。",
        "第一次见到 inp 时存下 contribution；以后再来，加上去。",
        "grads[id(inp)] = grads.get(id(inp), 0) + contribution")),
    Exercise("13.3", 1, "值是 w²、梯度是 w：detach", check_detach, (
        "w² = w · w：梯度 2w 来自两个因子各贡献一个 w。",
        "让其中一个因子不再连着 w：它的值不变，但梯度过不去。",
        "return w * w.detach()")),
)
