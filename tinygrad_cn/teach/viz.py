"""Draw the recorded computation graph, as NNDL fig. 5.8 (published fig. 4.8) draws it.

``draw(y)`` returns a ``graphviz.Digraph`` (a subclass that displays itself in Jupyter) with two
kinds of node: tensors (rounded boxes) and ops (small yellow ellipses with the op's symbol), and
edges input → op → output. Colours:

- green box: a leaf that requires grad (a parameter, e.g. w, b);
- grey box: a constant or input (requires no grad, e.g. x and the literal 1s);
- blue box: an intermediate result (h1 … h5);
- orange box with a thick border: the output that was drawn (h6);
- red path: ``highlight=w``, every path from w to the output (the chain of eq. 5.64).

A tensor's label has its name (``tensor.named("h1")``, or v1, v2, … numbered in topological
order), its shape unless it is a scalar, its value when it has at most 6 elements
(``values=False`` hides values), ``grad`` after a backward and ``tangent`` after
``forward_sweep``. Each primitive is one op node, a matmul included; the graph of a gradient that
``backward(create_graph=True)`` recorded draws the same way (``draw(w.grad)``).

Rendering (``to_svg``, ``to_png``, Jupyter display) needs a Graphviz layout engine; the first of
these that is installed is used (``backends()`` lists them):

1. ``dot``: a system Graphviz on PATH;
2. ``pygraphviz``: Graphviz's C library, in its PyPI wheels (needs glib and X11 libraries, present
   on desktop Linux, Windows and macOS);
3. ``graphviz-pure``: a self-contained port of Graphviz's ``dot`` on PyPI (Linux x86-64, Windows
   x64, macOS), which needs nothing from the system. Its PNGs draw Latin text only (Chinese
   characters need 1 or 2 and a CJK font); its SVGs are drawn by the browser, which shows them.

Without an engine the DOT text is still there: ``draw(y).source``.
"""
import html
import os
import pathlib
import re
import shutil
import subprocess
import sys
import sysconfig
import unicodedata
import warnings

import numpy as np

from ..core.graph import node_names, toposort
from ..core.errors import GraphFreedError
from ..core.tensor import Tensor
from .trace import forward_steps, reverse_steps

try:
    import graphviz as _graphviz
except ImportError:  # pragma: no cover - graphviz is a dependency; the error says how to fix it
    _graphviz = None

__all__ = ["draw", "step_drawings", "frames", "to_svg", "to_png", "render", "backends", "RenderError",
           "EngineNotFoundError"]

BACKENDS = ("dot", "pygraphviz", "graphviz-pure")
MAX_SHOWN = 6              # tensors with at most this many elements show their values
_DIRECTIONS = ("LR", "TB", "RL", "BT")
_FONT = "Helvetica"
_FONTSIZE = 12

# fill, border
_COLOURS = {
    "param": ("#d9f2d9", "#2e7d32"),
    "const": ("#eeeeee", "#8a8a8a"),
    "inner": ("#e3f0fc", "#4a7fb5"),
    "output": ("#ffe0b2", "#e65100"),
    "op": ("#fff5cc", "#a08c3c"),
}
_PATH = "#d62728"          # highlight
_GRAD = "#c62828"
_TANGENT = "#1565c0"
_DIM = "#555555"
_CURRENT = "#7b1fa2"       # the node of the step a frame shows
_CURRENT_FILL = "#f3e5f5"

_SYMBOLS = {
    "add": "+", "sub": "−", "mul": "×", "div": "÷", "neg": "−", "pow": "^", "matmul": "@",
    "sum": "Σ", "sigmoid": "σ", "sqrt": "√", "abs": "|·|", "identity": "=", "getitem": "[ ]",
    "maximum": "max", "minimum": "min", "broadcast_to": "broadcast", "concatenate": "concat",
}
# ops whose inputs are not interchangeable: their input edges are numbered #1, #2, …
_ORDERED = {"sub", "div", "pow", "matmul", "where", "concatenate"}
_SHOWN_KW = ("axes", "axis", "shape", "keepdims")


class RenderError(RuntimeError):
    """A Graphviz engine could not render the graph."""


class EngineNotFoundError(RenderError):
    """No Graphviz engine is installed that can render this format."""


