"""Finite differences (NNDL eqs. 5.58, 5.59; published §4.5.1), always on fresh copies of the inputs.

Forward difference  f'(x) ≈ (f(x+Δx) − f(x)) / Δx          truncation error O(Δx)   (5.58)
Central difference  f'(x) ≈ (f(x+Δx) − f(x−Δx)) / (2Δx)    truncation error O(Δx²)  (5.59)
Round-off grows as ε/Δx, so the best Δx is near √ε (forward) and ∛ε (central), ε ≈ 2.2e-16.

At a kink the one-sided slopes differ: ``slopes`` evaluates f at five points, x − 2h … x + 2h, and
gives the one-sided derivatives at x, the central one, and the secant slopes either side (a check
in the spirit of Chainer's ``check_backward``).
"""
from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .graph import no_grad
from .tensor import Tensor

__all__ = ["numerical_grad", "FreshCalls", "Slopes", "slopes", "central", "differences_jacobian"]

_DEFAULT_EPS = {"central": 1e-6, "forward": 1e-8}


class FreshCalls:
    """Calls ``f`` without recording, each time on fresh copies of the arrays it is given, and
    remembers which inputs ``f`` changed in place (its copy written, or a tensor's ``.data``
    reassigned): a difference of such an ``f`` would measure the change, not the derivative.
    Callers probing outside f's domain wrap the calls in ``np.errstate`` (NaN is reported)."""

    def __init__(self, f, who: str):
        self.f, self.who, self.changed = f, who, set()

    def __call__(self, xs) -> np.ndarray:
        copies = [x.copy() for x in xs]
        ts = [Tensor.wrap(c) for c in copies]
        with no_grad():
            y = self.f(*ts)
        for k, (x, c, t) in enumerate(zip(xs, copies, ts)):
            if t.data is not c or c.tobytes() != x.tobytes():
                self.changed.add(k)
        return np.array(y.data if isinstance(y, Tensor) else y, dtype=np.float64)

    def warn(self, stacklevel: int = 3) -> None:
        if self.changed:
            which = ", ".join(str(k) for k in sorted(self.changed))
            warnings.warn(f"{self.who}: the function changed input {which} in place (wrote into it or reassigned "
                          "its .data); each evaluation got a fresh copy, so the differences are right for the "
                          "function as written, but the function mutates its argument: use out-of-place ops "
                          "(y = x * 2, not x.data *= 2)", stacklevel=stacklevel)


def _shift(xs, k, delta):
    """``xs`` with ``delta`` added to input ``k`` (rounded to its dtype), and the step taken
    after rounding, as float64."""
    moved = np.asarray(xs[k] + delta, dtype=xs[k].dtype)
    return [moved if i == k else x for i, x in enumerate(xs)], np.asarray(moved, dtype=np.float64) - xs[k]


def differences_jacobian(calls: FreshCalls, xs, eps: float, method: str = "central", y0=None):
    """∂f/∂xs[k] for every k by differences, each of shape ``out.shape + xs[k].shape``, in the
    inputs' own dtypes (a float32 input is perturbed in float32, by the step it can represent)."""
    y0 = calls(xs) if y0 is None else y0
    results = []
    for k, x in enumerate(xs):
        jac = np.empty(y0.shape + (x.size,))
        for j in range(x.size):
            e = np.zeros(x.size)
            e[j] = eps
            up, step_up = _shift(xs, k, e.reshape(x.shape))
            if method == "central":
                down, step_down = _shift(xs, k, -e.reshape(x.shape))
                jac[..., j] = (calls(up) - calls(down)) / (step_up.flat[j] - step_down.flat[j])
            else:
                jac[..., j] = (calls(up) - y0) / step_up.flat[j]
        results.append(jac.reshape(y0.shape + x.shape))
    return results


