"""tg.jit: the traced program as NumPy source gives the eager engine's numbers (to 1e-12) for every
row of the primitive table, on new input values; it retraces rather than answer stale."""
import numpy as np
import pytest

import tinygrad_cn as tg
from tinygrad_cn.core.compile import jit
from tinygrad_cn.core.tensor import Tensor

TOL = dict(rtol=1e-12, atol=1e-12)
ROWS = sorted((name, row) for name, row in tg.PRIMITIVES.items() if row.sample is not None)


def _new_values(xs, rng):
    """Inputs of the same shapes and dtypes, moved (0.5% relative: no kink or tie is crossed)."""
    return [rng.random(x.shape) < 0.5 if x.dtype == bool else x * (1 + 0.005 * rng.uniform(-1, 1, x.shape))
            for x in xs]


def _close(a, b):
    np.testing.assert_allclose(np.asarray(a.data, float), np.asarray(b.data, float), **TOL)


@pytest.mark.parametrize("name,row", ROWS, ids=[n for n, _ in ROWS])
def test_every_primitive_matches_the_engine_on_new_values(name, row):
    rng = np.random.default_rng(sum(map(ord, name)))
    for _ in range(4):
        xs, params = row.sample(rng)
        xs = [np.asarray(x) for x in xs]
        new = _new_values(xs, rng)
        if name == "extremum_share":                  # its second input is the first's extremum
            new[1] = np.max(new[0], axis=params["axes"], keepdims=params["keepdims"])
        _check_row(row, xs, new, params, rng)


def _check_row(row, xs, new, params, rng):
    """Traced on ``xs``, run on ``new``: the value, the gradients and the jvp equal the engine's."""
    fwd = jit(lambda *ts: row(*ts, **params))
    fwd(*xs)
    _close(fwd(*new), row(*[Tensor(x) for x in new], **params))
    var = [i for i, x in enumerate(xs) if x.dtype.kind == "f" and row.differentiable and row.vjp[i] is not None]
    if not var:
        return
    weights = rng.standard_normal(np.shape(row.forward(*xs, **params)))
    loss = lambda *ts: (row(*ts, **params) * weights).sum()
    compiled = jit(loss, wrt=tuple(var))
    compiled(*xs)
    value, grads = compiled(*new)
    want_value, want = tg.value_and_grad(loss, tuple(var))(*new)
    _close(value, want_value)
    for g, w in zip(grads, want):
        _close(g, w)
    tangents = [rng.standard_normal(x.shape) if i in var else np.zeros(x.shape, x.dtype) for i, x in enumerate(xs)]

    def on_vars(*vs):
        args = list(new)
        for i, v in zip(var, vs):
            args[i] = v
        return row(*args, **params)
    fwd.jvp(xs, tangents)
    out, tangent = fwd.jvp(new, tangents)
    want_out, want_tangent = tg.jvp(on_vars, [new[i] for i in var], [tangents[i] for i in var])
    _close(out, want_out)
    _close(tangent, want_tangent)


def sigma_graph(w, x, b):
    """NNDL fig. 5.8: h1 = w·x, h2 = h1 + b, h3 = −h2, h4 = exp(h3), h5 = h4 + 1, h6 = 1/h5."""
    h1 = (w * x).named("h1")
    h2 = (h1 + b).named("h2")
    h3 = (-h2).named("h3")
    h4 = h3.exp().named("h4")
    h5 = (h4 + 1).named("h5")
    return (1 / h5).named("f")


def test_textbook_example_values_and_lines():
    g = jit(sigma_graph, wrt=(0, 2))
    f, (dw, db) = g(0.0, 1.0, 0.0)
    assert (f.item(), dw.item(), db.item()) == (0.5, 0.25, 0.25)      # NNDL eqs. 5.68, 5.79
    lines = g.text.splitlines()
    for line in ("h1 = w · x", "h2 = h1 + b", "h3 = −h2", "h4 = exp(h3)", "h5 = h4 + 1", "f = 1 / h5",
                 "∂f/∂h3 = ∂f/∂h5 · h4", "∂f/∂h2 = −∂f/∂h3", "∂f/∂w = ∂f/∂h2 · x", "∂f/∂b = ∂f/∂h2"):
        assert line in lines, (line, g.text)
    assert lines.index("# backward") > lines.index("f = 1 / h5")
    assert "def program(w, x, b):" in g.source
    # closed form at another point: σ′ = σ(1 − σ)
    x, w, b = 1.5, -0.3, 0.2
    s = 1 / (1 + np.exp(-(w * x + b)))
    f, (dw, db) = g(w, x, b)
    assert abs(f.item() - s) < 1e-15 and abs(db.item() - s * (1 - s)) < 1e-15
    assert abs(dw.item() - s * (1 - s) * x) < 1e-15