# ---- the graph ---------------------------------------------------------------------------------
def draw(output, *, values=True, highlight=None, direction="LR", title=None):
    """The computation graph that ``output`` was computed through, as a ``graphviz.Digraph``.

    ``highlight``: a tensor (or several) of the graph; every path from it to ``output`` is drawn
    in red. ``direction``: "LR" (inputs on the left, the default), "TB", "RL" or "BT".
    ``title``: a caption above the graph (a newline starts a new line). In Jupyter the result
    displays itself as SVG; save it with ``to_svg`` / ``to_png``; its DOT text is ``.source``.
    Nodes are named as the step tables name them (``tinygrad_cn.core.graph.node_names``).

    Raises GraphFreedError if an earlier ``backward()`` freed the graph: call
    ``backward(retain_graph=True)`` to draw the graph with its gradients.
    """
    d = _check(output, direction, "draw")
    order = _graph_order(output, "draw")
    return _build(output, order, values=values, highlight=highlight, direction=d, title=title)


def _check(output, direction, who):
    if _graphviz is None:
        raise ImportError(f"{who}: the 'graphviz' package is missing; install it with "
                          "pip install graphviz (or reinstall tinygrad-cn)")
    if not isinstance(output, Tensor):
        raise TypeError(f"{who}: expected a Tensor, got {type(output).__name__}")
    d = str(direction).upper()
    if d not in _DIRECTIONS:
        raise ValueError(f"{who}: direction must be one of {', '.join(_DIRECTIONS)}, got {direction!r}")
    return d


def _graph_order(output, who):
    try:
        return sorted(toposort([output], constants=True, swept_ok=True), key=lambda t: t.seq)
    except GraphFreedError:
        name = f" of '{output.name}'" if output.name is not None else ""
        raise GraphFreedError(
            f"{who}: the graph{name} was freed by an earlier backward(), so it cannot be drawn. "
            "Call backward(retain_graph=True) to keep the graph and draw it with its gradients (or "
            "draw before backward(), or recompute the forward pass)") from None


def _build(output, order, *, values, highlight, direction, title, notes=None, current=None):
    """The drawing. ``notes`` (id → label lines) replaces the grad and tangent lines of every
    tensor; ``current`` = (tensor index, op indices, input edges (j, i)) marks one step."""
    index = {id(t): i for i, t in enumerate(order)}
    by_id = node_names(order)
    names = [by_id[id(t)] for t in order]
    on_path, path_edges = _path(order, index, highlight)
    cur, cur_ops, cur_edges = current if current is not None else (None, set(), set())

    g = Drawing(name="computation_graph", format="svg")
    g.attr("graph", rankdir=direction, fontname=_FONT, nodesep="0.25", ranksep="0.35")
    g.attr("node", fontname=_FONT, fontsize=str(_FONTSIZE))
    g.attr("edge", fontname=_FONT, arrowsize="0.7", color="#666666")
    if title is not None:
        g.attr("graph", label=_html("<BR/>".join(_esc(line) for line in str(title).split("\n"))),
               labelloc="t", fontsize="14")

    for i, t in enumerate(order):
        kinds = ["tensor", _kind(t)]
        if t is output:
            kinds.append("output")
        if i in on_path:
            kinds.append("path")
        if i == cur:
            kinds.append("current")
        fill, border = _COLOURS["output" if t is output else _kind(t)]
        attrs = {"shape": "box", "style": "rounded,filled", "fillcolor": fill, "color": border,
                 "margin": "0.06,0.03", "penwidth": "2" if t is output else "1",
                 "class": " ".join(kinds), "tooltip": _tooltip(_describe(t, names[i], output))}
        if i in on_path:
            attrs.update(color=_PATH, penwidth="3")
        if i == cur:
            attrs.update(fillcolor=_CURRENT_FILL, color=_CURRENT, penwidth="3.5")
        label = _tensor_label(t, names[i], values, None if notes is None else notes.get(id(t), []))
        g.node(f"t{i}", label, _attributes=attrs)

    for i, t in enumerate(order):
        if t.prim is None:
            continue
        op = t.prim
        ins = [index[id(x)] for x in t.inputs]
        kinds = "op path" if i in on_path else "op"
        if i in cur_ops:
            kinds += " current"
        fill, border = _COLOURS["op"]
        attrs = {"shape": "ellipse", "style": "filled", "fillcolor": fill, "color": border,
                 "width": "0.3", "height": "0.3", "margin": "0.04,0.02", "ordering": "in",
                 "class": kinds, "tooltip": _tooltip(_op_text(t, names, index))}
        if i in on_path:
            attrs.update(color=_PATH, penwidth="3")
        if i in cur_ops:
            attrs.update(color=_CURRENT, penwidth="3")
        g.node(f"op{i}", _op_label(op.name, t.params), _attributes=attrs)
        numbered = op.name in _ORDERED and len(ins) > 1
        for k, j in enumerate(ins):
            e = {}
            if (j, i) in path_edges:
                e.update({"class": "path", "color": _PATH, "penwidth": "2.5"})
            if (j, i) in cur_edges:
                e.update({"class": "current", "color": _CURRENT, "penwidth": "2.5"})
            if numbered:
                e.update(label=f"#{k + 1}", fontsize="9", fontcolor=_DIM)
            g.edge(f"t{j}", f"op{i}", _attributes=e)
        e = {"class": "path", "color": _PATH, "penwidth": "2.5"} if i in on_path else {}
        if i in cur_ops:
            e = {"class": "current", "color": _CURRENT, "penwidth": "2.5"}
        g.edge(f"op{i}", f"t{i}", _attributes=e)
    return g


