"""Graph rendering (tinygrad_cn.viz) on NNDL fig. 5.8, f(x; w, b) = σ(wx + b) as six elementary ops.

The DOT tests need no Graphviz engine. The rendering tests need one and fail (not skip) without
it: ``graphviz-pure`` or ``pygraphviz`` from PyPI, or a system ``dot``.
"""
import html
import re

import numpy as np
import pytest
from viz_reading import SVG, Dot, svg_texts, textbook

import tinygrad_cn as tg
from tinygrad_cn import viz
from tinygrad_cn.core.errors import GraphFreedError
from tinygrad_cn.core.graph import toposort
from tinygrad_cn.teach.textbook import sigmoid_example
from tinygrad_cn.teach.viz import engines as viz_engines

HOSTILE = 'a"<b>&\\{c}|中文'


# ---- the textbook graph, without an engine -----------------------------------------------------
def test_textbook_graph_has_exactly_its_nodes_and_edges():
    g = textbook()
    d = Dot(viz.draw(g["h6"]))
    # fig. 5.8: inputs x, w, b; h1..h6; the literal 1 of h5 = h4 + 1 and of h6 = 1 / h5
    assert len(d.tensors) == 3 + 6 + 2
    # one op per h_k: ×, +, −, exp, +, ÷
    assert len(d.ops) == 6
    assert sorted(v["lines"][0] for v in d.ops.values()) == sorted(["×", "+", "−", "exp", "+", "÷"])
    # each op: an edge from each input (2+2+1+1+2+2 = 10) and one to its result (6)
    assert len(d.edges) == 16
    for a, b, _ in d.edges:
        assert (a.startswith("t") and b.startswith("op")) or (a.startswith("op") and b.startswith("t"))
    for op in d.ops:
        assert len([1 for a, _, _ in d.edges if a == op]) == 1
    names = sorted(d.name(k) for k in d.tensors)
    # the two literal 1s are unnumbered constants, shown by their value (NNDL fig. 5.8)
    assert names == sorted(["x", "w", "b", "h1", "h2", "h3", "h4", "h5", "h6", "1", "1"])
    assert d.inputs_of("h1") == ["w", "x"]
    assert d.inputs_of("h2") == ["h1", "b"]
    assert d.inputs_of("h3") == ["h2"]
    assert d.inputs_of("h4") == ["h3"]
    assert d.inputs_of("h5") == ["h4", "1"]
    assert d.inputs_of("h6") == ["1", "h5"]
    assert [d.nodes[k]["lines"] for k in d.ids_of("1")] == [["1"], ["1"]]
    assert not any(n.startswith("v") for n in names)


def test_node_kinds_and_colours():
    g = textbook()
    d = Dot(viz.draw(g["h6"]))
    kinds = {d.name(k): v["cls"] for k, v in d.tensors.items()}
    assert {n for n, c in kinds.items() if "param" in c} == {"w", "b"}
    assert {n for n, c in kinds.items() if "const" in c} == {"x", "1"}
    assert {n for n, c in kinds.items() if "inner" in c} == {"h1", "h2", "h3", "h4", "h5", "h6"}
    assert {n for n, c in kinds.items() if "output" in c} == {"h6"}
    fills = {d.name(k): re.search(r'fillcolor="(#\w+)"', v["attrs"]).group(1) for k, v in d.tensors.items()}
    assert fills["w"] == fills["b"]
    assert fills["x"] == fills["1"]
    assert len({fills["w"], fills["x"], fills["h6"], fills["h1"]}) == 4
    for v in d.tensors.values():
        assert "shape=box" in v["attrs"] and "rounded" in v["attrs"]
    for v in d.ops.values():
        assert "shape=ellipse" in v["attrs"]


