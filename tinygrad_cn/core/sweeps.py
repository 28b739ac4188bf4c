"""The two interpreters of the recorded graph, and ``backward``.

The reverse sweep (NNDL eqs. 5.75–5.79; published §4.5.3) runs the vjp rules from the output back
to the inputs and returns cotangents; the forward sweep (eqs. 5.69–5.74) runs the jvp rules from
the inputs to the output and returns tangents. ``backward`` writes the reverse sweep's
cotangents into ``.grad``. With ``create_graph`` the rules are recorded, so the result is a graph
that can be differentiated again; otherwise they run with recording off (the fast path).
"""
from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterable, Iterator

import numpy as np

from . import primitives as P
from .errors import AnomalyError, MutationError, ShapeError
from .graph import anomaly_enabled, check_finite, describe, enter_mode, exit_mode, mark_swept, toposort
from .ops import sum_to
from .tensor import Tensor, last_write, make_node

__all__ = ["reverse_sweep", "forward_sweep", "backward", "zero_grad", "cotangent_for", "count_sweeps", "SweepCount"]


class SweepCount:
    """How many forward and reverse sweeps ran inside ``count_sweeps()``."""

    def __init__(self):
        self.forward = 0
        self.reverse = 0

    def __repr__(self):
        return f"SweepCount(forward={self.forward}, reverse={self.reverse})"


_counters: list = []


@contextlib.contextmanager
def count_sweeps() -> Iterator[SweepCount]:
    """``with count_sweeps() as c: ...`` then ``c.forward``, ``c.reverse``: the sweeps that ran."""
    c = SweepCount()
    _counters.append(c)
    try:
        yield c
    finally:
        _counters.remove(c)


def _count(kind):
    for c in _counters:
        setattr(c, kind, getattr(c, kind) + 1)


class _gc_paused:  # noqa: N801 (used as a function: ``with _gc_paused():``)
    """Python's cycle collector paused while a sweep runs (sweeps make no cycles: what they drop,
    reference counting frees), so it does not rescan a large graph again and again; turned back
    on afterwards only if it was on (so a sweep nested in another, or in another thread, leaves
    it to the outer one). A class, not a generator: it runs on every backward()."""

    __slots__ = ("was_on",)

    def __enter__(self):
        self.was_on = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc):
        if self.was_on:
            gc.enable()


def reverse_sweep(order, seeds: dict, create_graph: bool = False, keep=None, stop=frozenset(),
                  prune: bool = False) -> dict:
    """Run the vjp rules over ``order`` (``toposort``'s) backwards, from ``seeds`` ({id(node):
    cotangent}). Returns {id(node): cotangent} for the ids in ``keep`` (every node reached when
    ``keep`` is None). Nodes in ``stop`` pass nothing on; with ``prune`` only paths into ``keep``
    are followed. Cotangents of broadcast inputs are summed back to the input's shape here; a
    cotangent reaching an input from several consumers is summed in the order of the sweep.

    Unless the rules are recorded (``create_graph``) or checked (``detect_anomaly``), the cotangents
    are kept as bare arrays and the rows that allow it (``array_rules``) run their rules on the
    arrays: the same NumPy calls in the same order, so the same numbers, without a tensor per op."""
    _count("reverse")
    live = None
    if prune and keep is not None:
        live = set(keep)
        for node in order:
            if node.prim is not None and id(node) not in stop and any(id(i) in live for i in node.inputs):
                live.add(id(node))
    anomaly, written = anomaly_enabled(), last_write()
    arrays = not (create_graph or anomaly)
    # tensors hash by identity
    by_node = {node: seeds[id(node)]._data if arrays else seeds[id(node)] for node in order if id(node) in seeds}
    take = by_node.pop if keep is not None else by_node.get
    kept = {}
    with _gc_paused():
        token = enter_mode(grad=create_graph, arrays=arrays)
        try:
            for node in reversed(order):
                g = take(node, None)
                if g is None:
                    continue
                if keep is not None and id(node) in keep:
                    kept[id(node)] = g
                prim = node.prim
                if prim is None or (stop and id(node) in stop):
                    continue
                inputs = node.inputs
                if written > node.seq:
                    _check_unchanged(node)
                values = _values(inputs) if arrays and prim.array_rules else None
                for i, inp in enumerate(inputs):
                    if not inp.requires_grad or (live is not None and id(inp) not in live):
                        continue
                    rule = prim.vjp[i]
                    if rule is None:
                        continue
                    gi = _checked_vjp(rule, i, g, node) if anomaly else _run(rule, "vjp", i, g, node, values, arrays)
                    if gi.shape != inp._data.shape:
                        gi = sum_to(gi, inp.shape)
                    prev = by_node.get(inp)
                    by_node[inp] = gi if prev is None else prev + gi
        finally:
            exit_mode(token)
    out = kept if keep is not None else {id(node): g for node, g in by_node.items()}
    return {k: Tensor.wrap(g) for k, g in out.items()} if arrays else out


