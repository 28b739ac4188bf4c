"""A layered energy-based network, its settling dynamics, and equilibrium propagation (tutorial 10).

Sources (docs/references.md): Y. Bengio, "Early inference in energy-based models approximates
back-propagation", arXiv:1510.02777 (2015); B. Scellier, Y. Bengio, "Equilibrium propagation",
Frontiers in Computational Neuroscience 11:24 (2017). The Chinese translation we read lost the
equations; tutorial 10 labels the reconstructed ones (R1)-(R12) and checks each numerically.

    E(s)   = ½ Σ_i s_i² − ½ Σ_{i≠j} W_ij ρ(s_i) ρ(s_j) − Σ_i b_i ρ(s_i)      (R6), W symmetric, W_ii = 0
    R_i(s) = ρ'(s_i) (b_i + Σ_j W_ij ρ(s_j)),   R(s) − s = −∂E/∂s           (R7), (R4)
    s ← s + ε (R(s) − s) = s − ε ∂E/∂s                                       (R1) with no noise
    EP:    (1/β) (∂E/∂θ(s^β) − ∂E/∂θ(s⁰)) → dC(ŝ(θ))/dθ as β → 0,  s^β the fixed point of E + βC

ρ(s) = σ(4s − 2): smooth, with the value (½) and slope (1) of Scellier & Bengio's hard sigmoid
clip(s, 0, 1) at s = ½. Every derivative here is the engine's (``tg.grad``, ``tg.hessian``);
only ``R`` is written by hand, in NumPy, as the paper's formula to compare against.
"""
import numpy as np

from ..core.ops import cat, sigmoid
from ..core.tensor import Tensor
from ..core.transforms import grad, hessian

__all__ = [
    "RHO_GAIN",
    "EnergyNet",
    "energy",
    "ep_gradient",
    "implicit_gradient",
    "layered_forward",
    "layered_grad",
    "nudge",
    "relaxed_cost",
    "rho",
    "rho_np",
    "rho_prime_np",
]

RHO_GAIN = 4.0


def rho(s):
    """ρ(s) = σ(4s − 2), on engine tensors."""
    return sigmoid(RHO_GAIN * s - 2.0)


def rho_np(s):
    """ρ(s) in NumPy."""
    return 1.0 / (1.0 + np.exp(-(RHO_GAIN * s - 2.0)))


def rho_prime_np(s):
    """ρ'(s) = 4ρ(s)(1 − ρ(s)) in NumPy."""
    r = rho_np(s)
    return RHO_GAIN * r * (1.0 - r)


def _as_t(a):
    return a if isinstance(a, Tensor) else Tensor(a)


def energy(s, W, b):
    """(R6): E(s) = ½Σ s² − ½Σ_{i≠j} W_ij ρ(s_i)ρ(s_j) − Σ b_i ρ(s_i), W with zero diagonal
    (for a batch of states, shape (B, N), the sum of the B energies)."""
    s = _as_t(s)
    r = rho(s)
    return 0.5 * (s * s).sum() - 0.5 * ((r @ _as_t(W)) * r).sum() - (r * _as_t(b)).sum()


