"""Numerical differentiation (NNDL eqs. 5.58, 5.59) and check_grad, including that it catches bugs."""
import warnings

import numpy as np
import pytest

import tinygrad_cn as tg
from tinygrad_cn import Primitive


def _const(arr):
    """A constant tensor: a rule built from it is right to first order only (the point of these tests)."""
    return tg.Tensor(arr)


def test_truncation_error_orders_of_forward_and_central_differences():
    # Taylor: forward error ≈ Δx/2·f''(x), central error ≈ Δx²/6·f'''(x); for exp at 1 all derivatives are e
    x, dx = 1.0, 1e-4
    fwd = tg.numerical_grad(tg.exp, x, eps=dx, method="forward")
    cen = tg.numerical_grad(tg.exp, x, eps=dx, method="central")
    assert (fwd - np.e) / (dx / 2 * np.e) == pytest.approx(1, rel=1e-3)
    assert (cen - np.e) / (dx ** 2 / 6 * np.e) == pytest.approx(1, rel=1e-2)


def test_numerical_jacobian_shape_and_values():
    A = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    J = tg.numerical_grad(lambda x: tg.Tensor(A) @ x, np.zeros(2))
    assert J.shape == (3, 2)
    np.testing.assert_allclose(J, A, rtol=1e-8)   # round-off ≈ ε·|f|/Δx
    gx, gy = tg.numerical_grad(lambda x, y: (x * y).sum(), np.array([1.0, 2.0]), np.array([3.0, 4.0]))
    np.testing.assert_allclose(gx, [3, 4], rtol=1e-8)   # round-off ≈ ε·|f|/Δx
    np.testing.assert_allclose(gy, [1, 2], rtol=1e-8)   # round-off ≈ ε·|f|/Δx


def test_numerical_grad_does_not_change_its_inputs():
    x = np.array([1.0, 2.0])
    t = tg.Tensor(x.copy())
    tg.numerical_grad(lambda a: (a * a).sum(), x)
    tg.numerical_grad(lambda a: (a * a).sum(), t)
    assert x.tolist() == [1.0, 2.0] and t.numpy().tolist() == [1.0, 2.0]


def test_check_grad_passes_and_reports_errors():
    report = tg.check_grad(lambda a, b: (a @ b).tanh(), np.random.default_rng(0).standard_normal((3, 4)),
                           np.random.default_rng(1).standard_normal((4, 2)))
    assert report.methods == {1: "jacobian"}
    assert set(report.worst) == {(1, 0, "reverse"), (1, 1, "reverse"), (1, 0, "forward"), (1, 1, "forward")}
    assert max(report.worst.values()) < 1e-8


def test_check_grad_uses_projections_for_large_inputs():
    rng = np.random.default_rng(0)
    report = tg.check_grad(lambda W, x: tg.sigmoid(x @ W.T).sum(), rng.standard_normal((50, 40)),
                           rng.standard_normal((8, 40)), max_entries=100)
    assert report.methods == {1: "projections"}


# a primitive with a wrong reverse rule, and one whose first derivative is right but not differentiable
_wrong_vjp = Primitive("wrong_sin", np.sin, vjp=(lambda g, o, a: g * tg.sin(a),),
                       jvp=(lambda t, o, a: t * tg.cos(a),))
_frozen_rule = Primitive("frozen_sin", np.sin, vjp=(lambda g, o, a: g * _const(np.cos(a.data)),),
                         jvp=(lambda t, o, a: t * _const(np.cos(a.data)),))


def test_check_grad_names_input_mode_entry_values_and_errors():
    x = np.array([0.1, 0.5, 1.0])
    with pytest.raises(tg.GradientCheckError) as e:
        tg.check_grad(lambda x: _wrong_vjp(x).sum(), x)
    msg = str(e.value)
    # the worst entry is x = 0.1: sin 0.1 = 0.0998 against cos 0.1 = 0.995
    assert "input 0 (shape (3,))" in msg and "reverse mode" in msg and "entry ∂out/∂x[0]" in msg
    assert f"{np.sin(0.1):.10g}" in msg and f"{np.cos(0.1):.10g}" in msg     # both values
    assert "abs error" in msg and "rel error" in msg
    tg.check_grad(lambda x: _wrong_vjp(x).sum(), x, modes=("forward",))   # the jvp rule is right


def test_check_grad_order_2_catches_a_rule_that_is_not_differentiable():
    x = np.array([0.3, 1.2])
    tg.check_grad(lambda x: _frozen_rule(x).sum(), x)                       # first order is right
    with pytest.raises(tg.GradientCheckError, match=r"order 2\).*reverse mode"):
        tg.check_grad(lambda x: _frozen_rule(x).sum(), x, order=2)
    report = tg.check_grad(lambda x: tg.sin(x).sum(), x, order=2)
    assert {o for o, _, _ in report.worst} == {1, 2}


def test_check_grad_warns_for_float32():
    with pytest.warns(UserWarning, match="float32"):
        tg.check_grad(lambda x: (x * x).sum(), np.ones(2, np.float32))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        tg.check_grad(lambda x: (x * x).sum(), np.ones(2))


# a tanh whose vjp rule is differentiable but whose jvp rule is frozen: only h(x) = ⟨v, J(x) r⟩ sees it
_frozen_jvp = Primitive("frozen_jvp_tanh", np.tanh, vjp=(lambda g, o, a: g * (1 - o * o),),
                        jvp=(lambda t, o, a: t * _const(1 - np.tanh(a.data) ** 2),))


def test_check_grad_order_2_differentiates_the_jvp_rules_too():
    x = np.array([0.3, -0.7])
    tg.check_grad(lambda x: _frozen_jvp(x).sum(), x)
    with pytest.raises(tg.GradientCheckError, match=r"order 2"):
        tg.check_grad(lambda x: _frozen_jvp(x).sum(), x, order=2)
