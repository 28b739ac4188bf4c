"""codegen's exact rewrites: the generated program is faster than the rows' calls one by one and
computes their numbers bit for bit (tutorials quote numbers from chaotic training runs made with
tg.jit, so rounding-level differences are not allowed)."""
import re

import numpy as np
import pytest

import tinygrad_cn as tg
from tinygrad_cn.core.compile import jit
from tinygrad_cn.core.tensor import Tensor

EXTREMES = [-800.0, -745.0, -40.0, -1.0, -1e-300, -0.0, 0.0, 1e-300, 1.0, 40.0, 745.0, 800.0,
            np.inf, -np.inf, np.nan]


def _same_bits(a, b):
    a, b = np.asarray(a), np.asarray(b)
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_sigmoid_and_its_slope_share_one_exp_and_keep_every_bit(dtype):
    """σ(z) in the forward and σ′(z) = σ(z)σ(−z) in the backward (NNDL eq. 5.81) read one
    exp(−|z|); value and gradient equal the eager engine's bit for bit, tails, ±0, ±inf and NaN
    included, and the closed forms σ(0) = 1/2, σ′(0) = 1/4, σ′(±40) = e^{−40}/(1 + e^{−40})² > 0."""
    z = np.array(EXTREMES, dtype)
    f = lambda z: tg.sigmoid(z).sum()                  # its gradient is σ′(z) itself
    g = jit(f, wrt=0)
    value, grad = g(z)
    want_value, want_grad = tg.value_and_grad(f, 0)(Tensor(z))
    assert _same_bits(value.data, want_value.data) and _same_bits(grad.data, want_grad.data)
    assert len(re.findall(r"_exp\(", g.source)) == 1 and "_sigmoid" not in g.source
    slope = grad.data
    assert slope[5] == slope[6] == 0.25
    e40 = np.exp(np.float64(-40.0))
    if dtype == np.float64:
        assert slope[2] == slope[9] and slope[2] > 0
        np.testing.assert_allclose(slope[2], e40 / (1 + e40) ** 2, rtol=1e-15)
    sig = jit(lambda z: tg.sigmoid(z))(z).data
    assert sig[5] == sig[6] == 0.5 and sig[11] == 1.0 and _same_bits(sig, tg.sigmoid(Tensor(z)).data)


def test_a_logistic_net_is_written_with_operators_and_trains_bit_for_bit():
    """RHW's 6-2-1 logistic net (eqs. 1–3, 7). The program: X @ W1.T is NumPy's @ on a view,
    b1 is added into the product's fresh buffer (out=), one exp per layer. 40 steps of plain
    SGD from weights large enough to saturate units end at the eager engine's weights, every bit."""
    rng = np.random.default_rng(3)
    X, d = rng.integers(0, 2, (64, 6)).astype(float), rng.integers(0, 2, (64, 1)).astype(float)
    start = [rng.uniform(-9, 9, s) for s in ((2, 6), (2,), (1, 2), (1,))]

    def error(X, W1, b1, W2, b2):
        h = tg.sigmoid(X @ W1.T + b1)
        y = tg.sigmoid(h @ W2.T + b2)
        return 0.5 * ((y - d) * (y - d)).sum()
    step = jit(error, wrt=(1, 2, 3, 4))
    eager, compiled = [w.copy() for w in start], [w.copy() for w in start]
    for _ in range(40):
        _, grads = tg.value_and_grad(error, (1, 2, 3, 4))(X, *eager)
        eager = [w - 0.5 * g.data for w, g in zip(eager, grads)]
        _, grads = step(X, *compiled)
        compiled = [w - 0.5 * g.data for w, g in zip(compiled, grads)]
    assert all(_same_bits(a, b) for a, b in zip(eager, compiled))
    product = re.search(r"^\s+(\w+) = X @ (\w+)\s", step.source, re.M)
    assert product and f"{product.group(2)} = W1.T" in step.source
    assert re.search(rf"= _add\d+\({product.group(1)}, b1, out={product.group(1)}\)", step.source)
    assert len(re.findall(r"_exp\(", step.source)) == 2


def test_a_sum_over_axes_of_length_one_is_zero_plus_x():
    """NumPy's sum starts from 0, so over an axis of length 1 it is 0 + x (a −0.0 comes out as
    0.0): the program writes that addition, not a reduction, for Σ and for sum_to (the gradient
    of b broadcast over a leading axis of length 1), and only a reshape for a square."""
    x = np.array([[-0.0], [1.5], [np.inf], [-2.0], [np.nan]])
    s = jit(lambda x: x.sum(axis=1))
    out = s(x).data
    assert _same_bits(out, tg.Tensor(x).sum(axis=1).data) and not np.signbit(out[0])
    b, row = np.array([-0.0, 2.0, 3.0]), np.array([[1.0, 2.0, 3.0]])
    f = lambda b: ((row + b) * np.array([[-0.0, 1.0, 1.0]])).sum()
    g = jit(f, wrt=0)
    _, db = g(b)
    assert _same_bits(db.data, tg.grad(f)(b).data) and not np.signbit(db.data[0])
    assert "_add_reduce" not in s.source and g.source.count("_add_reduce") == 1     # the loss's own Σ
    squares = jit(lambda x: (x * x).sum(axis=1))              # x·x is never −0.0: no 0 + needed
    assert _same_bits(squares(x).data, (tg.Tensor(x) * tg.Tensor(x)).sum(axis=1).data)
    assert "_add_reduce" not in squares.source and "_zero" not in squares.source
