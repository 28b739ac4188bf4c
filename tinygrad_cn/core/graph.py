"""The recorded graph: recording a node, grad and anomaly modes (per thread), traversal in
topological order, marking a graph swept, and the names of its nodes.

A node is a Tensor with ``prim`` (the primitive row), ``inputs`` and ``params`` set. It is
recorded when grad mode is on and some input requires grad (NNDL fig. 5.8: only what depends on
a parameter enters the graph). Its ``seq`` is the order in which it was computed, so node numbers
(v1, v2, ...) follow the order of computation (NNDL eqs. 5.69–5.74 number them the same way).
"""
from __future__ import annotations

import contextlib
import contextvars
import itertools
from collections.abc import Iterator
from typing import NamedTuple

import numpy as np

from .errors import AnomalyError, GraphFreedError
from .tensor import Tensor, make_node

__all__ = ["Mode", "RECORDING", "current_mode", "enter_mode", "exit_mode", "is_grad_enabled",
           "no_grad", "enable_grad", "grad_mode", "detect_anomaly", "anomaly_enabled", "record_everything",
           "check_finite", "record", "toposort", "mark_swept", "describe", "node_names", "is_constant"]

class Mode(NamedTuple):
    """The recording modes of one thread (interned: ``is`` compares them). ``arrays``: a sweep is
    running vjp or jvp rules on bare arrays (see ``Primitive``'s ``array_rules``)."""
    grad: bool
    anomaly: bool
    everything: bool
    arrays: bool


_MODES = {flags: Mode(*flags) for flags in itertools.product((False, True), repeat=4)}
RECORDING = _MODES[True, False, False, False]   # the default: record what needs a gradient, nothing else

# a contextvar: each thread (and each asyncio task) has its own modes; a new thread starts with
# grad on and anomaly detection off, whatever other threads do. One variable, so each op reads it
# once (``record``)
_MODE: contextvars.ContextVar[Mode] = contextvars.ContextVar("tinygrad_cn_modes", default=RECORDING)
current_mode = _MODE.get


def enter_mode(grad: bool | None = None, anomaly: bool | None = None, everything: bool | None = None,
               arrays: bool | None = None):
    """Change this thread's modes (None: keep); returns the token that ``exit_mode`` restores."""
    g, a, e, r = _MODE.get()
    return _MODE.set(_MODES[g if grad is None else bool(grad), a if anomaly is None else bool(anomaly),
                            e if everything is None else bool(everything), r if arrays is None else bool(arrays)])


exit_mode = _MODE.reset


@contextlib.contextmanager
def _with_mode(**change) -> Iterator[None]:
    token = enter_mode(**change)
    try:
        yield
    finally:
        _MODE.reset(token)


def is_grad_enabled() -> bool:
    return _MODE.get()[0]


def anomaly_enabled() -> bool:
    return _MODE.get()[1]


def grad_mode(enabled: bool) -> contextlib.AbstractContextManager[None]:
    """Context manager: recording on (True) or off (False) in this thread, restored on exit."""
    return _with_mode(grad=bool(enabled))


def no_grad() -> contextlib.AbstractContextManager[None]:
    """Context manager: ops inside record nothing (as ``torch.no_grad``), in this thread only."""
    return grad_mode(False)


def enable_grad() -> contextlib.AbstractContextManager[None]:
    """Context manager: ops inside record again, even within ``no_grad()``."""
    return grad_mode(True)


def detect_anomaly() -> contextlib.AbstractContextManager[None]:
    """Opt-in check: raise ``AnomalyError`` naming the first op whose value or gradient is NaN/inf
    although its inputs were finite."""
    return _with_mode(anomaly=True)


def record_everything() -> contextlib.AbstractContextManager[None]:
    """Within the block (this thread only, grad mode on), every op is recorded, also those whose
    inputs are plain values: the compiler traces a whole program this way."""
    return _with_mode(everything=True)


def check_finite(opname: str, what: str, value, inputs) -> None:
    """Under ``detect_anomaly()``: raise if ``value`` is not finite while all ``inputs`` are."""
    if np.all(np.isfinite(value)) or not all(np.all(np.isfinite(x)) for x in inputs):
        return
    bad = "NaN" if np.any(np.isnan(value)) else "inf"
    raise AnomalyError(f"detect_anomaly: {opname} produced {bad} in its {what} from finite inputs "
                       f"(shapes {', '.join(str(np.shape(x)) for x in inputs)}); look at this op's "
                       "inputs (log of 0? division by 0? exp of a large number?)")


