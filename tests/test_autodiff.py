"""Reverse and forward mode, the functional transforms, higher order; expected values from calculus."""
import numpy as np
import pytest

import tinygrad_cn as tg


def test_tensor_basics():
    t = tg.Tensor([[1, 2], [3, 4]], name="A")
    assert t.dtype == np.float64 and t.shape == (2, 2) and t.grad is None and not t.requires_grad
    assert tg.Tensor(np.arange(3)).dtype == np.int64                      # arrays keep their dtype
    assert tg.Tensor(np.ones(2, np.float32)).dtype == np.float32
    assert tg.Tensor(3).item() == 3.0 and isinstance(tg.Tensor(3).item(), float)
    assert "name='A'" in repr(t) and "shape=(2, 2)" in repr(t)
    y = tg.Tensor(2.0, requires_grad=True) * 3
    assert "op='mul'" in repr(y) and y.op == "mul" and not y.is_leaf
    assert y.detach().op is None and not y.detach().requires_grad


def test_float32_is_kept_through_ops_and_grads():
    x = tg.Tensor(np.array([0.5, -1.0], np.float32), requires_grad=True)
    y = (x * 2.0 + 1).sigmoid().sum()
    y.backward()
    assert y.dtype == np.float32 and x.grad.dtype == np.float32


def test_gradients_accumulate_and_zero_grad():
    w = tg.Tensor(3.0, requires_grad=True)
    (w * w).backward()
    (w * w).backward()
    assert w.grad.item() == 12.0                     # 2w twice
    w.zero_grad()
    assert w.grad is None
    a, b = tg.Tensor(1.0, requires_grad=True), tg.Tensor(2.0, requires_grad=True)
    (a * b).backward()
    tg.zero_grad([a, b])
    assert a.grad is None and b.grad is None


def test_backward_with_gradient_for_non_scalar():
    x = tg.Tensor([1.0, 2.0, 3.0], requires_grad=True)
    (x * x).backward(gradient=[1.0, 0.0, 2.0])
    assert x.grad.numpy().tolist() == [2.0, 0.0, 12.0]


def test_fan_out_sums_and_broadcast_is_undone():
    x = tg.Tensor([1.0, 2.0], requires_grad=True)
    b = tg.Tensor(np.ones((3, 2)))
    y = (x * b + x).sum()           # x used twice, each use broadcast over 3 rows: 3·1 + 3
    y.backward()
    assert x.grad.numpy().tolist() == [6.0, 6.0]


def test_no_grad_and_nothing_recorded_without_requires_grad():
    w = tg.Tensor(1.0, requires_grad=True)
    with tg.no_grad():
        y = w * 2
        with tg.enable_grad():
            z = w * 2
    assert y.op is None and not y.requires_grad and z.op == "mul"
    c = tg.Tensor(1.0) * 2
    assert c.op is None and not c.requires_grad


def test_retain_graph_allows_a_second_backward():
    w = tg.Tensor(2.0, requires_grad=True)
    y = w ** 3
    y.backward(retain_graph=True)
    y.backward()
    assert w.grad.item() == 2 * 3 * 4.0


def test_retain_grad_on_intermediate():
    w = tg.Tensor(2.0, requires_grad=True)
    h = (w * 3).retain_grad()
    (h * h).backward()
    assert h.grad.item() == 12.0 and w.grad.item() == 36.0


def test_grad_value_and_grad_argnums():
    f = lambda x, y: x * x * y                                    # noqa: E731
    assert tg.grad(f)(3.0, 2.0).item() == 12.0
    gx, gy = tg.grad(f, argnums=(0, 1))(3.0, 2.0)
    assert (gx.item(), gy.item()) == (12.0, 9.0)
    v, g = tg.value_and_grad(f, argnums=1)(3.0, 2.0)
    assert (v.item(), g.item()) == (18.0, 9.0)


def test_grad_does_not_touch_dot_grad():
    w = tg.Tensor(1.5, requires_grad=True)
    tg.grad(lambda w: w * w)(w)
    assert w.grad is None


def test_second_and_third_derivatives_of_sin():
    x = 0.7
    assert tg.grad(tg.grad(tg.sin))(x).item() == pytest.approx(-np.sin(x), rel=1e-14)
    assert tg.grad(tg.grad(tg.grad(tg.sin)))(x).item() == pytest.approx(-np.cos(x), rel=1e-14)