# ---- step-by-step frames -----------------------------------------------------------------------
_MODES = ("forward", "reverse")


def step_drawings(output, *, mode="reverse", wrt=None, values=True, highlight=None, direction="LR"):
    """One drawing per step of an accumulation sequence of ``tinygrad_cn.trace`` (a scalar graph).

    ``mode="forward"``: the steps of ``forward_steps(output, wrt)`` (NNDL eqs. 5.69–5.74); each
    tensor that depends on ``wrt`` shows ∂node/∂wrt once its step has been computed (and
    ``∂node/∂wrt = ?`` before); ``wrt`` shows the seed ∂wrt/∂wrt = 1 throughout. ``wrt`` defaults
    to the graph's only leaf that requires grad.

    ``mode="reverse"``: the steps of ``reverse_steps(output)`` (eqs. 5.75–5.79); each tensor shows
    its adjoint ∂output/∂node once computed (the seed ∂output/∂output = 1 first). ``wrt`` must be
    None: one reverse sweep gives the derivative with respect to every node.

    In frame k the node of step k is drawn with a thick purple border and light purple fill (SVG
    class "current"), its value line in bold, and so are the edges its chain-rule terms come
    through (its inputs in forward mode, its consumers in reverse mode); the title says the mode,
    "step k+1 of n" and the step's equation (``Step.equation()``). The tensors' own ``grad`` and
    ``tangent`` are not shown. ``values``, ``highlight`` and ``direction`` are as in ``draw``.
    """
    d = _check(output, direction, "frames")
    if mode not in _MODES:
        raise ValueError(f"frames: mode must be 'forward' or 'reverse', got {mode!r}")
    order = _graph_order(output, "frames")
    index = {id(t): i for i, t in enumerate(order)}
    names = node_names(order)
    if mode == "forward":
        if wrt is None:
            params = [t for t in order if t.prim is None and t.requires_grad]
            if len(params) != 1:
                found = ", ".join(names[id(t)] for t in params) or "none"
                raise ValueError("frames: forward mode needs wrt=, the variable to differentiate by "
                                 f"(the graph's leaves that require grad: {found})")
            wrt = params[0]
        if not isinstance(wrt, Tensor):
            raise TypeError(f"frames: wrt must be a Tensor of the graph, got {type(wrt).__name__}")
        if id(wrt) not in index:
            raise ValueError("frames: wrt is not in the graph of this output (the output was not "
                             "computed from it)")
        steps = forward_steps(output, wrt)
        var = names[id(wrt)]
        seed = {id(wrt): 1.0}
        label = lambda node: f"∂{node}/∂{var}"              # noqa: E731
        colour = _TANGENT
        head = f"forward mode (∂·/∂{var})"
    else:
        if wrt is not None:
            raise ValueError("frames: wrt is for forward mode; one reverse sweep gives ∂output/∂node "
                             "for every node (highlight= draws the path from a variable)")
        steps = reverse_steps(output)
        var = names[id(output)]
        seed = {}
        label = lambda node: f"∂{var}/∂{node}"              # noqa: E731
        colour = _GRAD
        head = f"reverse mode (∂{var}/∂·)"

    ids = [id(s.tensor) for s in steps]
    drawings = []
    for k, step in enumerate(steps):
        notes = {i: [(f"{label(names[i])} = {_num(v)}", colour, False)] for i, v in seed.items()}
        for j, s in enumerate(steps):
            if j <= k:
                notes[ids[j]] = [(f"{label(names[ids[j]])} = {_num(s.total)}", colour, j == k)]
            else:
                notes[ids[j]] = [(f"{label(names[ids[j]])} = ?", _DIM, False)]
        c = index[ids[k]]
        node = order[c]
        if mode == "forward":       # the terms come in through the inputs that carry a tangent
            known = set(seed) | set(ids[:k])
            ops = {c} if node.prim is not None else set()
            edges = {(index[id(x)], c) for x in (node.inputs or ()) if id(x) in known}
        else:                       # the terms come back from every consumer
            users = [i for i, t in enumerate(order)
                     if t.prim is not None and any(x is node for x in t.inputs)]
            ops, edges = set(users), {(c, i) for i in users}
        title = f"{head}: step {k + 1} of {len(steps)}\n{step.equation()}"
        drawings.append(_build(output, order, values=values, highlight=highlight, direction=d,
                               title=title, notes=notes, current=(c, ops, edges)))
    return drawings