def _values(inputs):
    """The inputs' arrays (one or two inputs without a loop: this runs for every node)."""
    if len(inputs) == 2:
        return inputs[0]._data, inputs[1]._data
    if len(inputs) == 1:
        return (inputs[0]._data,)
    return [t._data for t in inputs]


def _run(rule, kind, i, v, node, values, arrays):
    """``node``'s ``kind`` rule for input ``i`` applied to ``v`` (a cotangent or a tangent): on the
    bare arrays ``values`` (its row has ``array_rules``), on tensors within an array sweep (a
    user's row: ``v``'s array in, the result's array out), or on tensors (a recording sweep)."""
    if values is not None:
        try:
            return rule(v, node._data, *values, **node.params)
        except (AttributeError, TypeError) as e:
            raise TypeError(f"the {kind} rule of {describe(node)} (input {i}) failed on bare arrays: {e}. Its "
                            "row says array_rules=True, so its rules may use only operators, .shape/.ndim and "
                            "the table's primitives (tg.exp(a), not a.exp()); write them so, or drop "
                            "array_rules=True") from e
    if not arrays:
        return rule(v, node, *node.inputs, **node.params)
    token = enter_mode(arrays=False)
    try:
        return rule(Tensor.wrap(v), node, *node.inputs, **node.params)._data
    finally:
        exit_mode(token)


def _check_unchanged(node):
    """Raise MutationError if ``node``'s value or an input's was assigned after it was recorded:
    its rules would use values that are not the ones it was computed from."""
    seq = node.seq
    if node.written > seq or any(t.written > seq for t in node.inputs):
        changed = node if node.written > seq else next(t for t in node.inputs if t.written > seq)
        name = f"'{changed.name}'" if changed.name else f"of shape {changed.shape}"
        raise MutationError(
            f"the tensor {name} was changed (its .data assigned) after {describe(node)} was computed from it, "
            "so the gradient would use values it was not computed from (an optimiser step between "
            "backward(retain_graph=True) calls, or w.data -= ... before backward?). Recompute the forward "
            "pass after changing values, or change them only after backward()")


def _checked_vjp(rule, i, g, node):
    where = f"in the vjp of {node.prim.name} (input {i}{', ' + repr(node.name) if node.name else ''}): "
    try:
        gi = rule(g, node, *node.inputs, **node.params)
    except AnomalyError as e:
        raise AnomalyError(where + str(e)) from None
    check_finite(f"{where}the gradient", "value", gi.data, [g.data] + [x.data for x in node.inputs])
    return gi