def test_values_and_shapes():
    g = textbook()
    d = Dot(viz.draw(g["h6"]))
    assert d.lines("h6") == ["h6 = 0.5"] and d.lines("w") == ["w = 0"] and d.lines("h5") == ["h5 = 2"]
    d = Dot(viz.draw(g["h6"], values=False))
    assert d.lines("h6") == ["h6"] and [d.nodes[k]["lines"] for k in d.ids_of("1")] == [["1"], ["1"]]

    small = tg.Tensor(np.arange(6.0).reshape(2, 3), requires_grad=True, name="A")
    big = tg.Tensor(np.arange(7.0), requires_grad=True, name="B")
    f32 = tg.Tensor(np.ones(2, np.float32), requires_grad=True, name="C")
    y = (small.sum() + big.sum() + f32.sum()).named("y")
    d = Dot(viz.draw(y))
    assert d.lines("A") == ["A", "shape (2, 3)", "[[0, 1, 2],", " [3, 4, 5]]"]
    assert d.lines("B") == ["B", "shape (7,)"]
    assert d.lines("C") == ["C", "shape (2,) float32", "[1, 1]"]
    d = Dot(viz.draw(y, values=False))
    assert d.lines("A") == ["A", "shape (2, 3)"]
    sums = [v["lines"] for v in d.ops.values() if v["lines"][0] == "Σ"]
    assert sums and all(s[1] == "axes=(0, 1)" or s[1] == "axes=(0,)" for s in sums)


# NNDL eqs. 5.75–5.79 at x = 1, w = b = 0: h5 = 2, so ∂h6/∂h5 = −1/h5² = −0.25, ∂h6/∂h4 = −0.25,
# ∂h6/∂h3 = −0.25 · e⁰ = −0.25, ∂h6/∂h2 = 0.25, ∂h6/∂h1 = 0.25, ∂h6/∂w = 0.25 · x = 0.25, ∂h6/∂b = 0.25
ADJOINTS = dict(h6="1", h5="-0.25", h4="-0.25", h3="-0.25", h2="0.25", h1="0.25", w="0.25", b="0.25")


def _adjoint_lines(d):
    return {n: [line for line in d.lines(n) if line.startswith("∂")] for n in ADJOINTS}


def test_grads_after_backward():
    g = textbook()
    assert "∂" not in "".join(sum((v["lines"] for v in Dot(viz.draw(g["h6"])).nodes.values()), []))
    g["h6"].backward(retain_graph=True)
    d = Dot(viz.draw(g["h6"]))
    assert d.lines("w") == ["w = 0", "∂h6/∂w = 0.25"]
    assert d.lines("h3") == ["h3 = 0", "∂h6/∂h3 = -0.25"]     # ∂h6/∂h3 = −1/h5² · e^h3 (eq. 5.77)
    assert _adjoint_lines(d) == {n: [f"∂h6/∂{n} = {v}"] for n, v in ADJOINTS.items()}
    for k in [d.id_of("x")] + d.ids_of("1"):       # x and the constants require no grad: no adjoint
        assert not any("∂" in line for line in d.nodes[k]["lines"])
    assert g["h3"].grad is None and g["h1"].grad is None        # drawing wrote no .grad


def test_draw_after_plain_backward_shows_every_adjoint():
    # the README's order: f.backward(), then draw(f): no retain_graph, no retain_grad
    g = textbook()
    g["h6"].backward()
    d = Dot(viz.draw(g["h6"]))
    assert _adjoint_lines(d) == {n: [f"∂h6/∂{n} = {v}"] for n, v in ADJOINTS.items()}
    assert g["w"].grad.item() == 0.25 and g["b"].grad.item() == 0.25      # unchanged by drawing
    assert all(g[n].grad is None for n in ("h1", "h2", "h3", "h4", "h5", "h6"))
    frames = viz.step_drawings(g["h6"])              # frames of the swept graph work too
    assert len(frames) == len(tg.trace.reverse_steps(g["h6"])) == 8
    with pytest.raises(GraphFreedError, match=r"retain_graph=True"):
        g["h6"].backward()                            # a second sweep still says what to do
    assert g["w"].grad.item() == 0.25
    d = Dot(viz.draw(g["h6"], grads=False))
    assert d.lines("w") == ["w = 0"]