def frames(output, directory, *, mode="reverse", wrt=None, prefix="step", values=True,
           highlight=None, direction="LR", backend=None):
    """Write the steps of an accumulation sequence as numbered SVG files, one per step, and return
    their paths: ``<directory>/<prefix>_00.svg``, ``_01.svg``, … (more digits past 100 steps).

    Frame k is ``step_drawings(output, mode=mode, wrt=wrt, ...)[k]``: the graph with the node of
    step k highlighted and the values computed so far (∂node/∂wrt in forward mode, NNDL eqs.
    5.69–5.74; ∂output/∂node in reverse mode, eqs. 5.75–5.79); flip through the files in order
    to watch the sweep. ``directory`` is created if needed; files ``<prefix>_<digits>.svg`` left
    there by an earlier, longer run are removed, so the folder holds exactly this sequence.
    ``backend``: as in ``to_svg``.
    """
    drawings = step_drawings(output, mode=mode, wrt=wrt, values=values, highlight=highlight,
                             direction=direction)
    prefix = str(prefix)
    if not prefix or os.sep in prefix or (os.altsep and os.altsep in prefix):
        raise ValueError(f"frames: prefix must be a plain file-name prefix, got {prefix!r}")
    svgs = [to_svg(drawing, backend=backend) for drawing in drawings]   # all, before writing any
    folder = pathlib.Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    width = max(2, len(str(len(drawings) - 1)))
    paths = [folder / f"{prefix}_{k:0{width}d}.svg" for k in range(len(drawings))]
    for path, svg in zip(paths, svgs):
        path.write_text(svg, encoding="utf-8")
    own = re.compile(re.escape(prefix) + r"_\d+\.svg")
    keep = {p.name for p in paths}
    for old in folder.iterdir():
        if own.fullmatch(old.name) and old.name not in keep and old.is_file():
            old.unlink()
    return paths


def _kind(t):
    if t.prim is not None:
        return "inner"
    return "param" if t.requires_grad else "const"


def _as_list(highlight):
    if highlight is None:
        return []
    if isinstance(highlight, Tensor):
        return [highlight]
    try:
        items = list(highlight)
    except TypeError:
        raise TypeError(f"draw: highlight must be a Tensor of the graph (or a list of them), got "
                        f"{type(highlight).__name__}") from None
    for h in items:
        if not isinstance(h, Tensor):
            raise TypeError(f"draw: highlight must hold Tensors, got {type(h).__name__}")
    return items


