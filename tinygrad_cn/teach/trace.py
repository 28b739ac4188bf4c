"""The step tracer: the textbook's accumulation sequences, read off the engine's own sweeps.

For a scalar graph it returns, as data, what NNDL §5.4 (published §4.5.3) writes out by hand:
- ``chain(f, w)``: the local derivatives along each path from f down to w (eqs. 5.64–5.68);
- ``forward_steps(f, w)``: ∂h_k/∂w = Σ ∂h_k/∂h_j · ∂h_j/∂w over h_k's inputs, in the order the
  forward sweep computes them (eqs. 5.69–5.74);
- ``reverse_steps(f)``: ∂f/∂h_k = Σ ∂f/∂h_j · ∂h_j/∂h_k over h_k's consumers, in the order the
  reverse sweep computes them (eqs. 5.75–5.79).
Totals are the engine's tangents and cotangents; each local derivative ∂h_j/∂h_k is the op's jvp
rule applied to a unit tangent.
"""
import html
from dataclasses import dataclass, field

import numpy as np

from ..core.graph import no_grad, node_names, toposort
from ..core.sweeps import forward_sweep, reverse_sweep
from ..core.tensor import Tensor
from .text import display_width


@dataclass
class Term:
    """One product of the chain rule: ``factor`` (∂h_j/∂w or ∂f/∂h_j) × ``local`` = ``product``."""
    other: str      # the input (forward) or the consumer (reverse) this term comes through
    factor: float
    local: float
    product: float


@dataclass
class Step:
    """One line of an accumulation sequence: ``total`` = Σ term.product.

    Forward (``mode="forward"``): total = ∂node/∂``var``, terms over the node's inputs.
    Reverse (``mode="reverse"``): total = ∂``var``/∂node, terms over the node's consumers.
    """
    node: str
    expr: str       # how the node was computed, e.g. "h2 = h1 + b" ("w" for a leaf)
    value: float
    total: float
    terms: list
    mode: str
    var: str        # w (forward) or f (reverse)
    tensor: object = field(default=None, repr=False, compare=False)   # the node itself

    def equation(self):
        """The line as the textbook writes it, e.g. ``∂h2/∂w = ∂h2/∂h1 · ∂h1/∂w = 1 × 1 = 1``;
        a term through w itself (forward) or f itself (reverse) is just the local derivative."""
        v = self.var
        if self.mode == "forward":
            lhs = f"∂{self.node}/∂{v}"
            chain = [f"∂{self.node}/∂{t.other}" + ("" if t.other == v else f" · ∂{t.other}/∂{v}")
                     for t in self.terms]
            nums = [_num(t.local) + ("" if t.other == v else f" × {_num(t.factor)}") for t in self.terms]
        else:
            lhs = f"∂{v}/∂{self.node}"
            chain = [("" if t.other == v else f"∂{v}/∂{t.other} · ") + f"∂{t.other}/∂{self.node}"
                     for t in self.terms]
            nums = [("" if t.other == v else f"{_num(t.factor)} × ") + _num(t.local) for t in self.terms]
        total = _num(self.total, parens=False)
        if not self.terms or chain == [lhs]:
            return f"{lhs} = {total}"
        return f"{lhs} = {' + '.join(chain)} = {' + '.join(nums)} = {total}"


def _num(v, parens=True):
    text = f"{v + 0.0:.6g}"                     # + 0.0 prints −0 as 0
    return f"({text})" if parens and v < 0 else text


def _expression(node, names):
    """How the node was computed, in the textbook's notation of its row: "h2 = h1 + b"; a literal
    constant is written as its value (the 1 of h5 = h4 + 1)."""
    if node.prim is None:
        return names[id(node)]
    return f"{names[id(node)]} = {node.prim.notation.write([names[id(i)] for i in node.inputs])}"


def _scalar_order(output):
    """The graph in the order it was computed (a topological order: a node is made after its inputs)."""
    order = sorted(toposort([output], swept_ok=True), key=lambda t: t.seq)
    big = [n for n in order if n.size != 1]
    if big:
        raise ValueError(f"step tables need a graph of scalars; a node has shape {big[0].shape}")
    return order


def local_derivative(node, i):
    """∂node/∂(its input i) at the recorded values: the op's jvp rule applied to a unit tangent."""
    inp = node.inputs[i]
    with no_grad():
        one = Tensor.wrap(np.ones(inp.shape, inp.dtype))
        return node.prim.jvp[i](one, node, *node.inputs, **node.params).item()


def forward_steps(output, wrt):
    """Forward accumulation of ∂·/∂wrt (NNDL eqs. 5.69–5.74), one Step per node that depends on
    ``wrt``, in topological order."""
    order = _scalar_order(output)
    names = node_names(output)
    tan = forward_sweep(order, {id(wrt): Tensor.wrap(np.ones(wrt.shape, wrt.dtype))})
    steps = []
    for node in order:
        if node is wrt or id(node) not in tan:
            continue
        terms = [Term(names[id(inp)], tan[id(inp)].item(), local_derivative(node, i), 0.0)
                 for i, inp in enumerate(node.inputs) if id(inp) in tan]
        for t in terms:
            t.product = t.factor * t.local
        steps.append(Step(names[id(node)], _expression(node, names), node.item(),
                          tan[id(node)].item(), terms, "forward", names[id(wrt)], node))
    return steps