def test_adjoints_are_shown_only_for_the_output_that_was_swept():
    # the graph of ∂h6/∂w (create_graph=True): its leaves hold ∂h6/∂·, not ∂(∂h6/∂w)/∂·, so its
    # drawing shows no adjoints unless asked
    g = textbook()
    g["h6"].backward(create_graph=True)
    gw = g["w"].grad
    assert "∂" not in "".join(sum((v["lines"] for v in Dot(viz.draw(gw)).tensors.values()), []))
    d = Dot(viz.draw(gw, grads=True))
    # ∂h6/∂w = x·σ'(wx + b): its derivatives x²·σ''(0) (by w) and x·σ''(0) (by b) are 0
    out = d.name(next(k for k, v in d.tensors.items() if "output" in v["cls"]))
    assert d.lines("w")[-1] == f"∂{out}/∂w = 0" and d.lines("b")[-1] == f"∂{out}/∂b = 0"
    # gradients accumulated over two backwards are not the adjoints of one
    g = textbook()
    g["h6"].backward(retain_graph=True)
    g["h6"].backward(retain_graph=True)
    assert g["w"].grad.item() == 0.5
    assert Dot(viz.draw(g["h6"])).lines("w") == ["w = 0"]
    assert Dot(viz.draw(g["h6"], grads=True)).lines("w") == ["w = 0", "∂h6/∂w = 0.25"]


def test_tangents_after_forward_sweep():
    g = textbook()
    tg.forward_sweep(g["h6"], {g["w"]: 1.0})
    d = Dot(viz.draw(g["h6"]))
    # eqs. 5.69–5.74: ∂h_k/∂w
    expect = dict(w="1", h1="1", h2="1", h3="-1", h4="-1", h5="-1", h6="0.25")
    for n, t in expect.items():
        assert d.lines(n)[-1] == f"tangent = {t}", n
    for k in [d.id_of("x"), d.id_of("b")] + d.ids_of("1"):
        assert not any(line.startswith("tangent") for line in d.nodes[k]["lines"])


def test_highlight_marks_exactly_the_path_from_w():
    g = textbook()
    d = Dot(viz.draw(g["h6"], highlight=g["w"]))
    nodes, edges = d.path()
    chain = ["w", "h1", "h2", "h3", "h4", "h5", "h6"]          # eq. 5.64
    ids = [d.id_of(n) for n in chain]
    ops = [next(a for a, b, _ in d.edges if b == t) for t in ids[1:]]
    assert nodes == set(ids) | set(ops)
    want = set()
    for prev, op, nxt in zip(ids, ops, ids[1:]):
        want |= {(prev, op), (op, nxt)}
    assert edges == want and len(edges) == 12
    for n in nodes:
        assert 'color="#d62728"' in d.nodes[n]["attrs"]
    for a, b, attrs in d.edges:
        assert ('color="#d62728"' in attrs) == ((a, b) in want)


def test_highlight_from_b_and_several():
    g = textbook()
    d = Dot(viz.draw(g["h6"], highlight=g["b"]))
    nodes, edges = d.path()
    assert {d.name(n) for n in nodes if n.startswith("t")} == {"b", "h2", "h3", "h4", "h5", "h6"}
    assert len(edges) == 10 and len([n for n in nodes if n.startswith("op")]) == 5
    d = Dot(viz.draw(g["h6"], highlight=[g["w"], g["b"]]))
    nodes, edges = d.path()
    assert {d.name(n) for n in nodes if n.startswith("t")} == {"w", "b", "h1", "h2", "h3", "h4", "h5", "h6"}
    assert len(edges) == 13


def test_highlight_errors():
    g = textbook()
    other = tg.Tensor(3.0, requires_grad=True, name="other")
    with pytest.raises(ValueError, match="not in the graph"):
        viz.draw(g["h6"], highlight=other)
    with pytest.raises(TypeError):
        viz.draw(g["h6"], highlight=3)


def test_a_leaf_alone_draws():
    w = tg.Tensor(0.0, requires_grad=True, name="w")
    d = Dot(viz.draw(w))
    assert d.lines("w") == ["w = 0"] and not d.ops


