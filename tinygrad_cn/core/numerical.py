"""Numerical differentiation (NNDL eqs. 5.58, 5.59; published §4.5.1) and the gradient check that
compares it with reverse and forward mode.

Forward difference  f'(x) ≈ (f(x+Δx) − f(x)) / Δx          truncation error O(Δx)   (5.58)
Central difference  f'(x) ≈ (f(x+Δx) − f(x−Δx)) / (2Δx)    truncation error O(Δx²)  (5.59)
Round-off grows as ε/Δx, so the best Δx is near √ε (forward) and ∛ε (central), ε ≈ 2.2e-16.
"""
import warnings
from dataclasses import dataclass, field

import numpy as np

from .graph import no_grad
from .transforms import jacobian, jvp, vjp
from .errors import GradientCheckError
from .tensor import Tensor

_DEFAULT_EPS = {"central": 1e-6, "forward": 1e-8}


def _float64(x):
    return np.array(x.data if isinstance(x, Tensor) else x, dtype=np.float64)


def _value(f, xs):
    with no_grad():
        y = f(*[Tensor.wrap(x) for x in xs])
    # a copy: f may return a view of an input (x[0], x.T), which the next perturbation changes
    return np.array(y.data if isinstance(y, Tensor) else y, dtype=np.float64)


def numerical_grad(f, *inputs, eps=None, method="central"):
    """∂f/∂input by finite differences, on float64 copies of the inputs.

    ``method``: ``"central"`` (eq. 5.59, default Δx = 1e-6) or ``"forward"`` (eq. 5.58, default
    Δx = 1e-8). For scalar f the result has each input's shape; otherwise ``out.shape + x.shape``
    (the Jacobian). One array per input, a tuple when there are several.
    """
    if method not in _DEFAULT_EPS:
        raise ValueError(f"numerical_grad: method must be 'central' or 'forward', got {method!r}")
    eps = _DEFAULT_EPS[method] if eps is None else eps
    xs = [_float64(x) for x in inputs]
    y0 = _value(f, xs)
    results = []
    for k, x in enumerate(xs):
        jac = np.empty(y0.shape + x.shape)
        flat = x.reshape(-1)         # a view: perturbing it perturbs xs[k]
        for j in range(flat.size):
            orig = flat[j]
            flat[j] = orig + eps
            up = _value(f, xs)
            if method == "central":
                flat[j] = orig - eps
                d = (up - _value(f, xs)) / (2 * eps)
            else:
                d = (up - y0) / eps
            flat[j] = orig
            jac.reshape(y0.shape + (flat.size,))[..., j] = d
        results.append(jac)
    return results[0] if len(results) == 1 else tuple(results)


@dataclass
class GradCheckReport:
    """What check_grad compared: for each order, how ("jacobian": every entry, or "projections":
    random ⟨v, J u⟩), and the worst absolute error for each (order, input, mode)."""
    methods: dict = field(default_factory=dict)   # order -> "jacobian" | "projections"
    worst: dict = field(default_factory=dict)     # (order, input index, mode) -> worst |error|

    def __str__(self):
        lines = ["check_grad: all agree with central differences"]
        lines += [f"  order {o}, input {k}, {mode:7s} ({self.methods[o]}): worst |error| = {err:.2e}"
                  for (o, k, mode), err in self.worst.items()]
        return "\n".join(lines)


def _compare(got, want, atol, rtol, where, report, key):
    err = np.abs(got - want)
    report.worst[key] = max(report.worst.get(key, 0.0), float(err.max(initial=0.0)))
    bad = err > atol + rtol * np.abs(want)
    if np.any(bad):
        idx = np.unravel_index(np.argmax(np.where(bad, err, -1)), err.shape) if err.ndim else ()
        g, w, e = got[idx], want[idx], err[idx]
        rel = e / abs(w) if w != 0 else np.inf
        raise GradientCheckError(
            f"check_grad (order {key[0]}): {where(idx)}: {key[2]} mode gives {g:.10g}, central differences give "
            f"{w:.10g}; abs error {e:.3g}, rel error {rel:.3g} (allowed: atol {atol:g} + rtol {rtol:g}·|value|)")


