"""Exact rewrites of a recorded program before ``codegen`` writes it (``tg.jit``): what may stand
for what, bit for bit. A transpose of a transpose is one transpose, or none; a broadcast_to that
feeds an elementwise ufunc is left to the ufunc's own broadcasting; x · 1 with a constant 1 is x;
the same primitive on the same inputs is computed once. And which values are fresh arrays (a
ufunc's, matmul's, an inline σ's), so that a later line may write into them."""
from __future__ import annotations

import numpy as np

from . import primitives as P
from .tensor import Tensor

__all__ = ["literal", "fresh", "is_ufunc", "shares_logistic", "rewrite"]


def literal(v):
    """Python source for a static parameter, or None when it has none (then it is bound by name)."""
    if v is None or isinstance(v, (bool, int, float, str)):
        return repr(v)
    if isinstance(v, tuple):
        items = [literal(x) for x in v]
        if any(i is None for i in items):
            return None
        return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"
    if isinstance(v, slice):
        parts = [literal(x) for x in (v.start, v.stop, v.step)]
        return None if any(p is None for p in parts) else f"slice({', '.join(parts)})"
    return None


def fresh(node) -> bool:
    """The node's value is a new array that no other value is a view of (a ufunc's, matmul's, or
    an inline σ's or σ′'s)."""
    return node.prim is not None and (isinstance(node.prim.forward, np.ufunc) or node.prim is P.matmul
                                      or shares_logistic(node))


def is_ufunc(node) -> bool:
    fwd = node.prim.forward if node.prim is not None else None
    return isinstance(fwd, np.ufunc) and fwd.signature is None


def _differ(xs, ys) -> bool:
    """Two tuples of tensors hold different objects (``==`` on Tensors is elementwise)."""
    return any(x is not y for x, y in zip(xs, ys))


def _params_key(params):
    items = tuple(sorted((k, literal(v)) for k, v in (params or {}).items()))
    return None if any(v is None for _, v in items) else items


def rewrite(order, is_leaf, is_input) -> dict:
    """Rewrites that keep every value (checked by the table test): a transpose of a transpose is
    one transpose, or none; a broadcast_to that feeds an elementwise ufunc is left to the ufunc's
    own broadcasting; x · 1 with a constant 1 is x, when x is a fresh array of the product's shape
    and dtype (IEEE multiplication by 1 is exact, ±0, ±inf and NaN included); the same primitive
    on the same inputs is computed once. Returns {id(node): replacement}; a node with new inputs
    is a new (unrecorded) Tensor. ``is_input``: a leaf read at call time (not a constant)."""
    sub, seen, const = {}, {}, set()
    for n in order:
        if is_leaf(n):
            if not is_input(n):
                const.add(id(n))
            continue
        ins, params = tuple(sub.get(id(i), i) for i in n.inputs), n.params
        fixed = [id(i) in const for i in n.inputs]
        if all(fixed):
            const.add(id(n))
        elif n.prim is P.mul and (x := _times_one(n, ins, fixed)) is not None:
            sub[id(n)] = x
            continue
        if n.prim is P.transpose and ins[0].prim is P.transpose and not is_leaf(ins[0]):
            inner = ins[0]
            params = {"axes": tuple(inner.params["axes"][a] for a in n.params["axes"])}
            ins = (sub.get(id(inner.inputs[0]), inner.inputs[0]),)
            if params["axes"] == tuple(range(len(params["axes"]))):
                sub[id(n)] = ins[0]
                continue
        elif is_ufunc(n):
            flat = tuple(i.inputs[0] if i.prim is P.broadcast_to and not is_leaf(i) else i for i in ins)
            if _differ(flat, ins) and np.broadcast_shapes(*(i.shape for i in flat)) == n.shape:
                ins = tuple(sub.get(id(i), i) for i in flat)
        if _differ(ins, n.inputs) or params is not n.params:
            m = Tensor.wrap(n.data, n.requires_grad, n.name)
            m.prim, m.inputs, m.params, m.seq = n.prim, ins, params, n.seq
            sub[id(n)] = m
        pk = _params_key(params)
        if pk is not None:
            key = (id(n.prim), tuple(id(i) for i in ins), pk)
            if key in seen:
                sub[id(n)] = seen[key]
            else:
                seen[key] = sub.get(id(n), n)
    return sub


def _times_one(n, ins, fixed):
    """The factor x of the product ``n`` = x · 1 (``fixed``: which inputs are constants), if x may
    stand for it, else None."""
    for k in (0, 1):
        x, one = ins[k], ins[1 - k]
        if (fixed[1 - k] and not fixed[k] and fresh(x) and x.shape == n.shape and x.dtype == n.dtype
                and one.dtype.kind in "fiub" and np.all(one.data == 1)):
            return x
    return None


def shares_logistic(n) -> bool:
    """``n`` is σ or σ′ of a floating array, which ``_Writer.sigmoids`` writes inline."""
    return n.prim in (P.sigmoid, P.sigmoid_slope) and n.inputs[0].dtype.kind == "f" and n.inputs[0].ndim > 0
