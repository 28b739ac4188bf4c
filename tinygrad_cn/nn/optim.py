"""Optimisers: SGD with momentum in Rumelhart, Hinton & Williams's form, and Adam.

Usage (PyTorch's)::

    opt = SGD(model.parameters(), lr=0.1, momentum=0.9)
    for xb, yb in loader:
        opt.zero_grad()
        loss_fn(model(xb), yb).backward()
        opt.step()

``params`` is an iterable of tensors, or of dicts ("parameter groups") each with ``"params"`` and
any hyper-parameters that differ from the defaults, e.g. weight decay on the weights only, as in
NNDL eq. 5.36::

    SGD([{"params": nn.weights(model), "weight_decay": 1e-3},
         {"params": nn.non_weights(model)}], lr=0.1)

Updates are done in place on the arrays (``p.data`` keeps its identity and dtype, so float32
parameters stay float32, and an array you hold as ``p.data`` sees every step); the work arrays each
parameter needs are made at its first step and reused. Parameters whose ``.grad`` is None are
skipped.
"""
from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from ..core.sweeps import zero_grad as _zero_grad

__all__ = ["SGD", "Adam", "Optimizer"]


class Optimizer:
    """Holds parameter groups (``param_groups``: list of dicts) and per-parameter ``state``."""

    def __init__(self, params, defaults):
        self.defaults = dict(defaults)
        self.param_groups = []
        self.state = {}
        if hasattr(params, "parameters"):
            raise TypeError(f"{type(self).__name__}: pass model.parameters(), not the "
                            f"{type(params).__name__} module itself")
        params = list(params)
        if not params:
            raise ValueError(f"{type(self).__name__}: got an empty parameter list")
        groups = params if isinstance(params[0], dict) else [{"params": params}]
        seen = set()
        for g in groups:
            g = dict(g)
            ps = list(g["params"])
            for p in ps:
                if not getattr(p, "requires_grad", False):
                    raise TypeError(f"{type(self).__name__}: every parameter must be a tensor with "
                                    f"requires_grad=True, got {type(p).__name__}")
                if id(p) in seen:
                    raise ValueError(f"{type(self).__name__}: a parameter appears twice")
                seen.add(id(p))
            unknown = set(g) - set(self.defaults) - {"params"}
            if unknown:
                raise TypeError(f"{type(self).__name__}: unknown option(s) {sorted(unknown)}; "
                                f"known: {sorted(self.defaults)}")
            g["params"] = ps
            for k, v in self.defaults.items():
                g.setdefault(k, v)
            self.param_groups.append(g)

    @property
    def lr(self):
        """The learning rate of the first group; setting it sets every group's."""
        return self.param_groups[0]["lr"]

    @lr.setter
    def lr(self, value):
        for g in self.param_groups:
            g["lr"] = value

    def zero_grad(self) -> None:
        """Set ``.grad`` of every parameter to None."""
        for g in self.param_groups:
            _zero_grad(g["params"])

    def _grads(self, group):
        """(parameter, gradient array with weight decay added) for the parameters that have one."""
        wd = group.get("weight_decay", 0.0)
        for p in group["params"]:
            if p.grad is None:
                continue
            g = np.asarray(p.grad.data, dtype=p.dtype)
            if g.shape != p.shape:
                raise ValueError(f"{type(self).__name__}: a gradient of shape {g.shape} for a "
                                 f"parameter of shape {p.shape}")
            if not (isinstance(p.data, np.ndarray) and p.data.flags.writeable):
                p.data = np.array(p.data, dtype=p.dtype)      # a read-only view cannot be updated
            if wd:                        # ∂/∂W of ½λ‖W‖² is λW (eq. 5.36, algorithm 5.1's −αλW)
                g = np.add(g, np.multiply(p.data, wd, out=self._work(p, "g")), out=self._work(p, "g"))
            yield p, g

    def _work(self, p, key):
        """The array ``state[id(p)][key]`` of p's shape and dtype, made once and reused."""
        st = self.state.setdefault(id(p), {})
        buf = st.get(key)
        if buf is None or buf.shape != p.shape or buf.dtype != p.dtype:
            buf = st[key] = np.zeros_like(p.data)
        return buf

    def step(self) -> None:
        raise NotImplementedError