def test_draws_the_graph_that_create_graph_records():
    g = textbook()
    g["h6"].backward(create_graph=True)
    gw = g["w"].grad
    assert gw.prim is not None
    d = Dot(viz.draw(gw))
    order = toposort([gw], constants=True)
    assert len(d.tensors) == len(order)
    assert len(d.ops) == sum(t.prim is not None for t in order)
    assert len(d.edges) == sum(len(t.inputs) + 1 for t in order if t.prim is not None)
    (out,) = [k for k, v in d.tensors.items() if "output" in v["cls"]]
    assert d.nodes[out]["lines"][0].endswith("= 0.25")
    assert {"h4", "h5", "h6", "x"} <= {d.name(k) for k in d.tensors}


def test_automatic_names_follow_the_forward_pass_and_skip_used_names():
    a = tg.Tensor(2.0, requires_grad=True)
    b = tg.Tensor(3.0, requires_grad=True, name="v1")
    y = (a * b + 1) * 2
    d = Dot(viz.draw(y))
    # ops in the order computed: a·b (v2, as v1 is the user's), a·b + 1 (v3), y (v4); the leaf a
    # is x1; the literal 1 and 2 are constants shown by value
    assert sorted(d.name(k) for k in d.tensors) == ["1", "2", "v1", "v2", "v3", "v4", "x1"]
    assert d.inputs_of("v2") == ["x1", "v1"]
    assert d.inputs_of("v3") == ["v2", "1"]
    assert d.inputs_of("v4") == ["v3", "2"] and d.lines("2") == ["2"]


def test_drawings_and_step_tables_name_nodes_alike():
    # draw and the step tables call every node by the same name
    a = tg.Tensor(2.0, requires_grad=True)
    b = tg.Tensor(3.0, requires_grad=True, name="v1")
    y = (a * b + 1) * 2
    d = Dot(viz.draw(y))
    drawn = {d.name(k) for k in d.tensors}
    rows = [s.node for s in tg.trace.reverse_steps(y)]
    assert sorted(rows) == ["v1", "v2", "v3", "v4", "x1"]         # the constants 1, 2 have no row
    assert set(rows) <= drawn
    exprs = {s.node: s.expr for s in tg.trace.reverse_steps(y)}
    assert exprs["v2"] == "v2 = x1 · v1" and d.inputs_of("v2") == ["x1", "v1"]
    assert exprs["v3"] == "v3 = v2 + 1" and d.inputs_of("v3") == ["v2", "1"]   # a constant: its value
    assert [s.node for s in tg.trace.forward_steps(y, a)] == ["v2", "v3", "v4"]
    assert [(n, i) for n, i, _ in tg.trace.chain(y, a)[0]] == [("v4", "v3"), ("v3", "v2"), ("v2", "x1")]
    # the graph that create_graph=True records: same names in the drawing and the table
    g = textbook()
    g["h6"].backward(create_graph=True)
    gw = g["w"].grad
    drawn = {Dot(viz.draw(gw)).name(k) for k in Dot(viz.draw(gw)).tensors}
    assert {s.node for s in tg.trace.reverse_steps(gw)} <= drawn


# ---- frames: one drawing per step of the accumulation --------------------------------------------
def _frame(drawing):
    """(current node's name, {node: its value line}, title) of one frame."""
    d = Dot(drawing)
    (cur,) = [k for k, v in d.tensors.items() if "current" in v["cls"]]
    notes = {d.name(k): v["lines"][1] for k, v in d.tensors.items() if len(v["lines"]) > 1}
    title = re.search(r"graph \[fontsize=14 label=<(.*)> labelloc=t\]", drawing.source).group(1)
    return d.name(cur), notes, [html.unescape(t) for t in title.split("<BR/>")]


