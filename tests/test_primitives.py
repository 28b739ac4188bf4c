"""Gradient checks of every primitive and composite op of tinygrad_cn.

Each op is checked in float64 by ``tg.check_grad``: reverse mode and forward mode against central
differences (NNDL eq. 5.59), over random shapes drawn by hypothesis, broadcasting included, and
with ``order=2`` (derivatives of the recorded derivatives) for the smooth ops. Forward values are
compared with NumPy, so a gradient check cannot pass on a wrong function. Inputs stay away from
kinks, ties and domain edges: log/sqrt/pow bases in [0.5, 3], denominators with |b| >= 0.5,
abs/relu inputs with |x| >= 0.1, max/min/maximum/minimum inputs on grids that cannot tie.

Separately, without hypothesis: the documented conventions at non-differentiable points (exact
values), numerical stability at ±1000, float32 preservation, and a few derivatives known in
closed form (d sin = cos, ...), which do not depend on the finite-difference oracle at all.
"""
import math
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import tinygrad_cn as tg
from tinygrad_cn.core import ops

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])

MAX_SIDE = 3
SHAPES = hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=MAX_SIDE)
SHAPES_1D_UP = hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=MAX_SIDE)
PAIRS = hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3, max_side=MAX_SIDE)


# ---- value strategies -----------------------------------------------------------------------------
def reals(shape, lo=-2.0, hi=2.0):
    return hnp.arrays(np.float64, shape, elements=st.floats(lo, hi, allow_nan=False, allow_infinity=False))


def nonzero(shape, lo=0.5, hi=2.0):
    """|x| in [lo, hi], either sign: away from 0 (division, abs, relu)."""
    mag = st.floats(lo, hi, allow_nan=False, allow_infinity=False)
    return hnp.arrays(np.float64, shape, elements=st.one_of(mag, mag.map(lambda v: -v)))


def grid(shape, offset=0.0, unique=False):
    """Values k/10 + offset, k in [-20, 20]: two grids with offsets 0 and 0.05 never tie, and
    with unique=True no two entries tie (spacing 0.1, far above the finite-difference step)."""
    return hnp.arrays(np.float64, shape, unique=unique,
                      elements=st.integers(-20, 20).map(lambda k: k / 10 + offset))


def T(x):
    return tg.Tensor(np.asarray(x, dtype=np.float64))


def check_value(f, ref, *xs):
    """The op's forward value equals the NumPy reference (so the gradient check is of the right
    function)."""
    got = f(*[T(x) for x in xs])
    want = np.asarray(ref(*[np.asarray(x, dtype=np.float64) for x in xs]))
    assert got.shape == want.shape, (got.shape, want.shape)
    np.testing.assert_allclose(got.data, want, rtol=1e-12, atol=1e-12)


def check(f, ref, *xs, order=1):
    check_value(f, ref, *xs)
    tg.check_grad(f, *xs, order=order)  # default modes: reverse and forward
    if order == 2:
        check_tangent_derivative(f, *xs)


def check_tangent_derivative(f, *xs):
    """check_grad(order=2) differentiates the recorded vjp; this differentiates the recorded jvp:
    h(x) = <r, J(x) u> for fixed random u, r, checked by reverse and forward mode. It catches a
    jvp rule that is right to first order but not differentiable (built from constants)."""
    rng = np.random.default_rng(1)
    us = [rng.standard_normal(np.shape(x)) for x in xs]
    r = rng.standard_normal(np.shape(f(*[T(x) for x in xs]).data))

    def h(*ts):
        _, tangent = tg.jvp(f, ts, [T(u) for u in us])
        return (tangent * T(r)).sum()
    tg.check_grad(h, *xs)


# ---- the oracle itself -------------------------------------------------------------------------------
def test_check_grad_rejects_a_wrong_gradient():
    # x * x.detach() has value x², slope 2x, but autodiff sees only one factor: slope x
    with pytest.raises(tg.GradientCheckError):
        tg.check_grad(lambda x: x * x.detach(), np.array([1.0, -2.0, 0.5]))


def test_numerical_grad_of_a_selection_is_the_selection_matrix():
    # d(x[0:2])/dx is the 2x3 matrix [[1,0,0],[0,1,0]] (the output is a NumPy view of x)
    got = tg.numerical_grad(lambda x: x[0:2], np.array([0.3, -1.2, 2.0]))
    np.testing.assert_allclose(got, [[1, 0, 0], [0, 1, 0]], atol=1e-8)


# ---- elementwise unary ---------------------------------------------------------------------------------
def _sigmoid_ref(x):
    return 1 / (1 + np.exp(-x))


SMOOTH_UNARY = {
    # name: (tinygrad function, NumPy reference, value strategy for a shape)
    "neg": (lambda x: -x, np.negative, reals),
    "neg_fn": (lambda x: ops.neg(x), np.negative, reals),
    "exp": (tg.exp, np.exp, reals),
    "exp_method": (lambda x: x.exp(), np.exp, reals),
    "log": (tg.log, np.log, lambda s: reals(s, 0.5, 3.0)),
    "sqrt": (tg.sqrt, np.sqrt, lambda s: reals(s, 0.5, 3.0)),
    "sin": (tg.sin, np.sin, lambda s: reals(s, -3.0, 3.0)),
    "cos": (lambda x: x.cos(), np.cos, lambda s: reals(s, -3.0, 3.0)),
    "tanh": (tg.tanh, np.tanh, reals),
    "sigmoid": (tg.sigmoid, _sigmoid_ref, lambda s: reals(s, -4.0, 4.0)),
    "softplus": (tg.softplus, lambda x: np.log1p(np.exp(x)), lambda s: reals(s, -3.0, 3.0)),
    "identity": (ops.identity, lambda x: x.copy(), reals),
}

