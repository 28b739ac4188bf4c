"""Tutorial 10's claims, on small random nets (Bengio & Fischer 2015, arXiv:1510.02777; seed 002):

- the engine's ∂E/∂s for E(s) = ½Σs² − ½Σ_{i≠j} W_ij ρ(s_i)ρ(s_j) − Σ b_i ρ(s_i) is s − R(s) with
  the paper's R_i(s) = ρ'(s_i)(b_i + Σ_j W_ij ρ(s_j)) (W symmetric; ½(W + Wᵀ) otherwise);
- after a fixed point with x clamped, nudging y makes the first change of h_k (at step k + 1) equal
  to −ε^(k+1) ∂C/∂h_k of the layered feed-forward net (gains and top-down input frozen);
- equilibrium propagation's estimate (1/β)(∂E/∂θ(s^β) − ∂E/∂θ(s⁰)) → dC(ŝ(θ))/dθ as β → 0.
"""
import numpy as np
import pytest

import tinygrad_cn as tg


def rho(s):
    return tg.sigmoid(4.0 * s - 2.0)


def rho_np(s):
    return 1.0 / (1.0 + np.exp(-(4.0 * s - 2.0)))


def rho_prime_np(s):
    r = rho_np(s)
    return 4.0 * r * (1.0 - r)


def cos(a, b):
    a, b = np.ravel(a), np.ravel(b)
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


def energy(s, W, b):
    s = s if isinstance(s, tg.Tensor) else tg.Tensor(s)
    W = W if isinstance(W, tg.Tensor) else tg.Tensor(W)
    b = b if isinstance(b, tg.Tensor) else tg.Tensor(b)
    r = rho(s)
    return 0.5 * (s * s).sum() - 0.5 * ((r @ W) * r).sum() - (r * b).sum()


class Net:
    """Layers x, ..., y with symmetric weights between adjacent layers; layer 0 is clamped."""

    def __init__(self, sizes, seed, gain=2.0):
        rng = np.random.default_rng(seed)
        self.rng = rng
        self.sizes = sizes
        self.N = sum(sizes)
        off = np.cumsum([0] + list(sizes))
        self.sl = [slice(int(off[i]), int(off[i + 1])) for i in range(len(sizes))]
        self.Ws = [rng.standard_normal((sizes[l], sizes[l + 1])) * gain / np.sqrt(sizes[l] + sizes[l + 1])
                   for l in range(len(sizes) - 1)]
        self.b = 0.1 * rng.standard_normal(self.N)
        self.free = np.ones(self.N, bool)
        self.free[self.sl[0]] = False

    def W(self, Ws=None):
        """The full symmetric matrix (built with engine ops when Ws are Tensors)."""
        Ws = self.Ws if Ws is None else Ws
        if not any(isinstance(B, tg.Tensor) for B in Ws):
            W = np.zeros((self.N, self.N))
            for l, B in enumerate(Ws):
                W[self.sl[l], self.sl[l + 1]] = B
                W[self.sl[l + 1], self.sl[l]] = B.T
            return W
        U = None
        for l, B in enumerate(Ws):
            P = np.zeros((self.N, self.sizes[l]))
            P[self.sl[l]] = np.eye(self.sizes[l])
            Q = np.zeros((self.sizes[l + 1], self.N))
            Q[:, self.sl[l + 1]] = np.eye(self.sizes[l + 1])
            term = tg.Tensor(P) @ B @ tg.Tensor(Q)
            U = term if U is None else U + term
        return U + U.transpose()

    def R(self, s):
        return rho_prime_np(s) * (self.b + self.W() @ rho_np(s))

    def grad_s(self, s, beta=0.0, target=None):
        W, b, y = self.W(), self.b, self.sl[-1]

        def F(s):
            e = energy(s, W, b)
            if beta:
                e = e + beta * 0.5 * ((s[y] - tg.Tensor(target)) ** 2).sum()
            return e
        return tg.grad(F)(s).numpy()

    def settle(self, s, beta=0.0, target=None, eps=0.25, tol=1e-12):
        s = np.array(s, float)
        for _ in range(50000):
            g = self.grad_s(s, beta, target)
            g[~self.free] = 0.0
            if np.abs(g).max() < tol:
                return s
            s -= eps * g
        raise AssertionError("no fixed point")

    def free_point(self):
        s = np.zeros(self.N)
        s[self.sl[0]] = self.rng.uniform(0, 1, self.sizes[0])
        return self.settle(s)


def layered_grad(net, s_hat, layer, target):
    """∂C/∂h_layer through the layered net (gains ρ'(ŝ) and top-down inputs frozen at ŝ)."""
    top = len(net.sizes) - 1

    def C(h):
        cur = h
        for j in range(layer + 1, top + 1):
            u = tg.Tensor(net.b[net.sl[j]]) + rho(cur) @ tg.Tensor(net.Ws[j - 1])
            if j < top:
                u = u + tg.Tensor(net.Ws[j] @ rho_np(s_hat[net.sl[j + 1]]))
            cur = tg.Tensor(rho_prime_np(s_hat[net.sl[j]])) * u
        return 0.5 * ((cur - tg.Tensor(target)) ** 2).sum()
    return tg.grad(C)(s_hat[net.sl[layer]]).numpy()


