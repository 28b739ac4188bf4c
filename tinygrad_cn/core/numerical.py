"""The gradient check: reverse and forward mode against central differences (NNDL eq. 5.59;
published §4.5.1), entry by entry, and what to blame when they disagree.

``check_grad`` computes both modes before it judges; NaN or inf never agrees; every failing entry
is listed with the reverse, forward and central values side by side; on failure the recorded
graph is searched for the op whose own rule is wrong (``culprit``); at a kink the one-sided
slopes decide (``differences.slopes``) and the report names the engine's convention. Float32
inputs are checked in float32 at float32 tolerances as well as in float64.
"""
from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from .culprit import detached_inputs, find_culprit, find_kinks, record_graph
from .differences import FreshCalls, central, differences_jacobian, numerical_grad, slopes
from .errors import GradientCheckError
from .tensor import Tensor
from .transforms import jacobian, jvp, vjp

__all__ = ["check_grad", "numerical_grad", "GradCheckReport", "Mismatch"]

_FLOAT32 = {"eps": 4e-3, "atol": 1e-3, "rtol": 1e-2}     # h near ∛ε₃₂ ≈ 5e-3; round-off ~ ε₃₂|f|/h
_MODES = ("reverse", "forward")


@dataclass
class Mismatch:
    """One entry where some mode disagrees with central differences."""
    order: int
    dtype: str
    input: int
    entry: str                       # "∂out[1]/∂x0[2]", or a random projection ⟨v, J u⟩
    values: dict                     # mode -> its value
    central: float
    wrong: tuple                     # the modes that disagree
    left: float | None = None        # the slopes left and right of x, where they were taken
    right: float | None = None
    kinked: bool = False             # the one-sided slopes differ: no derivative here
    note: str = ""
    probe: tuple | None = field(default=None, repr=False)   # (calls, xs, u, select, tol) for the slopes

    def row(self, width: int = 26) -> str:
        vals = "".join(f"{self.values.get(m, float('nan')):>14.7g}" if m in self.values else f"{'-':>14}"
                       for m in _MODES)
        sides = f"   slopes left/right of x: {self.left:.6g}, {self.right:.6g}" if self.kinked else ""
        sides += f"; {self.note}" if self.note else ""
        return f"  {self.entry:<{width}}{vals}{self.central:>14.7g}   {', '.join(self.wrong):<16}{sides}".rstrip()


def _header(width):
    return f"  {'entry':<{width}}{'reverse':>14}{'forward':>14}{'central':>14}   disagrees"


@dataclass
class GradCheckReport:
    """What check_grad compared and found. ``methods``: order -> "jacobian" (every entry) or
    "projections" (random ⟨v, J u⟩); ``worst``: (order, input, mode) -> worst |error| in float64
    (inf where a value was not finite); ``worst_float32``: the same for the float32 run;
    ``failures``: the entries that disagree; ``at_kinks``: entries that disagree with the central
    difference but lie between the one-sided slopes of a kink; ``kinks``: nodes with an input at
    or near a kink and the engine's convention there; ``culprit``: the op to blame on failure."""
    methods: dict = field(default_factory=dict)
    worst: dict = field(default_factory=dict)
    worst_float32: dict = field(default_factory=dict)
    failures: list = field(default_factory=list)
    at_kinks: list = field(default_factory=list)
    kinks: list = field(default_factory=list)
    culprit: object = None
    notes: list = field(default_factory=list)
    max_report: int = 10

    @property
    def ok(self) -> bool:
        return not self.failures

    def _rows(self, entries):
        width = max([26] + [len(m.entry) + 2 for m in entries[:self.max_report]])
        shown = [_header(width)] + [m.row(width) for m in entries[:self.max_report]]
        return shown + ([f"  ... and {len(entries) - self.max_report} more"] if len(entries) > self.max_report else [])

    def __str__(self):
        if self.failures:
            n = len(self.failures)
            runs = "; ".join(dict.fromkeys(f"order {m.order}, {m.dtype}" for m in self.failures))
            lines = [f"check_grad: {n} entr{'y disagrees' if n == 1 else 'ies disagree'} with central differences "
                     f"({runs})"]
            if self.failures[0].order == 2:
                lines.append("  g = ⟨vᵀJ(x), r⟩ runs the vjp rules, h = ⟨v, J(x) r⟩ the jvp rules (random v, r)")
            lines += self._rows(self.failures)
            bad = {m for f in self.failures for m in f.values if not np.isfinite(f.values[m])}
            bad = sorted(bad | ({"central"} if any(not np.isfinite(f.central) for f in self.failures) else set()))
            if bad:
                lines.append(f"  not finite (NaN/inf never agree): {', '.join(bad)}")
            lines.append(str(self.culprit) if self.culprit else "culprit: none found")
        else:
            lines = ["check_grad: all agree with central differences" + (
                ", except where there is no derivative (below)" if self.at_kinks else "")]
            lines += [f"  order {o}, input {k}, {mode:7s} ({self.methods[o]}): worst |error| = {err:.2e}"
                      for (o, k, mode), err in self.worst.items()]
            lines += [f"  float32: order {o}, input {k}, {mode:7s}: worst |error| = {err:.2e}"
                      for (o, k, mode), err in self.worst_float32.items()]
        if self.at_kinks:
            lines += ["no derivative here (a kink or a jump): the engine's value lies between the slopes either side"]
            lines += self._rows(self.at_kinks)
        if self.kinks:
            lines += ["inputs at or near a kink:"] + [f"  {k}" for k in self.kinks]
        return "\n".join(lines + [f"  {n}" for n in self.notes])