class SGD(Optimizer):
    """Gradient descent, with momentum written as RHW eq. 7 (Rumelhart, Hinton & Williams 1986;
    see docs/references.md):

        Δw(t) = −ε ∂E/∂w(t) + α Δw(t−1),    w ← w + Δw(t),

    ``lr`` = ε, ``momentum`` = α ∈ [0, 1) (RHW: "an exponential decay factor between 0 and 1"), and
    Δw(0) = 0. With α = 0 this is eq. 6 (Δw = −ε ∂E/∂w), and with the gradient of a mini-batch mean
    it is NNDL's eqs. 5.83, 5.84. ``weight_decay`` = λ adds λw to the gradient (the L2 term of eq.
    5.36; it is then part of the momentum too).

    RHW store the change Δw, PyTorch a velocity v (v ← αv + g, w ← w − εv): the same steps while ε
    is constant, not when ε changes, as in RHW's family-tree run. The state is
    ``opt.state[id(p)]["delta"]``, the last Δw. RHW's "weight decay" in that run, w ← (1 −
    0.002)(w + Δw), is not ``weight_decay`` either. Both comparisons: docs/derivations/momentum.md.
    """

    def __init__(self, params: Iterable, lr: float, momentum: float = 0.0, weight_decay: float = 0.0) -> None:
        if lr <= 0:
            raise ValueError(f"SGD: lr must be positive, got {lr}")
        if not 0 <= momentum < 1:
            raise ValueError(f"SGD: momentum α must be in [0, 1), got {momentum}")
        if weight_decay < 0:
            raise ValueError(f"SGD: weight_decay must be ≥ 0, got {weight_decay}")
        super().__init__(params, {"lr": lr, "momentum": momentum, "weight_decay": weight_decay})

    def step(self) -> None:
        for group in self.param_groups:
            eps, alpha = group["lr"], group["momentum"]
            for p, g in self._grads(group):
                delta = np.multiply(g, -eps, out=self._work(p, "step"))      # −ε ∂E/∂w (eq. 6)
                if alpha:
                    st = self.state[id(p)]
                    if "delta" in st:                      # Δw(t) = −ε ∂E/∂w + α Δw(t−1) (eq. 7)
                        prev = st["delta"] = st["delta"].astype(p.dtype, copy=False)
                        prev *= alpha
                        delta = np.add(prev, delta, out=prev)
                    else:                                  # Δw(0) = 0
                        delta = st["delta"] = delta.copy()
                p.data += delta


class Adam(Optimizer):
    """Adam (Kingma & Ba, 2015): with g_t the gradient at step t = 1, 2, ...,

        m_t = β₁ m_{t−1} + (1 − β₁) g_t,        v_t = β₂ v_{t−1} + (1 − β₂) g_t²,
        m̂_t = m_t / (1 − β₁ᵗ),                  v̂_t = v_t / (1 − β₂ᵗ),
        w ← w − lr · m̂_t / (√v̂_t + ε),

    m_0 = v_0 = 0. ``weight_decay`` adds λw to g (L2, not AdamW's decoupled decay). At t = 1 the
    step is lr·g/(|g| + ε) ≈ lr·sign(g) for every parameter, whatever the gradient's scale."""

    def __init__(self, params: Iterable, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0.0) -> None:
        if lr <= 0:
            raise ValueError(f"Adam: lr must be positive, got {lr}")
        if not all(0 <= b < 1 for b in betas):
            raise ValueError(f"Adam: betas must be in [0, 1), got {betas}")
        super().__init__(params, {"lr": lr, "betas": tuple(betas), "eps": eps,
                                  "weight_decay": weight_decay})

    def step(self) -> None:
        for group in self.param_groups:
            lr, (b1, b2), eps = group["lr"], group["betas"], group["eps"]
            for p, g in self._grads(group):
                st = self.state.setdefault(id(p), {})
                if "t" not in st:
                    st.update(t=0, m=np.zeros_like(p.data), v=np.zeros_like(p.data))
                st["t"] += 1
                t, m, v = st["t"], st["m"], st["v"]
                a, b = self._work(p, "step"), self._work(p, "denominator")
                m *= b1
                m += np.multiply(g, 1 - b1, out=a)                       # m_t
                v *= b2
                v += np.multiply(np.multiply(g, 1 - b2, out=a), g, out=a)  # v_t
                np.sqrt(np.divide(v, 1 - b2 ** t, out=b), out=b)       # √v̂_t
                b += eps
                np.multiply(np.divide(m, 1 - b1 ** t, out=a), lr, out=a)  # lr·m̂_t
                p.data -= np.divide(a, b, out=a)