def record(prim, inputs: tuple, params: dict, data: np.ndarray) -> Tensor:
    """The tensor holding ``data``, the output of ``prim`` on ``inputs``.

    With grad mode on, it is a recorded node when some input requires grad or is itself recorded
    (so what is computed from a recorded mask stays part of the program when the values change);
    it requires grad when some input does and ``prim`` is differentiable (a comparison or a mask
    is recorded but passes no gradient). Else it is a plain tensor. Under ``detect_anomaly()`` a
    non-finite value from finite inputs raises first."""
    grad, anomaly, everything, _ = _MODE.get()
    if anomaly:
        check_finite(prim.name, "value", data, [t.data for t in inputs])
    if grad:
        keep, needs = everything, False
        for t in inputs:
            if t.requires_grad:
                keep = needs = True
                break
            if t.prim is not None:
                keep = True
        if keep:
            return make_node(data, needs and prim.differentiable, prim, inputs, params)
    return make_node(data, False, None, (), None)


def describe(node: Tensor) -> str:
    name = f" '{node.name}'" if node.name else ""
    return f"the {node.prim.name} node{name} (shape {node.shape})"


def toposort(roots, stop=(), constants: bool = False, swept_ok: bool = False, since: int = 0) -> list:
    """The nodes that ``roots`` depend on, inputs before the nodes that use them (depth first:
    a node's inputs are visited last to first, and each node follows all of its inputs).

    Follows inputs that require grad (and, with ``constants=True``, every input, as the renderer
    and the compiler want). Iterative: a chain of 100 000 ops is fine. Nodes whose id is in
    ``stop``, and nodes made before ``since`` (a ``seq``: the compiler's trace start), are treated
    as leaves. A node that an earlier ``backward()`` swept raises GraphFreedError, before anything
    changes, unless ``swept_ok`` (drawings and tables may look).
    """
    order, seen = [], set()         # tensors hash by identity
    stack = [(r, False) for r in roots]
    push, pop, visit, emit = stack.append, stack.pop, seen.add, order.append
    while stack:
        node, done = pop()
        if done:
            emit(node)
            continue
        if node in seen:
            continue
        visit(node)
        push((node, True))
        if node.prim is None or node.seq < since or (stop and id(node) in stop):
            continue
        if node.swept and not swept_ok:
            raise GraphFreedError(
                f"the graph through {describe(node)} was already swept by an earlier backward(); call "
                "backward(retain_graph=True) the first time to sweep the same graph again, or "
                "recompute the forward pass")
        for inp in node.inputs:
            if (constants or inp.requires_grad) and inp not in seen:
                push((inp, False))
    return order


def mark_swept(order) -> None:
    """After ``backward()``: a second sweep of these nodes raises; drawings and tables still work."""
    for node in order:
        if node.prim is not None:
            node.swept = True


def is_constant(t: Tensor) -> bool:
    """An unnamed one-element leaf that requires no grad: a literal such as the 1 of h5 = h4 + 1."""
    return t.prim is None and not t.requires_grad and t.size == 1 and not t.name


def _constant_text(t: Tensor) -> str:
    return f"{t.item() + 0:.6g}"     # + 0 prints −0 as 0


def node_names(roots, given: dict | None = None) -> dict:
    """Each node's name, ``id(tensor) → name``, for the graph of ``roots`` (a Tensor or a list of
    them), constant inputs included.

    A name given by the user (``t.named("h1")``) wins, then one in ``given`` (``id → name``, e.g. a
    module path; ``None`` there: the node takes no number). Other ops are v1, v2, ... in the order
    they were computed; other leaves are x1, x2, ... in the order they were made; names already
    taken are skipped. A literal constant is written as its value ("1"). The step tables, the
    drawings and symbolic expressions all name nodes with it."""
    roots = [roots] if isinstance(roots, Tensor) else list(roots)
    given = given or {}
    order = sorted(toposort(roots, constants=True, swept_ok=True), key=lambda t: t.seq)
    used = {str(t.name) for t in order if t.name} | {n for n in given.values() if n}
    names, counters = {}, {"v": 1, "x": 1}
    for t in order:
        if t.name:
            names[id(t)] = str(t.name)
        elif id(t) in given:
            names[id(t)] = given[id(t)]
        elif is_constant(t):
            names[id(t)] = _constant_text(t)
        else:
            letter = "x" if t.prim is None else "v"
            k = counters[letter]
            while f"{letter}{k}" in used:
                k += 1
            names[id(t)] = f"{letter}{k}"
            counters[letter] = k + 1
    return names