def test_jvp_is_forward_mode():
    g = jit(sigma_graph)
    f, df = g.jvp((0.0, 1.0, 0.0), (1.0, 0.0, 0.0))       # ∂f/∂w by forward accumulation (5.69–5.74)
    assert (f.item(), df.item()) == (0.5, 0.25)
    assert "dh1 = dw · x + w · dx" in g.text


def test_masks_are_lines_not_constants():
    """relu's mask comes from a recorded step(x): a new sign pattern gives the new gradient."""
    g = jit(lambda x: tg.relu(x).sum(), wrt=0)
    g(np.array([1.0, -1.0, 2.0]))
    _, dx = g(np.array([-1.0, 3.0, -2.0]))
    assert dx.tolist() == [0.0, 1.0, 0.0]
    g2 = jit(lambda a, b: tg.maximum(a, b).sum(), wrt=(0, 1))
    g2(np.array([1.0, 0.0]), np.array([0.0, 1.0]))
    _, (da, db) = g2(np.array([0.0, 2.0]), np.array([1.0, 2.0]))
    assert da.tolist() == [0.0, 0.5] and db.tolist() == [1.0, 0.5]    # a tie gives half to each


def test_python_branch_on_a_value_retraces():
    def f(x):
        if x.sum() > 0:
            return (x * x).sum()
        return (-x).sum()
    g = jit(f, wrt=0)
    assert g(np.array([1.0, 2.0]))[0].item() == 5.0
    value, dx = g(np.array([-1.0, -2.0]))                 # the other branch: retraced, not stale
    assert value.item() == 3.0 and dx.tolist() == [-1.0, -1.0]
    assert g(np.array([3.0, 1.0]))[1].tolist() == [6.0, 2.0]


def test_a_value_read_by_float_retraces():
    g = jit(lambda x: x * float(x.sum()))
    assert g(np.array([1.0, 2.0])).tolist() == [3.0, 6.0]
    assert g(np.array([2.0, 2.0])).tolist() == [8.0, 8.0]


def test_an_argument_read_through_data_retraces():
    def ce(z, y):
        return -tg.log_softmax(z, axis=1)[np.arange(2), y.data.astype(int)].sum()
    g = jit(ce, wrt=0)
    z = np.array([[0.0, 1.0, 2.0], [1.0, 0.0, -1.0]])
    g(z, np.array([0, 1]))
    _, dz = g(z, np.array([2, 2]))
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(dz.data, p - np.eye(3)[[2, 2]], rtol=0, atol=1e-15)   # softmax − onehot


def test_closed_over_tensor_is_read_at_call_time():
    W = Tensor(np.ones(3), requires_grad=True, name="W")
    g = jit(lambda x: (W * x).sum(), wrt=W)
    x = np.arange(3.0)
    assert g(x)[0].item() == 3.0
    W.data *= 2                                            # in place (an optimiser's update)
    assert g(x)[0].item() == 6.0
    W.data = np.ones(4)                                    # a new array of a new shape: retraced
    value, dW = g(np.arange(4.0))
    assert value.item() == 6.0 and dW.tolist() == [0.0, 1.0, 2.0, 3.0]
    assert "W = _c0.data" in g.source


def test_mlp_gradients_match_and_buffers_are_reused():
    rng = np.random.default_rng(0)
    W1, b1, W2, b2 = (rng.standard_normal(s) for s in ((5, 4), (5,), (3, 5), (3,)))
    X, Y = rng.standard_normal((6, 4)), rng.standard_normal((6, 3))

    def loss(W1, b1, W2, b2, X):
        a1 = tg.sigmoid(X @ W1.T + b1)
        return (((a1 @ W2.T + b2) - Y) ** 2).mean()
    g = jit(loss, wrt=(0, 1, 2, 3))
    want = tg.value_and_grad(loss, (0, 1, 2, 3))(W1, b1, W2, b2, X)
    for _ in range(3):                                      # a reused buffer must not leak into the next call
        value, grads = g(W1, b1, W2, b2, X)
        _close(value, want[0])
        for a, b in zip(grads, want[1]):
            _close(a, b)
    assert "out=" in g.source