KINKED_UNARY = {
    "abs": (tg.abs, np.abs),
    "abs_builtin": (lambda x: abs(x), np.abs),
    "relu": (tg.relu, lambda x: np.maximum(x, 0.0)),
    "relu_method": (lambda x: x.relu(), lambda x: np.maximum(x, 0.0)),
}


@pytest.mark.parametrize("name", list(SMOOTH_UNARY))
@SETTINGS
@given(data=st.data())
def test_smooth_unary(name, data):
    f, ref, values = SMOOTH_UNARY[name]
    x = data.draw(values(data.draw(SHAPES)))
    check(f, ref, x, order=2)


@pytest.mark.parametrize("name", list(KINKED_UNARY))
@SETTINGS
@given(data=st.data())
def test_kinked_unary_away_from_the_kink(name, data):
    f, ref = KINKED_UNARY[name]
    x = data.draw(nonzero(data.draw(SHAPES), 0.1, 2.0))
    check(f, ref, x, order=2)


# derivatives known in closed form: f'(x) and f''(x), checked by reverse (grad of sum), forward
# (jvp with a tangent of ones) and grad-of-grad; no finite differences involved
_X = np.array([-1.7, -0.4, 0.3, 1.1, 2.5])
_XPOS = np.array([0.5, 0.9, 1.3, 2.0, 3.0])
_s = _sigmoid_ref
CLOSED_FORM = {
    "exp": (tg.exp, _X, np.exp, np.exp),
    "log": (tg.log, _XPOS, lambda x: 1 / x, lambda x: -1 / x ** 2),
    "sqrt": (tg.sqrt, _XPOS, lambda x: 0.5 / np.sqrt(x), lambda x: -0.25 * x ** -1.5),
    "sin": (tg.sin, _X, np.cos, lambda x: -np.sin(x)),
    "cos": (tg.cos, _X, lambda x: -np.sin(x), lambda x: -np.cos(x)),
    "tanh": (tg.tanh, _X, lambda x: 1 - np.tanh(x) ** 2, lambda x: -2 * np.tanh(x) * (1 - np.tanh(x) ** 2)),
    "sigmoid": (tg.sigmoid, _X, lambda x: _s(x) * (1 - _s(x)), lambda x: _s(x) * (1 - _s(x)) * (1 - 2 * _s(x))),
    "softplus": (tg.softplus, _X, _s, lambda x: _s(x) * (1 - _s(x))),
    "neg": (lambda x: -x, _X, lambda x: -np.ones_like(x), np.zeros_like),
    "abs": (tg.abs, _X, np.sign, np.zeros_like),
    "relu": (tg.relu, _X, lambda x: (x > 0).astype(float), np.zeros_like),
    "square": (lambda x: x ** 2, _X, lambda x: 2 * x, lambda x: 2 * np.ones_like(x)),
    "cube": (lambda x: x ** 3, _X, lambda x: 3 * x ** 2, lambda x: 6 * x),
    "reciprocal": (lambda x: 1 / x, _X, lambda x: -1 / x ** 2, lambda x: 2 / x ** 3),
    "two_pow": (lambda x: 2 ** x, _X, lambda x: 2 ** x * math.log(2), lambda x: 2 ** x * math.log(2) ** 2),
}


@pytest.mark.parametrize("name", list(CLOSED_FORM))
def test_closed_form_first_and_second_derivatives(name):
    f, x, d1, d2 = CLOSED_FORM[name]
    g = tg.grad(lambda t: f(t).sum())(T(x))
    np.testing.assert_allclose(g.data, d1(x), rtol=1e-12, atol=1e-14)
    _, tangent = tg.jvp(f, (T(x),), (T(np.ones_like(x)),))
    np.testing.assert_allclose(tangent.data, d1(x), rtol=1e-12, atol=1e-14)
    gg = tg.grad(lambda t: tg.grad(lambda u: f(u).sum())(t).sum())(T(x))
    np.testing.assert_allclose(gg.data, d2(x), rtol=1e-12, atol=1e-14)
    # backward() on the same graph gives the same as grad
    xt = tg.Tensor(x, requires_grad=True)
    f(xt).sum().backward()
    np.testing.assert_allclose(xt.grad.data, d1(x), rtol=1e-12, atol=1e-14)


# ---- elementwise binary, with broadcasting -----------------------------------------------------------
BINARY = {
    # name: (function, reference, strategy for a, strategy for b, order)
    "add": (lambda a, b: a + b, np.add, reals, reals, 2),
    "add_fn": (lambda a, b: ops.add(a, b), np.add, reals, reals, 2),
    "sub": (lambda a, b: a - b, np.subtract, reals, reals, 2),
    "mul": (lambda a, b: a * b, np.multiply, reals, reals, 2),
    "div": (lambda a, b: a / b, np.divide, reals, nonzero, 2),
    "pow": (lambda a, b: a ** b, np.power, lambda s: reals(s, 0.5, 3.0), reals, 2),
    "maximum": (tg.maximum, np.maximum, grid, lambda s: grid(s, 0.05), 2),
    "minimum": (tg.minimum, np.minimum, grid, lambda s: grid(s, 0.05), 2),
}