def test_outer_grad_records_only_when_something_outside_can_use_it():
    # h(a) = log ∂σ(a·x)/∂x at x = 1: ∂h/∂a = 1/a + x(1 − 2σ(ax)) (seed 000 eq. 2.10). The inner
    # grad's own leaf x is finished when the outer sweep runs, so that sweep records nothing
    def h(a):
        return tg.log(tg.grad(lambda x: tg.sigmoid(a * x))(1.0))
    s = 1 / (1 + np.exp(-0.3))
    g = tg.grad(h)(0.3)
    assert g.item() == pytest.approx(1 / 0.3 + 1 - 2 * s, rel=1e-13)
    assert not g.requires_grad and g.prim is None
    # one transform further out the same derivative is recorded and differentiated again:
    # ∂²h/∂a² = −1/a² − 2σ(a)σ(−a)
    assert tg.grad(tg.grad(h))(0.3).item() == pytest.approx(-1 / 0.09 - 2 * s * (1 - s), rel=1e-12)


def test_jacobian_of_two_inputs_records_nothing_in_either_mode():
    # ∂(sin x · y)/∂x = diag(cos x · y), ∂/∂y = diag(sin x); the other input is not a closed-over leaf
    x, y = np.array([0.1, 0.5, 1.0]), np.array([2.0, -1.0, 3.0])
    for mode in ("forward", "reverse"):
        jx, jy = tg.jacobian(lambda a, b: tg.sin(a) * b, x, y, mode=mode)
        np.testing.assert_allclose(jx.data, np.diag(np.cos(x) * y), rtol=1e-14)
        np.testing.assert_allclose(jy.data, np.diag(np.sin(x)), rtol=1e-14)
        assert not jx.requires_grad and not jy.requires_grad, mode


def test_create_graph_backward_then_differentiate_again():
    x = tg.Tensor(0.7, requires_grad=True)
    y = tg.sin(x)
    y.backward(create_graph=True)
    dx = x.grad
    assert dx.requires_grad
    x.grad = None
    dx.backward()
    assert x.grad.item() == pytest.approx(-np.sin(0.7), rel=1e-14)


def test_vjp_rows_and_jvp_columns_of_the_jacobian():
    A = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    f = lambda x: tg.Tensor(A) @ x                                # noqa: E731  J = A
    out, back = tg.vjp(f, np.zeros(3))
    assert back([1.0, 0.0])[0].numpy().tolist() == [1.0, 2.0, 3.0]       # a row
    assert back([0.0, 1.0])[0].numpy().tolist() == [4.0, 5.0, 6.0]       # called again
    _, col = tg.jvp(f, (np.zeros(3),), (np.array([0.0, 1.0, 0.0]),))
    assert col.numpy().tolist() == [2.0, 5.0]                             # a column


@pytest.mark.parametrize("n,m", [(6, 2), (2, 6)])
def test_jacobian_sweep_counts_n_forward_m_reverse(n, m):
    rng = np.random.default_rng(0)
    A = rng.standard_normal((m, n))
    f = lambda x: tg.tanh(tg.Tensor(A) @ x)                        # noqa: E731
    x = rng.standard_normal(n)
    with tg.count_sweeps() as fwd:
        Jf = tg.jacobian(f, x, mode="forward")
    with tg.count_sweeps() as rev:
        Jr = tg.jacobian(f, x, mode="reverse")
    assert (fwd.forward, fwd.reverse) == (n, 0)
    assert (rev.forward, rev.reverse) == (0, m)
    expected = (1 - np.tanh(A @ x) ** 2)[:, None] * A                # diag(1 − tanh²) A
    np.testing.assert_allclose(Jf.numpy(), expected, rtol=1e-13)
    np.testing.assert_allclose(Jr.numpy(), expected, rtol=1e-13)


def test_hessian_and_hvp_of_a_quadratic():
    A = np.array([[2.0, 1.0], [1.0, 3.0]])
    f = lambda x: 0.5 * (x @ (tg.Tensor(A) @ x))                  # noqa: E731  H = A
    x = np.array([0.3, -0.2])
    np.testing.assert_allclose(tg.hessian(f, x).numpy(), A, rtol=1e-14)
    np.testing.assert_allclose(tg.hvp(f, x, np.array([1.0, -1.0])).numpy(), A @ [1.0, -1.0], rtol=1e-14)


