"""teach.lessons.ep_xor, tutorial 10 §7: XOR with equilibrium propagation (Scellier & Bengio 2017)."""
import numpy as np
import pytest

from tinygrad_cn.nn.energy import EnergyNet, implicit_gradient
from tinygrad_cn.teach.lessons import ep_xor


def test_flat_and_unflat_are_inverse():
    arrays = [np.arange(6.0).reshape(2, 3), np.array([7.0]), np.ones((1, 2))]
    back = ep_xor.unflat(ep_xor.flat(arrays), arrays)
    assert all(np.array_equal(a, b) for a, b in zip(arrays, back))
    assert ep_xor.cos([1.0, 0.0], [0.0, 2.0]) == pytest.approx(0.0)


def test_batch_gradient_is_the_sum_over_independent_examples():
    net = EnergyNet([2, 8, 1], seed=0, gain=2.0)
    S = np.zeros((2, net.N))
    S[:, net.sl[0]] = ep_xor.XOR_X[1]                              # the same example twice
    S, _ = net.settle(S, tol=1e-10)
    Y = ep_xor.XOR_Y[[1, 1]]
    one = ep_xor.flat(implicit_gradient(net, S[0], Y[0]))
    assert np.allclose(ep_xor.batch_implicit_gradient(net, S, Y), 2 * one, rtol=1e-12)


def test_one_epoch_records_and_the_small_beta_estimate_is_the_gradient():
    hist, y_hat = ep_xor.train_xor(0, "true", 1, beta=0.5, lr=0.5, beta_small=0.01)
    assert hist.shape == (2, 6) and y_hat.shape == (4, 1) and np.isnan(hist[-1, 2:]).all()
    assert hist[0, 4] == pytest.approx(hist[0, 5])                # "true" steps along the true gradient
    assert hist[0, 3] > 0.99 and hist[0, 3] > hist[0, 2]          # EP's bias is O(β)
    ep, _ = ep_xor.train_xor(0, "ep", 1, beta=0.5, lr=0.5, beta_small=0.01)
    assert np.array_equal(ep[0, :4], hist[0, :4])                 # same start, same estimates; only the step differs
    assert ep[0, 4] != pytest.approx(ep[0, 5])
