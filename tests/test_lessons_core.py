"""The numbers the core-path lessons (tutorials 01–05) quote, checked in detail: the lessons show one
check per section; the textbook's values (NNDL 2020, §5.3–5.5) and closed forms are asserted here."""
import re
import runpy
from pathlib import Path

import numpy as np
import pytest

import tinygrad_cn as tg
from tinygrad_cn.teach.checks import agrees
from tinygrad_cn.teach.textbook import sigmoid_example
from tinygrad_cn.teach.trace import chain, forward_steps, reverse_steps

ROOT = Path(__file__).resolve().parents[1]


def run_lesson(name, monkeypatch, tmp_path):
    """Run tutorials/<name> in quick mode as a script; its globals."""
    monkeypatch.setenv("TINYGRAD_CN_QUICK", "1")
    monkeypatch.setenv("TINYGRAD_CN_OUT", str(tmp_path))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    return runpy.run_path(str(ROOT / "tutorials" / name), run_name="lesson")


# ---- the one visible check -------------------------------------------------------------------

def test_agrees_prints_one_line_and_raises_naming_the_quantity(capsys):
    agrees("f", 0.5, 0.5)
    assert capsys.readouterr().out == "✓ 与教材一致：f = 0.5\n"
    with pytest.raises(AssertionError, match=r"∂f/∂w = 0.3, expected 0.25"):
        agrees("∂f/∂w", 0.3, 0.25, tol=1e-3)


# ---- tutorial 01: σ(wx + b) at x = 1, w = 0, b = 0 (NNDL eqs. 5.62–5.79) ------------------------

def test_01_drawing_names_the_nodes_as_fig_5_8_and_constants_are_unnumbered():
    g = sigmoid_example(1.0, 0.0, 0.0)
    names = re.findall(r'tooltip="([^:]*):', tg.draw(g.f).source)
    tensors = [n for n in names if n in {"x", "w", "b", "h1", "h2", "h3", "h4", "h5", "h6", "f", "1"}]
    assert sorted(tensors) == sorted(["x", "w", "b", "h1", "h2", "h3", "h4", "h5", "h6", "f", "1", "1"])
    assert not any(re.fullmatch(r"v\d+", n) for n in names)


def test_01_chain_forward_and_reverse_tables_are_the_books():
    g = sigmoid_example(1.0, 0.0, 0.0)
    (path,) = chain(g.f, g.w)
    assert [(n, i) for n, i, _ in path] == [("f", "h6"), ("h6", "h5"), ("h5", "h4"), ("h4", "h3"),
                                           ("h3", "h2"), ("h2", "h1"), ("h1", "w")]
    assert [d for _, _, d in path] == [1.0, -0.25, 1.0, 1.0, -1.0, 1.0, 1.0]          # eq. 5.67
    fwd = {s.node: s.total for s in forward_steps(g.f, g.w)}
    assert fwd == {"h1": 1.0, "h2": 1.0, "h3": -1.0, "h4": -1.0, "h5": -1.0, "h6": 0.25, "f": 0.25}  # 5.69–5.74
    rev = {s.node: s.total for s in reverse_steps(g.f)}
    order = [s.node for s in reverse_steps(g.f)]
    assert order[:7] == ["f", "h6", "h5", "h4", "h3", "h2", "h1"] and set(order[7:]) == {"w", "b"}
    assert rev == {"f": 1.0, "h6": 1.0, "h5": -0.25, "h4": -0.25, "h3": -0.25, "h2": 0.25, "h1": 0.25,
                   "w": 0.25, "b": 0.25}                                              # 5.75–5.79


def test_01_finite_differences_at_z0_are_within_round_off():
    def f_of(w, b):
        return sigmoid_example(1.0, w, b).f
    eps = np.finfo(float).eps
    cw, _ = tg.numerical_grad(f_of, 0.0, 0.0)
    fw, _ = tg.numerical_grad(f_of, 0.0, 0.0, method="forward")
    assert 0 < abs(float(cw) - 0.25) <= eps / 1e-6          # round-off ε·|f|/Δx with |f| = 0.5, ×2 margin
    assert 0 < abs(float(fw) - 0.25) <= 2 * eps / 1e-8