@pytest.mark.parametrize("name", list(BINARY))
@SETTINGS
@given(data=st.data())
def test_binary_broadcasting(name, data):
    f, ref, sa, sb, order = BINARY[name]
    (shape_a, shape_b), _ = data.draw(PAIRS)
    a, b = data.draw(sa(shape_a)), data.draw(sb(shape_b))
    check(f, ref, a, b, order=order)


# Python numbers on either side: the number becomes a constant of x's dtype
SCALAR_SIDE = {
    "x + 1.5": (lambda x: x + 1.5, reals),
    "2 + x": (lambda x: 2 + x, reals),
    "x - 3": (lambda x: x - 3, reals),
    "2 - x": (lambda x: 2 - x, reals),
    "x * 3": (lambda x: x * 3, reals),
    "-0.5 * x": (lambda x: -0.5 * x, reals),
    "x / 2": (lambda x: x / 2, reals),
    "1 / x": (lambda x: 1 / x, nonzero),
    "-3.0 / x": (lambda x: -3.0 / x, nonzero),
    "x ** 2": (lambda x: x ** 2, reals),
    "x ** 3": (lambda x: x ** 3, reals),
    "x ** 0.5": (lambda x: x ** 0.5, lambda s: reals(s, 0.5, 3.0)),
    "x ** -1.5": (lambda x: x ** -1.5, lambda s: reals(s, 0.5, 3.0)),
    "2 ** x": (lambda x: 2 ** x, reals),
    "0.5 ** x": (lambda x: 0.5 ** x, reals),
}


@pytest.mark.parametrize("expr", list(SCALAR_SIDE))
@SETTINGS
@given(data=st.data())
def test_python_number_on_either_side(expr, data):
    f, values = SCALAR_SIDE[expr]
    x = data.draw(values(data.draw(SHAPES)))
    check(f, f, x, order=2)  # the same lambda on an ndarray is the NumPy reference


@SETTINGS
@given(data=st.data())
def test_where_broadcasting(data):
    (sc, sa, sb), _ = data.draw(hnp.mutually_broadcastable_shapes(num_shapes=3, max_dims=3, max_side=MAX_SIDE))
    cond = data.draw(hnp.arrays(bool, sc))
    a, b = data.draw(reals(sa)), data.draw(reals(sb))
    check(lambda a, b: tg.where(cond, a, b), lambda a, b: np.where(cond, a, b), a, b, order=2)
    # a Python number as the other branch
    check(lambda a: tg.where(cond, a, 0.5), lambda a: np.where(cond, a, 0.5), a, order=2)


# ---- matmul -----------------------------------------------------------------------------------------
MATMUL_CASES = {
    "vector.vector": ((3,), (3,)),
    "matrix.vector": ((2, 3), (3,)),
    "vector.matrix": ((3,), (3, 4)),
    "matrix.matrix": ((2, 3), (3, 4)),
    "batch.batch": ((2, 2, 3), (2, 3, 4)),
    "batch.matrix": ((2, 2, 3), (3, 4)),
    "matrix.batch": ((2, 3), (2, 3, 4)),
    "vector.batch": ((3,), (2, 3, 2)),
    "batch.vector": ((2, 2, 3), (3,)),
    "broadcast batch dims": ((2, 1, 2, 3), (3, 3, 2)),
}


@pytest.mark.parametrize("case", list(MATMUL_CASES))
def test_matmul_cases(case):
    sa, sb = MATMUL_CASES[case]
    rng = np.random.default_rng(len(case))
    a, b = rng.standard_normal(sa), rng.standard_normal(sb)
    check(lambda a, b: a @ b, np.matmul, a, b, order=2)
    check(tg.matmul, np.matmul, a, b, order=1)


@SETTINGS
@given(data=st.data())
def test_matmul_random_shapes(data):
    # NumPy's own signature (n?,k),(k,m?)->(n?,m?): vectors, matrices and broadcast batch dims
    (sa, sb), _ = data.draw(hnp.mutually_broadcastable_shapes(signature=np.matmul.signature,
                                                               max_dims=2, max_side=MAX_SIDE))
    a, b = data.draw(reals(sa)), data.draw(reals(sb))
    check(lambda a, b: a @ b, np.matmul, a, b, order=2)


def test_rmatmul_with_an_ndarray_on_the_left():
    w = np.array([[1.0, -2.0, 0.5], [0.3, 0.7, -1.1]])
    x = np.array([0.2, -0.4, 1.5])
    check(lambda x: w @ x, lambda x: w @ x, x, order=2)


# ---- reductions ----------------------------------------------------------------------------------------
@st.composite
def shape_axis_keepdims(draw, min_dims=0):
    shape = draw(hnp.array_shapes(min_dims=min_dims, max_dims=3, min_side=1, max_side=MAX_SIDE))
    nd = len(shape)
    kind = draw(st.sampled_from(["none", "int", "tuple"] if nd else ["none", "tuple"]))
    if kind == "none":
        axis = None
    elif kind == "int":
        axis = draw(st.integers(-nd, nd - 1))
    elif nd == 0:
        axis = ()
    else:
        axes = draw(st.lists(st.integers(0, nd - 1), unique=True, max_size=nd))
        neg = draw(st.lists(st.booleans(), min_size=len(axes), max_size=len(axes)))
        axis = tuple(a - nd if n else a for a, n in zip(axes, neg))
    return shape, axis, draw(st.booleans())


