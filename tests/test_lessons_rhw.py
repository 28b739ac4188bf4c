"""teach.lessons.rhw, the mirror-symmetry experiment of tutorial 06 (RHW 1986, fig. 1, eqs. (1)–(7))."""
import numpy as np
import pytest

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