def _at(idx):
    return f"[{', '.join(str(int(i)) for i in idx)}]" if len(idx) else ""


def _tolerance(atol, rtol, eps, dtype, y):
    """|got − central| allowed: atol + rtol·|central| + the central difference's round-off."""
    roundoff = 8 * np.finfo(dtype).eps * float(np.max(np.abs(y), initial=0.0)) / eps if np.all(np.isfinite(y)) else 0
    return lambda want: atol + rtol * np.abs(want) + roundoff


def _disagree(got, want, tol):
    return ~(np.isfinite(got) & np.isfinite(want)) | (np.abs(got - want) > tol(want))


def _worst(got, want):
    err = np.abs(got - want)
    return float(err.max(initial=0.0)) if np.all(np.isfinite(err)) else float("inf")


class _Run:
    """One first-order check of one function (f, or at order 2 a derivative of it) in one dtype."""

    def __init__(self, f, xs, order, dtype, eps, atol, rtol, modes, report, worst, name="out"):
        self.f, self.xs, self.order, self.dtype, self.eps, self.modes = f, xs, order, dtype, eps, modes
        self.name, self.tag = name, "float32 " if dtype == "float32" else ""
        self.calls = FreshCalls(f, "check_grad")
        self.y = self.calls(xs)
        self.tol = _tolerance(atol, rtol, eps, np.float32 if dtype == "float32" else np.float64, self.y)
        self.report, self.worst = report, worst

    def _judge(self, k, values, want, make):
        """Compare each mode's ``values[mode]`` with ``want``; one Mismatch per disagreeing entry."""
        bad = {m: _disagree(v, want, self.tol) for m, v in values.items()}
        for m, v in values.items():
            key = (self.order, k, m)
            self.worst[key] = max(self.worst.get(key, 0.0), _worst(v, want))
        for idx in zip(*np.nonzero(np.any(list(bad.values()), axis=0))) if want.ndim else ([()] if any(
                bool(b) for b in bad.values()) else []):
            entry, probe = make(idx)
            self.report.failures.append(Mismatch(
                self.order, self.dtype, k, entry, {m: float(v[idx]) + 0.0 for m, v in values.items()},
                float(want[idx]), tuple(m for m in values if bad[m][idx]), probe=probe))

    def jacobian(self):
        nums = differences_jacobian(self.calls, self.xs, self.eps, y0=self.y)
        engine = {}
        for mode in self.modes:
            jacs = jacobian(self.f, *[Tensor.wrap(x.copy()) for x in self.xs], mode=mode)
            engine[mode] = [np.asarray(j.data, np.float64) for j in (jacs if isinstance(jacs, tuple) else (jacs,))]
        ny = self.y.ndim
        for k, (x, num) in enumerate(zip(self.xs, nums)):
            def make(idx, k=k, x=x):
                u = np.zeros(x.shape)
                u[idx[ny:]] = 1
                return (f"{self.tag}∂{self.name}{_at(idx[:ny])}/∂x{k}{_at(idx[ny:])}",
                        (self.calls, self.xs, u, lambda out, i=idx[:ny]: out[i], self.tol))
            self._judge(k, {m: engine[m][k] for m in self.modes}, num, make)

    def projections(self, count, rng):
        for k, x in enumerate(self.xs):
            for p in range(count):
                u, v = rng.standard_normal(x.shape), rng.standard_normal(self.y.shape)
                num = np.array(np.sum(v * central(self.calls, self.xs, k, u, self.eps)))
                ts = [Tensor.wrap(xi.copy()) for xi in self.xs]
                values = {}
                for mode in self.modes:
                    if mode == "reverse":
                        values[mode] = np.array(np.sum(vjp(self.f, *ts)[1](v)[k].data * u))
                    else:
                        tangents = [u.astype(xi.dtype) if i == k else np.zeros_like(xi) for i, xi in enumerate(self.xs)]
                        values[mode] = np.array(np.sum(v * jvp(self.f, ts, tangents)[1].data))
                self._judge(k, values, num, lambda idx, k=k, u=u, v=v, p=p: (
                    f"{self.tag}⟨v, ∂{self.name}/∂x{k} u⟩ no. {p + 1}",
                    (self.calls, self.xs, u, lambda out: np.sum(v * out), self.tol)))

    def run(self, max_entries, projections, rng):
        if self.y.size * sum(x.size for x in self.xs) <= max_entries:
            self.report.methods[self.order] = "jacobian"
            self.jacobian()
        else:
            self.report.methods[self.order] = "projections"
            self.projections(projections, rng)