def test_forward_frames_are_eqs_5_69_to_5_74():
    g = textbook()
    f = g["h6"]
    steps = tg.trace.forward_steps(f, g["w"])
    drawings = viz.step_drawings(f, mode="forward", wrt=g["w"])
    assert len(drawings) == len(steps) == 6
    frames = [_frame(x) for x in drawings]
    assert [c for c, _, _ in frames] == ["h1", "h2", "h3", "h4", "h5", "h6"]
    # the value each frame computes: ∂h1/∂w = 1 (5.69), ∂h2/∂w = 1 (5.70), ∂h3/∂w = −1 (5.71),
    # ∂h6/∂w = 0.25 (5.73)
    shown = [notes[c] for c, notes, _ in frames]
    assert shown == ["∂h1/∂w = 1", "∂h2/∂w = 1", "∂h3/∂w = -1", "∂h4/∂w = -1", "∂h5/∂w = -1",
                     "∂h6/∂w = 0.25"]
    # what is known so far: the seed ∂w/∂w = 1 from the start, the rest once computed; b, x and the
    # constants never get a line (they do not depend on w)
    first, last = frames[0][1], frames[-1][1]
    assert first["w"] == "∂w/∂w = 1" and first["h2"] == "∂h2/∂w = ?" and first["h6"] == "∂h6/∂w = ?"
    assert last == {"w": "∂w/∂w = 1", **dict(zip([c for c, _, _ in frames], shown))}
    assert frames[2][1]["h2"] == "∂h2/∂w = 1" and frames[2][1]["h4"] == "∂h4/∂w = ?"
    # the title: mode, step k of n, the step's equation
    assert frames[2][2] == ["前向模式 forward mode（∂·/∂w）：第 3 步，共 6 步",
                            "∂h3/∂w = ∂h3/∂h2 · ∂h2/∂w = (-1) × 1 = -1"]
    assert frames[5][2][1] == "∂h6/∂w = ∂h6/∂h5 · ∂h5/∂w = (-0.25) × (-1) = 0.25"       # 5.73
    # the marked edges: the current node's op, its input with a tangent, and its result
    d = Dot(drawings[1])
    marked = {(d.nodes[a]["lines"][0] if a.startswith("op") else d.name(a),
               d.nodes[b]["lines"][0] if b.startswith("op") else d.name(b))
              for a, b, attrs in d.edges if "class=current" in attrs}
    assert marked == {("h1", "+"), ("+", "h2")}                # not from b: ∂b/∂w = 0
    assert [v["lines"][0] for v in d.ops.values() if "current" in v["cls"]] == ["+"]


def test_reverse_frames_are_eqs_5_75_to_5_79():
    g = sigmoid_example()
    steps = tg.trace.reverse_steps(g.f)
    drawings = viz.step_drawings(g.f)                         # mode="reverse" is the default
    assert len(drawings) == len(steps) == 9
    frames = [_frame(x) for x in drawings]
    assert [c for c, _, _ in frames] == [s.node for s in steps]
    assert [c for c, _, _ in frames][:7] == ["f", "h6", "h5", "h4", "h3", "h2", "h1"]
    shown = {c: notes[c] for c, notes, _ in frames}
    assert shown["f"] == "∂f/∂f = 1" and shown["h6"] == "∂f/∂h6 = 1"          # 5.75
    assert shown["h5"] == "∂f/∂h5 = -0.25"                                      # 5.76
    assert shown["h4"] == "∂f/∂h4 = -0.25"                                      # 5.77
    assert shown["w"] == "∂f/∂w = 0.25" and shown["b"] == "∂f/∂b = 0.25"       # 5.79
    _, first, title = frames[0]
    assert first["f"] == "∂f/∂f = 1" and first["w"] == "∂f/∂w = ?" and "x" not in first
    assert title == ["反向模式 reverse mode（∂f/∂·）：第 1 步，共 9 步", "∂f/∂f = 1"]
    assert frames[2][2][1] == "∂f/∂h5 = ∂f/∂h6 · ∂h6/∂h5 = 1 × (-0.25) = -0.25"      # 5.76
    # h4's frame: the term comes back from its consumer h5 = h4 + 1
    d = Dot(drawings[3])
    marked = {(d.nodes[a]["lines"][0] if a.startswith("op") else d.name(a),
               d.nodes[b]["lines"][0] if b.startswith("op") else d.name(b))
              for a, b, attrs in d.edges if "class=current" in attrs}
    assert marked == {("h4", "+"), ("+", "h5")}


