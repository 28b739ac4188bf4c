"""Data sets (RHW figs. 1–4, XOR, 2-D toys, digits), mini-batches (NNDL eq. 5.84) and saving /
loading parameters. Counts and facts are from the sources (Rumelhart, Hinton & Williams 1986, their
captions) or from counting."""
import importlib.util

import numpy as np
import pytest

from tinygrad_cn import datasets, nn
from tinygrad_cn.nn.data import DataLoader, load_parameters, load_state, minibatches, save_parameters


# ==== RHW fig. 1: mirror symmetry ===============================================================
def test_mirror_symmetry_64_patterns_8_symmetric():
    X, y = datasets.mirror_symmetry()
    assert X.shape == (64, 6) and y.shape == (64, 1) and X.dtype == np.float64
    assert len({tuple(r) for r in X}) == 64 and set(np.unique(X)) == {0.0, 1.0}
    assert y.sum() == 8
    symmetric = {tuple(map(float, s)) for s in ("000000", "001100", "010010", "011110",
                                                "100001", "101101", "110011", "111111")}
    assert {tuple(r) for r, t in zip(X, y[:, 0]) if t == 1} == symmetric


def test_xor():
    X, y = datasets.xor()
    assert X.tolist() == [[0, 0], [0, 1], [1, 0], [1, 1]] and y[:, 0].tolist() == [0, 1, 1, 0]


# ==== RHW figs. 2–4: family trees ================================================================
@pytest.fixture(scope="module")
def ft():
    return datasets.family_trees()


def test_family_tree_counts(ft):
    assert len(ft.people) == 24 and len(set(ft.people)) == 24
    assert ft.relations == ("father", "mother", "husband", "wife", "son", "daughter", "uncle",
                            "aunt", "brother", "sister", "nephew", "niece")
    assert len(ft.triples) == 104                         # "104 possible triples"
    assert len(ft.facts) == 112                           # 8 cases have two answers
    assert sum(len(t[2]) for t in ft.triples) == 112
    assert len(ft.train) == 100 and len(ft.test) == 4    # "trained on 100 of the 104"
    assert sorted(np.concatenate([ft.train, ft.test]).tolist()) == list(range(104))


def test_family_tree_encoding(ft):
    assert ft.X.shape == (104, 36) and ft.Y.shape == (104, 24)
    assert np.all(ft.X[:, :24].sum(1) == 1) and np.all(ft.X[:, 24:].sum(1) == 1)
    assert ft.X_train.shape == (100, 36) and ft.Y_test.shape == (4, 24)
    i = next(k for k, (p, r, _) in enumerate(ft.triples) if (p, r) == ("Colin", "aunt"))
    assert np.array_equal(ft.X[i], ft.encode("Colin", "aunt"))
    assert sorted(ft.decode(ft.Y[i])) == ["Jennifer", "Margaret"]


def test_family_tree_facts_from_the_figure(ft):
    facts = set(ft.facts)
    # fig. 3: "Colin has two aunts"
    assert {p2 for p1, r, p2 in facts if (p1, r) == ("Colin", "aunt")} == {"Jennifer", "Margaret"}
    assert {p2 for p1, r, p2 in facts if (p1, r) == ("Colin", "uncle")} == {"Arthur", "Charles"}
    for fact in [("Victoria", "husband", "James"), ("James", "wife", "Victoria"),
                 ("Colin", "father", "James"), ("Charlotte", "mother", "Victoria"),
                 ("Arthur", "sister", "Victoria"), ("Penelope", "son", "Arthur"),
                 ("Christine", "daughter", "Jennifer"), ("Charlotte", "brother", "Colin"),
                 ("Margaret", "nephew", "Colin"), ("Charles", "niece", "Charlotte"),
                 ("Sophia", "brother", "Alfonso"), ("Emilio", "niece", "Sophia"),
                 ("Alfonso", "aunt", "Angela"), ("Lucia", "father", "Roberto")]:
        assert fact in facts, fact
    assert ("Colin", "aunt", "Victoria") not in facts           # his mother
    assert not any(p1 in ft.english and p2 in ft.italian for p1, _, p2 in facts)


def test_the_two_trees_are_isomorphic(ft):
    """Person i of the English row corresponds to person i of the Italian row (fig. 3); the map
    sends the English facts exactly onto the Italian ones."""
    iso = dict(zip(ft.english, ft.italian))
    english = {f for f in ft.facts if f[0] in iso}
    italian = {f for f in ft.facts if f[0] not in iso}
    assert len(english) == len(italian) == 56
    assert {(iso[a], r, iso[b]) for a, r, b in english} == italian