def test_new_dtype_compiles_a_new_program():
    g = jit(lambda x: (x * x).sum(), wrt=0)
    g(np.ones(3))
    value, dx = g(np.ones(3, np.float32))
    assert value.dtype == np.float32 and dx.dtype == np.float32


def test_bad_input_gets_a_clear_error():
    with pytest.raises(TypeError, match="must return one Tensor"):
        jit(lambda x: 3.0)(1.0)
    with pytest.raises(ValueError, match="scalar output"):
        jit(lambda x: x * 2, wrt=0)(np.ones(3))
    with pytest.raises(ValueError, match="out of range"):
        jit(lambda x: x.sum(), wrt=2)(np.ones(3))
    with pytest.raises(TypeError, match="only floating"):
        jit(lambda x: x.sum(), wrt=0)(np.arange(3))
    with pytest.raises(TypeError, match="requires_grad=True"):
        jit(lambda x: x.sum(), wrt=Tensor(np.ones(2)))
    with pytest.raises(RuntimeError, match="call it once"):
        _ = jit(lambda x: x).source


def test_tracing_hooks_are_removed_even_after_an_error():
    before = (Tensor.__bool__, Tensor.item, tg.core.primitive.record)

    def broken(x):
        raise KeyError("inside f")
    with pytest.raises(KeyError):
        jit(broken)(1.0)
    jit(lambda x: x * 2)(1.0)
    assert (Tensor.__bool__, Tensor.item, tg.core.primitive.record) == before
    y = Tensor(2.0) * Tensor(3.0)                       # nothing requires grad: nothing recorded again
    assert y.prim is None


def test_rewrites_keep_the_values():
    """A transpose of a transpose is no line; a broadcast feeding a ufunc is the ufunc's own
    broadcasting; x · x is one product in the backward (∂/∂x = 2x)."""
    x = np.arange(6.0).reshape(2, 3)
    g = jit(lambda x: (x.T.T * x).sum() + tg.mean(x), wrt=0)
    value, dx = g(x)
    assert value.item() == (x * x).sum() + x.mean()
    np.testing.assert_array_equal(dx.data, 2 * x + 1 / 6)
    assert "transpose" not in g.source and ".T" not in g.source and "broadcast" not in g.source


def test_transforms_and_jit_inside_a_compiled_function():
    """tg.grad inside f is recorded (not copied from .data): new values give the new gradient;
    a jit called while another is tracing becomes part of its program; grad of grad: 6x."""
    cube = lambda t: (t * t * t).sum()
    g = jit(lambda x: tg.grad(cube)(x))
    g(np.array([1.0, 2.0]))
    assert g(np.array([3.0, 1.0])).tolist() == [27.0, 3.0]
    inner = jit(lambda x: (x * x).sum(), wrt=0)
    outer = jit(lambda x: inner(x)[1] * 2)
    outer(np.array([1.0, 2.0]))
    assert outer(np.array([3.0, 1.0])).tolist() == [12.0, 4.0]
    second = jit(lambda x: tg.grad(cube)(x).sum(), wrt=0)
    second(np.array([1.0, 2.0]))
    assert second(np.array([3.0, 1.0]))[1].tolist() == [18.0, 6.0]


def test_values_read_from_arguments_and_closed_over_tensors_retrace():
    g = jit(lambda x: x * float(x))
    assert g(2.0).item() == 4.0 and g(3.0).item() == 9.0
    scale = Tensor(2.0)
    h = jit(lambda x: x * float(scale))
    assert h(1.0).item() == 2.0
    scale.data = np.array(5.0)
    assert h(1.0).item() == 5.0