def test_01_engine_matches_the_closed_form_at_random_points():
    rng = np.random.default_rng(1)
    points = rng.uniform(-2.0, 2.0, size=(20, 3)) * [1.0, 4.0, 1.0]
    assert np.abs(points[:, 0] * points[:, 1] + points[:, 2]).max() > 5   # saturated points included
    for x, w, b in points:
        e = sigmoid_example(x, w, b)
        fwd = forward_steps(e.f, e.w)[-1].total
        e.f.backward()
        s = 1 / (1 + np.exp(-(w * x + b)))
        assert abs(e.w.grad.item() - s * (1 - s) * x) < 1e-15 and abs(fwd - s * (1 - s) * x) < 1e-15
        assert abs(e.b.grad.item() - s * (1 - s)) < 1e-15


def test_01_runs_and_its_prediction_and_second_derivative_are_right(monkeypatch, tmp_path):
    ns = run_lesson("01_sigmoid_wx_b.py", monkeypatch, tmp_path)
    assert ns["answer"] == 0.5                                 # ∂f/∂w at x = 2, w = b = 0: σ′(0)·2
    s = 1 / (1 + np.exp(-2.0))
    assert abs(ns["e"].w.grad.item() - s * (1 - s) * (1 - 2 * s)) < 1e-15   # ∂²f/∂w² at z = 2
    assert {p.name for p in tmp_path.iterdir()} >= {"01_fig5_8.svg", "01_after_backward.svg"}


# ---- tutorial 04: algorithm 5.1 by hand against the engine ---------------------------------------

def test_04_runs_and_every_hand_result_is_the_engines(monkeypatch, tmp_path):
    ns = run_lesson("04_backprop_by_hand.py", monkeypatch, tmp_path)
    L, N, linears, z_t = ns["L"], ns["N"], ns["linears"], ns["z_t"]
    delta, dW, db = ns["delta"], ns["dW"], ns["db"]
    for l in range(1, L + 1):                                       # the batch: δ rows, 1/N means
        assert np.abs(N * z_t[l].grad.data - delta[l]).max() < 1e-12
        assert np.abs(linears[l - 1].weight.grad.data - dW[l]).max() < 1e-12
        assert np.abs(linears[l - 1].bias.grad.data - db[l]).max() < 1e-12
    assert np.abs(delta[L].sum(axis=1)).max() < 1e-15              # ŷ − y sums to 0 per sample
    table, d_s = ns["table"], ns["d_s"]                             # the 1-1-1-1 network
    a_s = ns["a_s"]
    for l in (1, 2, 3):
        assert abs(table[f"w{l}"] - d_s[l] * a_s[l - 1]) < 1e-15 and abs(table[f"b{l}"] - d_s[l]) < 1e-15
    assert ns["answer"] == "变大"
    # the numbers §4 quotes (rounded as printed): 0.72 → 0.19 with the book's weights, 1.00 → 5.62 with W⁽³⁾ × 20
    assert (round(np.abs(delta[3]).max(), 2), round(np.abs(delta[2]).max(), 2)) == (0.72, 0.19)
    assert (round(ns["big3"], 2), round(ns["big2"], 2)) == (1.0, 5.62)


def test_04_squared_error_changes_only_the_starting_delta():
    from tinygrad_cn import nn
    from tinygrad_cn.nn import functional as F
    from tinygrad_cn.teach.lessons.layerwise import engine_forward
    rng = np.random.default_rng(0)
    net = nn.MLP([4, 5, 3, 2], activation="logistic", output_activation="logistic", rng=0)
    X, Y = rng.standard_normal((6, 4)), np.eye(2)[rng.integers(0, 2, 6)]
    out, z, a = engine_forward(X, net)
    F.squared_error(out, Y).backward()
    W = [None] + [m.weight.data for m in net if isinstance(m, nn.Linear)]
    aL = out.data
    d = aL * (1 - aL) * (aL - Y)                                    # δ⁽ᴸ⁾ for ½‖y − a‖², RHW 1986 eq. (3)
    assert np.abs(6 * z[3].grad.data - d).max() < 1e-12
    d2 = a[2].data * (1 - a[2].data) * (d @ W[3])                   # (5.49) unchanged
    assert np.abs(6 * z[2].grad.data - d2).max() < 1e-12


# ---- tutorial 02: a column per forward sweep, a row per reverse sweep (NNDL §5.4, end) ------------