def reverse_steps(output):
    """Reverse accumulation of ∂output/∂· (NNDL eqs. 5.75–5.79), one Step per node, from the
    output back to the leaves that require grad."""
    order = _scalar_order(output)
    names = node_names(output)
    seed = Tensor.wrap(np.ones(output.shape, output.dtype))
    cot = reverse_sweep(order, {id(output): seed})
    consumers = {id(n): [] for n in order}
    for node in order:
        for i, inp in enumerate(node.inputs or ()):
            if inp.requires_grad:
                consumers[id(inp)].append((node, i))
    steps = []
    for node in reversed(order):
        terms = []
        for user, i in consumers[id(node)]:
            factor, local = cot[id(user)].item(), local_derivative(user, i)
            terms.append(Term(names[id(user)], factor, local, factor * local))
        steps.append(Step(names[id(node)], _expression(node, names), node.item(),
                          cot[id(node)].item(), terms, "reverse", names[id(output)], node))
    return steps


def chain(output, wrt):
    """Every path from ``output`` down to ``wrt`` as a list of (node, input, ∂node/∂input): the
    factors of eq. 5.64, whose products summed over paths give ∂output/∂wrt."""
    names = node_names(output)
    paths, stack = [], [(output, [])]
    while stack:
        node, path = stack.pop()
        if node is wrt:
            paths.append(path)
            continue
        for i, inp in enumerate(node.inputs or ()):
            if inp.requires_grad:
                stack.append((inp, path + [(names[id(node)], names[id(inp)], local_derivative(node, i))]))
    return paths


# ---- the step tables: text, Markdown, HTML --------------------------------------------------------
def forward_table(output, wrt, fmt="text"):
    """The forward-mode accumulation table (eqs. 5.69–5.74): node, expression, value, local
    derivatives ∂node/∂input, and ∂node/∂wrt with its chain-rule product. Headers in Chinese with
    the English beside (docs/glossary.md)."""
    steps = forward_steps(output, wrt)
    var = steps[0].var if steps else "w"
    rows = [[s.node, s.expr, _num(s.value, False),
             ", ".join(f"∂{s.node}/∂{t.other} = {_num(t.local, False)}" for t in s.terms),
             s.equation().split(" = ", 1)[1]] for s in steps]
    return _table(["节点 node", "表达式 expression", "值 value", "局部导数 local derivative",
                   f"∂node/∂{var}（链式法则 chain rule）"], rows, fmt)


def reverse_table(output, fmt="text"):
    """The reverse-mode accumulation table (eqs. 5.75–5.79): node, expression, value, the
    contribution ∂f/∂consumer · ∂consumer/∂node along each edge ("via consumer"), and their sum
    ∂f/∂node (a sum of several at fan-out); the output's row is the start, ∂f/∂f = 1 (起点)."""
    steps = reverse_steps(output)
    var = steps[0].var if steps else "f"
    rows = [[s.node, s.expr, _num(s.value, False),
             "; ".join(f"via {t.other}: {_num(t.factor)} × {_num(t.local)} = {_num(t.product, False)}"
                       for t in s.terms) or f"(起点 ∂{var}/∂{var} = 1)",
             _num(s.total, False)] for s in steps]
    return _table(["节点 node", "表达式 expression", "值 value", "各条边的贡献 via 消费者 consumer",
                   f"∂{var}/∂node（求和 sum）"], rows, fmt)



def _table(headers, rows, fmt):
    if fmt == "markdown":
        cell = lambda c: c.replace("|", "\\|")                        # noqa: E731
        lines = ["| " + " | ".join(map(cell, headers)) + " |", "|" + "---|" * len(headers)]
        return "\n".join(lines + ["| " + " | ".join(map(cell, r)) + " |" for r in rows])
    if fmt == "html":
        tr = lambda cells, tag: "<tr>" + "".join(f"<{tag}>{html.escape(c)}</{tag}>" for c in cells) + "</tr>"  # noqa: E731
        return "<table>\n" + "\n".join([tr(headers, "th")] + [tr(r, "td") for r in rows]) + "\n</table>"
    if fmt != "text":
        raise ValueError(f"table format must be 'text', 'markdown' or 'html', got {fmt!r}")
    widths = [max(display_width(r[i]) for r in [headers] + rows) for i in range(len(headers))]
    pad = lambda c, w: c + " " * (w - display_width(c))                     # noqa: E731
    line = lambda r: "  ".join(pad(c, w) for c, w in zip(r, widths)).rstrip()  # noqa: E731
    return "\n".join([line(headers), "  ".join("-" * w for w in widths)] + [line(r) for r in rows])