def test_frames_fan_out_and_what_they_leave_alone():
    x = tg.Tensor(3.0, name="x")
    w = tg.Tensor(2.0, requires_grad=True, name="w")
    t = (w * x).named("t")
    f = (t * t + t).named("f")
    f.backward(retain_graph=True)
    frames = {c: (notes, title) for c, notes, title in map(_frame, viz.step_drawings(f))}
    # ∂f/∂t = 2t + 1 = 13, summed over t's consumers (t·t twice, and f)
    assert frames["t"][0]["t"] == "∂f/∂t = 13" and frames["w"][0]["w"] == "∂f/∂w = 39"
    assert frames["t"][1][1].endswith("= 13") and " + " in frames["t"][1][1]
    # the tensors' own grads are not drawn in frames, and frames change nothing
    d = Dot(viz.step_drawings(f)[0])
    assert not any(line.startswith("grad") for v in d.tensors.values() for line in v["lines"])
    assert w.grad.item() == 39.0 and w.tangent is None


def test_frames_argument_errors():
    g = textbook()
    with pytest.raises(ValueError, match="wrt=.*w, b"):
        viz.step_drawings(g["h6"], mode="forward")              # two parameters: which one?
    with pytest.raises(ValueError, match="forward mode"):
        viz.step_drawings(g["h6"], mode="reverse", wrt=g["w"])
    with pytest.raises(ValueError, match="mode"):
        viz.step_drawings(g["h6"], mode="sideways")
    with pytest.raises(ValueError, match="not in the graph"):
        viz.step_drawings(g["h6"], mode="forward", wrt=tg.Tensor(1.0, requires_grad=True))
    one = tg.Tensor(2.0, requires_grad=True, name="u")
    assert len(viz.step_drawings((one * one).named("y"), mode="forward")) == 1    # the only leaf
    before = [x.source for x in viz.step_drawings(g["h6"])]
    g["h6"].backward()
    assert [x.source for x in viz.step_drawings(g["h6"])] == before       # a swept graph: the same frames


def test_hostile_names_are_escaped_in_dot():
    w = tg.Tensor(2.0, requires_grad=True, name=HOSTILE)
    y = (w * w).named("<<y>>\\N]]>&amp;{x}|\x00\n")
    g = viz.draw(y, title=HOSTILE)
    src = g.source
    assert HOSTILE not in src
    assert "a&quot;&lt;b&gt;&amp;\\\\{c}|中文" in src
    d = Dot(g)
    assert d.nodes[d.id_of(HOSTILE)]["lines"] == [HOSTILE + " = 2"]
    assert d.lines("<<y>>\\N]]>&amp;{x}|\\x00\\n") == ["<<y>>\\N]]>&amp;{x}|\\x00\\n = 4"]
    # x * x: two edges into one op
    assert len(d.edges) == 3


def test_mlp_one_node_per_op():
    rng = np.random.default_rng(0)
    X = tg.Tensor(rng.normal(size=(8, 4)), name="X")
    Y = tg.Tensor(rng.normal(size=(8, 2)), name="Y")
    params = []
    h = X
    for k, (n, m) in enumerate([(4, 16), (16, 16), (16, 2)], 1):
        W = tg.Tensor(rng.normal(size=(n, m)) * 0.3, requires_grad=True, name=f"W{k}")
        b = tg.Tensor(np.zeros(m), requires_grad=True, name=f"b{k}")
        params += [W, b]
        h = h @ W + b
        if k < 3:
            h = h.relu()
    loss = ((h - Y) ** 2).mean().named("loss")
    loss.backward(retain_graph=True)
    d = Dot(viz.draw(loss, highlight=params[0]))
    order = toposort([loss], constants=True)
    assert len(d.ops) == sum(t.prim is not None for t in order)
    assert len(d.ops) < 20
    assert [v["lines"][0] for v in d.ops.values()].count("@") == 3
    assert d.lines("W1") == ["W1", "shape (4, 16)", "∂loss/∂W1: shape (4, 16)"]
    assert d.lines("b3") == ["b3", "shape (2,)", "[0, 0]", d.lines("b3")[3]]
    assert d.lines("b3")[3].startswith("∂loss/∂b3 = [")


