"""Which op is to blame when ``check_grad`` fails, and which ops sit at a kink.

``f`` is recorded once at the inputs; then each node's own rules are checked against central
differences of that one op (``prim.forward``) at its recorded inputs: the vjp rule projected on a
random cotangent c, the jvp rule on a random tangent t, both against ⟨c, (F(a + h t) − F(a − h t))/2h⟩
(NNDL eq. 5.59). The first node, in the order of computation, whose rule disagrees is the culprit.
At order 2 the same is done for the derivatives of the rules. A node whose input sits at a kink
is judged by its one-sided slopes (``differences.slopes``) instead.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .differences import FreshCalls, slopes
from .graph import enable_grad, no_grad, node_names, toposort
from .ops import broadcast_to, sum_to
from .tensor import Tensor
from .transforms import jvp, vjp

__all__ = ["Recording", "KinkNote", "Culprit", "record_graph", "find_kinks", "find_culprit", "detached_inputs"]


class Recording:
    """``f`` recorded once at the inputs: its output, its input leaves (named x0, x1, ...) and its
    op nodes in the order of computation; ``formula(node)`` names a node (``graph.node_names``)."""

    def __init__(self, out, leaves, nodes):
        self.out, self.leaves, self.nodes, self._names = out, leaves, nodes, None

    def formula(self, node) -> str:
        """``v2 = relu(v1)``: the node's name, op and input names."""
        if self._names is None:
            self._names = node_names([self.out] + self.leaves)
        args = ", ".join(self._names.get(id(i), "?") for i in node.inputs)
        return f"{self._names[id(node)]} = {node.prim.name}({args})"


def record_graph(f, xs) -> Recording:
    """``f`` recorded at the arrays ``xs``, on fresh leaves that require grad."""
    leaves = [Tensor.wrap(x.copy(), True, f"x{k}") for k, x in enumerate(xs)]
    with enable_grad():
        out = f(*leaves)
    if not isinstance(out, Tensor) or out.prim is None:
        return Recording(None, leaves, [])
    return Recording(out, leaves, sorted((n for n in toposort([out]) if n.prim is not None), key=lambda n: n.seq))


@dataclass
class KinkNote:
    """Input entries of a node that sit on or near a point where its op has no derivative."""
    node: str
    shape: tuple
    count: int
    convention: str | None

    def __str__(self):
        rule = self.convention or "not stated (the row gives no convention)"
        return f"{self.node} (shape {self.shape}): {self.count} input entr{'y' if self.count == 1 else 'ies'} " \
               f"at or near a point with no derivative; the engine's convention: {rule}"


def find_kinks(rec: Recording, eps: float) -> list:
    """Every node whose row's ``kink`` says an input is within ``eps`` of a kink."""
    notes = []
    for node in rec.nodes:
        if node.prim.kink is None:
            continue
        count = int(np.count_nonzero(node.prim.kink(eps, *[i.data for i in node.inputs], **node.params)))
        if count:
            notes.append(KinkNote(rec.formula(node), node.shape, count, node.prim.convention))
    return notes


@dataclass
class Culprit:
    """The first node whose own rule disagrees with differences of its op (or whose value or
    derivative does not exist): ``rules`` names the wrong rules ("vjp", "jvp"; empty for a value
    or domain problem), ``verdict`` says what is wrong, ``numbers`` shows the evidence."""
    node: str
    shape: tuple
    rules: tuple
    verdict: str
    numbers: str = ""

    def __str__(self):
        return f"culprit: {self.node} (shape {self.shape}): {self.verdict}" + (
            f"\n  {self.numbers}" if self.numbers else "")


def _verdict(bad, order):
    other = {"vjp": "jvp", "jvp": "vjp"}
    if order == 2:
        rules = " and ".join(bad) + (" rules are" if len(bad) == 2 else " rule is")
        return f"its {rules} right in value but not differentiable (built from constants, e.g. from .data?)"
    if len(bad) == 2:
        return "its vjp and jvp rules are both wrong"
    return f"its {bad[0]} rule is wrong (its {other[bad[0]]} rule agrees with differences)"


def _agrees(rule, sl, tol_of):
    """Does the rule's projection agree with the op's slopes (or, at a kink, lie between them)?"""
    tol = tol_of(sl.central)
    return bool(np.isfinite(rule) and (abs(rule - sl.central) <= tol or (
        not sl.differentiable(tol) and sl.between(rule, tol))))


def _projected(calls, arrays, i, t, c, eps):
    """⟨c, slopes of the op along t on input i⟩, as scalars."""
    return slopes(calls, arrays, i, t, eps).project(lambda part: np.sum(c * part))


def _tangent(node, i, rng, eps):
    """A random tangent for input i, zero on the entries at a kink (several kinks along one
    direction make one-sided slopes that no convention has to match); None if nothing is left."""
    t = rng.standard_normal(node.inputs[i].shape)
    if node.prim.kink is not None:
        flag = np.asarray(node.prim.kink(10 * eps, *[x.data for x in node.inputs], **node.params), dtype=float)
        if flag.ndim == 0:
            flag = np.full(t.shape, flag)
        elif flag.shape != t.shape:          # flagged output entries (broadcast): the input entries feeding them
            flag = sum_to(Tensor.wrap(np.broadcast_to(flag, node.shape)), t.shape).data
        t = np.where(flag > 0, 0.0, t)
    return t if np.any(t) else None