def _path(order, index, highlight):
    """Tensor indices and (input, user) index pairs on a path from a highlighted tensor to the
    output: every tensor in ``order`` reaches the output, so it is those the highlight reaches."""
    reach, edges = set(), set()
    for h in _as_list(highlight):
        if id(h) not in index:
            who = f"'{h.name}'" if h.name is not None else f"of shape {h.shape}"
            raise ValueError(f"draw: highlight: the tensor {who} is not in the graph of this output "
                             "(the output was not computed from it)")
        reach.add(index[id(h)])
    if not reach:
        return reach, edges
    for i, t in enumerate(order):
        if t.prim is None:
            continue
        hits = [index[id(x)] for x in t.inputs if index[id(x)] in reach]
        if hits:
            reach.add(i)
            edges.update((j, i) for j in hits)
    return reach, edges


# ---- labels ------------------------------------------------------------------------------------
def _clean(s, limit=None):
    """Text safe for an HTML-like label: control characters shown as escapes, surrogates
    replaced, long text cut (the tooltip keeps it whole)."""
    out = []
    for ch in s:
        if unicodedata.category(ch) == "Cc":
            out.append(repr(ch)[1:-1])
        elif 0xD800 <= ord(ch) <= 0xDFFF:
            out.append("\ufffd")
        else:
            out.append(ch)
    s = "".join(out)
    if limit is not None and len(s) > limit:
        s = s[:limit - 1] + "…"
    return s


def _esc(s, limit=None):
    """Text for an HTML-like label. Graphviz still reads backslashes there (\\N is the node's
    name, \\G the graph's), so each is doubled; then &, <, >, quotes become entities."""
    return html.escape(_clean(s, limit).replace("\\", "\\\\"), quote=True)


def _html(body):
    return f"<{body}>"


def _width(text, size):
    """A generous estimate of the width in points of ``text``: wide (CJK) characters are a full em.
    Engines without CJK font metrics underestimate them, so such lines get this as a minimum."""
    return sum(size if unicodedata.east_asian_width(c) in "WF" else 0.62 * size for c in text)


def _num(v):
    if isinstance(v, (bool, np.bool_)):
        return str(bool(v))
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    v = float(v)
    if v == 0:
        return "0"            # also -0.0
    return f"{v:.4g}"


def _rows(a):
    """Display rows of a small array (values as ``_num`` writes them)."""
    a = np.asarray(a)
    if a.ndim == 0:
        return [_num(a.item())]
    s = np.array2string(a, separator=", ", max_line_width=48, threshold=MAX_SHOWN,
                        formatter={"all": lambda v: _num(v)})
    return s.splitlines()


def _value_lines(prefix, arr, colour):
    """``prefix = value`` for a small array, ``prefix: shape`` for a large one."""
    arr = arr.data if isinstance(arr, Tensor) else np.asarray(arr)
    if arr.size > MAX_SHOWN:
        return [(f"{prefix}: shape {_shape(arr.shape)}", colour, False)]
    rows = _rows(arr)
    if len(rows) == 1:
        return [(f"{prefix} = {rows[0]}", colour, False)]
    return [(f"{prefix} =", colour, False)] + [(r, colour, False) for r in rows]


def _shape(shape):
    return "(" + ", ".join(str(n) for n in shape) + ("," if len(shape) == 1 else "") + ")"


def _tensor_label(t, name, values, notes=None):
    name = _clean(name, 40)
    lines = []                      # (text, colour or None, bold)
    if t.ndim == 0:
        head = f"{name} = {_rows(t.data)[0]}" if values else name
        lines.append((head, None, True))
        if t.dtype != np.float64:
            lines.append((str(t.dtype), _DIM, False))
    else:
        lines.append((name, None, True))
        dt = "" if t.dtype == np.float64 else f" {t.dtype}"
        lines.append((f"shape {_shape(t.shape)}{dt}", _DIM, False))
        if values and t.size <= MAX_SHOWN:
            lines += [(r, None, False) for r in _rows(t.data)]
    if notes is not None:           # a frame of step_drawings: its own values instead
        return _table(lines + list(notes))
    if t.grad is not None:
        lines += _value_lines("grad", t.grad, _GRAD)
    if t.tangent is not None:
        lines += _value_lines("tangent", t.tangent, _TANGENT)
    return _table(lines)


