"""Drawings in the order of computation (the classic trace of Baydin et al. 2018) and networks drawn
as a learner reads them: module-path names, a layer's transpose and reshapes folded into its op,
modules boxed or summarised, a 2-4-4-1 MLP that fits a laptop screen."""
import re
import struct

import numpy as np
import pytest
from viz_reading import Dot

import tinygrad_cn as tg
from tinygrad_cn import viz


def baydin():
    """Baydin, Pearlmutter, Radul & Siskind 2018, "Automatic differentiation in machine learning: a
    survey", tables 2 and 3: f(x1, x2) = ln x1 + x1·x2 − sin x2 at (x1, x2) = (2, 5), written step
    by step in the order of its evaluation trace."""
    x1 = tg.Tensor(2.0, requires_grad=True)
    x2 = tg.Tensor(5.0, requires_grad=True)
    v1 = tg.log(x1)
    v2 = x1 * x2
    v3 = tg.sin(x2)
    v4 = v1 + v2
    v5 = v4 - v3
    return x1, x2, v5


def test_classic_trace_is_numbered_in_the_order_of_computation():
    x1, x2, f = baydin()
    d = Dot(viz.draw(f))
    assert sorted(d.name(k) for k in d.tensors) == ["v1", "v2", "v3", "v4", "v5", "x1", "x2"]
    assert d.inputs_of("v1") == ["x1"] and d.nodes[d.id_of("v1")]["lines"][0] == "v1 = 0.6931"
    assert d.inputs_of("v2") == ["x1", "x2"] and d.inputs_of("v3") == ["x2"]
    assert d.inputs_of("v4") == ["v1", "v2"] and d.inputs_of("v5") == ["v4", "v3"]
    # the layout follows the trace: tensor boxes t0, t1, … in the order v−1 = x1, v0 = x2, v1 … v5
    assert [d.name(f"t{k}") for k in range(7)] == ["x1", "x2", "v1", "v2", "v3", "v4", "v5"]
    assert round(f.item(), 3) == 11.652                                   # table 2: y = v5 = 11.652
    fwd = tg.trace.forward_table(f, x1)
    rev = tg.trace.reverse_table(f)
    for expr in ("v1 = ln x1", "v2 = x1 · x2", "v4 = v1 + v2", "v5 = v4 − v3"):
        assert expr in fwd and expr in rev
    assert "v3 = sin x2" in rev and "v3 = sin x2" not in fwd              # v3 does not depend on x1
    # rows in the order of the trace: forward v1, v2, v4, v5 (v3 does not depend on x1); reverse
    # from v5 back to the inputs, as table 3 sweeps
    assert [s.node for s in tg.trace.forward_steps(f, x1)] == ["v1", "v2", "v4", "v5"]
    assert [s.node for s in tg.trace.reverse_steps(f)] == ["v5", "v4", "v3", "v2", "v1", "x2", "x1"]
    rows = [line.split()[0] for line in fwd.splitlines()[2:]]
    assert rows == ["v1", "v2", "v4", "v5"]
    assert [line.split()[0] for line in rev.splitlines()[2:]] == ["v5", "v4", "v3", "v2", "v1", "x2", "x1"]


def test_classic_adjoints_after_backward():
    x1, x2, f = baydin()
    f.backward()
    assert x1.grad.item() == 5.5 and round(x2.grad.item(), 3) == 1.716   # table 3: x̄1 = 5.5, x̄2 = 1.716
    d = Dot(viz.draw(f))
    assert d.lines("x1") == ["x1 = 2", "∂v5/∂x1 = 5.5"]
    assert d.lines("x2") == ["x2 = 5", "∂v5/∂x2 = 1.716"]
    # table 3's adjoints of the intermediate variables: v̄5 = v̄4 = v̄1 = v̄2 = 1, v̄3 = −1
    assert [d.lines(n)[1] for n in ("v5", "v4", "v3", "v2", "v1")] == [
        "∂v5/∂v5 = 1", "∂v5/∂v4 = 1", "∂v5/∂v3 = -1", "∂v5/∂v2 = 1", "∂v5/∂v1 = 1"]
    rev = {s.node: s.total for s in tg.trace.reverse_steps(f)}             # tables of the swept graph
    assert rev["x1"] == 5.5 and round(rev["x2"], 3) == 1.716