def _lse_ref(x, axis=None, keepdims=False):
    m = np.max(x, axis=axis, keepdims=True)
    out = np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True)) + m
    if keepdims:
        return out
    ax = tuple(range(x.ndim)) if axis is None else axis
    return np.squeeze(out, axis=ax)


REDUCTIONS = {
    # name: (function(x, axis, keepdims), reference, values, order)
    "sum": (tg.sum, np.sum, reals, 2),
    "sum_method": (lambda x, axis, keepdims: x.sum(axis, keepdims), np.sum, reals, 2),
    "mean": (tg.mean, np.mean, reals, 2),
    "mean_method": (lambda x, axis, keepdims: x.mean(axis=axis, keepdims=keepdims), np.mean, reals, 2),
    "logsumexp": (tg.logsumexp, _lse_ref, reals, 2),
    "max": (tg.max, np.max, lambda s: grid(s, unique=True), 2),
    "min": (lambda x, axis, keepdims: x.min(axis, keepdims), np.min, lambda s: grid(s, unique=True), 2),
}


@pytest.mark.parametrize("name", list(REDUCTIONS))
@SETTINGS
@given(data=st.data())
def test_reduction_random(name, data):
    f, ref, values, order = REDUCTIONS[name]
    shape, axis, keepdims = data.draw(shape_axis_keepdims())
    x = data.draw(values(shape))
    check(lambda x: f(x, axis=axis, keepdims=keepdims), lambda x: ref(x, axis=axis, keepdims=keepdims),
          x, order=order)


@pytest.mark.parametrize("name", list(REDUCTIONS))
@pytest.mark.parametrize("axis", [None, 0, 1, -1, (0, 2), (-1, 0), (-3, -2), (0, 1, 2), ()])
@pytest.mark.parametrize("keepdims", [False, True])
def test_reduction_every_axis_kind(name, axis, keepdims):
    f, ref, _, order = REDUCTIONS[name]
    x = np.random.default_rng(7).permutation(24).reshape(2, 3, 4) / 10 - 1.2  # distinct: no ties
    check(lambda x: f(x, axis=axis, keepdims=keepdims), lambda x: ref(x, axis=axis, keepdims=keepdims),
          x, order=order)


def _softmax_ref(x, axis):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


SOFTMAXES = {
    "softmax": (tg.softmax, _softmax_ref),
    "softmax_method": (lambda x, axis: x.softmax(axis), _softmax_ref),
    "log_softmax": (tg.log_softmax, lambda x, axis: np.log(_softmax_ref(x, axis))),
    "log_softmax_method": (lambda x, axis: x.log_softmax(axis=axis), lambda x, axis: np.log(_softmax_ref(x, axis))),
}


@pytest.mark.parametrize("name", list(SOFTMAXES))
@SETTINGS
@given(data=st.data())
def test_softmax_family(name, data):
    f, ref = SOFTMAXES[name]
    shape = data.draw(SHAPES_1D_UP)
    axis = data.draw(st.integers(-len(shape), len(shape) - 1))
    x = data.draw(reals(shape, -3.0, 3.0))
    check(lambda x: f(x, axis), lambda x: ref(x, axis), x, order=2)


def test_softmax_default_axis_is_last():
    x = np.array([[0.1, 2.0, -1.0], [0.5, 0.5, 3.0]])
    check(tg.softmax, lambda x: _softmax_ref(x, -1), x, order=2)
    check(tg.log_softmax, lambda x: np.log(_softmax_ref(x, -1)), x, order=2)