def _mlp_loss(W1, b1, W2, X, y):
    h = tg.tanh(X @ W1.T + b1)
    return ((h @ W2.T - y) ** 2).mean()


def test_hessian_of_a_small_mlp_equals_finite_difference_jacobian_of_its_gradient():
    rng = np.random.default_rng(1)
    X, y = tg.Tensor(rng.standard_normal((5, 3))), tg.Tensor(rng.standard_normal((5, 1)))
    b1, W2 = tg.Tensor(rng.standard_normal(4)), tg.Tensor(rng.standard_normal((1, 4)))
    W1 = rng.standard_normal((4, 3))
    loss = lambda W1: _mlp_loss(W1, b1, W2, X, y)                  # noqa: E731
    H = tg.hessian(loss, W1).numpy().reshape(12, 12)
    Hfd = tg.numerical_grad(lambda W1: tg.grad(loss)(W1), W1).reshape(12, 12)
    np.testing.assert_allclose(H, Hfd, rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(H, H.T, rtol=1e-12, atol=1e-14)     # and it is symmetric
    v = rng.standard_normal((4, 3))
    np.testing.assert_allclose(tg.hvp(loss, W1, v).numpy().reshape(12), H @ v.reshape(12), rtol=1e-10)


def test_jvp_of_grad_with_closure_over_outer_tensor():
    # d/da of (∂/∂x (a x²)) = 2x: the inner grad closes over a, which the outer grad differentiates
    da = tg.grad(lambda a: tg.grad(lambda x: a * x * x)(3.0))(5.0)
    assert da.item() == 6.0


def test_chain_of_100000_ops_both_modes():
    x = tg.Tensor(1.0, requires_grad=True)
    y = x
    for _ in range(100_000):
        y = y * 1.0000001
    y.backward(retain_graph=True)
    assert x.grad.item() == pytest.approx(1.0000001 ** 100_000, rel=1e-9)
    assert tg.forward_sweep(y, {x: 1.0}).item() == pytest.approx(1.0000001 ** 100_000, rel=1e-9)


def test_anomaly_names_the_op():
    x = tg.Tensor([1.0, 0.0], requires_grad=True)
    with np.errstate(all="ignore"), tg.detect_anomaly():
        with pytest.raises(tg.AnomalyError, match="log produced inf"):
            tg.log(x)
        y = tg.sqrt(x).sum()                          # sqrt(0) = 0 is finite, its derivative is not
        with pytest.raises(tg.AnomalyError, match="vjp of sqrt"):
            y.backward()


# ==== issue 11: transforms copy only what they must =================================================
def test_grad_and_jvp_read_the_callers_array_without_copying_it():
    """grad and jvp return before the caller can write into its array, so their leaf holds that
    array itself; d(x·x)/dx = 2x, and the tangent of x·x along v is 2x·v."""
    x = np.array([1.0, -2.0])
    seen = []

    def f(t):
        seen.append(t.data)
        return (t * t).sum()

    assert np.array_equal(tg.grad(f)(x).data, [2.0, -4.0])
    assert tg.jvp(f, (x,), (np.array([1.0, 1.0]),))[1].item() == -2.0
    assert all(a is x for a in seen)
    assert np.array_equal(x, [1.0, -2.0])


def test_vjp_fn_uses_the_primals_passed_even_if_the_caller_writes_into_them_afterwards():
    """vjp's vjp_fn runs later, so vjp copies its array primals: ∂(a·b)/∂a = b and ∂(a·b)/∂b = a at
    the values given to vjp, whatever the caller did to its arrays in between."""
    a, b = np.array([1.0, 2.0]), np.array([3.0, 4.0])
    _, f = tg.vjp(lambda a, b: a * b, a, b)
    a *= 10
    b[:] = 0
    ga, gb = f(np.ones(2))
    assert np.array_equal(ga.data, [3.0, 4.0]) and np.array_equal(gb.data, [1.0, 2.0])
    t = tg.Tensor([1.0, 2.0])                                    # a tensor's array, written in place
    _, f = tg.vjp(lambda x: x * x, t)
    t.data[0] = 5.0
    assert np.array_equal(f(np.ones(2))[0].data, [2.0, 4.0])