def xor_mlp():
    net = tg.nn.MLP([2, 4, 4, 1], rng=0)
    X = tg.Tensor(np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]), name="X")
    y = tg.Tensor(np.array([[0.0], [1.0], [1.0], [0.0]]), name="y")
    loss = ((net(X) - y) ** 2).mean().named("loss")
    return net, loss


def test_network_parameters_named_by_module_path_and_layers_folded():
    net, loss = xor_mlp()
    d = Dot(viz.draw(loss, model=net))
    names = {d.name(k) for k in d.tensors}
    assert {"0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias"} <= names
    assert all(p.name is None for p in net.parameters())          # named in the drawing only
    ops = [v["lines"][0] for v in d.ops.values()]
    assert ops.count("x Wᵀ") == 3 and "ᵀ" not in ops               # Z = X Wᵀ: one op per layer
    # v-numbers count the drawn ops only, in the order computed: no gaps where transposes folded
    vs = sorted(int(n[1:]) for n in names if re.fullmatch(r"v\d+", n))
    assert vs == list(range(1, len(vs) + 1))
    assert d.inputs_of("v1") == ["X", "0.weight"] and d.inputs_of("v2") == ["v1", "0.bias"]
    plain = Dot(viz.draw(loss, model=net, fold=False))
    assert [v["lines"][0] for v in plain.ops.values()].count("ᵀ") == 3
    assert len(plain.ops) == len(d.ops) + 3


def test_matrix_times_vector_is_one_op():
    W = tg.Tensor(np.arange(6.0).reshape(2, 3), requires_grad=True, name="W")
    x = tg.Tensor(np.array([1.0, 0.0, -1.0]), requires_grad=True, name="x")
    z = (W @ x).named("z")
    d = Dot(viz.draw(z))
    assert [v["lines"][0] for v in d.ops.values()] == ["W x"]
    assert d.inputs_of("z") == ["W", "x"] and len(d.tensors) == 3
    assert d.lines("z")[:3] == ["z", "shape (2,)", "[-2, -2]"]          # W x = (0 − 2, 3 − 5)
    assert len(Dot(viz.draw(z, fold=False)).ops) == 1                  # matmul takes the vector itself


def test_modules_grouped_and_summarised():
    net, loss = xor_mlp()
    src = viz.draw(loss, model=net, group=True).source
    assert len(re.findall(r"subgraph cluster_\d+", src)) == 3
    assert sorted(re.findall(r'label="(\d: \w+)"', src)) == ["0: Linear", "2: Linear", "4: Linear"]
    d = Dot(viz.draw(loss, model=net, summary=True))
    modules = re.findall(r"\tm_(\d) \[", d.source)
    assert modules == ["0", "2", "4"]
    assert not {"0.weight", "0.bias"} & {d.name(k) for k in d.tensors}
    assert f"\t{d.id_of('X')} -> m_0\n" in d.source                        # X goes into the first layer
    with pytest.raises(ValueError, match="model="):
        viz.draw(loss, group=True)
    with pytest.raises(TypeError, match="Module"):
        viz.draw(loss, model="net")


def _svg_size(svg):
    w, h = re.search(r'<svg width="([\d.]+)pt" height="([\d.]+)pt"', svg).groups()
    return float(w), float(h)


def test_a_2_4_4_1_mlp_fits_a_laptop_screen():
    net, loss = xor_mlp()
    loss.backward()
    drawing = viz.draw(loss, model=net)                   # default settings: direction chosen, TB
    assert "rankdir=TB" in drawing.source
    width, _ = _svg_size(viz.to_svg(drawing))
    assert width * 96 / 72 <= 1600                        # CSS pixels of the SVG in a browser
    png = viz.to_png(drawing)                             # at the default 144 dpi
    assert struct.unpack(">I", png[16:20])[0] <= 1600
    # a short graph stays left to right, as NNDL fig. 5.8
    assert "rankdir=LR" in viz.draw(baydin()[2]).source
