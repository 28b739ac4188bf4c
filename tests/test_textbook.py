"""NNDL §5.4's worked example (seed 001, eqs. 5.62–5.79; published §4.5.3), numbers typed in from
the seed, and seed 000's infomax rules (eqs. 2.10, 2.11, B.4, B.5) by differentiating a derivative."""
import numpy as np
import pytest

import tinygrad_cn as tg
from tinygrad_cn.teach.textbook import sigmoid_example
from tinygrad_cn.teach.trace import chain, forward_steps, reverse_steps


@pytest.fixture
def g():
    return sigmoid_example(x=1.0, w=0.0, b=0.0)


def test_value_is_one_half(g):
    assert g.f.item() == 0.5


def test_chain_rule_factors_eq_5_67(g):
    (path,) = chain(g.f, g.w)
    assert [(n, i) for n, i, _ in path] == [("f", "h6"), ("h6", "h5"), ("h5", "h4"), ("h4", "h3"),
                                            ("h3", "h2"), ("h2", "h1"), ("h1", "w")]
    assert [d for _, _, d in path] == [1, -0.25, 1, 1, -1, 1, 1]          # eq. 5.67
    assert np.prod([d for _, _, d in path]) == 0.25                        # eq. 5.68


def test_forward_accumulation_eqs_5_69_to_5_74(g):
    steps = {s.node: s for s in forward_steps(g.f, g.w)}
    assert [s.node for s in forward_steps(g.f, g.w)] == ["h1", "h2", "h3", "h4", "h5", "h6", "f"]
    assert steps["h1"].total == 1                                           # 5.69: ∂h1/∂w = x = 1
    assert (steps["h2"].terms[0].local, steps["h2"].total) == (1, 1)        # 5.70: 1 × 1 = 1
    assert (steps["h3"].terms[0].local, steps["h3"].total) == (-1, -1)      # 5.71: −1 × 1
    assert (steps["h6"].terms[0].local, steps["h6"].terms[0].factor) == (-0.25, -1)   # 5.73
    assert steps["h6"].total == 0.25
    assert (steps["f"].terms[0].local, steps["f"].total) == (1, 0.25)       # 5.74: 1 × 0.25


def test_reverse_accumulation_eqs_5_75_to_5_79(g):
    steps = {s.node: s for s in reverse_steps(g.f)}
    assert steps["h6"].total == 1                                           # 5.75
    assert (steps["h5"].terms[0].factor, steps["h5"].terms[0].local) == (1, -0.25)      # 5.76
    assert steps["h5"].total == -0.25
    assert (steps["h4"].terms[0].local, steps["h4"].total) == (1, -0.25)    # 5.77
    assert (steps["w"].terms[0].factor, steps["w"].terms[0].local) == (0.25, 1)         # 5.79
    assert steps["w"].total == 0.25
    order = [s.node for s in reverse_steps(g.f)]
    assert order.index("h6") < order.index("h5") < order.index("h1") < order.index("w")


def test_the_equations_read_as_in_the_book(g):
    fwd = [s.equation() for s in forward_steps(g.f, g.w)]
    assert fwd[0] == "∂h1/∂w = 1"
    assert fwd[1] == "∂h2/∂w = ∂h2/∂h1 · ∂h1/∂w = 1 × 1 = 1"
    assert fwd[-2] == "∂h6/∂w = ∂h6/∂h5 · ∂h5/∂w = (-0.25) × (-1) = 0.25"
    rev = {s.node: s.equation() for s in reverse_steps(g.f)}
    assert rev["h5"] == "∂f/∂h5 = ∂f/∂h6 · ∂h6/∂h5 = 1 × (-0.25) = -0.25"


def test_three_ways_agree_on_0_25(g):
    g.f.backward(retain_graph=True)
    assert (g.w.grad.item(), g.b.grad.item()) == (0.25, 0.25)                         # reverse
    assert tg.forward_sweep(g.f, {g.w: 1.0}).item() == 0.25                            # forward
    assert g.h3.tangent.item() == -1                                                   # 5.71 stored on the node
    assert tg.forward_sweep(g.f, {g.b: 1.0}).item() == 0.25
    num_w, num_b = tg.numerical_grad(lambda w, b: sigmoid_example(1.0, w, b).f, 0.0, 0.0)
    assert num_w == pytest.approx(0.25, abs=1e-9) and num_b == pytest.approx(0.25, abs=1e-9)


def test_demo_prints_the_example(capsys):
    from tinygrad_cn.__main__ import main
    main([])
    out = capsys.readouterr().out
    assert "1 × -0.25 × 1 × 1 × -1 × 1 × 1" in out
    assert "∂f/∂h5 = ∂f/∂h6 · ∂h6/∂h5 = 1 × (-0.25) = -0.25" in out
    assert out.count("0.2500000000") == 6            # ∂f/∂w and ∂f/∂b, three ways


# ---- seed 000: the infomax rules, by differentiating the derivative ∂y/∂x ------------------------
def _log_slope(act):
    """log|∂y/∂x| for y = act(αx + β), with ∂y/∂x itself computed by the engine."""
    def h(alpha, beta, x):
        dydx = tg.grad(lambda x: act(alpha * x + beta))(x)
        return tg.log(tg.abs(dydx))
    return h


@pytest.mark.parametrize("alpha,beta,x", [(1.0, 0.0, 0.3), (0.5, -1.2, 2.0), (2.5, 0.7, -0.8)])
def test_infomax_logistic_eqs_2_10_2_11(alpha, beta, x):
    d_alpha, d_beta = tg.grad(_log_slope(tg.sigmoid), argnums=(0, 1))(alpha, beta, x)
    y = 1 / (1 + np.exp(-(alpha * x + beta)))
    assert d_alpha.item() == pytest.approx(1 / alpha + x * (1 - 2 * y), rel=1e-12)    # (2.10)
    assert d_beta.item() == pytest.approx(1 - 2 * y, rel=1e-12, abs=1e-15)            # (2.11)


@pytest.mark.parametrize("alpha,beta,x", [(1.0, 0.0, 0.3), (0.5, -1.2, 2.0), (2.5, 0.7, -0.8)])
def test_infomax_tanh_eqs_B4_B5(alpha, beta, x):
    d_alpha, d_beta = tg.grad(_log_slope(tg.tanh), argnums=(0, 1))(alpha, beta, x)
    y = np.tanh(alpha * x + beta)
    assert d_alpha.item() == pytest.approx(1 / alpha - 2 * x * y, rel=1e-12)           # (B.4)
    assert d_beta.item() == pytest.approx(-2 * y, rel=1e-12)                           # (B.5)
