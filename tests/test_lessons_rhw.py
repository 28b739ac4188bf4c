"""teach.lessons.rhw, the mirror-symmetry experiment of tutorial 06 (RHW 1986, fig. 1, eqs. (1)–(7))."""
import numpy as np
import pytest

import tinygrad_cn as tg
from tinygrad_cn.teach.lessons import rhw


def test_the_data_are_the_64_patterns_with_8_symmetric():
    assert rhw.X.shape == (64, 6) and rhw.SYM.sum() == 2**3  # symmetric ones are fixed by their first 3 bits
    assert np.array_equal(rhw.X[rhw.SYM], rhw.X[rhw.SYM][:, ::-1])


@pytest.mark.parametrize("kw, n", [({}, 6 * 2 + 2 + 2 + 1), ({"hidden": 3}, 6 * 3 + 3 + 3 + 1),
                                   ({"direct": True}, 6 * 2 + 2 + 2 + 1 + 6)])
def test_mirror_net_sizes_and_init_range(kw, n):
    net = rhw.MirrorNet(0, **kw)
    assert net.num_parameters() == n
    assert all(np.all(np.abs(p.data) <= 0.3) for p in net.parameters())  # U(−0.3, 0.3), RHW fig. 1


def test_variants_share_the_6_2_1_start():
    assert np.array_equal(rhw.MirrorNet(7, hidden=3).W1.data[:2], rhw.MirrorNet(7).W1.data)
    assert np.array_equal(rhw.MirrorNet(7, direct=True).b2.data, rhw.MirrorNet(7).b2.data)


def test_error_is_half_the_summed_squares_eq_3():
    net = rhw.MirrorNet(2)
    y = net(rhw.X_T).data
    assert rhw.error(net).item() == pytest.approx(0.5 * np.sum((y - rhw.d) ** 2), rel=1e-12)


def test_engine_steps_equal_rhw_backward_pass_in_numpy():
    net = rhw.MirrorNet(3)
    start = [p.data.copy() for p in net.parameters()]
    rhw.engine_rhw(net, 20)
    for p, q in zip(net.parameters(), rhw.numpy_rhw(start, 20)):
        np.testing.assert_allclose(p.data, q, atol=1e-12)


def test_run_records_E_before_each_update_and_goes_on():
    r = rhw.Run(0).train(5)
    assert r.t == 5 and len(r.E) == 6 and r.solved_at is None
    assert r.E[0] == pytest.approx(rhw.error(rhw.MirrorNet(0)).item(), rel=1e-12)
    r.train(8)
    assert r.t == 8 and len(r.E) == 9
    assert r.S30 is None  # fewer than 31 errors recorded


def test_check_quoted_allows_two_either_way_and_ten_percent():
    rhw.check_quoted((14, 36, 1431.0, 1.7e-4), (16, 34, 1589, "1.7e-04"))  # the text: 14–18, 1,431–1,747
    with pytest.raises(AssertionError):
        rhw.check_quoted((16, 34, 1589.0, 1.7e-4), (13, 34, 1589, None))
    with pytest.raises(AssertionError):
        rhw.check_quoted((16, 34, 1589.0, 1.7e-4), (16, 34, 1400, None))
    with pytest.raises(AssertionError):
        rhw.check_quoted((16, 34, 1589.0, 1.7e-4), (16, 34, 1589, "1.8e-04"))


def _same_runs(a, b):
    return (a.t == b.t and a.solved_at == b.solved_at and a.E == b.E
            and all(np.array_equal(p.data, q.data) for p, q in zip(a.net.parameters(), b.net.parameters())))


@pytest.mark.parametrize("config, seeds, budgets", [({}, (1, 3), (600,)),  # seed 1 stops (solved) on the way
                                                    ({"direct": True}, (2,), (150, 250)),
                                                    ({"hidden": 3, "lr": 0.05}, (0, 5), (120, 200))])
def test_train_all_compiled_equals_eager_training_bit_for_bit(config, seeds, budgets):
    """The stacked, tg.jit-compiled training computes exactly the eager engine's numbers: every E[t],
    the epoch it stops at and the final weights are the same floats, also when continued (Δw handed on)."""
    eager, compiled = [rhw.Run(s, **config) for s in seeds], [rhw.Run(s, **config) for s in seeds]
    for budget in budgets:
        for r in eager:
            r.train(budget)
        rhw.train_all(compiled, budget)
        assert all(_same_runs(a, b) for a, b in zip(eager, compiled))
    # and an eager run continued from a compiled one goes on as if it had been eager all along
    compiled[0].train(budgets[-1] + 30)
    eager[0].train(budgets[-1] + 30)
    assert _same_runs(eager[0], compiled[0])


def test_stacked_nets_are_each_nets_error():
    nets = [rhw.MirrorNet(s, direct=True) for s in (4, 9)]
    stacked = [tg.Tensor(np.stack([n.parameters()[k].data for n in nets])) for k in range(5)]
    y, E = rhw.stacked_nets(*stacked)
    assert y.shape == (2, 64, 1) and E.shape == (2,)
    for n, ys, Es in zip(nets, y.data, E.data):
        assert np.array_equal(ys, n(rhw.X_T).data) and Es == rhw.error(n).item()


def test_all_right_is_the_solved_criterion():
    assert rhw.all_right(rhw.d * 0.6 + 0.2)  # 0.8 for the symmetric patterns, 0.2 for the others
    assert not rhw.all_right(np.full((64, 1), 0.1))  # the plateau: "not symmetric" for all 64
    assert list(rhw.all_right(np.stack([rhw.d * 0.6 + 0.2, np.full((64, 1), 0.1)]))) == [True, False]


def test_train_all_refuses_runs_of_different_configurations():
    runs = [rhw.Run(0), rhw.Run(1, hidden=3)]
    with pytest.raises(ValueError, match="train_all: the runs must share one configuration"):
        rhw.train_all(runs, 10)
    assert all(r.t == 0 and r.E == [] for r in runs)  # nothing changed
