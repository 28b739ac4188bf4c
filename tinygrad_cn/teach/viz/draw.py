"""``draw``: the recorded computation graph as NNDL fig. 5.8 (published fig. 4.8) draws it.

Tensors are rounded boxes, ops small yellow ellipses with the op's mark (its row's
``notation.symbol``); edges run input → op → result. Colours: green, a leaf that requires grad
(a parameter); grey, a leaf that requires none (an input x); blue, an intermediate result; orange
with a thick border, the output drawn; red, the path from ``highlight`` (eq. 5.64). A literal
constant (the 1 of h5 = h4 + 1) is a small unnumbered grey box showing its value.

Names and order (``core.graph.node_names``): ops v1, v2, … in the order they were computed,
unnamed leaves x1, x2, …, the user's names first; the layout follows that order. With
``model=net`` a parameter is named by its module path (``0.weight``) unless it has a name.

Networks: a layer's internal steps are folded into its op: ``x @ transpose(W)`` is one op
"x Wᵀ"; the reshapes that promote a 1-D vector for ``@`` vanish into the matmul ("W x").
``group=True`` boxes each module's parameters and ops (a graphviz cluster), ``summary=True``
draws each module as one node.

After ``backward()`` (the graph is kept, only marked swept) every node shows its adjoint
∂output/∂node, intermediate ones included, computed here from the graph by a reverse sweep
with no recording; ``.grad`` of nothing changes.
"""
import numpy as np

from ...core.graph import is_constant, no_grad, toposort
from ...core.sweeps import reverse_sweep
from ...core.tensor import Tensor
from . import network
from .drawing import Drawing
from .labels import (
    COLOURS,
    CURRENT,
    CURRENT_FILL,
    DIM,
    FONT,
    FONTSIZE,
    GRAD,
    PATH,
    TANGENT,
    esc,
    html_label,
    kw_text,
    op_label,
    shape_text,
    table,
    tensor_lines,
    tooltip,
    value_lines,
)

__all__ = ["draw", "build", "graph_order", "check_args", "adjoints"]

DIRECTIONS = ("LR", "TB", "RL", "BT")
_SPINE = "4"               # edge weight along the chain of results (graphviz keeps heavy edges short)
AUTO_LR_DEPTH = 8          # direction=None: left to right up to this many ops deep, else top to bottom
# ops whose inputs are not interchangeable: their input edges are numbered #1, #2, …
_ORDERED = {"sub", "div", "pow", "matmul", "where", "concatenate"}


def draw(output, *, values=True, highlight=None, direction=None, title=None, grads=None, model=None,
         group=False, summary=False, fold=True):
    """The computation graph that ``output`` was computed through, as a ``graphviz.Digraph``
    (``Drawing``): in Jupyter it shows itself as SVG; ``.to_svg(path)``, ``.to_png(path)``,
    ``.render()`` and ``.view()`` save it; ``.source`` is its DOT text.

    ``values``: show values of tensors with at most 6 elements. ``highlight``: a tensor (or several)
    of the graph; every path from it to ``output`` is drawn in red. ``direction``: "LR" (inputs on
    the left), "TB", "RL", "BT", or None (default): "LR" for a graph at most 8 ops deep, else "TB",
    so a network fits a screen. ``title``: a caption (a newline starts a new line).
    ``grads``: show ∂output/∂node on every node (None: when ``output`` has been through
    ``backward()``: it is swept, or its leaves' ``.grad`` are these adjoints; for an output of
    more than one element, each tensor's ``.grad`` is shown instead). ``model``: a ``Module`` whose parameters are
    named by their path (``net.named_parameters()``) in the drawing only. ``group``: a box around
    each module of ``model``; ``summary``: one node per module. ``fold``: fold a layer's transpose
    and vector reshapes into its matmul.
    """
    d = check_args(output, direction, "draw")
    order = graph_order(output)
    return build(output, order, values=values, highlight=highlight, direction=d, title=title, grads=grads,
                 model=model, group=group, summary=summary, fold=fold)


def check_args(output, direction, who):
    if not isinstance(output, Tensor):
        raise TypeError(f"{who}: expected a Tensor (the output whose graph to draw), got {type(output).__name__}")
    if direction is None:
        return None
    d = str(direction).upper()
    if d not in DIRECTIONS:
        raise ValueError(f"{who}: direction must be one of {', '.join(DIRECTIONS)} or None, got {direction!r}")
    return d


def graph_order(output):
    """Every tensor ``output`` was computed from, constants included, in the order of computation
    (``seq``: an input is always made before the op that uses it). A swept graph is fine."""
    return sorted(toposort([output], constants=True, swept_ok=True), key=lambda t: t.seq)