def _settle_kinks(report, eps_of, several):
    """Take the one-sided slopes of every failing entry; one whose disagreeing values all lie
    between them, where they differ (a kink or a jump), moves to ``report.at_kinks``. With
    ``several`` kinks in the graph, a direction may cross more than one, and a convention's value
    need not lie between the two slopes: such an entry moves too, marked as not judged."""
    cache, still = {}, []
    for m in report.failures:
        calls, xs, u, select, tol = m.probe
        key = (id(calls), m.input, u.tobytes())
        if key not in cache:
            cache[key] = slopes(calls, xs, m.input, u, eps_of[m.dtype])
        sl = cache[key].project(select)
        t = float(tol(sl.central))
        m.left, m.right = sl.before, sl.after
        m.kinked = bool(np.all(np.isfinite([sl.left, sl.central, sl.right, sl.before, sl.after]))
                        and not sl.differentiable(t))
        inside = all(bool(sl.between(m.values[w], t)) for w in m.wrong)
        finite = all(np.isfinite(m.values[w]) for w in m.wrong)
        if m.kinked and finite and (inside or several):
            m.note = "" if inside else "several kinks on this direction: not judged"
            report.at_kinks.append(m)
        else:
            still.append(m)
    report.failures = still


def check_grad(f: Callable[..., Tensor], *inputs, eps: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-3,
               modes: Sequence[str] = _MODES, order: int = 1, max_entries: int = 4096, projections: int = 3,
               seed: int = 0, max_report: int = 10) -> GradCheckReport:
    """Check ∂f/∂inputs by reverse and forward mode against central differences (eq. 5.59).

    Small problems (at most ``max_entries`` Jacobian entries) compare every entry; larger ones
    ``projections`` random ⟨v, J u⟩ per input. An entry agrees when both values are finite and
    |got − central| ≤ atol + rtol·|central| + the difference's round-off. ``order=2`` also checks
    the derivatives of g(x) = ⟨vᵀJ(x), r⟩ (through the vjp rules) and h(x) = ⟨v, J(x) r⟩ (through
    the jvp rules). Float32 inputs are checked in float64 copies and again in float32 (order 1,
    Δx = 4e-3, atol 1e-3, rtol 1e-2).

    Entries that disagree but lie between the one-sided slopes of a kink (relu at 0, a tie of
    max) pass, with a warning naming the op's convention. Otherwise raises GradientCheckError
    (its ``.report`` is the GradCheckReport) listing up to ``max_report`` failing entries and the
    culprit: the first recorded op whose own vjp or jvp rule disagrees with differences of that op
    alone. Returns the GradCheckReport.
    """
    for m in modes:
        if m not in _MODES:
            raise ValueError(f"check_grad: modes must be 'reverse' and/or 'forward', got {m!r}")
    if order not in (1, 2):
        raise ValueError(f"check_grad: order must be 1 or 2, got {order}")
    with np.errstate(all="ignore"):          # probes outside f's domain give NaN: reported, not warned
        return _check(f, inputs, eps, atol, rtol, modes, order, max_entries, projections, seed, max_report)