class EnergyNet:
    """A layered energy-based net: layer 0 = x (clamped), last layer = y, symmetric weights
    between adjacent layers only. ``Ws[l]`` is the n_l × n_{l+1} block between layers l and l+1,
    ``sl[l]`` the slice of layer l in the state s, which has shape (N,) or (batch, N).
    Weights are N(0, 1)·gain/√(n_l + n_{l+1}), biases N(0, 0.1²), from ``default_rng(seed)``."""

    def __init__(self, sizes, seed, gain=2.0):
        rng = np.random.default_rng(seed)
        self.sizes = list(sizes)
        self.N = sum(sizes)
        off = np.cumsum([0] + self.sizes)
        self.sl = [slice(int(off[i]), int(off[i + 1])) for i in range(len(sizes))]
        self.Ws = [rng.standard_normal((sizes[l], sizes[l + 1])) * gain / np.sqrt(sizes[l] + sizes[l + 1])
                   for l in range(len(sizes) - 1)]
        self.b = 0.1 * rng.standard_normal(self.N)
        self.free = np.ones(self.N, bool)   # every unit but the input layer moves
        self.free[self.sl[0]] = False
        # constant selection matrices: W_full = U + Uᵀ with U = Σ_l P_l Ws[l] Q_l
        self._P, self._Q = [], []
        for l in range(len(sizes) - 1):
            P = np.zeros((self.N, sizes[l]))
            P[self.sl[l]] = np.eye(sizes[l])
            Q = np.zeros((sizes[l + 1], self.N))
            Q[:, self.sl[l + 1]] = np.eye(sizes[l + 1])
            self._P.append(Tensor(P))
            self._Q.append(Tensor(Q))

    def params(self):
        """θ = [Ws[0], …, b] (NumPy arrays)."""
        return self.Ws + [self.b]

    def set_params(self, params):
        self.Ws, self.b = [np.array(p) for p in params[:-1]], np.array(params[-1])

    def W_full(self):
        """The N × N symmetric weight matrix (NumPy)."""
        W = np.zeros((self.N, self.N))
        for l, B in enumerate(self.Ws):
            W[self.sl[l], self.sl[l + 1]] = B
            W[self.sl[l + 1], self.sl[l]] = B.T
        return W

    def energy(self, s, *params):
        """E(s) (R6) with W assembled from the blocks inside the graph, so that gradients with
        respect to the blocks are gradients with respect to the symmetric connections."""
        *Ws, b = params if params else self.params()
        U = None
        for P, B, Q in zip(self._P, Ws, self._Q):
            term = P @ _as_t(B) @ Q
            U = term if U is None else U + term
        return energy(s, U + U.transpose(), b)   # U + Uᵀ: symmetric, zero diagonal

    def cost(self, s, target):
        """C = ½‖y − target‖² on the output units (summed over a batch)."""
        y = _as_t(s)[..., self.sl[-1]]
        return 0.5 * ((y - _as_t(target)) ** 2).sum()

    def dE_ds(self, s, beta=0.0, target=None):
        """∂(E + βC)/∂s by the engine (a NumPy array); W enters as a constant here."""
        W, b = Tensor(self.W_full()), Tensor(self.b)
        if beta == 0.0:
            return grad(lambda s: energy(s, W, b))(s).numpy()
        return grad(lambda s: energy(s, W, b) + beta * self.cost(s, target))(s).numpy()

    def dE_dtheta(self, s):
        """∂E/∂(Ws..., b) at state s by the engine (a list of NumPy arrays)."""
        nums = tuple(range(1, len(self.Ws) + 2))
        return [g.numpy() for g in grad(self.energy, argnums=nums)(s, *self.params())]

    def R(self, s):
        """The paper's drive (R7), R_i(s) = ρ'(s_i)(b_i + Σ_j W_ij ρ(s_j)), by hand in NumPy."""
        return rho_prime_np(s) * (self.b + rho_np(s) @ self.W_full())

    def settle(self, s, beta=0.0, target=None, eps=0.25, tol=1e-12, max_steps=20000, energies=None):
        """Leaky-integrator steps (R1), no noise: s ← s − ε ∂(E + βC)/∂s on the free units until the
        largest |∂/∂s| is below tol. Returns (state, steps); appends E + βC per step to ``energies``."""
        s = np.array(s, float)
        for step in range(max_steps):
            g = self.dE_ds(s, beta, target)
            g[..., ~self.free] = 0.0
            if energies is not None:
                energies.append(self.energy(s).item() + (beta * self.cost(s, target).item() if beta else 0.0))
            if np.abs(g).max() < tol:
                return s, step
            s = s - eps * g
        raise RuntimeError(f"settle: no fixed point after {max_steps} steps (max |grad| {np.abs(g).max():.2e})")

    def free_hessian(self, s):
        """∂²E/∂s² over the free units at state s (engine: forward-over-reverse)."""
        fixed = Tensor(s[~self.free])
        return hessian(lambda v: self.energy(cat([fixed, v])), s[self.free]).numpy()