def adjoints(output, order):
    """{id(node): ∂output/∂node} by a reverse sweep from a ones seed over the recorded (maybe
    swept) graph, recording nothing and changing no ``.grad`` (NNDL eqs. 5.75–5.79)."""
    with no_grad():
        seed = Tensor.wrap(np.ones(output.shape, output.dtype))
        return reverse_sweep(order, {id(output): seed})


def _shown_adjoints(output, order, grads):
    """(adjoints or None, show ``.grad`` instead). With ``grads=None`` the adjoints are shown when
    ``output`` went through ``backward()``: it is swept, or (``retain_graph=True``) every leaf's
    ``.grad`` is its adjoint; a graph whose leaves hold gradients of something else (another
    output, several accumulated backwards) shows none unless ``grads=True``."""
    leaves = [t for t in order if t.prim is None and t.grad is not None]
    if grads is False or (grads is None and not output.swept and not leaves):
        return None, False
    if output.size != 1:                 # the seed of its backward is unknown: show .grad as it is
        return None, True
    adj = adjoints(output, order)
    if grads is None and not output.swept and not all(
            id(t) in adj and np.allclose(t.grad.data, adj[id(t)].data) for t in leaves):
        return None, False
    return adj, False


# ---- the drawing ---------------------------------------------------------------------------------
def _depth(order):
    depth = {}
    for t in order:
        depth[id(t)] = 0 if t.prim is None else 1 + max(depth[id(x)] for x in t.inputs)
    return max(depth.values(), default=0)


def _kind(t):
    if t.prim is not None:
        return "inner"
    return "param" if t.requires_grad else "const"


def _as_list(highlight):
    if highlight is None:
        return []
    items = [highlight] if isinstance(highlight, Tensor) else highlight
    try:
        items = list(items)
    except TypeError:
        raise TypeError(f"draw: highlight must be a Tensor of the graph (or a list of them), got "
                        f"{type(highlight).__name__}") from None
    for h in items:
        if not isinstance(h, Tensor):
            raise TypeError(f"draw: highlight must hold Tensors, got {type(h).__name__}")
    return items


def _path(ops, index, highlight):
    """Tensor indices and (input, result) index pairs on a path from a highlighted tensor to the
    output: every drawn tensor reaches the output, so it is those the highlight reaches."""
    reach, edges = set(), set()
    for h in _as_list(highlight):
        if id(h) not in index:
            who = f"'{h.name}'" if h.name is not None else f"of shape {h.shape}"
            raise ValueError(f"draw: highlight: the tensor {who} is not in the graph of this output "
                             "(the output was not computed from it, or it is folded into a layer's op)")
        reach.add(index[id(h)])
    for i, (_, ins, _) in sorted(ops.items()):
        hits = [j for j in ins if j in reach]
        if hits and reach:
            reach.add(i)
            edges.update((j, i) for j in hits)
    return reach, edges


