"""Numerical differentiation (NNDL eqs. 5.58, 5.59): truncation orders, Jacobians, fresh copies,
and the five-point slopes that tell a kink from a smooth point."""
import numpy as np
import pytest

import tinygrad_cn as tg
from tinygrad_cn.core.differences import FreshCalls, slopes


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


def _scales_its_input(x):
    """f(x) = x² in value, but it first writes 100·x into its argument (a bug in user code)."""
    x.data *= 100
    return (x * x).sum() / 10000


def test_numerical_grad_evaluates_fresh_copies_and_names_an_input_changed_in_place():
    # d(x²)/dx = 2 at x = 1; reusing one perturbed array, each call would scale the last one's
    # perturbation by 100 and the difference would be garbage
    with pytest.warns(UserWarning, match=r"numerical_grad: the function changed input 0 in place"):
        got = tg.numerical_grad(_scales_its_input, np.array([1.0]))
    np.testing.assert_allclose(got, [2.0], rtol=1e-6)
    with pytest.warns(UserWarning, match=r"changed input 1 in place"):
        tg.numerical_grad(lambda a, b: (a * _scales_its_input(b)), np.array(1.0), np.array([1.0]))


def test_numerical_grad_names_a_reassigned_data_attribute_too():
    def rebinds(x):
        x.data = x.data * 3
        return x.sum()
    with pytest.warns(UserWarning, match="input 0"):
        np.testing.assert_allclose(tg.numerical_grad(rebinds, np.ones(2)), [3.0, 3.0], rtol=1e-6)


def test_five_point_slopes_tell_a_kink_from_a_smooth_point():
    calls = FreshCalls(tg.relu, "test")
    at_zero = slopes(calls, [np.array([0.0, 1.0])], 0, np.array([1.0, 0.0]), 1e-6)
    # relu at 0: slope 0 on the left, 1 on the right, the central difference their mean
    assert at_zero.left[0] == 0 and at_zero.right[0] == pytest.approx(1) and at_zero.central[0] == pytest.approx(0.5)
    assert not at_zero.differentiable(1e-5)[0] and at_zero.between(0.0, 1e-5)[0] and not at_zero.between(2.0, 1e-5)[0]
    smooth = slopes(FreshCalls(tg.sin, "test"), [np.array(1.0)], 0, np.array(1.0), 1e-4)
    # three-point one-sided formulas: error ≈ h²/3·|f'''| ≈ 2e-9 for sin at 1
    assert abs(smooth.left - np.cos(1)) < 1e-8 and abs(smooth.right - np.cos(1)) < 1e-8
    assert smooth.differentiable(1e-7)
