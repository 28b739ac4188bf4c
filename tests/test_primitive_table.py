"""Every row of the primitive table, checked from the row itself.

Each row carries ``sample(rng)``: valid random inputs and parameters. From them, for every row the
package defines: its value as a recorded op is its NumPy forward; a differentiable row passes
``check_grad`` by reverse and forward mode against central differences (NNDL eq. 5.59) in
float64, and at order 2 where it is smooth; a non-differentiable row (a comparison, a mask) is
recorded but passes no gradient. A row without a sample fails here, so a new primitive cannot go
untested. A primitive defined in user code, through the public ``tg.Primitive``, is drawn, shown
in the step tables and checked like the engine's own.
"""
import os
import pathlib
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tinygrad_cn as tg
from tinygrad_cn.core.graph import enter_mode, exit_mode

ROOT = pathlib.Path(__file__).resolve().parents[1]
_LIST = "import tinygrad_cn; print(' '.join(sorted(tinygrad_cn.PRIMITIVES)))"


def _package_rows():
    # in a fresh interpreter: test files register user-defined rows of their own in the same table
    out = subprocess.run([sys.executable, "-c", _LIST], cwd=ROOT, capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    return out.stdout.split()


ROWS = _package_rows()
DIFFERENTIABLE = [n for n in ROWS if tg.PRIMITIVES[n].differentiable]
NONDIFF = [n for n in ROWS if not tg.PRIMITIVES[n].differentiable]
SEEDS = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def test_the_table_has_the_design_rows_and_each_carries_a_sample():
    assert {"add", "mul", "div", "pow", "exp", "log", "matmul", "sum", "max", "reshape", "transpose",
            "broadcast_to", "sum_to", "getitem", "scatter_add", "concatenate", "where"} <= set(ROWS)
    missing = [n for n in ROWS if tg.PRIMITIVES[n].sample is None]
    assert not missing, f"rows without sample inputs (so without tests): {missing}"


def _split(row, arrays, params):
    """The inputs to differentiate (floating, with a vjp rule) and the row as a function of them alone."""
    wrt = [i for i, a in enumerate(arrays) if a.dtype.kind == "f" and row.vjp[i] is not None]

    def f(*xs):
        args = [tg.Tensor(a) for a in arrays]
        for i, x in zip(wrt, xs):
            args[i] = x
        return row(*args, **params)
    return wrt, f


@pytest.mark.parametrize("name", DIFFERENTIABLE)
@SEEDS
@given(seed=st.integers(0, 2**32 - 1))
def test_row_value_and_derivatives(name, seed):
    row = tg.PRIMITIVES[name]
    arrays, params = row.sample(np.random.default_rng(seed))
    arrays = [np.asarray(a) for a in arrays]
    got = row(*[tg.Tensor(a) for a in arrays], **params)
    np.testing.assert_array_equal(got.data, row.forward(*arrays, **params))
    wrt, f = _split(row, arrays, params)
    tg.check_grad(f, *[arrays[i] for i in wrt], order=2 if row.smooth else 1)


@pytest.mark.parametrize("name", NONDIFF)
@SEEDS
@given(seed=st.integers(0, 2**32 - 1))
def test_nondifferentiable_rows_are_recorded_and_pass_no_gradient(name, seed):
    row = tg.PRIMITIVES[name]
    arrays, params = row.sample(np.random.default_rng(seed))
    inputs = [tg.Tensor(np.asarray(a, dtype=np.float64), requires_grad=True) for a in arrays]
    y = row(*inputs, **params)
    np.testing.assert_array_equal(y.data, row.forward(*[np.asarray(a, np.float64) for a in arrays], **params))
    assert y.prim is row and y.inputs == tuple(inputs) and not y.requires_grad
    # used inside a differentiable expression, it is a constant factor: d(x · m(x))/dx = m(x)
    x = inputs[0]
    m = row(*inputs, **params)
    if m.shape == x.shape and m.dtype.kind == "f":
        (x * m).sum().backward()
        np.testing.assert_array_equal(x.grad.data, m.data)


def _bits(x):
    x = np.asarray(x)
    return x.dtype, x.shape, x.tobytes()


@pytest.mark.parametrize("name", [n for n in DIFFERENTIABLE if tg.PRIMITIVES[n].array_rules])
@SEEDS
@given(seed=st.integers(0, 2**32 - 1), single=st.booleans())
def test_rules_run_on_bare_arrays_give_the_tensor_rules_bits(name, seed, single):
    # plain backward() and jvp run these rows' rules on the bare arrays (no tensor per op): the same
    # NumPy calls, so the same bits as the rules run on tensors, in float64 and float32, ±0 too
    row = tg.PRIMITIVES[name]
    rng = np.random.default_rng(seed)
    arrays, params = row.sample(rng)
    dtype = np.float32 if single else np.float64
    arrays = [np.asarray(a, dtype) if np.asarray(a).dtype.kind == "f" else np.asarray(a) for a in arrays]
    inputs = [tg.Tensor(a, requires_grad=a.dtype.kind == "f") for a in arrays]
    out = row(*inputs, **params)

    def signed(shape):
        v = np.asarray(rng.standard_normal(shape), dtype)
        v.flat[:2] = (0.0, -0.0)[:v.size]
        return v
    for kind, rules in (("vjp", row.vjp), ("jvp", row.jvp)):
        for i in range(len(inputs)):
            rule = rules[i]
            if rule is None or not inputs[i].requires_grad:
                continue
            v = signed(out.shape if kind == "vjp" else inputs[i].shape)
            with tg.no_grad():
                on_tensors = rule(tg.Tensor(v), out, *inputs, **params)
            token = enter_mode(grad=False, arrays=True)
            try:
                on_arrays = rule(v, out.data, *arrays, **params)
            finally:
                exit_mode(token)
            assert _bits(on_arrays) == _bits(on_tensors.data), f"{name}: the {kind} rule of input {i} differs"


# ---- a primitive defined in user code, in one place --------------------------------------------------
# f(x) = x³ with its own rules and notation: nothing else in the package knows it
cube = tg.Primitive("user_cube", lambda a: a ** 3,
                    vjp=(lambda g, out, a: g * 3 * a * a,),
                    jvp=(lambda t, out, a: t * 3 * a * a,),
                    notation=tg.Notation("³", "{0}³", "{0}**3", 4))


def test_a_user_primitive_is_drawn_tabulated_and_checked_like_the_engines_own():
    x = tg.Tensor(1.5, requires_grad=True, name="x")
    y = cube(x).named("y")
    f = (y + 1).named("f")
    assert f.item() == 1.5 ** 3 + 1
    tg.check_grad(cube, np.array([1.5, -0.7]), order=2)          # reverse and forward, orders 1 and 2
    table = tg.trace.forward_table(f, x)
    assert "y = x³" in table and "f = y + 1" in table
    assert tg.trace.forward_steps(f, x)[0].total == pytest.approx(3 * 1.5 ** 2)
    assert "³" in tg.draw(f).source
    f.backward()
    assert x.grad.item() == pytest.approx(3 * 1.5 ** 2)
    assert cube(2.0).item() == 8.0 and cube([1.0, 2.0]).tolist() == [1.0, 8.0]   # numbers and lists too


def test_a_taken_name_is_refused():
    with pytest.raises(ValueError, match="'exp' is taken"):
        tg.Primitive("exp", np.exp, vjp=(lambda g, o, a: g * o,), jvp=(lambda t, o, a: t * o,))
    assert tg.PRIMITIVES["exp"].forward is np.exp