def _first_order(node, i, rng, eps, tol_of):
    """Which of input i's rules of this node disagree with differences of the op, and the numbers."""
    prim, inp, params = node.prim, node.inputs[i], node.params
    arrays = [x.data for x in node.inputs]
    t = _tangent(node, i, rng, eps)
    if t is None:
        return (), ""
    c = rng.standard_normal(node.shape)
    calls = FreshCalls(lambda *ts: prim.forward(*[x.data for x in ts], **params), prim.name)
    sl = _projected(calls, arrays, i, t, c, eps)
    if not np.isfinite(sl.central):
        return None, f"central differences of {prim.name} alone give {sl.central:.4g}"
    with no_grad():
        g = prim.vjp[i](Tensor.wrap(c.astype(node.dtype)), node, *node.inputs, **params)
        by_vjp = float(np.sum(sum_to(g, inp.shape).data * t))
        d = prim.jvp[i](Tensor.wrap(t.astype(inp.dtype)), node, *node.inputs, **params)
        by_jvp = float(np.sum(c * broadcast_to(d, node.shape).data))
    bad = tuple(name for name, got in (("vjp", by_vjp), ("jvp", by_jvp)) if not _agrees(got, sl, tol_of))
    return bad, f"projected on a random cotangent c and tangent t: vjp rule {by_vjp:.6g}, jvp rule {by_jvp:.6g}, " \
                f"central differences of {prim.name} alone {sl.central:.6g}"


def _second_order(node, i, rng, eps, tol_of):
    """Which of input i's rules of this node has a derivative that disagrees with differences of
    the rule itself (a rule right in value but built from constants, say)."""
    prim, params = node.prim, node.params
    others = [x.detach() for x in node.inputs]
    t = _tangent(node, i, rng, eps)
    if t is None:
        return (), ""
    c, r = rng.standard_normal(node.shape), rng.standard_normal(node.inputs[i].shape)

    def through(kind):
        def phi(a):
            ins = others[:i] + [a] + others[i + 1:]
            out = prim(*ins, **params)
            if kind == "vjp":
                return (sum_to(prim.vjp[i](Tensor.wrap(c.astype(out.dtype)), out, *ins, **params), a.shape)
                        * Tensor.wrap(r)).sum()
            return (broadcast_to(prim.jvp[i](Tensor.wrap(r.astype(a.dtype)), out, *ins, **params), out.shape)
                    * Tensor.wrap(c)).sum()
        return phi
    bad, parts = [], []
    for kind in ("vjp", "jvp"):
        phi = through(kind)
        a = node.inputs[i].data
        sl = _projected(FreshCalls(phi, prim.name), [a], 0, t, np.ones(()), eps)
        rev = float(np.sum(vjp(phi, a)[1](np.ones(()))[0].data * t))
        fwd = float(jvp(phi, (a,), (t.astype(a.dtype),))[1].data)
        if not (_agrees(rev, sl, tol_of) and _agrees(fwd, sl, tol_of)):
            bad.append(kind)
        parts.append(f"d/da ⟨{kind} rule⟩: reverse {rev:.6g}, forward {fwd:.6g}, central {sl.central:.6g}")
    return tuple(bad), "; ".join(parts)


def find_culprit(rec: Recording, order: int, eps: float, atol: float, rtol: float, seed: int = 0):
    """The first node (in the order of computation) whose value is not finite from finite inputs,
    or whose own rule disagrees with differences of its op; None if every node's rules agree."""
    rng = np.random.default_rng(seed)

    def tol_of(num):
        return atol + rtol * abs(num)
    with np.errstate(all="ignore"):          # a broken rule may well divide by 0: it is reported
        return _first_wrong(rec, order, eps, tol_of, rng)


def _first_wrong(rec, order, eps, tol_of, rng):
    for node in rec.nodes:
        ins = [x.data for x in node.inputs]
        if not np.all(np.isfinite(node.data)) and all(np.all(np.isfinite(x)) for x in ins):
            return Culprit(rec.formula(node), node.shape, (), "its value is not finite although its inputs are (log "
                           "of a number ≤ 0? division by 0? an input outside the op's domain?)")
        if not node.prim.differentiable:
            continue
        for i, inp in enumerate(node.inputs):
            if not inp.requires_grad or node.prim.vjp[i] is None or node.prim.jvp[i] is None:
                continue
            check = _first_order if order == 1 else _second_order
            bad, numbers = check(node, i, rng, eps, tol_of)
            where = f", input {i}" if len(node.inputs) > 1 else ""
            if bad is None:
                return Culprit(rec.formula(node), node.shape, (), f"has no derivative at its input{where} (on the "
                               "edge of its domain?)", numbers)
            if bad:
                return Culprit(rec.formula(node), node.shape, bad, _verdict(bad, order) + where, numbers)
    return None


def detached_inputs(rec: Recording) -> list:
    """Nodes that use an input's values as a constant (``x.detach()``, a tensor made from
    ``x.data``): the gradient through that use is lost."""
    found = []
    for node in rec.nodes:
        for inp in node.inputs:
            if inp.prim is None and not inp.requires_grad:
                for k, leaf in enumerate(rec.leaves):
                    if np.shares_memory(inp.data, leaf.data):
                        found.append(f"{rec.formula(node)} uses input {k} as a constant (detached)")
    return found