def test_02_runs_and_counts_n_forward_and_m_reverse_sweeps(monkeypatch, tmp_path):
    ns = run_lesson("02_forward_vs_reverse.py", monkeypatch, tmp_path)
    assert ns["answer"] == "200遍"
    assert ns["sweeps"] == {(200, 2): (200, 2), (2, 200): (2, 200), (20, 20): (20, 20)}
    c_grad, c_jac = ns["c_grad"], ns["c_jac"]
    assert (c_grad.forward, c_grad.reverse) == (0, 1) and (c_jac.forward, c_jac.reverse) == (161, 0)
    assert np.allclose(ns["g_fwd"].numpy(), ns["backprop_by_hand"](ns["theta0"]), atol=1e-12)
    held = ns["held"]
    assert held[4] >= 2 * 4 * ns["ACT"] * 0.99            # z = hW and tanh(z) of every layer are kept
    assert 3.6 < held[16] / held[4] < 4.4


def test_02_jvp_and_vjp_of_any_direction_take_one_sweep():
    rng = np.random.default_rng(0)
    A = rng.standard_normal((3, 4))
    x0, v, u = rng.standard_normal(4), rng.standard_normal(4), rng.standard_normal(3)
    J = (1 - np.tanh(A @ x0) ** 2)[:, None] * A

    def f(x):
        return tg.tanh(tg.Tensor(A) @ x)
    _, vjp_fn = tg.vjp(f, x0)
    with tg.count_sweeps() as c:
        _, Jv = tg.jvp(f, (x0,), (v,))
        (uJ,) = vjp_fn(u)
    assert (c.forward, c.reverse) == (1, 1)
    assert np.allclose(Jv.numpy(), J @ v, atol=1e-12) and np.allclose(uJ.numpy(), u @ J, atol=1e-12)


def test_measure_rejects_no_repeats_and_reports_memory_held():
    from tinygrad_cn.teach.lessons.measure import median_time, memory_held
    with pytest.raises(ValueError, match="median_time: repeats"):
        median_time(print, repeats=0)
    held, peak = memory_held(np.zeros, 10_000)
    assert held >= 80_000 and peak >= held


# ---- tutorial 03: numerical, symbolic, automatic (NNDL eqs. 5.58–5.61, fig. 5.7) ----------------

def test_03_runs_and_its_measurements_match_the_error_analysis(monkeypatch, tmp_path):
    with pytest.warns(UserWarning, match="check_grad: all agree .* except where there is no derivative"):
        ns = run_lesson("03_numerical_symbolic_automatic.py", monkeypatch, tmp_path)   # relu at 0
    eps = np.finfo(float).eps
    fwd, cen = ns["fwd"], ns["cen"]
    assert np.sqrt(eps) / 30 < fwd["best_dx"] < np.sqrt(eps) * 30       # best Δx near √ε
    assert np.cbrt(eps) / 30 < cen["best_dx"] < np.cbrt(eps) * 30       # ... and ∛ε
    assert -1.5 < fwd["k_round"] < -0.5 and -1.5 < cen["k_round"] < -0.5  # round-off ∝ 1/Δx
    assert cen["best_err"] < fwd["best_err"] / 100 and cen["best_err"] > 1e-13
    assert ns["answer"] == "规则A" and ns["failed"].culprit.node == "v2 = a_sin_a_wrong(v1)"
    from tinygrad_cn.teach import symbolic
    assert symbolic.evaluate(ns["df_dw"], x=1.0, w=0.0, b=0.0) == 0.25  # eq. 5.68: σ′(0)·x = 1/4
    net, lm = ns["net"], ns["lm"]
    assert all(net[k]["formula"] == 3 * k + 1 for k in net)              # the formula: 3k + 1 nodes
    assert 70_000 < net[32]["all"] < 80_000 and net[32]["with_grads"] < 300  # "七万多个节点 … 不到 300 个"
    assert net[32]["first"] / net[16]["first"] > 3.5 and net[32]["all"] / net[16]["all"] > 7  # ∝ k², ∝ k³
    assert net[32]["with_grads"] - net[16]["with_grads"] == 7 * 16       # "连同反向扫描每层 7 个"
    assert all(1.7 < net[k]["with_grads"] / net[k]["graph"] < 7 / 3 for k in net)  # "之比趋于 7/3"
    assert lm[20]["first"] > 10**8 and 150 < lm[20]["with_grads"] < 250  # "一亿多 … 两百来个"
    assert all(lm[k]["distinct"] <= 8 * k for k in lm)                   # shared: about 8k
    assert ns["fd_calls"] == 2 * 200 + 1
    assert ns["worst"]["中心差分"] > 1000 * ns["worst"]["自动微分"]
    assert np.abs(ns["g_fd"] - ns["g_ad"]).max() < 1e-7                  # round-off ε|f|/Δx, |f| ≈ 100
    at_zero = ns["at_zero"]
    assert at_zero.values["reverse"] == 0 and np.isclose(at_zero.central, 0.5)