def _table(lines):
    wide = any(unicodedata.east_asian_width(c) in "WF" for text, _, _ in lines for c in text)
    cells = []
    for k, (text, colour, bold) in enumerate(lines):
        body = _esc(text)
        if bold:
            body = f"<B>{body}</B>"
        if colour:
            body = f'<FONT COLOR="{colour}">{body}</FONT>'
        width = ""
        if wide and k == 0:
            w = max(_width(x, _FONTSIZE) for x, _, _ in lines)
            width = f' WIDTH="{int(w) + 2}"'
        cells.append(f"<TR><TD{width}>{body}</TD></TR>")
    return _html('<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">'
                 + "".join(cells) + "</TABLE>")


def _kw_text(kw):
    if not kw:
        return ""
    parts = []
    for key in _SHOWN_KW:
        if key in kw and not (key == "keepdims" and not kw[key]):
            v = kw[key]
            parts.append(f"{key}={_shape(v) if isinstance(v, tuple) else v}")
    return _clean(" ".join(parts), 28)


def _op_label(opname, kw):
    sym = _esc(_SYMBOLS.get(opname, opname))
    extra = _kw_text(kw)
    if extra:
        sym += f'<BR/><FONT POINT-SIZE="8" COLOR="{_DIM}">{_esc(extra)}</FONT>'
    return _html(sym)


def _describe(t, name, output):
    role = "output" if t is output else {"param": "leaf, requires grad", "const": "constant",
                                         "inner": "intermediate"}[_kind(t)]
    op = f", made by {t.prim.name}" if t.prim is not None else ""
    return f"{name}: {role}{op}, shape {_shape(t.shape)}, dtype {t.dtype}"


def _op_text(t, names, index):
    args = ", ".join(names[index[id(x)]] for x in t.inputs)
    extra = _kw_text(t.params)
    return f"{names[index[id(t)]]} = {t.prim.name}({args}{', ' + extra if extra else ''})"


def _tooltip(text):
    """A tooltip attribute that shows ``text`` as it is. Graphviz unescapes a tooltip's backslashes
    twice on the way to SVG (\\N would become the node's name), so each is written four times;
    & is written as an entity, which Graphviz passes through; ``quote`` then escapes the quotes."""
    text = _clean(text, 300).replace("&", "&amp;").replace("\\", "\\" * 4)
    return _graphviz.nohtml(text)


# ---- rendering ---------------------------------------------------------------------------------
def backends():
    """The Graphviz engines installed here, in the order they are tried."""
    return [b for b in BACKENDS if _find(b)[0] is not None]


def _pure_path():
    exe = "graphviz-pure.exe" if os.name == "nt" else "graphviz-pure"
    found = shutil.which("graphviz-pure")
    if found:
        return found
    # a venv used without activating it (e.g. a Jupyter kernel) has its scripts off PATH
    for d in (sysconfig.get_path("scripts"), os.path.dirname(sys.executable)):
        p = os.path.join(d, exe)
        if d and os.path.isfile(p) and os.access(p, os.X_OK):
            return p
    return None


def _find(backend):
    """(handle, None) if ``backend`` is usable, else (None, why not)."""
    if backend == "dot":
        p = shutil.which("dot")
        return (p, None) if p else (None, "no 'dot' on PATH")
    if backend == "pygraphviz":
        try:
            import pygraphviz
        except Exception as e:      # ImportError, or OSError when a system library is missing
            return None, f"cannot import pygraphviz ({type(e).__name__}: {e})"
        return pygraphviz, None
    if backend == "graphviz-pure":
        p = _pure_path()
        return (p, None) if p else (None, "no 'graphviz-pure' program found")
    raise ValueError(f"unknown backend {backend!r}; choose one of {', '.join(BACKENDS)}")


def _run(exe, source, fmt, graph_attrs):
    args = [exe, "-Kdot", f"-T{fmt}"] + [f"-G{k}={v}" for k, v in graph_attrs.items()]
    p = subprocess.run(args, input=source.encode("utf-8"), capture_output=True, timeout=120)
    if p.returncode != 0 or not p.stdout:
        err = p.stderr.decode("utf-8", "replace").strip() or f"exit status {p.returncode}"
        raise RenderError(err)
    return p.stdout