def nudge(net, s_hat, target, eps, T):
    s = s_hat.copy()
    traj = [s.copy()]
    for _ in range(T):
        new = s - eps * net.grad_s(s)
        new[net.sl[0]] = s_hat[net.sl[0]]
        new[net.sl[-1]] = s[net.sl[-1]] + eps * (target - s[net.sl[-1]])
        s = new
        traj.append(s.copy())
    return np.array(traj)


@pytest.mark.parametrize("seed", range(10))
def test_engine_gradient_is_paper_drive(seed):
    net = Net([3, 5, 4, 2], seed)
    W, rng = net.W(), np.random.default_rng(100 + seed)
    assert np.allclose(W, W.T) and np.all(np.diag(W) == 0)
    for _ in range(5):
        s = 2.0 * rng.standard_normal(net.N)
        g = tg.grad(lambda s: energy(s, W, net.b))(s).numpy()
        assert np.abs(g - (s - net.R(s))).max() < 1e-12              # −∂E/∂s = R(s) − s
    A = rng.standard_normal((net.N, net.N))                           # not symmetric
    np.fill_diagonal(A, 0.0)
    g = tg.grad(lambda s: energy(s, A, net.b))(s).numpy()
    R_half = rho_prime_np(s) * (net.b + 0.5 * (A + A.T) @ rho_np(s))
    assert np.abs(g - (s - R_half)).max() < 1e-12


def test_energy_formula_counts_each_connection_once():
    net = Net([3, 5, 4, 2], 0)
    s = np.random.default_rng(1).standard_normal(net.N)
    r = rho_np(s)
    by_pairs = 0.5 * s @ s - sum(r[net.sl[l]] @ B @ r[net.sl[l + 1]] for l, B in enumerate(net.Ws)) - net.b @ r
    assert abs(energy(s, net.W(), net.b).item() - by_pairs) < 1e-12


@pytest.mark.parametrize("seed", range(20))
def test_first_changes_are_backprop(seed):
    net = Net([4, 6, 6, 2], seed)
    s_hat = net.free_point()
    assert np.abs(s_hat - net.R(s_hat))[net.free].max() < 1e-11     # fixed point s = R(s)
    target = s_hat[net.sl[-1]] + net.rng.uniform(-0.5, 0.5, 2)
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
    net = Net([4, 6, 6, 2], 0)
    s_hat = net.free_point()
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


def ep_and_true_gradient(net, beta):
    x = net.rng.uniform(0, 1, net.sizes[0])
    s0 = np.zeros(net.N)
    s0[net.sl[0]] = x
    s_free = net.settle(s0)
    target = net.rng.uniform(0, 1, net.sizes[-1])
    y = net.sl[-1]
    n_params = len(net.Ws) + 1

    def dE_dtheta(s):
        f = lambda s, *p: energy(s, net.W(list(p[:-1])), p[-1])
        return np.concatenate([g.numpy().ravel() for g in
                               tg.grad(f, argnums=tuple(range(1, n_params + 1)))(s, *net.Ws, net.b)])
    s_beta = net.settle(s_free, beta, target)
    g_ep = (dE_dtheta(s_beta) - dE_dtheta(s_free)) / beta

    # implicit function theorem: dC/dθ = −λᵀ ∂²E/∂s∂θ, λ = H⁻¹ ∂C/∂s (free units)
    fixed = tg.Tensor(s_free[~net.free])
    H = tg.hessian(lambda v: energy(tg.cat([fixed, v]), net.W(), net.b), s_free[net.free]).numpy()
    dC = np.zeros(net.free.sum())
    dC[-net.sizes[-1]:] = s_free[y] - target
    lam = np.linalg.solve(H, dC)

    def lam_dot_grad(*p):
        gs = tg.grad(lambda v: energy(tg.cat([fixed, v]), net.W(list(p[:-1])), p[-1]))(s_free[net.free])
        return (gs * tg.Tensor(lam)).sum()
    g_true = -np.concatenate([g.numpy().ravel() for g in
                              tg.grad(lam_dot_grad, argnums=tuple(range(n_params)))(*net.Ws, net.b)])

    # finite differences through the relaxation, along one random direction
    v = [net.rng.standard_normal(p.shape) for p in net.Ws + [net.b]]

    def J(h):
        saved = net.Ws, net.b
        net.Ws = [B + h * d for B, d in zip(saved[0], v[:-1])]
        net.b = saved[1] + h * v[-1]
        try:
            s = net.settle(s0)
        finally:
            net.Ws, net.b = saved
        return 0.5 * np.sum((s[y] - target) ** 2)
    fd = (J(1e-5) - J(-1e-5)) / 2e-5
    return g_ep, g_true, fd, np.concatenate([d.ravel() for d in v])


@pytest.mark.parametrize("seed", range(6))
def test_equilibrium_propagation_gradient(seed):
    net = Net([3, 5, 4, 2], seed)
    g_ep, g_true, fd, v = ep_and_true_gradient(net, beta=1e-3)
    assert abs(fd - g_true @ v) < 1e-7 * max(1.0, abs(fd))            # the implicit gradient is right
    assert cos(g_ep, g_true) > 0.99
    assert np.linalg.norm(g_ep - g_true) < 0.01 * np.linalg.norm(g_true)   # error O(β)