# ---- shape ops --------------------------------------------------------------------------------------
def _factorizations(n, parts):
    if parts == 1:
        return [(n,)]
    return [(d,) + rest for d in range(1, n + 1) if n % d == 0 for rest in _factorizations(n // d, parts - 1)]


@st.composite
def reshape_case(draw):
    shape = draw(SHAPES)
    size = int(np.prod(shape))
    target = draw(st.sampled_from([f for p in (1, 2, 3) for f in _factorizations(size, p)]))
    if draw(st.booleans()):  # one -1
        i = draw(st.integers(0, len(target) - 1))
        target = target[:i] + (-1,) + target[i + 1:]
    return shape, target


@SETTINGS
@given(case=reshape_case(), data=st.data())
def test_reshape(case, data):
    shape, target = case
    x = data.draw(reals(shape))
    check(lambda x: tg.reshape(x, target), lambda x: np.reshape(x, target), x, order=2)
    check(lambda x: x.reshape(*target), lambda x: np.reshape(x, target), x, order=1)


@SETTINGS
@given(shape=SHAPES, data=st.data())
def test_transpose_and_permute(shape, data):
    x = data.draw(reals(shape))
    nd = len(shape)
    perm = tuple(data.draw(st.permutations(range(nd))))
    neg = tuple(a - nd if data.draw(st.booleans()) else a for a in perm)  # negative axes too
    check(lambda x: tg.transpose(x, neg), lambda x: np.transpose(x, perm), x, order=2)
    check(lambda x: tg.permute(x, perm), lambda x: np.transpose(x, perm), x, order=1)
    check(lambda x: x.T, lambda x: x.T, x, order=2)
    check(lambda x: tg.transpose(x), np.transpose, x, order=1)
    if nd >= 2:  # the one-axis call x.permute(0) has its own test below
        check(lambda x: x.permute(*perm), lambda x: np.transpose(x, perm), x, order=1)
        check(lambda x: x.transpose(*perm), lambda x: np.transpose(x, perm), x, order=1)
        check(lambda x: x.transpose(perm), lambda x: np.transpose(x, perm), x, order=1)


@pytest.mark.parametrize("method", ["permute", "transpose"])
def test_permute_method_on_a_vector(method):
    # like x.reshape(3) and PyTorch's x.permute(0): the identity permutation of a 1-d tensor
    x = np.array([0.5, -1.0, 2.0])
    check(lambda x: getattr(x, method)(0), lambda x: x, x, order=1)


@st.composite
def broadcast_case(draw):
    target = draw(SHAPES)
    lead = draw(st.integers(0, len(target)))
    src = tuple(1 if draw(st.booleans()) else n for n in target[lead:])
    return src, target


@SETTINGS
@given(case=broadcast_case(), data=st.data())
def test_broadcast_to(case, data):
    src, target = case
    x = data.draw(reals(src))
    check(lambda x: tg.broadcast_to(x, target), lambda x: np.broadcast_to(x, target), x, order=2)
    check(lambda x: x.broadcast_to(target), lambda x: np.broadcast_to(x, target), x, order=1)


@SETTINGS
@given(case=broadcast_case(), data=st.data())
def test_sum_to(case, data):
    # sum_to, broadcast_to's adjoint, is the primitive that undoes broadcasting in the reverse sweep
    small, big = case
    x = data.draw(reals(big))

    def ref(x):
        lead = x.ndim - len(small)
        s = x.sum(axis=tuple(range(lead))) if lead else x
        return s.sum(axis=tuple(i for i, n in enumerate(small) if n == 1), keepdims=True).reshape(small)
    check(lambda x: ops.sum_to(x, small), ref, x, order=2)


@st.composite
def squeeze_case(draw):
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=4, min_side=1, max_side=2))
    ones = [i for i, n in enumerate(shape) if n == 1]
    axis = None
    if ones and draw(st.booleans()):
        pick = draw(st.lists(st.sampled_from(ones), unique=True, min_size=1))
        axis = pick[0] - len(shape) if len(pick) == 1 and draw(st.booleans()) else tuple(pick)
    return shape, axis


@SETTINGS
@given(case=squeeze_case(), data=st.data())
def test_squeeze_unsqueeze(case, data):
    shape, axis = case
    x = data.draw(reals(shape))
    check(lambda x: tg.squeeze(x, axis), lambda x: np.squeeze(x, axis), x, order=2)
    check(lambda x: x.squeeze(axis), lambda x: np.squeeze(x, axis), x, order=1)
    where = data.draw(st.integers(-len(shape) - 1, len(shape)))
    check(lambda x: tg.unsqueeze(x, where), lambda x: np.expand_dims(x, where), x, order=2)
    check(lambda x: x.unsqueeze(where), lambda x: np.expand_dims(x, where), x, order=1)


# ---- indexing ------------------------------------------------------------------------------------------
@st.composite
def basic_index_case(draw):
    shape = draw(SHAPES_1D_UP)
    return shape, draw(hnp.basic_indices(shape, allow_newaxis=True))


@SETTINGS
@given(case=basic_index_case(), data=st.data())
def test_getitem_basic(case, data):
    # integers, slices (steps, negative steps, empty), Ellipsis, None
    shape, index = case
    x = data.draw(reals(shape))
    check(lambda x: x[index], lambda x: x[index], x, order=2)


@st.composite
def int_array_index_case(draw):
    shape = draw(SHAPES_1D_UP)
    index = draw(hnp.integer_array_indices(
        shape, result_shape=hnp.array_shapes(min_dims=1, max_dims=2, max_side=4)))
    return shape, index


@SETTINGS
@given(case=int_array_index_case(), data=st.data())
def test_getitem_integer_arrays(case, data):
    # integer-array indices (negative and repeated ones included): the gradient scatter-adds
    shape, index = case
    x = data.draw(reals(shape))
    check(lambda x: x[index], lambda x: x[index], x, order=2)
    # an integer array on the first axis only, with a slice after it (mixed indexing)
    first = index[0]
    check(lambda x: x[first, ...], lambda x: x[first, ...], x, order=2)
    if len(shape) >= 2:
        check(lambda x: x[first, 1:], lambda x: x[first, 1:], x, order=2)


@SETTINGS
@given(shape=SHAPES_1D_UP, data=st.data())
def test_getitem_boolean_masks(shape, data):
    x = data.draw(reals(shape))
    full = data.draw(hnp.arrays(bool, shape))
    check(lambda x: x[full], lambda x: x[full], x, order=2)
    first = data.draw(hnp.arrays(bool, shape[:1]))
    check(lambda x: x[first], lambda x: x[first], x, order=2)
    # a mask given as a (boolean) Tensor
    check(lambda x: x[tg.Tensor(full)], lambda x: x[full], x, order=1)


