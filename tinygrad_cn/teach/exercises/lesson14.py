"""Exercises for tutorial 14: graphs built by Python control flow; why the sweep needs a
topological order."""
from ...core import ops
from ...core.graph import node_names, toposort
from ...core.sweeps import reverse_sweep
from ...core.tensor import Tensor
from .base import Exercise, close, fmt, need, register


def check_power(ns):
    f = need(ns, "power_by_loop")
    for value, n in ((1.3, 5), (-0.8, 3), (2.0, 1)):
        x = Tensor(value, requires_grad=True, name="x")
        y = f(x, n)
        if not isinstance(y, Tensor) or not close(y.item(), value ** n):
            return [f"x = {value:g}、n = {n} 时值应为 {fmt(value ** n)}，你的是 {y!r}。"]
        ops_ = [t.op for t in toposort([y]) if t.prim is not None]
        if ops_.count("mul") != n - 1 or len(ops_) != n - 1:
            return [f"n = {n}：图里应当正好有 {n - 1} 个乘法节点，你的图里是 {ops_ or '没有运算'}。"
                    "用 for 循环一次乘一个 x（不要用 x ** n）。"]
        if n > 1:
            y.backward()
            if not close(x.grad.item(), n * value ** (n - 1)):
                return [f"∂xⁿ/∂x 应为 {fmt(n * value ** (n - 1))}，你的是 {fmt(x.grad.item())}。"]
    return []


def _graphs():
    x = Tensor(1.0, requires_grad=True, name="x")
    a = (x * 2.0).named("a")
    yield "菱形 a = 2x, b = 3a, c = a + b", a + (a * 3.0).named("b"), x
    x = Tensor(0.5, requires_grad=True, name="x")
    h = ops.sin(x).named("h")
    u = (h * h).named("u")
    yield "h = sin x, u = h·h, f = u·h + h", u * h + h, x


def check_topo(ns):
    f = need(ns, "topo_order")
    for name, out, x in _graphs():
        names = node_names(out)
        order = list(f(out))
        want = toposort([out])
        if {id(t) for t in order} != {id(t) for t in want} or len(order) != len(want):
            return [f"图 {name}：应当正好包含这 {len(want)} 个节点 {sorted(names[id(t)] for t in want)}，"
                    f"你的是 {[names.get(id(t), '?') for t in order]}。"]
        place = {id(t): k for k, t in enumerate(order)}
        for node in order:
            late = [inp for inp in node.inputs if inp.requires_grad and place[id(inp)] > place[id(node)]]
            if late:
                got = reverse_sweep(order, {id(out): Tensor(1.0)}).get(id(x))
                got = "没有梯度（x 在 out 之前就被处理了）" if got is None else fmt(got.item())
                right = reverse_sweep(want, {id(out): Tensor(1.0)})[id(x)].item()
                hint = "顺序整个反了：要“输入在前”。" if order[0] is out else ""
                return [f"图 {name}：{names[id(node)]} 排在了它的输入 {names[id(late[0])]} 前面。{hint}"
                        f"用你的顺序，引擎的反向扫描算出 ∂out/∂x = {got}，正确的是 {fmt(right)}。"]
    return []


register(
    Exercise("14.1", 1, "用 for 循环搭出 xⁿ", check_power, (
        "从 y = x 开始，循环里 y = y * x。",
        "n 次方要乘 n − 1 次：range(n - 1)。",
        "y = x; for _ in range(n - 1): y = y * x; return y")),
    Exercise("14.2", 2, "写一个拓扑序，交给引擎的反向扫描", check_topo, (
        "一个节点只有在它的所有输入都已经在列表里之后，才能加进列表。",
        "深度优先：访问一个节点时先把它的输入都访问完（递归，或用栈模拟），然后把它自己加到列表末尾。",
        "用栈放 (节点, 输入是否已处理)：第一次弹出时压回 (节点, True) 再压它的输入；第二次弹出时加进列表。")),
)