def _pygraphviz(pgv, source, fmt, graph_attrs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a = pgv.AGraph(string=source)
        for k, v in graph_attrs.items():
            a.graph_attr[k] = v
        out = a.draw(format=fmt, prog="dot")
    if not out:
        raise RenderError("no output")
    return out


_HOW = ("install one of them: pip install graphviz-pure (a self-contained dot for Linux and Windows "
        "on x86-64 or ARM64, and macOS), or pip install pygraphviz, or a system Graphviz (apt install "
        "graphviz, brew install graphviz, conda install graphviz, winget install graphviz). "
        "The DOT text is available meanwhile as draw(y).source (paste it into any Graphviz "
        "viewer)")


def render(source, fmt="svg", *, backend=None, graph_attrs=None):
    """Render DOT text to ``fmt`` ("svg", "png", …) bytes with the first engine that can."""
    names = BACKENDS if backend is None else (backend,)
    graph_attrs = dict(graph_attrs or {})
    problems, tried = [], False
    for name in names:
        handle, why = _find(name)
        if handle is None:
            problems.append(f"{name}: {why}")
            continue
        tried = True
        try:
            if name == "pygraphviz":
                return _pygraphviz(handle, source, fmt, graph_attrs)
            return _run(handle, source, fmt, graph_attrs)
        except Exception as e:
            problems.append(f"{name}: {type(e).__name__}: {_clean(str(e), 500)}")
    detail = "; ".join(problems)
    if not tried:
        raise EngineNotFoundError(f"no Graphviz engine to render {fmt.upper()} ({detail}); {_HOW}")
    raise RenderError(f"could not render {fmt.upper()}: {detail}")


def _source(obj, kwargs, who):
    if isinstance(obj, Tensor):
        return draw(obj, **kwargs).source
    if kwargs:
        raise TypeError(f"{who}: {', '.join(kwargs)} only apply when drawing a Tensor")
    src = getattr(obj, "source", None)
    if not isinstance(src, str):
        raise TypeError(f"{who}: expected a Tensor or a graphviz graph (with .source), got "
                        f"{type(obj).__name__}")
    return src


def to_svg(graph, path=None, *, backend=None, **draw_kwargs):
    """The SVG of ``graph`` (a Tensor, drawn with ``draw(graph, **draw_kwargs)``, or what ``draw``
    returned) as a string; also written to ``path`` if given. ``backend``: one of ``BACKENDS``
    (default: the first installed)."""
    svg = render(_source(graph, draw_kwargs, "to_svg"), "svg", backend=backend).decode("utf-8")
    if path is not None:
        with open(path, "w", encoding="utf-8") as f:
            f.write(svg)
    return svg


def to_png(graph, path=None, *, dpi=144, backend=None, **draw_kwargs):
    """The PNG of ``graph`` (as for ``to_svg``) as bytes, at ``dpi``; also written to ``path``.

    The engine draws the text with its own fonts: Chinese characters need a system Graphviz or
    pygraphviz and a CJK font (e.g. ``apt install fonts-noto-cjk``); graphviz-pure draws them as
    boxes. SVG leaves the text to the browser, which shows it."""
    png = render(_source(graph, draw_kwargs, "to_png"), "png", backend=backend,
                 graph_attrs={"dpi": str(dpi)})
    if path is not None:
        with open(path, "wb") as f:
            f.write(png)
    return png


if _graphviz is not None:
    class Drawing(_graphviz.Digraph):
        """A ``graphviz.Digraph`` that renders with the engines above: in Jupyter, with ``pipe``,
        and with ``to_svg`` / ``to_png``, also when no system Graphviz is installed."""

        def pipe(self, format=None, renderer=None, formatter=None, neato_no_op=None,
                 quiet=False, *, engine=None, encoding=None):
            if renderer is not None or formatter is not None or neato_no_op is not None:
                return super().pipe(format, renderer, formatter, neato_no_op, quiet,
                                    engine=engine, encoding=encoding)
            if (engine or self.engine) != "dot":
                raise RenderError("Drawing.pipe: only the dot layout is supported")
            out = render(self.source, format or self.format)
            return out.decode(encoding) if encoding is not None else out

        def _repr_svg_(self):
            return self.pipe(format="svg", encoding="utf-8")

        def to_svg(self, path=None, *, backend=None):
            return to_svg(self, path, backend=backend)

        def to_png(self, path=None, *, dpi=144, backend=None):
            return to_png(self, path, dpi=dpi, backend=backend)