def test_getitem_repeated_indices_scatter_add_known_value():
    # x[[0,0,1]].sum() = 2 x0 + x1: gradient [2, 1, 0, 0]
    x = tg.Tensor([0.5, -1.0, 2.0, 3.0], requires_grad=True)
    x[[0, 0, 1]].sum().backward()
    np.testing.assert_array_equal(x.grad.data, [2.0, 1.0, 0.0, 0.0])
    # the same through grad, with an ndarray index and weights: d/dx Σ w_k x[i_k]
    w = np.array([1.0, 10.0, 100.0, 1000.0])
    g = tg.grad(lambda x: (x[np.array([3, 0, 3, -1])] * T(w)).sum())(T([0.0, 0.0, 0.0, 0.0]))
    np.testing.assert_array_equal(g.data, [10.0, 0.0, 0.0, 1101.0])
    # forward mode: the tangent of x[[0,0,1]] is t[[0,0,1]]
    _, t = tg.jvp(lambda x: x[[0, 0, 1]], (T([1.0, 2.0, 3.0, 4.0]),), (T([1.0, 2.0, 3.0, 4.0]),))
    np.testing.assert_array_equal(t.data, [1.0, 1.0, 2.0])
    check(lambda x: x[[0, 0, 1]], lambda x: x[[0, 0, 1]], np.array([0.5, -1.0, 2.0, 3.0]), order=2)


def test_getitem_repeated_indices_2d():
    # rows [1, 1, 0] of a 3x2 matrix: row 1 gets twice the (unit) gradient, row 2 none
    x = tg.Tensor(np.zeros((3, 2)), requires_grad=True)
    x[[1, 1, 0]].sum().backward()
    np.testing.assert_array_equal(x.grad.data, [[1, 1], [2, 2], [0, 0]])
    x = tg.Tensor(np.zeros((3, 2)), requires_grad=True)
    x[[2, 2, 2], [1, 1, 0]].sum().backward()
    np.testing.assert_array_equal(x.grad.data, [[0, 0], [0, 0], [1, 2]])


# ---- concatenate, stack ----------------------------------------------------------------------------------
@st.composite
def concat_case(draw):
    base = draw(SHAPES_1D_UP)
    nd = len(base)
    axis = draw(st.integers(-nd, nd - 1))
    n = draw(st.integers(1, 3))
    shapes = [base[:axis % nd] + (draw(st.integers(1, MAX_SIDE)),) + base[axis % nd + 1:] for _ in range(n)]
    return shapes, axis


@SETTINGS
@given(case=concat_case(), data=st.data())
def test_concatenate(case, data):
    shapes, axis = case
    xs = [data.draw(reals(s)) for s in shapes]
    check(lambda *xs: tg.concatenate(list(xs), axis), lambda *xs: np.concatenate(xs, axis), *xs, order=2)
    check(lambda *xs: tg.cat(xs, axis=axis), lambda *xs: np.concatenate(xs, axis), *xs, order=1)


@SETTINGS
@given(shape=SHAPES, data=st.data())
def test_stack(shape, data):
    n = data.draw(st.integers(1, 3))
    xs = [data.draw(reals(shape)) for _ in range(n)]
    axis = data.draw(st.integers(-len(shape) - 1, len(shape)))
    check(lambda *xs: tg.stack(list(xs), axis), lambda *xs: np.stack(xs, axis), *xs, order=2)


def test_concatenate_the_same_tensor_twice_adds_gradients():
    # cat([x, x]).sum() = 2 Σ x: gradient 2 everywhere
    x = tg.Tensor([1.0, -2.0], requires_grad=True)
    tg.cat([x, x]).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [2.0, 2.0])
    check(lambda x: tg.stack([x, 2 * x], axis=1), lambda x: np.stack([x, 2 * x], axis=1),
          np.array([1.0, -2.0, 0.5]), order=2)


# ---- compositions (rules interacting; what a network does) ---------------------------------------------
def test_composite_chain():
    rng = np.random.default_rng(3)
    x, w, b = rng.standard_normal((4, 3)), rng.standard_normal((3, 2)), rng.standard_normal(2)

    def f(x, w, b):
        h = tg.tanh(x @ w + b)
        return (tg.log_softmax(h, axis=1) * T([[1.0, 0.0]])).sum() + tg.softplus(h).mean() + (h ** 2).max()

    tg.check_grad(f, x, w, b, order=2)


# ---- conventions at non-differentiable points (exact values) --------------------------------------------
def _grads(f, *xs):
    ts = [tg.Tensor(np.asarray(x, dtype=np.float64), requires_grad=True) for x in xs]
    f(*ts).sum().backward()
    return [t.grad.data for t in ts]


def _tangent(f, xs, ts):
    return tg.jvp(f, tuple(T(x) for x in xs), tuple(T(t) for t in ts))[1].data


def test_relu_derivative_at_zero_is_zero():
    (g,) = _grads(tg.relu, [-1.0, 0.0, 2.0])
    np.testing.assert_array_equal(g, [0.0, 0.0, 1.0])
    np.testing.assert_array_equal(_tangent(tg.relu, [[-1.0, 0.0, 2.0]], [[1.0, 1.0, 1.0]]), [0.0, 0.0, 1.0])
    np.testing.assert_array_equal(tg.grad(lambda x: tg.relu(x))(T(0.0)).data, 0.0)


def test_abs_derivative_at_zero_is_zero():
    (g,) = _grads(tg.abs, [-2.0, 0.0, 3.0])
    np.testing.assert_array_equal(g, [-1.0, 0.0, 1.0])
    np.testing.assert_array_equal(_tangent(tg.abs, [[-2.0, 0.0, 3.0]], [[1.0, 1.0, 1.0]]), [-1.0, 0.0, 1.0])


