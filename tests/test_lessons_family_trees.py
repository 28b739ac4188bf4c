"""teach.lessons.family_trees, the family-trees experiment of tutorial 07 (RHW 1986, figs. 2–4)."""
import numpy as np
import pytest

from tinygrad_cn.core.tensor import Tensor
from tinygrad_cn.nn.module import Parameter
from tinygrad_cn.teach.lessons import family_trees as ft


def test_family_net_has_the_630_parameters_of_fig_3():
    # 24·6 + 6, 12·6 + 6, 12·12 + 12, 12·6 + 6, 6·24 + 24
    assert ft.FamilyNet(rng=np.random.default_rng(0)).num_parameters() == 150 + 78 + 156 + 78 + 168


def test_the_two_readings_of_the_zero_error_zone_by_hand():
    y, d = Tensor([[0.9, 0.7, 0.1, 0.3]]), np.array([[1.0, 1.0, 0.0, 0.0]])
    assert ft.error_literal(y, d).item() == pytest.approx(0.5 * (0.3**2 + 0.3**2))  # wrong by 0.3 from 1 and 0
    assert ft.error_margin(y, d).item() == pytest.approx(0.5 * (0.1**2 + 0.1**2))  # by 0.1 from 0.8 and 0.2


def test_rhw_decay_takes_0_2_percent():
    p = Parameter(np.array([1.0, -2.0]))
    ft.rhw_decay([p])
    np.testing.assert_allclose(p.data, [0.998, -1.996])


def test_correct_strict_needs_every_unit_and_top_only_the_largest():
    d = np.array([[1.0, 0.0, 0.0], [1.0, 1.0, 0.0]])
    y = np.array([[0.9, 0.1, 0.2], [0.9, 0.4, 0.1]])
    assert list(ft.correct_strict(y, d)) == [True, False]  # the second answer of case 2 is below 0.5
    assert list(ft.correct_top(y, d)) == [True, True]


def test_feature_vectors_follow_fig_2():
    assert np.sum(ft.FEATURES["支系"] == 1) == np.sum(ft.FEATURES["支系"] == -1) == 10  # 5 per branch per tree
    gen = ft.FEATURES["辈分"][:12]
    assert [int(np.sum(gen == g)) for g in (1, 2, 3)] == [4, 6, 2]
    assert np.sum(ft.FEATURES["性别"] == 1) == 12  # 6 men in each tree
    np.testing.assert_allclose(ft.corr_rows(ft.FEATURES["国籍"][None] * 3 + 1, ft.FEATURES["国籍"]), [1.0])


def test_isomorphism_of_a_code_that_copies_the_english_tree():
    net = ft.FamilyNet(rng=np.random.default_rng(1))
    W = net.person.weight.data.copy()
    W[:, 12:] = W[:, :12]  # every Italian coded exactly as their English counterpart
    net.person.weight.data = W
    r_iso, null95, matches = ft.isomorphism({"net": net})
    assert r_iso == pytest.approx(1.0) and null95 < 1.0 and matches == 12


def test_train_family_records_E_per_epoch_and_the_split():
    run = ft.train_family(0, sweeps=3)
    assert run["E"].shape == (3,) and run["Y"].shape == (104, 24)
    s = ft.summary(run)
    assert 0 <= s["train"] <= 100 and 0 <= s["test"] <= 4 and s["E"] == run["E"][-1]
