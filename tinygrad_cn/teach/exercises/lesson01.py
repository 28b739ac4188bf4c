"""Exercises for tutorial 01: σ(wx + b) (NNDL §5.4, eqs. 5.64–5.79)."""
import numpy as np

from ...core import ops
from ..textbook import sigmoid_example
from ..trace import reverse_steps
from .base import Exercise, close, fmt, grad_check_feedback, learner_primitive, need, register

POINTS = [(1.0, 0.0, 0.0), (2.0, 0.5, -1.0), (-1.5, 2.0, 0.3), (0.5, -3.0, 1.0)]


def _engine(x, w, b):
    g = sigmoid_example(x, w, b)
    g.f.backward()
    return g.w.grad.item(), g.b.grad.item()


def _sigma(z):
    return 1.0 / (1.0 + np.exp(-z))


def check_grads(ns):
    f = need(ns, "sigmoid_grads")
    for x, w, b in POINTS:
        got = f(x, w, b)
        want = _engine(x, w, b)
        if close(got, want):
            continue
        at = f"在 x = {x:g}, w = {w:g}, b = {b:g} 处"
        if not close(np.shape(got), (2,)):
            return [f"sigmoid_grads 应当返回两个数 (∂f/∂w, ∂f/∂b)，你返回了 {got!r}。"]
        s, z = _sigma(w * x + b), w * x + b
        dw, db = got
        if close(dw, s * (1 - s)) and not close(x, 1.0):
            return [f"{at}∂f/∂w = {fmt(dw)}，应为 {fmt(want[0])}：少乘了 x——路径最后一段 ∂h1/∂w = x（公式 5.64）。"]
        if close(db, s) or close(dw, s * x):
            return [f"{at}你用了 σ(z)，应当用 σ′(z) = σ(z)(1 − σ(z))（表 5.1）：∂f/∂b 应为 {fmt(want[1])}，"
                    f"你的是 {fmt(db)}。"]
        s0 = _sigma(w * x)
        if not close(b, 0.0) and close(db, s0 * (1 - s0)):
            return [f"{at}z = wx + b 里漏了 b：σ′ 要在 z = {fmt(z)} 处求值。"]
        return [f"{at}应为 (∂f/∂w, ∂f/∂b) = ({fmt(want[0])}, {fmt(want[1])})，你的是 ({fmt(dw)}, {fmt(db)})。"]
    return []


_ORDER = ["h6", "h5", "h4", "h3", "h2", "h1", "w", "b"]
_LOCAL = {"h5": "∂h6/∂h5 = −1/h5²", "h4": "∂h5/∂h4 = 1", "h3": "∂h4/∂h3 = exp(h3)",
          "h2": "∂h3/∂h2 = −1", "h1": "∂h2/∂h1 = 1", "b": "∂h2/∂b = 1", "w": "∂h1/∂w = x"}


def check_adjoints(ns):
    f = need(ns, "reverse_adjoints")
    for x, w, b in POINTS:
        got = f(x, w, b)
        if not isinstance(got, dict):
            return [f"reverse_adjoints 应当返回字典 {{'h6': ..., 'h5': ..., ...}}，你返回了 {type(got).__name__}。"]
        want = {s.node: s.total for s in reverse_steps(sigmoid_example(x, w, b).f)}
        for node in _ORDER:
            if node not in got:
                return [f"字典里缺 '{node}'：要有 {', '.join(_ORDER)} 这些键。"]
            if not close(got[node], want[node]):
                msg = (f"在 x = {x:g}, w = {w:g}, b = {b:g} 处，∂f/∂{node} 应为 {fmt(want[node])}，"
                       f"你的是 {fmt(got[node])}。")
                if node in _LOCAL:
                    msg += f"这一行的局部导数是 {_LOCAL[node]}。"
                if close(got[node], -want[node]):
                    msg += "只差一个符号：h3 = −h2 那一步乘的是 −1。"
                return [msg]
    return []


def check_sigmoid_rule(ns):
    vjp, jvp = need(ns, "sigmoid_vjp"), need(ns, "sigmoid_jvp")
    with learner_primitive("your_sigmoid", lambda a: 1.0 / (1.0 + np.exp(-a)), vjp, jvp) as sig:
        return grad_check_feedback(lambda t: ops.tanh(sig(t * 2)).sum(), np.array([-1.2, 0.3, 2.0]),
                                   "σ′(a) = σ(a)(1 − σ(a))，可以写成 out * (1 - out)。")


register(
    Exercise("01.1", 1, "手算 σ(wx + b) 的梯度", check_grads, (
        "从 f 到 w 只有一条路径：f ← h6 ← … ← h1 ← w，把路径上的局部导数乘起来。",
        "σ′(z) = σ(z)(1 − σ(z))；∂z/∂w = x，∂z/∂b = 1。",
        "s = 1/(1 + exp(−(w·x + b)))，返回 (s(1 − s)·x, s(1 − s))。")),
    Exercise("01.2", 2, "反向模式，一行一行（公式 5.75–5.79）", check_adjoints, (
        "从 d['h6'] = 1 开始，每一行 = 上一行的结果 × 这一步的局部导数。",
        "局部导数：∂h6/∂h5 = −1/h5²，∂h5/∂h4 = 1，∂h4/∂h3 = exp(h3)，∂h3/∂h2 = −1，∂h2/∂h1 = ∂h2/∂b = 1，∂h1/∂w = x。",
        "d['h5'] = d['h6'] * (-1 / h5**2)，d['h4'] = d['h5']，d['h3'] = d['h4'] * exp(h3)，……")),
    Exercise("01.3", 3, "给 σ 写自己的 vjp、jvp 规则，过 check_grad", check_sigmoid_rule, (
        "vjp 把输出的梯度 g 乘上 σ′(a)；jvp 把切向量 t 乘上 σ′(a)。",
        "σ′(a) 可以用 out 写：out * (1 - out)。别用 out.data——二阶检查要对规则再求导。",
        "return g * out * (1 - out)；return t * out * (1 - out)。")),
)
