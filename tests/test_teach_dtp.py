"""teach.lessons.dtp, the experiments of tutorial 11 (difference target propagation, Lee et al. 2015)."""
import numpy as np
import pytest

from tinygrad_cn.nn import datasets
from tinygrad_cn.nn.target_prop import init_params
from tinygrad_cn.teach.lessons import dtp

SIZES = (2, 5, 5, 5, 2)
X, Y = datasets.moons(40, noise=0.2, seed=0)


def test_cos_of_parallel_and_orthogonal_vectors():
    assert dtp.cos([1.0, 2.0], [2.0, 4.0]) == pytest.approx(1.0)
    assert dtp.cos([1.0, 0.0], [0.0, 3.0]) == pytest.approx(0.0)


def test_with_the_exact_inverse_tp_equals_dtp_and_descends_T6():
    tp, dt = dtp.tp_vs_dtp(np.random.default_rng(5), [0.0, 0.3], 1e-4, draws=20)
    assert np.allclose(tp[0.0], dt[0.0], atol=1e-6)            # g(h_i) = h_{i−1} exactly: no correction to make
    assert all(c > 0 for c in dt[0.0])                          # inner product η̂‖e‖² > 0 (T6)
    assert len(tp[0.3]) == 20


def test_top_hidden_layer_update_is_the_true_gradient():
    P = init_params(0, SIZES)
    c, upd, tru = dtp.angles(P, X, Y, 0.1)
    assert c.shape == (3,) and c[-1] == pytest.approx(1.0, abs=1e-12)
    assert np.allclose(dtp.layer_vec(upd, 3), 0.2 * dtp.layer_vec(tru, 3), rtol=1e-10)   # 2η̂ × ∂L/∂W


def test_train_methods_share_batches_and_top_moves_only_the_top():
    kw = dict(data=(X, Y, X, Y), sizes=SIZES, lr=0.3, lr_h=1.5, lr_inv=0.05, sigma=0.3, eta_hat=0.1, batch=10,
              log_every=2)
    P0 = init_params(1, SIZES)
    log_top, cos_top, P_top = dtp.train(1, "top", 4, **kw)
    log_dtp, cos_dtp, _ = dtp.train(1, "dtp", 4, **kw)
    assert np.array_equal(P_top["W1"], P0["W1"]) and not np.array_equal(P_top["W3"], P0["W3"])
    assert log_top.shape == (3, 3) and np.array_equal(log_top[0], log_dtp[0])   # steps 0, 2, 4; same start
    assert cos_top.size == 0 and cos_dtp.shape == (2, 3) and np.allclose(cos_dtp[:, -1], 1.0)


def test_frozen_inverses_shapes_and_T6_per_sample():
    frozen, recon, exact, exact_h = dtp.frozen_inverses(0, [0, 3], X, Y, SIZES, eta_hat=0.1, lr_inv=0.05,
                                                        sigma=0.3, batch=10)
    assert frozen.shape == (2, 3) and recon.shape == (2, 2) and exact.shape == (3,) and len(exact_h) == 2
    assert all(np.all(h > 0) for h in exact_h)                  # (T6): every sample inside 90°