def test_family_tree_relations_are_consistent(ft):
    facts = set(ft.facts)
    converse = {"husband": ("wife",), "wife": ("husband",), "father": ("son", "daughter"),
                "mother": ("son", "daughter"), "uncle": ("nephew", "niece"),
                "aunt": ("nephew", "niece"), "brother": ("brother", "sister"),
                "sister": ("brother", "sister")}
    for p1, r, p2 in facts:
        if r in converse:
            assert any((p2, c, p1) in facts for c in converse[r]), (p1, r, p2)


def test_family_tree_split_is_seeded():
    a, b = datasets.family_trees(seed=0), datasets.family_trees(seed=0)
    assert np.array_equal(a.test, b.test)
    others = [datasets.family_trees(seed=s).test.tolist() for s in range(1, 6)]
    assert any(t != a.test.tolist() for t in others)
    assert len(datasets.family_trees(held_out=10).train) == 94


# ==== 2-D toy sets and digits =====================================================================
def test_spirals():
    X, y = datasets.spirals(200, noise=0.0, turns=1.5, seed=1)
    assert X.shape == (200, 2) and y.dtype == np.int64 and np.bincount(y).tolist() == [100, 100]
    r = np.hypot(X[:, 0], X[:, 1])
    assert np.allclose(r.min(), 0.05) and np.allclose(r.max(), 1.0)
    theta = np.arctan2(X[:, 1], X[:, 0])
    want = 2 * np.pi * 1.5 * r + np.pi * y                         # θ = 2π·turns·t + kπ, r = t
    assert np.allclose(np.cos(theta - want), 1.0)
    class0 = {tuple(np.round(p, 12)) for p in X[y == 0]}
    class1 = {tuple(np.round(-p, 12) + 0.0) for p in X[y == 1]}    # class 1 = −class 0
    assert class0 == class1
    X2, _ = datasets.spirals(200, noise=0.1, seed=1)
    X3, _ = datasets.spirals(200, noise=0.1, seed=1)
    assert np.array_equal(X2, X3) and not np.array_equal(X2, datasets.spirals(200, 0.1, seed=2)[0])


def test_moons():
    X, y = datasets.moons(101, noise=0.0, seed=0)
    assert X.shape == (101, 2) and np.bincount(y).tolist() == [51, 50]
    upper, lower = X[y == 0], X[y == 1]
    assert np.allclose(np.hypot(*upper.T), 1.0) and np.all(upper[:, 1] >= -1e-12)
    assert np.allclose(np.hypot(lower[:, 0] - 1, lower[:, 1] - 0.5), 1.0)
    assert np.all(lower[:, 1] <= 0.5 + 1e-12)
    assert datasets.moons(50, noise=0.2, seed=3)[0].dtype == np.float64
    assert datasets.moons(50, seed=3, dtype=np.float32)[0].dtype == np.float32


def test_digits_or_a_clear_import_error():
    if importlib.util.find_spec("sklearn") is None:
        with pytest.raises(ImportError, match="scikit-learn") as e:
            datasets.digits()
        assert "pip install scikit-learn" in str(e.value) and "tinygrad-cn[" not in str(e.value)
    else:
        X, y = datasets.digits()
        assert X.shape == (1797, 64) and X.min() == 0 and X.max() == 1
        assert sorted(np.unique(y).tolist()) == list(range(10))


# ==== mini-batches ===============================================================================
def test_minibatches_cover_each_sample_once_per_epoch():
    X = np.arange(10, dtype=np.float32).reshape(10, 1)
    y = np.arange(10)
    batches = list(minibatches(X, y, batch_size=4, rng=0))
    assert [len(xb) for xb, _ in batches] == [4, 4, 2]
    seen = np.concatenate([yb.data for _, yb in batches])
    assert sorted(seen.tolist()) == list(range(10)) and seen.tolist() != list(range(10))
    for xb, yb in batches:                                       # rows stay paired
        assert np.array_equal(xb.data[:, 0], yb.data.astype(np.float32))
        assert xb.dtype == np.float32 and yb.dtype == y.dtype
    assert [len(b) for b in minibatches(X, batch_size=4, drop_last=True)] == [4, 4]
    assert [b.data[0, 0] for b in minibatches(X, batch_size=5, shuffle=False)] == [0, 5]
    with pytest.raises(ValueError, match="same number of samples"):
        list(minibatches(X, y[:9]))


