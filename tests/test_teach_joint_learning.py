"""teach.lessons.joint_learning, the experiments of tutorial 09 (联合学习猜想 2016, eqs. 3.1–3.10)."""
import math

import numpy as np
import pytest

from tinygrad_cn.core.tensor import Tensor
from tinygrad_cn.teach.lessons import joint_learning as jl


def test_histogram_entropies_have_their_closed_forms():
    y = (np.arange(20_000) + 0.5) / 20_000  # exactly uniform over 20 bins: H = ln 20
    assert jl.hist_entropy(y, 20) == pytest.approx(math.log(20), abs=1e-12)
    # y = σ(s z) is symmetric about 1/2, so two bins are equally likely for every s: ln 2
    assert jl.exact_bin_entropy(2, 1.7) == pytest.approx(math.log(2), abs=1e-12)
    assert jl.exact_bin_entropy(1, 1.7) == pytest.approx(0.0, abs=1e-15)


def test_saturating_task_squeezes_the_same_points_into_the_corner():
    X, d = jl.make_task("moons", 3)
    Xs, ds = jl.make_task("saturating", 3)
    assert X.shape == Xs.shape == (jl.N_SAMPLES, 2) and np.array_equal(d, ds)
    assert Xs.min() == pytest.approx(1 - jl.EPS_SAT) and Xs.max() == pytest.approx(1.0)


def test_joint_net_is_fig_3_1_without_biases():
    X, _ = jl.task_arrays("moons", [0, 1])
    net = jl.JointNet([0, 1], 2, jl.K_HIDDEN)
    y = net(Tensor(X)).data
    u = np.einsum("nsi,ski->nsk", X, net.Wh.data)                 # (3.1)
    a = 1 / (1 + np.exp(-u))                                       # (3.2), α = 1, β = 0 at the start
    v = np.einsum("nsk,sk->ns", a, net.Wo.data)                    # (3.3)
    assert np.allclose(y, 1 / (1 + np.exp(-v)), rtol=1e-12)
    # one seed's network does not depend on which other seeds stand beside it
    alone = jl.JointNet([1], 2, jl.K_HIDDEN)
    assert np.array_equal(alone.Wh.data[0], net.Wh.data[1])


def test_spread_inputs_give_the_same_numbers():
    # training passes x_i repeated for each hidden unit j: the same products w_ji x_i, bit for bit
    X, _ = jl.task_arrays("saturating", [0, 1, 2])
    net = jl.JointNet([0, 1, 2], 2, jl.K_HIDDEN)
    Xs = net.spread(X)
    assert Xs.shape == (jl.N_SAMPLES, 3, jl.K_HIDDEN, 2) and np.all(Xs == X[:, :, None, :])
    y = net(Tensor(X)).data
    u = net.u.data
    assert np.array_equal(net(Tensor(Xs)).data, y) and np.array_equal(net.u.data, u)


def test_train_moves_only_what_each_method_moves():
    kw = dict(seeds=[0], steps=3, lr_w=1.0, log_every=1)
    b = jl.train("b", "moons", **kw)
    assert np.all(b["net"].hidden.alpha.data == 1) and np.all(b["net"].output.alpha.data == 1)  # α fixed in (b)
    a = jl.train("a", "moons", **kw)
    assert not np.all(a["net"].output.alpha.data == 1)             # (a): infomax moves α_o
    assert a["err"].shape == (4, 1) and a["cos_o"].shape == (3, 1) and np.all(np.abs(a["cos_o"]) <= 1)
    with pytest.raises(KeyError):
        jl.train("z", "moons", **kw)


def test_summaries_of_a_run():
    err = np.ones((21, 3))
    err[-1] = [0.1, 0.3, np.nan]
    err[19, 1] = 0.3 - 2e-3                                        # seed 1 rises by 2e-3 in the last 10 %
    r = {"err": err, "diverged": ~np.all(np.isfinite(err), axis=0)}
    mean, std, nd = jl.summary(r)
    assert (mean, std, nd) == (pytest.approx(0.2), pytest.approx(0.1), 1)
    assert jl.unsteady(r) == 2                                     # seed 1, and the NaN of seed 2
    other = {"err": np.full((21, 3), 0.15), "diverged": np.zeros(3, bool)}
    assert jl.best_run([r, other]) is other


@pytest.mark.parametrize("method", ["a", "a'", "b", "c"])
def test_compiled_training_is_the_eager_training_bit_for_bit(method):
    # the programs compiled by jit (error gradient; error gradient + infomax rules) against backward and
    # infomax_grad, step by step: 300 steps of one seed on the saturating task, every record equal
    kw = dict(seeds=[3], steps=300, lr_w=3.0, log_every=50)
    eager = jl.train(method, "saturating", compiled=False, **kw)
    compiled = jl.train(method, "saturating", **kw)
    for p, q in zip(jl._params(eager["net"]), jl._params(compiled["net"])):
        assert np.array_equal(p.data, q.data)
    for k in ("err", "cos_o", "cos_h", "alpha_o", "Wo_norm", "Y"):
        assert np.array_equal(eager[k], compiled[k]), k
    assert not np.array_equal(eager["net"].output.alpha.data, 1)   # the run did move α_o (by infomax or error)


def test_entropy_is_what_infomax_grad_differentiates():
    import tinygrad_cn as tg
    rng = np.random.default_rng(0)
    unit = tg.nn.AdaptiveLogistic(3)
    unit.alpha.data, unit.beta.data = rng.uniform(0.5, 2, 3), rng.normal(0, 1, 3)
    u = rng.normal(0, 2, (50, 3))
    y = 1 / (1 + np.exp(-(unit.alpha.data * u + unit.beta.data)))
    H = jl.entropy(unit.alpha.data, unit.beta.data, Tensor(u)).item()
    # ln|∂y/∂u| = ln α + ln y(1 − y) (eq. 2.5's first term), summed over the 3 units of batch means
    assert H == pytest.approx(np.sum(np.mean(np.log(unit.alpha.data * y * (1 - y)), axis=0)), rel=1e-12)
    da, db = tg.grad(jl.entropy, argnums=(0, 1))(unit.alpha.data, unit.beta.data, Tensor(u))
    ea, eb = unit.infomax_grad(u)
    assert np.array_equal(da.data, ea.data) and np.array_equal(db.data, eb.data)