def numerical_grad(f: Callable, *inputs, eps: float | None = None, method: str = "central") -> np.ndarray | tuple:
    """∂f/∂input by finite differences, on float64 copies of the inputs.

    ``method``: ``"central"`` (eq. 5.59, default Δx = 1e-6) or ``"forward"`` (eq. 5.58, default
    Δx = 1e-8). For scalar f the result has each input's shape; otherwise ``out.shape + x.shape``
    (the Jacobian). One array per input, a tuple when there are several. Every evaluation gets
    fresh copies; a UserWarning names any input that ``f`` changed in place.
    """
    if method not in _DEFAULT_EPS:
        raise ValueError(f"numerical_grad: method must be 'central' or 'forward', got {method!r}")
    eps = _DEFAULT_EPS[method] if eps is None else eps
    xs = [np.array(x.data if isinstance(x, Tensor) else x, dtype=np.float64) for x in inputs]
    calls = FreshCalls(f, "numerical_grad")
    with np.errstate(all="ignore"):          # NaN outside f's domain shows in the result
        results = differences_jacobian(calls, xs, eps, method)
    calls.warn()
    return results[0] if len(results) == 1 else tuple(results)


def central(calls: FreshCalls, xs, k: int, u: np.ndarray, h: float) -> np.ndarray:
    """The central difference (eq. 5.59) of f along ``u``, a direction for input ``k``."""
    (up, s_up), (down, s_down) = _shift(xs, k, h * u), _shift(xs, k, -h * u)
    return (calls(up) - calls(down)) / float(np.vdot(s_up - s_down, u) / np.vdot(u, u))


@dataclass
class Slopes:
    """Five-point slopes of f along a direction u at x, each of f's output shape: ``left`` and
    ``right`` are the one-sided derivatives at x (three points each, error O(h²)), ``central`` the
    central difference (eq. 5.59); ``before`` and ``after`` the slopes of the secants x − 2h → x − h
    and x + h → x + 2h, which a jump at x leaves alone. Where f is differentiable all agree; at a
    kink left ≠ right (relu at 0: 0 and 1); a derivative there lies between ``before`` and ``after``."""
    left: np.ndarray
    central: np.ndarray
    right: np.ndarray
    before: np.ndarray
    after: np.ndarray

    def differentiable(self, tol) -> np.ndarray:
        """Where left, central and right agree within ``tol`` (elementwise) and all are finite."""
        parts = (self.left, self.central, self.right)
        finite = np.all([np.isfinite(p) for p in parts], axis=0)
        with np.errstate(invalid="ignore"):
            spread = np.max(parts, axis=0) - np.min(parts, axis=0)
        return finite & (spread <= tol)

    def between(self, value, tol) -> np.ndarray:
        """Is ``value`` finite and within ``tol`` of the interval between ``before`` and ``after``?"""
        lo, hi = np.minimum(self.before, self.after), np.maximum(self.before, self.after)
        return np.isfinite(value) & (lo - tol <= value) & (value <= hi + tol)

    def project(self, select) -> Slopes:
        """The slopes of ``select(f)`` (an entry, or ⟨v, f⟩)."""
        return Slopes(*(float(select(getattr(self, p))) for p in ("left", "central", "right", "before", "after")))


def _one_sided(f0, f1, f2, s1, s2):
    """f'(x) from f(x), f(x + s1), f(x + s2) (s1, s2 of one sign): the three-point formula."""
    return (-(s1 + s2) / (s1 * s2) * f0 + s2 / (s1 * (s2 - s1)) * f1 - s1 / (s2 * (s2 - s1)) * f2)


def slopes(calls: FreshCalls, xs, k: int, u: np.ndarray, h: float) -> Slopes:
    """Five-point slopes of f along ``u`` (a direction for input ``k``) at ``xs``, from f at
    x + s·h·u, s = −2 … 2. The steps are the ones taken after rounding to the input's dtype."""
    vals, steps = {0: calls(xs)}, {0: 0.0}
    for s in (-2, -1, 1, 2):
        moved, step = _shift(xs, k, s * h * u)
        vals[s], steps[s] = calls(moved), float(np.vdot(step, u) / np.vdot(u, u))
    with np.errstate(all="ignore"):
        return Slopes(left=_one_sided(vals[0], vals[-1], vals[-2], steps[-1], steps[-2]),
                      central=(vals[1] - vals[-1]) / (steps[1] - steps[-1]),
                      right=_one_sided(vals[0], vals[1], vals[2], steps[1], steps[2]),
                      before=(vals[-1] - vals[-2]) / (steps[-1] - steps[-2]),
                      after=(vals[2] - vals[1]) / (steps[2] - steps[1]))
