"""Tutorial 10's claims, on small random nets (Bengio 2015, arXiv:1510.02777; Scellier & Bengio 2017),
checked on the models of tinygrad_cn.nn.energy:

- the engine's ∂E/∂s for E(s) = ½Σs² − ½Σ_{i≠j} W_ij ρ(s_i)ρ(s_j) − Σ b_i ρ(s_i) is s − R(s) with
  the paper's R_i(s) = ρ'(s_i)(b_i + Σ_j W_ij ρ(s_j)) (W symmetric; ½(W + Wᵀ) otherwise);
- after a fixed point with x clamped, nudging y makes the first change of h_k (at step k + 1) equal
  to −ε^(k+1) ∂C/∂h_k of the layered feed-forward net (gains and top-down input frozen);
- equilibrium propagation's estimate (1/β)(∂E/∂θ(s^β) − ∂E/∂θ(s⁰)) → dC(ŝ(θ))/dθ as β → 0.
"""
import numpy as np
import pytest

import tinygrad_cn as tg
from tinygrad_cn.nn.energy import (
    EnergyNet,
    energy,
    ep_gradient,
    implicit_gradient,
    layered_grad,
    nudge,
    relaxed_cost,
    rho_np,
    rho_prime_np,
)


def cos(a, b):
    a, b = np.ravel(a), np.ravel(b)
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


def free_point(net, rng):
    """The free fixed point from a random clamped input x ~ U(0, 1)."""
    s = np.zeros(net.N)
    s[net.sl[0]] = rng.uniform(0, 1, net.sizes[0])
    return net.settle(s)[0]


@pytest.mark.parametrize("seed", range(10))
def test_engine_gradient_is_paper_drive(seed):
    net = EnergyNet([3, 5, 4, 2], seed)
    W, rng = net.W_full(), np.random.default_rng(100 + seed)
    assert np.allclose(W, W.T) and np.all(np.diag(W) == 0)
    for _ in range(5):
        s = 2.0 * rng.standard_normal(net.N)
        g = tg.grad(lambda s: energy(s, W, net.b))(s).numpy()
        assert np.abs(g - (s - net.R(s))).max() < 1e-12              # −∂E/∂s = R(s) − s
        assert np.abs(net.dE_ds(s) - g).max() == 0.0
    A = rng.standard_normal((net.N, net.N))                           # not symmetric
    np.fill_diagonal(A, 0.0)
    g = tg.grad(lambda s: energy(s, A, net.b))(s).numpy()
    R_half = rho_prime_np(s) * (net.b + 0.5 * (A + A.T) @ rho_np(s))
    assert np.abs(g - (s - R_half)).max() < 1e-12


def test_energy_formula_counts_each_connection_once():
    net = EnergyNet([3, 5, 4, 2], 0)
    s = np.random.default_rng(1).standard_normal(net.N)
    r = rho_np(s)
    by_pairs = 0.5 * s @ s - sum(r[net.sl[l]] @ B @ r[net.sl[l + 1]] for l, B in enumerate(net.Ws)) - net.b @ r
    assert abs(energy(s, net.W_full(), net.b).item() - by_pairs) < 1e-12
    assert abs(net.energy(s).item() - by_pairs) < 1e-12               # W assembled from the blocks in the graph


@pytest.mark.parametrize("seed", range(20))
def test_first_changes_are_backprop(seed):
    net, rng = EnergyNet([4, 6, 6, 2], seed), np.random.default_rng(1000 + seed)
    s_hat = free_point(net, rng)
    assert np.abs(s_hat - net.R(s_hat))[net.free].max() < 1e-11     # fixed point s = R(s)
    target = s_hat[net.sl[-1]] + rng.uniform(-0.5, 0.5, 2)
    eps = 0.01
    d = nudge(net, s_hat, target, eps, 3) - s_hat
    h1, h2 = 2, 1
    g1, g2 = layered_grad(net, s_hat, h1, target), layered_grad(net, s_hat, h2, target)
    assert np.abs(d[1, net.sl[h1]]).max() < 1e-13 and np.abs(d[2, net.sl[h2]]).max() < 1e-13
    assert cos(d[2, net.sl[h1]], -g1) > 0.99        # the layer next to the output, at step 2
    assert cos(d[3, net.sl[h2]], -g2) > 0.99        # the next one, at step 3
    r1 = np.linalg.norm(d[2, net.sl[h1]]) / (eps ** 2 * np.linalg.norm(g1))
    r2 = np.linalg.norm(d[3, net.sl[h2]]) / (eps ** 3 * np.linalg.norm(g2))
    assert abs(r1 - 1) < 0.05 and abs(r2 - 1) < 0.05


def test_epsilon_powers():
    net = EnergyNet([4, 6, 6, 2], 0)
    s_hat = free_point(net, np.random.default_rng(1000))
    target = s_hat[net.sl[-1]] + 0.3
    eps_grid = np.logspace(-3, -1.5, 4)
    sizes = {3: [], 2: [], 1: []}
    for eps in eps_grid:
        d = nudge(net, s_hat, target, eps, 3) - s_hat
        for layer, step in ((3, 1), (2, 2), (1, 3)):
            sizes[layer].append(np.linalg.norm(d[step, net.sl[layer]]))
    for layer, power in ((3, 1), (2, 2), (1, 3)):
        slope = np.polyfit(np.log(eps_grid), np.log(sizes[layer]), 1)[0]
        assert abs(slope - power) < 0.02


def flat(arrays):
    return np.concatenate([np.ravel(a) for a in arrays])


@pytest.mark.parametrize("seed", range(6))
def test_equilibrium_propagation_gradient(seed):
    net, rng = EnergyNet([3, 5, 4, 2], seed), np.random.default_rng(1000 + seed)
    s0 = np.zeros(net.N)
    s0[net.sl[0]] = rng.uniform(0, 1, net.sizes[0])
    s_free = net.settle(s0)[0]
    target = rng.uniform(0, 1, net.sizes[-1])
    g_ep = flat(ep_gradient(net, s_free, 1e-3, target))
    g_true = flat(implicit_gradient(net, s_free, target))
    # finite differences through the relaxation, along one random direction: checks the implicit gradient
    v = [rng.standard_normal(p.shape) for p in net.params()]
    J = lambda h: relaxed_cost(net, [p + h * d for p, d in zip(net.params(), v)], s0, target)
    fd = (J(1e-5) - J(-1e-5)) / 2e-5
    assert abs(fd - g_true @ flat(v)) < 1e-7 * max(1.0, abs(fd))      # the implicit gradient is right
    assert cos(g_ep, g_true) > 0.99
    assert np.linalg.norm(g_ep - g_true) < 0.01 * np.linalg.norm(g_true)   # error O(β)
