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

Updates are done on the arrays (``p.data`` is replaced by a new array of the same dtype, so
float32 parameters stay float32); parameters whose ``.grad`` is None are skipped.
"""
import numpy as np

from ..core.autodiff import zero_grad as _zero_grad

__all__ = ["Optimizer", "SGD", "Adam"]


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

    def zero_grad(self):
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
            if wd:
                g = g + wd * p.data       # ∂/∂W of ½λ‖W‖² is λW (eq. 5.36, algorithm 5.1's −αλW)
            yield p, g

    def step(self):
        raise NotImplementedError


class SGD(Optimizer):
    """Gradient descent, with momentum written as RHW eq. 7 (seed 003):

        Δw(t) = −ε ∂E/∂w(t) + α Δw(t−1),    w ← w + Δw(t),

    ``lr`` = ε, ``momentum`` = α ∈ [0, 1) (RHW: "an exponential decay factor between 0 and 1"), and
    Δw(0) = 0. With α = 0 this is eq. 6 (Δw = −ε ∂E/∂w), and with the gradient of a mini-batch mean
    it is NNDL's eqs. 5.83, 5.84. ``weight_decay`` = λ adds λw to the gradient (the L2 term of eq.
    5.36; it is then part of the momentum too).

    RHW store the change Δw, PyTorch stores a velocity v with v ← αv + g, w ← w − εv. The two agree
    while ε is constant (Δw = −εv); they differ when ε changes, as in RHW's family-tree run (ε =
    0.005 for 20 sweeps, then 0.01): here the past change keeps the size it had. The state is
    ``opt.state[id(p)]["delta"]``, the last Δw.

    RHW's "weight decay" in that run is different again: each weight shrinks by 0.2% after every
    change, w ← (1 − 0.002)(w + Δw). Without momentum and with a constant ε this is close to
    ``weight_decay = 0.002/ε`` (which gives w ← (1 − 0.002)w + Δw: the same but for 0.2% of Δw).
    """

    def __init__(self, params, lr, momentum=0.0, weight_decay=0.0):
        if lr <= 0:
            raise ValueError(f"SGD: lr must be positive, got {lr}")
        if not 0 <= momentum < 1:
            raise ValueError(f"SGD: momentum α must be in [0, 1), got {momentum}")
        if weight_decay < 0:
            raise ValueError(f"SGD: weight_decay must be ≥ 0, got {weight_decay}")
        super().__init__(params, {"lr": lr, "momentum": momentum, "weight_decay": weight_decay})

    def step(self):
        for group in self.param_groups:
            eps, alpha = group["lr"], group["momentum"]
            for p, g in self._grads(group):
                delta = -eps * g
                if alpha:
                    st = self.state.setdefault(id(p), {})
                    if "delta" in st:
                        delta = delta + alpha * st["delta"]
                    st["delta"] = delta
                p.data = (p.data + delta).astype(p.dtype, copy=False)


class Adam(Optimizer):
    """Adam (Kingma & Ba, 2015): with g_t the gradient at step t = 1, 2, ...,

        m_t = β₁ m_{t−1} + (1 − β₁) g_t,        v_t = β₂ v_{t−1} + (1 − β₂) g_t²,
        m̂_t = m_t / (1 − β₁ᵗ),                  v̂_t = v_t / (1 − β₂ᵗ),
        w ← w − lr · m̂_t / (√v̂_t + ε),

    m_0 = v_0 = 0. ``weight_decay`` adds λw to g (L2, not AdamW's decoupled decay). At t = 1 the
    step is lr·g/(|g| + ε) ≈ lr·sign(g) for every parameter, whatever the gradient's scale."""

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
        if lr <= 0:
            raise ValueError(f"Adam: lr must be positive, got {lr}")
        if not all(0 <= b < 1 for b in betas):
            raise ValueError(f"Adam: betas must be in [0, 1), got {betas}")
        super().__init__(params, {"lr": lr, "betas": tuple(betas), "eps": eps,
                                  "weight_decay": weight_decay})

    def step(self):
        for group in self.param_groups:
            lr, (b1, b2), eps = group["lr"], group["betas"], group["eps"]
            for p, g in self._grads(group):
                st = self.state.setdefault(id(p), {"t": 0, "m": np.zeros_like(p.data),
                                                   "v": np.zeros_like(p.data)})
                st["t"] += 1
                t = st["t"]
                st["m"] = b1 * st["m"] + (1 - b1) * g
                st["v"] = b2 * st["v"] + (1 - b2) * g * g
                m_hat = st["m"] / (1 - b1 ** t)
                v_hat = st["v"] / (1 - b2 ** t)
                p.data = (p.data - lr * m_hat / (np.sqrt(v_hat) + eps)).astype(p.dtype, copy=False)