@pytest.mark.parametrize("fn", [tg.maximum, tg.minimum])
def test_maximum_minimum_tie_gives_half_to_each(fn):
    ga, gb = _grads(fn, [1.5, 2.0, -1.0], [1.5, 2.0, -1.0])
    np.testing.assert_array_equal(ga, [0.5, 0.5, 0.5])
    np.testing.assert_array_equal(gb, [0.5, 0.5, 0.5])
    # forward mode: tangent 1 on one side only gives half
    np.testing.assert_array_equal(_tangent(fn, [[1.5], [1.5]], [[1.0], [0.0]]), [0.5])
    np.testing.assert_array_equal(_tangent(fn, [[1.5], [1.5]], [[0.0], [1.0]]), [0.5])


def test_maximum_tie_under_broadcasting():
    # maximum(a, b) with scalar a = 2 and b = [2, 2, 1, 3]: a ties twice (0.5 + 0.5), wins once (1),
    # loses once (0): da = 2; db = [0.5, 0.5, 0, 1]
    ga, gb = _grads(tg.maximum, 2.0, [2.0, 2.0, 1.0, 3.0])
    np.testing.assert_array_equal(ga, 2.0)
    np.testing.assert_array_equal(gb, [0.5, 0.5, 0.0, 1.0])
    # with a Python number: maximum(x, 0) at x = 0 is a tie
    (g,) = _grads(lambda x: tg.maximum(x, 0.0), [0.0, -1.0, 1.0])
    np.testing.assert_array_equal(g, [0.5, 0.0, 1.0])


def test_max_min_reduction_ties_split_evenly():
    (g,) = _grads(tg.max, [1.0, 3.0, 3.0])
    np.testing.assert_array_equal(g, [0.0, 0.5, 0.5])
    (g,) = _grads(tg.min, [2.0, 1.0, 1.0, 1.0])
    np.testing.assert_allclose(g, [0.0, 1 / 3, 1 / 3, 1 / 3], rtol=1e-15)
    # along an axis, each row splits its own ties
    (g,) = _grads(lambda x: tg.max(x, axis=1), [[1.0, 3.0, 3.0], [5.0, 4.0, 5.0], [0.0, 7.0, -1.0]])
    np.testing.assert_array_equal(g, [[0.0, 0.5, 0.5], [0.5, 0.0, 0.5], [0.0, 1.0, 0.0]])
    (g,) = _grads(lambda x: tg.max(x, axis=0, keepdims=True), [[2.0, 1.0], [2.0, 0.0]])
    np.testing.assert_array_equal(g, [[0.5, 1.0], [0.5, 0.0]])
    # forward mode: the tangent of the max is the mean of the tied entries' tangents
    np.testing.assert_array_equal(_tangent(tg.max, [[1.0, 3.0, 3.0]], [[5.0, 1.0, 0.0]]), 0.5)
    np.testing.assert_array_equal(_tangent(tg.max, [[1.0, 3.0, 3.0]], [[5.0, 1.0, 3.0]]), 2.0)