def test_another_thread_is_not_traced():
    """While one thread traces, another thread's ops record as usual (nothing needs grad: no node)."""
    import threading
    seen = {}

    def other():
        y = Tensor(2.0) * Tensor(3.0)
        seen["prim"], seen["bool"] = y.prim, bool(y > 5)

    def f(x):
        t = threading.Thread(target=other)
        t.start()
        t.join()
        return x * 2
    g = jit(f)
    assert g(1.0).item() == 2.0 and seen == {"prim": None, "bool": True}
    assert g(4.0).item() == 8.0                  # no guard from the other thread's bool
    assert "1 program(s)" in repr(g)


def test_training_with_an_optimiser_matches_eager_training():
    """Parameters updated in place by optim.SGD between calls are read at call time: five compiled
    steps end where five eager steps end."""
    from tinygrad_cn import functional as F
    from tinygrad_cn import nn, optim
    rng = np.random.default_rng(1)
    X, Y = rng.standard_normal((8, 3)), rng.random((8, 2))
    nets = [nn.MLP([3, 4, 2], activation="tanh", rng=0) for _ in range(2)]
    opts = [optim.SGD(net.parameters(), lr=0.5, momentum=0.9) for net in nets]
    params = list(nets[0].parameters())
    step = jit(lambda X: F.squared_error(nets[0](X), Y), wrt=params)
    for _ in range(5):
        loss, grads = step(X)
        for p, g in zip(params, grads):
            p.grad = g
        opts[0].step()
        opts[1].zero_grad()
        eager = F.squared_error(nets[1](X), Y)
        eager.backward()
        opts[1].step()
        _close(loss, eager)
    for a, b in zip(nets[0].parameters(), nets[1].parameters()):
        _close(a, b)


def test_values_taken_out_of_the_graph_are_never_stale():
    """Inside a traced function, detach(), Tensor(t) and a grad taken at an argument or at a
    recorded tensor that needs no gradient all use the values of the call, not those traced."""
    one = np.ones(2)

    def inner_grad_at_recorded(x, a):
        u = (x * 1.0).detach()
        return x.sum() + tg.grad(lambda w: (a * w * w).sum())(u).sum()
    g = jit(inner_grad_at_recorded, wrt=1)
    assert g(one, one)[0].item() == 6.0 and g(10 * one, one)[0].item() == 60.0     # Σx + Σ 2a·x

    g = jit(lambda x, a: tg.grad(lambda w: (a * w * w).sum())(x).sum() + x.sum(), wrt=1)
    assert g(one, one)[0].item() == 6.0 and g(10 * one, one)[0].item() == 60.0

    g = jit(lambda x: (x.detach() * 2.0).sum() + x.sum())
    assert g(np.array([1.0, 2.0])).item() == 9.0 and g(np.array([10.0, 20.0])).item() == 90.0

    g = jit(lambda x: (Tensor(x.detach()) * 2.0).sum() + x.sum())
    assert g(np.array([1.0, 2.0])).item() == 9.0 and g(np.array([10.0, 20.0])).item() == 90.0


def test_detach_outside_a_trace_is_still_a_leaf_sharing_the_values():
    x = Tensor([1.0, 2.0], requires_grad=True, name="x")
    d = x.detach()
    assert d.is_leaf and not d.requires_grad and d.name == "x" and np.shares_memory(d.data, x.data)


@pytest.mark.parametrize("name", ["leaky_relu", "elu", "hard_tanh", "hard_logistic"])
def test_activations_with_masks_compile_for_new_inputs(name):
    """The masks of leaky_relu, elu and the clipped activations are recorded comparisons, so a
    compiled program recomputes them for new inputs (they were constants of the trace)."""
    from tinygrad_cn import functional as F
    f = getattr(F, name)
    g = jit(lambda x: f(x).sum(), wrt=0)
    for v in (np.array([1.0, -2.0, 0.3, 5.0]), np.array([-1.0, 2.0, -0.3, -5.0])):
        value, grad = g(v)
        x = Tensor(v, requires_grad=True)
        y = f(x).sum()
        y.backward()
        assert value.item() == y.item() and np.array_equal(grad.data, x.grad.data)


def test_a_value_read_through_data_retraces():
    g = jit(lambda x: (x * float(x.data.sum())).sum())
    assert g(np.array([1.0, 2.0])).item() == 9.0 and g(np.array([10.0, 20.0])).item() == 900.0
    assert g(np.array([1.0, 2.0])).item() == 9.0                 # and back: the guard holds both ways