def _check(f, inputs, eps, atol, rtol, modes, order, max_entries, projections, seed, max_report):
    arrays = [np.asarray(x.data if isinstance(x, Tensor) else x) for x in inputs]
    xs = [np.array(a, dtype=np.float64) for a in arrays]
    rng = np.random.default_rng(seed)
    report = GradCheckReport(max_report=max_report)
    tol = {"eps": eps, "atol": atol, "rtol": rtol}
    eps_of = {"float64": eps, "float32": _FLOAT32["eps"]}
    first = _Run(f, xs, 1, "float64", **tol, modes=modes, report=report, worst=report.worst)
    first.run(max_entries, projections, rng)
    native = [a.astype(a.dtype if a.dtype == np.float32 else np.float64) for a in arrays]
    float32 = any(a.dtype == np.float32 for a in native)
    if float32:
        _Run(f, native, 1, "float32", **_FLOAT32, modes=modes, report=report,
             worst=report.worst_float32).run(max_entries, projections, rng)
    rec = record_graph(f, xs)
    report.kinks = find_kinks(rec, max(10 * eps, 2 * _FLOAT32["eps"]) if float32 else 10 * eps)
    several = sum(k.count for k in report.kinks) > 1
    _settle_kinks(report, eps_of, several)
    if order == 2 and not report.failures:
        for name, fn in zip("gh", _second_order_functions(f, xs, rng)):
            _Run(fn, xs, 2, "float64", **tol, modes=modes, report=report, worst=report.worst, name=name).run(
                max_entries, projections, rng)
        _settle_kinks(report, eps_of, several)
    first.calls.warn(stacklevel=4)
    if report.failures:
        step = tol
        if report.failures[0].dtype == "float32":
            rec, step = record_graph(f, native), _FLOAT32
        report.notes = [f"f changed input {k} in place (wrote into it or reassigned .data): the recorded graph no "
                        "longer matches the function; compute out of place" for k in sorted(first.calls.changed)]
        try:
            report.culprit = find_culprit(rec, report.failures[0].order, step["eps"], step["atol"], step["rtol"], seed)
            if report.culprit is None:
                report.notes += detached_inputs(rec) or [
                    "every recorded op's own rules agree with differences of that op: the gradient is lost outside "
                    "the recorded graph (NumPy on .data, detach(), a value computed from the inputs before f)"]
        except Exception as e:      # a rule that cannot even run on its own inputs: the report still stands
            report.notes.append(f"the culprit search stopped at an error: {type(e).__name__}: {e}")
        err = GradientCheckError(str(report))
        err.report = report
        raise err
    if report.at_kinks or report.kinks:
        warnings.warn(str(report), stacklevel=3)
    return report


def _second_order_functions(f, xs, rng):
    """g(x) = ⟨vᵀJ(x), r⟩ runs the vjp rules and h(x) = ⟨v, J(x) r⟩ the jvp rules; checking their
    derivatives checks the derivatives of the rules."""
    y = FreshCalls(f, "check_grad")(xs)
    v = rng.standard_normal(y.shape)
    rs = [rng.standard_normal(x.shape) for x in xs]

    def g(*ts):
        total = 0.0
        for c, r in zip(vjp(f, *ts)[1](v), rs):
            total = total + (c * r).sum()
        return total

    def h(*ts):
        return (jvp(f, ts, rs)[1] * v).sum()
    return g, h