def layered_forward(net, s_hat, start, h_start, Ws=None):
    """The layered feed-forward net at the fixed point s_hat, from layer ``start`` (value h_start)
    up to the output: h_j = ρ'(ŝ_j) ⊙ (b_j + ρ(h_{j−1}) Ws[j−1] + Ws[j] ρ(ŝ_{j+1})), each layer's gain
    ρ'(ŝ_j) and its top-down input frozen at s_hat (with Ws given, only the bottom-up weights
    Ws[j − 1] are inputs of the graph). Its Jacobians are ∂R_j/∂s_{j−1} (Bengio 2015, §3.1)."""
    Ws = net.Ws if Ws is None else Ws
    top = len(net.sizes) - 1
    cur = h_start
    for j in range(start + 1, top + 1):
        u = _as_t(net.b[net.sl[j]]) + rho(cur) @ _as_t(Ws[j - 1])           # bottom-up, varies
        if j < top:
            u = u + _as_t(net.Ws[j] @ rho_np(s_hat[net.sl[j + 1]]))         # top-down, frozen
        cur = _as_t(rho_prime_np(s_hat[net.sl[j]])) * u                      # gain, frozen
    return cur


def layered_grad(net, s_hat, layer, target):
    """g = ∂C/∂h_layer through ``layered_forward`` (back-propagation, by the engine)."""
    C = lambda h: 0.5 * ((layered_forward(net, s_hat, layer, h) - _as_t(target)) ** 2).sum()
    return grad(C)(s_hat[net.sl[layer]]).numpy()


def nudge(net, s_hat, y_star, eps, T):
    """The paper's nudge (R9): T synchronous leaky-integrator steps from s_hat with x clamped and the
    output driven by the target, y ← y + ε(y* − y). Returns the states s_0..s_T, shape (T + 1, N)."""
    s = s_hat.copy()
    traj = [s.copy()]
    for _ in range(T):
        new = s - eps * net.dE_ds(s)                           # h: s + ε(R(s) − s)
        new[net.sl[0]] = s_hat[net.sl[0]]                       # x stays clamped
        new[net.sl[-1]] = s[net.sl[-1]] + eps * (y_star - s[net.sl[-1]])   # y: driven by y*
        s = new
        traj.append(s.copy())
    return np.array(traj)


def implicit_gradient(net, s0, target):
    """dJ/dθ for J(θ) = C(ŝ(θ)) at the fixed point s0, by the implicit function theorem:
    dJ/dθ = −λᵀ ∂²E/∂s∂θ with λ = H⁻¹ ∂C/∂s (free units). A list of arrays, like ``params()``."""
    H = net.free_hessian(s0)
    dC_ds = grad(lambda s: net.cost(s, target))(s0).numpy()[net.free]
    lam_ = np.linalg.solve(H, dC_ds)
    fixed = Tensor(s0[~net.free])

    def lam_dot_dEds(*params):
        dE_dfree = grad(lambda v: net.energy(cat([fixed, v]), *params))(s0[net.free])
        return (dE_dfree * Tensor(lam_)).sum()
    return [-gr.numpy() for gr in grad(lam_dot_dEds, argnums=tuple(range(len(net.params()))))(*net.params())]


def relaxed_cost(net, params, s_start, target, tol=1e-13):
    """J(θ) = C(ŝ(θ)): settle from s_start with the parameters ``params`` (net is left unchanged)."""
    saved = net.params()
    net.set_params(params)
    try:
        s_fix, _ = net.settle(s_start, tol=tol)
        return net.cost(s_fix, target).item()
    finally:
        net.set_params(saved)


def ep_gradient(net, s_free, beta, target, tol=1e-13):
    """Equilibrium propagation's estimate (Scellier & Bengio 2017): settle from the free fixed
    point s_free on E + βC to s^β, then (1/β)(∂E/∂θ(s^β) − ∂E/∂θ(s_free)). A list of arrays."""
    s_b, _ = net.settle(s_free, beta, target, tol=tol)
    return [(a - b) / beta for a, b in zip(net.dE_dtheta(s_b), net.dE_dtheta(s_free))]
