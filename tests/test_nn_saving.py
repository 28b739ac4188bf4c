"""Saved parameters (issue 9): non-finite weights are refused unless allowed, every error names the
file, 'w' and 'w.npz' are one file, strict=False loads what matches and reports the rest, and a load
changes everything or nothing (nothing is ever unpickled)."""
import os
import zipfile

import numpy as np
import pytest

from tinygrad_cn import nn
from tinygrad_cn.nn.data import load_parameters, load_state, save_parameters


def _net(seed):
    return nn.Sequential(nn.Linear(2, 3, rng=seed), nn.Tanh(), nn.Linear(3, 1, rng=seed + 1))


def _values(module):
    return [p.data.copy() for p in module.parameters()]


def _same(a, b):
    return all(np.array_equal(x, y) for x, y in zip(a, b))


def test_non_finite_weights_are_refused_on_load_unless_allowed(tmp_path):
    path = str(tmp_path / "nan.npz")
    state = _net(0).state_dict()
    state["0.weight"][1, 0] = np.nan
    state["2.bias"][0] = np.inf
    np.savez(path, **state)                                   # as a diverged run would have written it
    target = _net(5)
    before = _values(target)
    with pytest.raises(ValueError, match=r"nan\.npz.*'0\.weight' \(1 values\).*'2\.bias' \(1 values\)"
                                         r".*allow_nonfinite=True"):
        load_parameters(target, path)
    assert _same(before, _values(target))
    load_parameters(target, path, allow_nonfinite=True)
    assert np.isnan(target[0].weight.data[1, 0]) and np.isinf(target[2].bias.data[0])


def test_non_finite_weights_are_refused_on_save_unless_allowed(tmp_path):
    net = _net(0)
    net[0].bias.data[2] = -np.inf
    with pytest.raises(ValueError, match=r"w\.npz.*'0\.bias'.*allow_nonfinite=True"):
        save_parameters(net, tmp_path / "w")
    assert os.listdir(tmp_path) == []                         # nothing written, not even a part
    written = save_parameters(net, tmp_path / "w", allow_nonfinite=True)
    assert np.isneginf(load_state(written, allow_nonfinite=True)["0.bias"][2])


@pytest.mark.parametrize("save_as, load_as", [("w", "w"), ("w", "w.npz"), ("w.npz", "w"), ("w.npz", "w.npz")])
def test_w_and_w_npz_are_the_same_file(tmp_path, save_as, load_as):
    a, b = _net(0), _net(7)
    assert save_parameters(a, tmp_path / save_as) == str(tmp_path / "w.npz")
    load_parameters(b, tmp_path / load_as)
    assert _same(_values(a), _values(b))


@pytest.mark.parametrize("cut", ["empty", "half", "tail"])
def test_a_truncated_or_empty_file_is_a_clear_error_naming_it(tmp_path, cut):
    good = save_parameters(_net(0), tmp_path / "good")
    with open(good, "rb") as f:
        raw = f.read()
    bad = tmp_path / f"{cut}.npz"
    bad.write_bytes({"empty": b"", "half": raw[:len(raw) // 2], "tail": raw[:-7]}[cut])
    target = _net(3)
    before = _values(target)
    with pytest.raises(ValueError, match=rf"{cut}\.npz is (empty|truncated or damaged)") as info:
        load_parameters(target, bad)
    assert not isinstance(info.value, (zipfile.BadZipFile, EOFError))
    assert _same(before, _values(target))


def test_strict_false_loads_what_matches_and_reports_the_rest(tmp_path):
    small = nn.Sequential(nn.Linear(2, 3, rng=0))
    path = save_parameters(small, tmp_path / "small")
    big = _net(9)
    second = _values(big)[2:]
    result = load_parameters(big, path, strict=False)
    assert result.missing_keys == ["2.weight", "2.bias"] and result.unexpected_keys == []
    assert np.array_equal(big[0].weight.data, small[0].weight.data)
    assert _same(second, _values(big)[2:])                   # the rest is left as it was
    result = load_parameters(nn.Sequential(nn.Linear(2, 3)), save_parameters(big, tmp_path / "big"),
                             strict=False)
    assert result == ([], ["2.weight", "2.bias"])


def test_every_load_error_names_the_file(tmp_path):
    path = save_parameters(nn.Sequential(nn.Linear(2, 3, rng=0)), tmp_path / "small")
    with pytest.raises(KeyError, match=r"small\.npz.*missing \['2\.weight', '2\.bias'\]"):
        load_parameters(_net(1), path)
    with pytest.raises(ValueError, match=r"small\.npz.*'0\.weight' has shape \(3, 2\)"):
        load_parameters(nn.Sequential(nn.Linear(2, 4)), path)
    with pytest.raises(FileNotFoundError, match=r"nowhere"):
        load_parameters(_net(1), tmp_path / "nowhere")


def test_a_save_that_cannot_write_names_the_file(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"save_parameters: cannot write .*missing[/\\]w\.npz"):
        save_parameters(_net(0), tmp_path / "missing" / "w")