def test_direction_title_and_argument_errors():
    g = textbook()
    assert "rankdir=TB" in viz.draw(g["h6"], direction="tb").source
    assert "rankdir=LR" in viz.draw(g["h6"]).source
    with pytest.raises(ValueError, match="direction"):
        viz.draw(g["h6"], direction="up")
    assert "label=<图 5.8 &lt;σ&gt;> labelloc=t" in viz.draw(g["h6"], title="图 5.8 <σ>").source
    assert "label=<图 5.8<BR/>f = σ(wx + b)> labelloc=t" in viz.draw(g["h6"], title="图 5.8\nf = σ(wx + b)").source
    with pytest.raises(TypeError, match="Tensor"):
        viz.draw(1.0)
    with pytest.raises(TypeError):
        viz.to_svg("digraph {}")
    with pytest.raises(ValueError, match="unknown backend"):
        viz.to_svg(viz.draw(g["h6"]), backend="nope")


def test_drawing_is_a_graphviz_digraph():
    import graphviz
    g = viz.draw(textbook()["h6"])
    assert isinstance(g, graphviz.Digraph)
    assert g.source.startswith("digraph")


def test_without_an_engine_the_error_says_how_and_dot_remains(monkeypatch):
    monkeypatch.setattr(viz_engines, "find_engine", lambda name: (None, f"{name} missing"))
    g = viz.draw(textbook()["h6"])
    assert "h6 = 0.5" in g.source
    assert viz.backends() == []
    with pytest.raises(viz.EngineNotFoundError) as e:
        viz.to_svg(g)
    msg = str(e.value)
    assert "pip install graphviz-pure" in msg and ".source" in msg and "dot missing" in msg
    with pytest.raises(viz.EngineNotFoundError):
        g._repr_mimebundle_()


# ---- rendering (needs an engine: fails without one) ---------------------------------------------
def test_an_engine_is_installed():
    assert viz.backends(), ("no Graphviz engine: pip install graphviz-pure (or pygraphviz, or "
                            "install system Graphviz)")


def test_svg_has_every_label():
    g = textbook()
    g["h6"].backward(retain_graph=True)
    tg.forward_sweep(g["h6"], {g["w"]: 1.0})
    drawing = viz.draw(g["h6"], title="NNDL 图 5.8")
    d = Dot(drawing)
    svg = viz.to_svg(drawing)
    _, texts, _ = svg_texts(svg)
    want = [line for v in d.nodes.values() for line in v["lines"]] + ["NNDL 图 5.8", "#1", "#2"]
    assert sorted(texts) == sorted(want)


def test_hostile_labels_render_exactly_with_every_engine():
    w = tg.Tensor(2.0, requires_grad=True, name=HOSTILE)
    nasty = "<<y>>\\N\\G\\l\\\\]]>&amp;{x}|\"'"
    y = (w * w).named(nasty)
    g = viz.draw(y, title=HOSTILE + "\\N")
    assert viz.backends()
    for backend in viz.backends():
        _, texts, tips = svg_texts(viz.to_svg(g, backend=backend))
        assert sorted(texts) == sorted([HOSTILE + "\\N", HOSTILE + " = 2", "×", nasty + " = 4"]), backend
        assert f"{HOSTILE}: leaf, requires grad, shape (), dtype float64" in tips, backend
        assert f"{nasty} = mul({HOSTILE}, {HOSTILE})" in tips, backend


def test_svg_marks_the_highlighted_path():
    g = textbook()
    root, _, _ = svg_texts(viz.to_svg(g["h6"], highlight=g["w"]))
    classes = [e.get("class", "") for e in root.iter(SVG + "g")]
    assert len([c for c in classes if "path" in c.split()]) == 7 + 6 + 12