# ---- numerical stability at ±1000 -------------------------------------------------------------------------
@pytest.fixture
def strict_numpy():
    """Any NumPy warning is an error (overflow, invalid, divide; underflow to 0 is fine)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            yield


BIG = [-1000.0, 1000.0]


def _finite_value_grad_and_tangent(f, x):
    y = f(T(x))
    assert np.all(np.isfinite(y.data)), y
    (g,) = _grads(f, x)
    assert np.all(np.isfinite(g)), g
    t = _tangent(f, [x], [np.ones_like(np.asarray(x))])
    assert np.all(np.isfinite(t)), t
    return y.data, g, t


def test_sigmoid_at_pm_1000(strict_numpy):
    y, g, t = _finite_value_grad_and_tangent(tg.sigmoid, BIG)
    np.testing.assert_allclose(y, [0.0, 1.0], atol=1e-300)        # σ(-1000) ≈ e^-1000, σ(1000) ≈ 1
    np.testing.assert_allclose(g, [0.0, 0.0], atol=1e-300)        # σ' = σ(1-σ) ≈ e^-1000
    np.testing.assert_allclose(t, [0.0, 0.0], atol=1e-300)
    gg = tg.grad(lambda x: tg.grad(lambda u: tg.sigmoid(u).sum())(x).sum())(T(BIG)).data
    assert np.all(np.isfinite(gg))


def test_sigmoid_slope_does_not_round_to_zero_in_the_tail(strict_numpy):
    # σ'(x) = e^{-x}/(1+e^{-x})² ≈ e^{-x} for large x; 1 − σ(x) is exactly 0 in float64 from x ≈ 36.7
    x = np.array([40.0, -40.0, 700.0])
    g = tg.grad(lambda u: tg.sigmoid(u).sum())(T(x)).data
    np.testing.assert_allclose(g, np.exp(-np.abs(x)), rtol=1e-12)
    logslope = tg.grad(lambda u: tg.log(tg.grad(lambda v: tg.sigmoid(v).sum())(u)).sum())(T(x)).data
    np.testing.assert_allclose(logslope, -np.sign(x), rtol=1e-12)   # d/dx log σ'(x) = 1 − 2σ(x)


def test_softplus_at_pm_1000(strict_numpy):
    y, g, t = _finite_value_grad_and_tangent(tg.softplus, BIG)
    np.testing.assert_allclose(y, [0.0, 1000.0], atol=1e-300)     # log(1+e^-1000) ≈ e^-1000; 1000 + log(1+e^-1000)
    np.testing.assert_allclose(g, [0.0, 1.0], atol=1e-300)        # softplus' = σ
    np.testing.assert_allclose(t, [0.0, 1.0], atol=1e-300)


def test_log_softmax_of_huge_logits(strict_numpy):
    x = [1000.0, -1000.0, 0.0]
    y, g, t = _finite_value_grad_and_tangent(tg.log_softmax, x)
    # logsumexp = 1000 + log(1 + e^-1000 + e^-2000) = 1000 in float64
    np.testing.assert_allclose(y, [0.0, -2000.0, -1000.0], atol=1e-12)
    # Σ_j ∂ls_j/∂x_i = 1 - n·softmax_i = [1 - 3, 1, 1]
    np.testing.assert_allclose(g, [-2.0, 1.0, 1.0], atol=1e-12)
    # the tangent of ls_j along ones is 1 - Σ softmax = 0
    np.testing.assert_allclose(t, [0.0, 0.0, 0.0], atol=1e-12)
    s, gs, _ = _finite_value_grad_and_tangent(tg.softmax, [[1000.0, 1000.0, -1000.0]])
    np.testing.assert_allclose(s, [[0.5, 0.5, 0.0]], atol=1e-300)
    # Σ softmax = 1 is constant: gradient 0, up to the rounding of x - lse at magnitude 1000
    # (ulp(1000) ≈ 1.1e-13)
    np.testing.assert_allclose(gs, [[0.0, 0.0, 0.0]], atol=1e-12)
    lse, gl, _ = _finite_value_grad_and_tangent(tg.logsumexp, [1000.0, 1000.0])
    np.testing.assert_allclose(lse, 1000.0 + math.log(2), rtol=1e-15)
    np.testing.assert_allclose(gl, [0.5, 0.5], atol=1e-12)      # rounding as above


# ---- float32 stays float32 ----------------------------------------------------------------------------------
F32_OPS = {
    "x * 2.0": lambda x: x * 2.0,
    "2.0 * x": lambda x: 2.0 * x,
    "x + 1": lambda x: x + 1,
    "1 - x": lambda x: 1 - x,
    "x / 2": lambda x: x / 2,
    "1 / x": lambda x: 1 / x,
    "x ** 2": lambda x: x ** 2,
    "x ** 0.5": lambda x: x ** 0.5,
    "2 ** x": lambda x: 2 ** x,
    "x * x": lambda x: x * x,
    "-x": lambda x: -x,
    "exp": tg.exp, "log": tg.log, "sqrt": tg.sqrt, "sin": tg.sin, "cos": tg.cos, "tanh": tg.tanh,
    "abs": tg.abs, "sigmoid": tg.sigmoid, "softplus": tg.softplus, "relu": tg.relu,
    "maximum": lambda x: tg.maximum(x, 1.5), "minimum": lambda x: tg.minimum(x, 1.5),
    "where": lambda x: tg.where(x.data > 1.5, x, 0.0),
    "sum": lambda x: x.sum(axis=1), "mean": lambda x: x.mean(axis=0, keepdims=True),
    "max": lambda x: x.max(axis=1), "min": lambda x: x.min(),
    "logsumexp": lambda x: x.logsumexp(axis=1), "softmax": tg.softmax, "log_softmax": tg.log_softmax,
    "matmul": lambda x: x @ tg.Tensor(np.ones((3, 2), np.float32)),
    "matvec": lambda x: x @ tg.Tensor(np.ones(3, np.float32)),
    "reshape": lambda x: x.reshape(-1), "transpose": lambda x: x.T,
    "broadcast_to": lambda x: x.broadcast_to((4, 2, 3)),
    "getitem": lambda x: x[[0, 0], 1:], "cat": lambda x: tg.cat([x, x], axis=1),
    "stack": lambda x: tg.stack([x, x]), "unsqueeze": lambda x: x.unsqueeze(0),
}


@pytest.mark.parametrize("name", list(F32_OPS))
def test_float32_stays_float32(name):
    f = F32_OPS[name]
    x0 = np.array([[0.5, 1.0, 2.0], [1.25, 0.75, 3.0]], np.float32)
    x = tg.Tensor(x0, requires_grad=True)
    y = f(x)
    assert y.dtype == np.float32, f"value: {y.dtype}"
    y.backward(np.ones(y.shape, np.float32))
    assert x.grad.dtype == np.float32, f"reverse gradient: {x.grad.dtype}"
    _, t = tg.jvp(f, (tg.Tensor(x0),), (tg.Tensor(np.ones_like(x0)),))
    assert t.dtype == np.float32, f"forward tangent: {t.dtype}"



def test_sigmoid_second_derivative_at_zero_is_plus_zero_and_reprs_show_no_minus_zero():
    """σ″(0) = σ′(0)·tanh(0) = 0, with no sign (a learner reading hessian(σ)(0) should see 0)."""
    import tinygrad_cn as tg
    d2 = tg.grad(tg.grad(lambda a: tg.sigmoid(a)))(0.0)
    assert d2.item() == 0.0 and not np.signbit(d2.item())
    assert repr(-tg.Tensor(0.0)) == "Tensor(0.)" and "-0." not in repr(tg.Tensor([-0.0, 1.0]))
