"""Bad input: a clear error naming the op, the shapes or values and the fix; nothing changes."""
import numpy as np
import pytest

import tinygrad_cn as tg


def snapshot(*ts):
    return [(t.data.copy(), None if t.grad is None else t.grad.data.copy(), t.prim, t.inputs) for t in ts]


def assert_unchanged(before, ts):
    for (data, grad, op, inputs), t in zip(before, ts):
        np.testing.assert_array_equal(t.data, data)
        assert (t.grad is None) == (grad is None)
        if grad is not None:
            np.testing.assert_array_equal(t.grad.data, grad)
        assert t.prim is op and t.inputs is inputs


def test_matmul_shape_mismatch_names_both_shapes_and_the_fix():
    W = tg.Tensor(np.ones((3, 4)), requires_grad=True)
    x = tg.Tensor(np.ones((3, 2)))
    before = snapshot(W, x)
    with pytest.raises(tg.ShapeError, match=r"matmul: shapes \(3, 4\) and \(3, 2\).*transpose"):
        W @ x
    assert_unchanged(before, [W, x])
    with pytest.raises(tg.ShapeError, match="at least 1 dimension"):
        W @ tg.Tensor(2.0)


def test_broadcast_mismatch_names_the_op_and_shapes():
    a = tg.Tensor(np.ones((2, 3)), requires_grad=True)
    b = tg.Tensor(np.ones(4))
    before = snapshot(a, b)
    with pytest.raises(tg.ShapeError, match=r"add: input shapes \(2, 3\), \(4,\).*reshape, unsqueeze"):
        a + b
    with pytest.raises(tg.ShapeError, match=r"mul: input shapes \(2, 3\), \(4,\)"):
        a * b
    assert_unchanged(before, [a, b])


def test_backward_twice_without_retain_graph():
    w = tg.Tensor(2.0, requires_grad=True, name="w")
    y = (w * w).named("y")
    y.backward()
    before = snapshot(w)
    with pytest.raises(tg.GraphFreedError, match=r"mul node 'y'.*retain_graph=True"):
        y.backward()
    assert_unchanged(before, [w])
    assert w.grad.item() == 4.0


def test_backward_on_non_scalar_needs_gradient():
    x = tg.Tensor([1.0, 2.0], requires_grad=True)
    y = x * 3
    before = snapshot(x, y)
    with pytest.raises(tg.ShapeError, match=r"shape \(2,\).*gradient=.*y.sum\(\).backward\(\)"):
        y.backward()
    with pytest.raises(tg.ShapeError, match=r"gradient has shape \(3,\) but the output has shape \(2,\)"):
        y.backward(gradient=[1.0, 1.0, 1.0])
    assert_unchanged(before, [x, y])
    y.backward(gradient=[1.0, 1.0])                 # the graph is still whole
    assert x.grad.numpy().tolist() == [3.0, 3.0]


def test_backward_on_a_tensor_that_does_not_require_grad():
    with pytest.raises(RuntimeError, match="does not require grad"):
        (tg.Tensor(1.0) * 2).backward()


def test_jvp_tangent_of_wrong_shape_or_count():
    f = lambda x, y: x * y                                 # noqa: E731
    with pytest.raises(tg.ShapeError, match=r"tangent 1 has shape \(3,\) but primal 1 has shape \(2,\)"):
        tg.jvp(f, (np.ones(2), np.ones(2)), (np.ones(2), np.ones(3)))
    with pytest.raises(tg.ShapeError, match="2 primal.*1 tangent"):
        tg.jvp(f, (np.ones(2), np.ones(2)), (np.ones(2),))


@pytest.mark.parametrize("data,what", [
    (np.array([object(), 1], dtype=object), "object"),
    ("abc", "strings"),
    (["a", "b"], "strings"),
    (1 + 2j, "complex"),
    (np.ones(2, complex), "complex"),
    ([[1, 2], [3]], "cannot make a numeric array"),
])
def test_non_numeric_data_is_refused(data, what):
    with pytest.raises(TypeError, match=what):
        tg.Tensor(data)


def test_integer_tensor_cannot_require_grad():
    with pytest.raises(TypeError, match=r"int64 tensor cannot require grad.*dtype"):
        tg.Tensor(np.arange(3), requires_grad=True)
    with pytest.raises(TypeError, match="cannot require grad"):
        tg.Tensor([True, False], requires_grad=True)


def test_grad_of_non_scalar_function():
    with pytest.raises(tg.ShapeError, match=r"scalar, got shape \(2,\).*jacobian"):
        tg.grad(lambda x: x * 2)(np.ones(2))
    with pytest.raises(TypeError, match="must return a Tensor"):
        tg.grad(lambda x: 3.0)(1.0)


def test_shape_ops_explain_themselves():
    x = tg.Tensor(np.ones((2, 3)), requires_grad=True)
    with pytest.raises(tg.ShapeError, match=r"reshape: cannot reshape \(2, 3\) \(6 elements\) to \(4,\)"):
        x.reshape(4)
    with pytest.raises(tg.ShapeError, match="not a permutation"):
        x.transpose(0, 0)
    with pytest.raises(tg.ShapeError, match="axis 1 of shape"):
        x.squeeze(1)
    with pytest.raises(IndexError, match=r"getitem: index .* does not fit shape \(2, 3\)"):
        x[5]
    with pytest.raises(tg.ShapeError, match="same shape"):
        tg.stack([x, x.T])