def forward_sweep(order, seeds: dict, create_graph: bool = False) -> dict:
    """Run the jvp rules over ``order`` (``toposort``'s) from ``seeds`` ({id(node): tangent});
    returns {id(node): tangent} for every node the seeds reach. Unless ``create_graph``, the
    tangents are bare arrays while it runs, as in ``reverse_sweep``."""
    _count("forward")
    arrays, written = not create_graph, last_write()
    tan = {key: t._data for key, t in seeds.items()} if arrays else dict(seeds)
    with _gc_paused():
        token = enter_mode(grad=create_graph, arrays=arrays)
        try:
            for node in order:
                prim = node.prim
                if prim is None or id(node) in tan:
                    continue
                acc = None
                inputs = node.inputs
                if written > node.seq:
                    _check_unchanged(node)
                values = _values(inputs) if arrays and prim.array_rules else None
                for i, inp in enumerate(inputs):
                    t = tan.get(id(inp))
                    rule = prim.jvp[i]
                    if t is None or rule is None:
                        continue
                    c = _run(rule, "jvp", i, t, node, values, arrays)
                    acc = c if acc is None else acc + c
                if acc is not None:
                    tan[id(node)] = acc if acc.shape == node._data.shape else P.broadcast_to(acc, shape=node.shape)
        finally:
            exit_mode(token)
    return {key: Tensor.wrap(t) for key, t in tan.items()} if arrays else tan


def cotangent_for(out: Tensor, gradient, who: str) -> Tensor:
    """The seed of a reverse sweep from ``out``: ones for a one-element output, else ``gradient``
    (checked: real, of ``out``'s shape, cast to ``out``'s dtype)."""
    if gradient is None:
        arr = out._data
        if arr.size != 1:
            raise ShapeError(f"{who}: the output has shape {out.shape}, so a cotangent is needed: pass "
                             f"gradient= of shape {out.shape}, or reduce to a scalar first, e.g. "
                             "y.sum().backward()")
        return make_node(arr.dtype.type(1) if arr.ndim == 0 else np.ones(arr.shape, arr.dtype), False, None, (), None)
    if np.iscomplexobj(gradient.data if isinstance(gradient, Tensor) else gradient):
        raise TypeError(f"{who}: the cotangent is complex; gradients here are real (pass its real part "
                        "if that is what you mean)")
    g = gradient if isinstance(gradient, Tensor) else Tensor(gradient, dtype=out.dtype)
    if g.shape != out.shape:
        raise ShapeError(f"{who}: gradient has shape {g.shape} but the output has shape {out.shape}; "
                         "they must be equal")
    return g


def backward(out: Tensor, gradient=None, retain_graph: bool | None = None, create_graph: bool = False) -> None:
    """Accumulate ∂out/∂leaf into ``leaf.grad`` (in the leaf's dtype) for every leaf that requires
    grad, and into ``.grad`` of tensors that ``retain_grad()``.

    ``gradient`` is the cotangent (needed unless ``out`` has one element). Gradients add up over
    calls; clear them with ``zero_grad``. Afterwards the graph is marked swept, so a second
    backward raises, unless ``retain_graph`` (default: ``create_graph``); drawings and step tables
    of a swept graph still work. ``create_graph=True`` records the gradients as a graph.
    """
    if not out.requires_grad:
        raise RuntimeError("backward: this tensor does not require grad: none of the tensors it was "
                           "computed from has requires_grad=True, or it was computed under no_grad()")
    seed = cotangent_for(out, gradient, "backward")
    with _gc_paused():
        order = toposort([out])
        keep = {id(n): n for n in order if n.prim is None or n.retains_grad}
        cots = reverse_sweep(order, {id(out): seed}, create_graph=create_graph, keep=keep)
        for key, g in cots.items():
            node = keep[key]
            if g._data.dtype != node._data.dtype and not create_graph:
                g = Tensor.wrap(g._data.astype(node._data.dtype))
            node.grad = g if node.grad is None else node.grad + g
        if not (create_graph if retain_graph is None else retain_graph):
            mark_swept(order)


def zero_grad(tensors: Iterable[Tensor]) -> None:
    """Set ``.grad`` of each tensor to None."""
    for t in tensors:
        t.grad = None