def test_png_and_files(tmp_path):
    g = textbook()
    drawing = viz.draw(g["h6"])
    png = viz.to_png(drawing, tmp_path / "g.png")
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert (tmp_path / "g.png").read_bytes() == png
    assert drawing.to_png(dpi=72).startswith(b"\x89PNG")
    svg = viz.to_svg(g["h6"], tmp_path / "g.svg", highlight=g["w"], direction="TB")
    assert (tmp_path / "g.svg").read_text(encoding="utf-8") == svg
    assert "<svg" in svg and "h6 = 0.5" in svg


def test_jupyter_display():
    drawing = viz.draw(textbook()["h6"])
    bundle = drawing._repr_mimebundle_()
    assert list(bundle) == ["image/svg+xml"] and "<svg" in bundle["image/svg+xml"]
    assert "<svg" in drawing._repr_svg_()
    assert drawing.pipe(format="png").startswith(b"\x89PNG")


def test_create_graph_and_mlp_render():
    g = textbook()
    g["h6"].backward(create_graph=True)
    assert "<svg" in viz.to_svg(g["w"].grad)
    rng = np.random.default_rng(1)
    h = tg.Tensor(rng.normal(size=(4, 3)), name="X")
    for k in range(3):
        W = tg.Tensor(rng.normal(size=(h.shape[1], 5)), requires_grad=True, name=f"W{k + 1}")
        h = (h @ W).tanh()
    assert "<svg" in viz.to_svg(h.sum())


def test_frames_write_numbered_svgs(tmp_path):
    g = sigmoid_example()
    paths = viz.frames(g.f, tmp_path / "fwd", mode="forward", wrt=g.w)
    assert [p.name for p in paths] == [f"step_{k:02d}.svg" for k in range(7)]     # h1 … h6, f
    assert sorted(p.name for p in (tmp_path / "fwd").iterdir()) == [p.name for p in paths]
    want = ["∂h1/∂w = 1", "∂h2/∂w = 1", "∂h3/∂w = -1", "∂h4/∂w = -1", "∂h5/∂w = -1",
            "∂h6/∂w = 0.25", "∂f/∂w = 0.25"]                                       # 5.69–5.74
    for k, p in enumerate(paths):
        root, texts, _ = svg_texts(p.read_text(encoding="utf-8"))
        assert f"前向模式 forward mode（∂·/∂w）：第 {k + 1} 步，共 7 步" in texts
        assert set(want[:k + 1]) <= set(texts) and not set(want[k + 1:]) & set(texts)
        current = [e for e in root.iter(SVG + "g") if "current" in e.get("class", "").split()
                   and "tensor" in e.get("class", "").split()]
        assert len(current) == 1 and want[k] in ["".join(t.itertext()) for t in current[0].iter(SVG + "text")]
    rev = viz.frames(g.f, tmp_path / "rev", prefix="rev")
    assert [p.name for p in rev] == [f"rev_{k:02d}.svg" for k in range(9)]
    _, texts, _ = svg_texts(rev[-1].read_text(encoding="utf-8"))
    assert {"∂f/∂h5 = -0.25", "∂f/∂w = 0.25", "∂f/∂b = 0.25"} <= set(texts)        # 5.76, 5.79
    # a shorter sequence into the same folder replaces the longer one
    u = tg.Tensor(1.0, requires_grad=True, name="u")
    (tmp_path / "rev" / "notes.txt").write_text("mine")
    short = viz.frames((u * 2).named("y"), tmp_path / "rev", prefix="rev")
    assert sorted(p.name for p in (tmp_path / "rev").iterdir()) == ["notes.txt", "rev_00.svg", "rev_01.svg"]
    assert [p.name for p in short] == ["rev_00.svg", "rev_01.svg"]
    with pytest.raises(ValueError, match="prefix"):
        viz.frames(g.f, tmp_path, prefix="a/b")


def test_frames_without_an_engine_write_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(viz_engines, "find_engine", lambda name: (None, f"{name} missing"))
    g = sigmoid_example()
    with pytest.raises(viz.EngineNotFoundError):
        viz.frames(g.f, tmp_path / "frames")
    assert not (tmp_path / "frames").exists()
    assert len(viz.step_drawings(g.f)) == 9          # the drawings need no engine