def test_dataloader_epochs_are_reshuffled_reproducibly():
    X = np.arange(12.0).reshape(12, 1)
    a, b = DataLoader(X, batch_size=5, seed=7), DataLoader(X, batch_size=5, seed=7)
    assert len(a) == 3 and len(DataLoader(X, batch_size=5, drop_last=True)) == 2
    ea1 = [x.data[:, 0].tolist() for x in a]
    ea2 = [x.data[:, 0].tolist() for x in a]
    assert ea1 != ea2                                            # a new order each epoch
    assert ea1 == [x.data[:, 0].tolist() for x in b]             # the same sequence for a seed
    assert ea2 == [x.data[:, 0].tolist() for x in b]
    assert len(DataLoader(X, batch_size=None)) == 1


# ==== saving and loading ==========================================================================
def _net(seed):
    return nn.Sequential(nn.Linear(2, 3, rng=seed), nn.BatchNorm1d(3), nn.Tanh(), nn.Linear(3, 1, rng=seed + 1))


def test_save_load_round_trip(tmp_path):
    a = _net(0)
    a(np.random.default_rng(0).standard_normal((8, 2)))                 # moves the running stats
    path = save_parameters(a, tmp_path / "net")
    assert path.endswith(".npz")
    with np.load(path, allow_pickle=False) as f:
        assert sorted(f.files) == sorted(["0.weight", "0.bias", "1.gamma", "1.beta", "1.running_mean",
                                          "1.running_var", "1.num_batches_tracked", "3.weight", "3.bias"])
    b = _net(10)
    load_parameters(b, path)
    a.eval(), b.eval()
    x = np.array([[0.3, -0.2], [1.0, 2.0]])
    assert np.array_equal(a(x).data, b(x).data)
    assert np.array_equal(b[1].running_mean, a[1].running_mean)
    assert np.array_equal(load_state(path)["0.weight"], a[0].weight.data)


def test_load_errors_name_the_problem_and_change_nothing(tmp_path):
    small = nn.Sequential(nn.Linear(2, 3, rng=0))
    path = save_parameters(small, tmp_path / "small.npz")
    big = nn.Sequential(nn.Linear(2, 3, rng=1), nn.Linear(3, 1, rng=2))
    before = [p.data.copy() for p in big.parameters()]
    with pytest.raises(KeyError, match=r"missing \['1.weight', '1.bias'\]"):
        load_parameters(big, path)
    wide = nn.Sequential(nn.Linear(2, 4, rng=1))
    with pytest.raises(ValueError, match=r"'0.weight' has shape \(3, 2\).*\(4, 2\)"):
        load_parameters(wide, path)
    assert all(np.array_equal(b, p.data) for b, p in zip(before, big.parameters()))
    # the first layer fits and the second does not: the first is left as it was, too
    two = save_parameters(big, tmp_path / "two.npz")
    other = nn.Sequential(nn.Linear(2, 3, rng=7), nn.Linear(3, 2, rng=8))
    first = other[0].weight.data.copy()
    with pytest.raises(ValueError, match=r"'1.weight' has shape \(1, 3\).*\(2, 3\)"):
        load_parameters(other, two)
    assert np.array_equal(other[0].weight.data, first)
    # strict=True refuses extra names in the file (strict=False: tests/test_nn_saving.py)
    load_parameters(nn.Sequential(nn.Linear(2, 3, rng=5)), save_parameters(big, tmp_path / "big"),
                    strict=False)
    with pytest.raises(KeyError, match="unexpected"):
        load_parameters(nn.Sequential(nn.Linear(2, 3, rng=5)), tmp_path / "big.npz")


def test_a_pickled_object_array_is_refused(tmp_path):
    path = tmp_path / "evil.npz"
    np.savez(path, **{"0.weight": np.array([{"not": "numbers"}], dtype=object)})
    with pytest.raises(ValueError, match="pickled object"):
        load_parameters(nn.Sequential(nn.Linear(2, 3)), path)
    np.save(tmp_path / "one.npy", np.ones(3))
    with pytest.raises(ValueError, match="not an .npz"):
        load_state(tmp_path / "one.npy")