def build(output, order, *, values=True, highlight=None, direction=None, title=None, grads=None, model=None,
          group=False, summary=False, fold=True, notes=None, current=None):
    """The drawing of ``order`` (``graph_order(output)``). ``notes`` (id → label lines) replaces the
    grad and tangent lines of every tensor (frames); ``current`` = (tensor, {op tensors},
    {(input tensor, result tensor)}) marks one step."""
    paths = network.module_names(model, order)
    if (group or summary) and model is None:
        raise ValueError("draw: group= and summary= need model=, the Module whose parts to show")
    hidden = network.folds(order) if fold else set()
    names = network.names(order, paths, hidden)
    shown = [t for t in order if id(t) not in hidden]
    index = {id(t): i for i, t in enumerate(shown)}
    ops = {}
    for i, t in enumerate(shown):
        if t.prim is not None:
            ins, mark = network.drawn_op(t, hidden)
            ops[i] = (t, [index[id(x)] for x in ins], mark)
    on_path, path_edges = _path(ops, index, highlight)
    cur_t, cur_ops, cur_edges = current if current is not None else (None, set(), set())
    cur = index.get(id(cur_t)) if cur_t is not None else None
    cur_ops = {index[id(t)] for t in cur_ops}
    cur_edges = {(index[id(a)], index[id(b)]) for a, b in cur_edges}
    adj, show_grads = _shown_adjoints(output, order, grads) if notes is None else (None, False)
    out_name = names[id(output)]

    g = Drawing(name="computation_graph", format="svg")
    rankdir = direction or ("LR" if _depth(order) <= AUTO_LR_DEPTH else "TB")
    g.attr("graph", rankdir=rankdir, fontname=FONT, nodesep="0.25", ranksep="0.35")
    g.attr("node", fontname=FONT, fontsize=str(FONTSIZE))
    g.attr("edge", fontname=FONT, arrowsize="0.7", color="#666666")
    if title is not None:
        g.attr("graph", label=html_label("<BR/>".join(esc(line) for line in str(title).split("\n"))),
               labelloc="t", fontsize="14")

    nodes, edges = {}, []
    for i, t in enumerate(shown):
        const = is_constant(t)
        kinds = ["tensor", _kind(t)] + ["output"] * (t is output) + ["path"] * (i in on_path) + ["current"] * (i == cur)
        fill, border = COLOURS["output" if t is output else _kind(t)]
        attrs = {"shape": "box", "style": "rounded,filled", "fillcolor": fill, "color": border,
                 "margin": "0.06,0.03", "penwidth": "2" if t is output else "1",
                 "class": " ".join(kinds), "tooltip": tooltip(_describe(t, names[id(t)], output, const))}
        if const:                   # a small box: the literal's value only
            attrs.update(width="0.3", height="0.25", margin="0.04,0.01", fontsize="10")
        if i in on_path:
            attrs.update(color=PATH, penwidth="3")
        if i == cur:
            attrs.update(fillcolor=CURRENT_FILL, color=CURRENT, penwidth="3.5")
        lines = tensor_lines(t, names[id(t)], values, const)
        if notes is not None:
            lines += list(notes.get(id(t), []))
        elif adj is not None:
            if id(t) in adj:
                lines += value_lines(f"∂{out_name}/∂{names[id(t)]}", adj[id(t)], GRAD)
        elif show_grads and t.grad is not None:
            lines += value_lines("grad", t.grad, GRAD)
        if notes is None and t.tangent is not None:
            lines += value_lines("tangent", t.tangent, TANGENT)
        nodes[f"t{i}"] = (table(lines), attrs)

    for i, (core, ins, mark) in ops.items():
        kinds = "op path" if i in on_path else "op"
        if i in cur_ops:
            kinds += " current"
        fill, border = COLOURS["op"]
        attrs = {"shape": "ellipse", "style": "filled", "fillcolor": fill, "color": border, "width": "0.3",
                 "height": "0.3", "margin": "0.04,0.02", "ordering": "in", "class": kinds,
                 "tooltip": tooltip(_op_text(shown[i], core, ins, shown, names))}
        if i in on_path:
            attrs.update(color=PATH, penwidth="3")
        if i in cur_ops:
            attrs.update(color=CURRENT, penwidth="3")
        nodes[f"op{i}"] = (op_label(mark, kw_text(core.params) if mark == core.prim.notation.symbol else ""), attrs)
        numbered = core.prim.name in _ORDERED and len(ins) > 1
        for k, j in enumerate(ins):
            e = {}
            if (j, i) in path_edges:
                e.update({"class": "path", "color": PATH, "penwidth": "2.5"})
            if (j, i) in cur_edges:
                e.update({"class": "current", "color": CURRENT, "penwidth": "2.5"})
            if numbered:
                e.update(label=f"#{k + 1}", fontsize="9", fontcolor=DIM)
            if shown[j].prim is not None:
                e["weight"] = _SPINE         # the chain of results stays straight; leaves hang beside
            edges.append((f"t{j}", f"op{i}", e))
        e = {"class": "path", "color": PATH, "penwidth": "2.5"} if i in on_path else {}
        if i in cur_ops:
            e = {"class": "current", "color": CURRENT, "penwidth": "2.5"}
        edges.append((f"op{i}", f"t{i}", {**e, "weight": _SPINE}))

    modules = network.module_of(model, paths, shown, ops, index) if (group or summary) else {}
    if summary:
        nodes, edges = network.summarise(nodes, edges, modules, model, shown, names)
    for key, (label, attrs) in nodes.items():
        if not summary and key in modules:
            continue
        g.node(key, label, _attributes=attrs)
    if group and not summary:
        for k, (path, keys) in enumerate(network.members(modules).items()):
            with g.subgraph(name=f"cluster_{k}") as c:
                c.attr(label=network.module_title(model, path), style="rounded,dashed", color="#9e9e9e", fontsize="11")
                for key in keys:
                    c.node(key, nodes[key][0], _attributes=nodes[key][1])
    for a, b, e in edges:
        g.edge(a, b, _attributes=e)
    return g


# ---- tooltips --------------------------------------------------------------------------------------
def _describe(t, name, output, const):
    role = "output" if t is output else "constant" if const else {
        "param": "leaf, requires grad", "const": "input (requires no grad)", "inner": "intermediate"}[_kind(t)]
    op = f", made by {t.prim.name}" if t.prim is not None else ""
    return f"{name}: {role}{op}, shape {shape_text(t.shape)}, dtype {t.dtype}"


def _op_text(t, core, ins, shown, names):
    args = ", ".join(names[id(shown[j])] for j in ins)
    extra = kw_text(core.params)
    folded = "" if core is t and len(ins) == len(core.inputs) and all(
        shown[j] is x for j, x in zip(ins, core.inputs)) else " (reshape/transpose folded in)"
    return f"{names[id(t)]} = {core.prim.name}({args}{', ' + extra if extra else ''}){folded}"
