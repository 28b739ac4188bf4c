"""teach.lessons.recurrent, the running-parity experiment of tutorial 08 (RHW 1986, fig. 5)."""
import itertools

import numpy as np

from tinygrad_cn.core.tensor import Tensor
from tinygrad_cn.teach.lessons import recurrent

A3 = np.array(list(itertools.product([0.0, 1.0], repeat=3)))
P3 = np.cumsum(A3, axis=1) % 2


def hand_solution(k=20.0):
    """Tutorial 08 §4a: h1 = OR, h2 = AND of a_t and q = h1 − h2; the output reads q one step later."""
    return (Tensor(k * np.array([[1.0, -1.0, 0.0]] * 3)), Tensor(k * np.array([1.0, 1.0, 0.0])),
            Tensor(k * np.array([-0.5, -1.5, -0.5])))


def test_outputs_are_one_step_late_one_column_per_input_bit():
    O = recurrent.run_parity_net(*hand_solution(), A3).numpy()
    assert O.shape == (8, 3)
    assert np.abs(O - P3).max() < 0.01  # o(t + 1) = a_1 ⊕ … ⊕ a_t


def test_parity_error_is_half_the_summed_squares():
    W, u, b = (Tensor(np.full(s, 0.1)) for s in ((3, 3), (3,), (3,)))
    O = recurrent.run_parity_net(W, u, b, A3).numpy()
    assert np.isclose(recurrent.parity_error(W, u, b, A3, P3).item(), 0.5 * np.sum((O - P3) ** 2), rtol=1e-12)


def test_shared_weights_are_the_sum_over_steps_of_per_step_copies():
    # W is used at every step (backpropagation through time): backward() against central differences
    rng = np.random.default_rng(0)
    W0, u0, b0 = rng.uniform(-0.3, 0.3, (2, 2)), rng.uniform(-0.3, 0.3, 2), rng.uniform(-0.3, 0.3, 2)
    A, P = np.array([[1.0, 0.0]]), np.array([[1.0, 1.0]])
    W = Tensor(W0, requires_grad=True)
    recurrent.parity_error(W, Tensor(u0), Tensor(b0), A, P).backward()
    h, num = 1e-6, np.zeros_like(W0)
    for idx in np.ndindex(W0.shape):
        Wp, Wm = W0.copy(), W0.copy()
        Wp[idx] += h
        Wm[idx] -= h
        num[idx] = (recurrent.parity_error(Tensor(Wp), Tensor(u0), Tensor(b0), A, P).item()
                    - recurrent.parity_error(Tensor(Wm), Tensor(u0), Tensor(b0), A, P).item()) / (2 * h)
    np.testing.assert_allclose(W.grad.numpy(), num, atol=1e-8)


def test_train_parity_stops_at_the_budget_and_reports():
    run = recurrent.train_parity(3, 0, A3, P3, A3, P3, max_sweeps=4)
    assert run["sweeps"] == 4 and len(run["losses"]) == 5 and not run["learned"]
    assert 0.0 <= run["bits_right"] <= 1.0 and run["n"] == 3 and run["seed"] == 0