def test_error_curve_refuses_arrays_of_different_lengths():
    from tinygrad_cn.teach.lessons.error_curves import error_curve
    with pytest.raises(ValueError, match="error_curve: dxs and err"):
        error_curve(np.ones(3), np.ones(4))


# ---- tutorial 05: activations (table 5.1), vanishing gradients (5.80–5.82), Xavier (5.90–5.101) ----

def test_05_engine_derivatives_are_table_5_1_with_the_conventions_at_kinks():
    from tinygrad_cn.nn import functional as F
    xs = np.arange(-500, 501) / 100.0
    i0 = 500

    def d(f):
        return tg.grad(lambda t: f(t).sum())(xs).numpy()
    sig, th = 1 / (1 + np.exp(-xs)), np.tanh(xs)
    pos, inner2, inner1 = xs > 0, np.abs(xs) < 2, np.abs(xs) < 1
    dl, dt = d(F.logistic), d(F.tanh)
    assert np.abs(dl - sig * (1 - sig)).max() < 1e-15 and np.abs(dt - (1 - th**2)).max() < 1e-15
    assert np.abs(d(F.softplus) - sig).max() < 1e-15
    assert dl[i0] == 0.25 == dl.max() and dt[i0] == 1.0 == dt.max()                     # 5.81, 5.82
    assert np.abs(F.tanh(tg.Tensor(xs)).numpy() - (2 / (1 + np.exp(-2 * xs)) - 1)).max() < 1e-15  # 5.6
    dr, dleak = d(F.relu), d(lambda x: F.leaky_relu(x, 0.01))
    assert dr[i0] == 0.0 and np.all(dr[pos] == 1) and np.all(dr[xs < 0] == 0)          # relu′(0) = 0
    assert np.all(dleak[pos] == 1) and np.all(dleak[~pos] == 0.01)                      # 5.18
    dhl, dht = d(F.hard_logistic), d(F.hard_tanh)
    assert np.all(dhl[inner2] == 0.25) and np.all(dhl[~inner2] == 0)                    # 5.11
    assert np.all(dht[inner1] == 1.0) and np.all(dht[~inner1] == 0)
    de, ds = d(F.elu), d(F.swish)
    assert np.all(de[pos] == 1) and np.abs(de[~pos] - np.exp(xs[~pos])).max() < 1e-15
    assert ds[i0] == 0.5 and np.abs(ds - (sig + xs * sig * (1 - sig))).max() < 1e-15


def test_05_runs_and_the_qualitative_findings_hold_for_every_seed(monkeypatch, tmp_path):
    ns = run_lesson("05_activations_vanishing_gradients.py", monkeypatch, tmp_path)
    assert ns["answer"] == "更小"
    rW, rd, runs = ns["ratio_W"], ns["ratio_d"], ns["runs"]
    sat = {key: np.array([r[2] for r in v]) for key, v in runs.items()}
    assert np.all(rW[("logistic", "朴素")] < 1e-3) and np.all(rd[("logistic", "朴素")] < 0.2**9)
    assert np.all(rW[("logistic", "默认")] / rW[("logistic", "对照")] > 100) and np.all(rW[("logistic", "默认")] < 0.1)
    assert np.all((rd[("tanh", "默认")] > 0.1) & (rd[("tanh", "默认")] < 10)) and np.all(rW[("tanh", "对照")] > 3)
    assert np.all(sat[("tanh", "默认")] < 0.05) and np.all(sat[("tanh", "对照")] > 0.5)
    assert np.all((sat[("logistic", "默认")] > 0.05) & (sat[("logistic", "默认")] < 0.4))
    assert np.all((rd[("relu", "默认")] > 0.1) & (rd[("relu", "默认")] < 10)) and np.all(rd[("relu", "对照")] < 0.2)
    for act in ("tanh", "relu"):                      # small init, zero-centred units: δ vanishes, ∂R/∂W stays level
        assert np.all(rd[(act, "朴素")] < 0.2) and np.all((rW[(act, "朴素")] > 0.2) & (rW[(act, "朴素")] < 5))


def test_05_xavier_draws_uniform_weights_with_variance_r2_over_3():
    from tinygrad_cn.nn import init
    r = 4 * np.sqrt(6 / 128)                                                            # 5.101 with gain 4
    w = init.xavier_uniform((64, 64), activation="logistic", rng=0)
    assert 0.99 * r < np.abs(w).max() <= r and abs(w.var() / (r * r / 3) - 1) < 0.05   # 5.100