def check_grad(f, *inputs, eps=1e-6, atol=1e-5, rtol=1e-3, modes=("reverse", "forward"), order=1,
               max_entries=4096, projections=3, seed=0):
    """Check ∂f/∂inputs by reverse and forward mode against central differences (eq. 5.59).

    Small problems (Jacobian with at most ``max_entries`` entries) compare every entry of the
    Jacobian; larger ones compare ``projections`` random projections ⟨v, J u⟩ per input. With
    ``order=2`` the derivatives of the derivatives are checked too: for random v, r, both
    g(x) = ⟨vᵀJ(x), r⟩ (through the vjp rules) and h(x) = ⟨v, J(x) r⟩ (through the jvp rules) are
    checked the same way, their reverse and forward derivatives going through the recorded
    first-order derivatives. Raises GradientCheckError naming the input, the mode, the worst entry,
    both values and the errors; returns a GradCheckReport.
    """
    for m in modes:
        if m not in ("reverse", "forward"):
            raise ValueError(f"check_grad: modes must be 'reverse' and/or 'forward', got {m!r}")
    if any(isinstance(x, (Tensor, np.ndarray)) and x.dtype == np.float32 for x in inputs):
        warnings.warn("check_grad: float32 inputs are checked in float64 copies; float32 round-off "
                      "(~1e-7) would swamp the differences", stacklevel=2)
    xs = [_float64(x) for x in inputs]
    rng = np.random.default_rng(seed)
    report = GradCheckReport()
    _check_first_order(f, xs, eps, atol, rtol, modes, max_entries, projections, rng, report, 1)
    if order == 2:
        # derivatives of both first-order rules: g(x) = ⟨vᵀJ(x), r⟩ runs the vjp rules and
        # h(x) = ⟨v, J(x) r⟩ the jvp rules; each is checked by reverse, forward and differences
        y = _value(f, xs)
        v = rng.standard_normal(y.shape)
        rs = [rng.standard_normal(x.shape) for x in xs]

        def g(*ts):
            total = 0.0
            for c, r in zip(vjp(f, *ts)[1](v), rs):
                total = total + (c * r).sum()
            return total

        def h(*ts):
            return (jvp(f, ts, rs)[1] * v).sum()
        for fn in (g, h):
            _check_first_order(fn, xs, eps, atol, rtol, modes, max_entries, projections, rng, report, 2)
    elif order != 1:
        raise ValueError(f"check_grad: order must be 1 or 2, got {order}")
    return report


def _at(idx):
    return f"[{', '.join(str(int(i)) for i in idx)}]" if len(idx) else ""


def _label(xs, k):
    return f"input {k} (shape {xs[k].shape})"


def _check_first_order(f, xs, eps, atol, rtol, modes, max_entries, projections, rng, report, order):
    y = _value(f, xs)
    if y.size * sum(x.size for x in xs) <= max_entries:
        report.methods[order] = "jacobian"
        nums = numerical_grad(f, *xs, eps=eps)
        nums = nums if isinstance(nums, tuple) else (nums,)
        ts = [Tensor.wrap(x.copy()) for x in xs]
        for mode in modes:
            jacs = jacobian(f, *ts, mode=mode)
            jacs = [j.data for j in (jacs if isinstance(jacs, tuple) else (jacs,))]
            for k, (jac, num) in enumerate(zip(jacs, nums)):
                _compare(jac, num, atol, rtol, lambda idx, k=k: (
                    f"{_label(xs, k)}, entry ∂out{_at(idx[:y.ndim])}/∂x{_at(idx[y.ndim:])}"),
                    report, (order, k, mode))
        return
    report.methods[order] = "projections"
    for k, x in enumerate(xs):
        for _ in range(projections):
            u = rng.standard_normal(x.shape)
            v = rng.standard_normal(y.shape)
            up = [xi + eps * u if i == k else xi for i, xi in enumerate(xs)]
            down = [xi - eps * u if i == k else xi for i, xi in enumerate(xs)]
            num = np.array(np.sum(v * (_value(f, up) - _value(f, down)) / (2 * eps)))
            ts = [Tensor.wrap(xi.copy()) for xi in xs]
            for mode in modes:
                if mode == "reverse":
                    got = np.sum(vjp(f, *ts)[1](v)[k].data * u)
                else:
                    tangents = [u if i == k else np.zeros_like(xi) for i, xi in enumerate(xs)]
                    got = np.sum(v * jvp(f, ts, tangents)[1].data)
                _compare(np.array(got), num, atol, rtol,
                         lambda idx, k=k: f"{_label(xs, k)}, random projection ⟨v, J u⟩", report, (order, k, mode))

